"""The published report as its readers see it: every label in Vietnamese, and the HTML opened in a real
browser (headless Chromium): no console error, every chart drawn, Vietnamese text rendered with glyphs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from tests.conftest import query

# Identifiers and English phrases that must never reach a reader of the report.
ENGLISH = re.compile(
    r"\b(impossible|consistent|disagrees|printed share|the group counts|newer_file|previous_district|"
    r"first_loaded|single_source|improvement|necessity|BLANK|UNKNOWN|TOTAL)\b"
)
GROUP_CODES = ("BI_THU", "HDND", "UBND", "MTTQ_DT")

# Run inside the page before anything else: collect errors, then measure what was drawn.
PROBE = """<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message || e.target && e.target.src)), true);
const __error = console.error;
console.error = (...a) => { window.__errors.push(a.join(' ')); __error(...a); };
window.addEventListener('load', () => {
  const charts = [...document.querySelectorAll('svg')].map(svg => ({
    bars: svg.querySelectorAll('rect').length,
    drawn: [...svg.querySelectorAll('rect')].filter(r => r.getBBox().height > 0).length,
    labels: [...svg.querySelectorAll('text')].filter(t => t.getComputedTextLength() > 0).length,
  }));
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = getComputedStyle(document.body).font;
  const tofu = canvas.measureText('\\uE000').width;
  const letters = [...new Set(document.body.innerText.replace(/[\\x00-\\x7F]/g, ''))].filter(c => /\\p{L}/u.test(c));
  const missing = letters.filter(c => canvas.measureText(c).width === tofu);
  const out = document.createElement('pre');
  out.id = '__probe';
  out.textContent = JSON.stringify({errors: window.__errors, charts, letters: letters.length, missing,
                                    charset: document.characterSet, title: document.querySelector('h1').textContent});
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def report(built, warehouse_settings):
    assert built.returncode == 0, built.stderr[-2000:]
    return warehouse_settings.reports_dir / "latest" / "bao_cao.html"


def test_every_label_of_the_report_is_vietnamese(report, wh_url):
    html = report.read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert unicodedata.is_normalized("NFC", html)
    assert not ENGLISH.findall(text)
    assert not [code for code in GROUP_CODES if re.search(rf"<td>{code}</td>", html)]
    groups = query(wh_url, "select distinct target_group_vi from reporting.rpt_programme_needs_by_topic")
    assert groups
    assert all(f"<td>{g}</td>" in html for (g,) in groups)
    findings = {f for (f,) in query(wh_url, "select finding_vi from reporting.rpt_published_figures_audit")}
    assert "Không thể đúng: tổng các nhóm vượt quá tổng số" in findings
    assert all(f in html for f in findings)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_the_html_report_renders_in_a_browser(report, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium): the browser check did not run")
    page = tmp_path / "bao_cao.html"
    page.write_text(report.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    run = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + str(tmp_path / "profile"),
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="__probe">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stderr[-2000:]
    probe = json.loads(
        found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line and "bao_cao.html" in line]
    assert probe["errors"] == []
    assert console == []
    assert probe["charset"] == "UTF-8"
    assert probe["title"] == "Báo cáo trình độ và kết quả bồi dưỡng cán bộ cấp xã tỉnh Quảng Ninh"
    assert len(probe["charts"]) >= 3
    assert all(c["bars"] > 0 and c["drawn"] == c["bars"] and c["labels"] >= c["bars"] for c in probe["charts"])
    assert probe["letters"] > 20  # the page has Vietnamese letters, and each has a glyph, not a box
    assert probe["missing"] == []
