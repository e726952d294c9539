"""The refresh's report in Vietnamese (HTML with charts, and XLSX), built only from published data."""

from cadre.reports.build import ReportFiles, build

__all__ = ["ReportFiles", "build"]
