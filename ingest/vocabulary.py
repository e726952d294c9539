"""Words to codes: the one home of what the ingest understands (``vocabulary.yaml``, read with the seeds).

Posts, qualification levels and headers are read from their parts, not looked up whole, so spellings nobody
listed are understood: "PBT TT ĐU, CT HĐND xã" is a deputy secretary of the Party committee (standing) who
also chairs the People's Council; "Th.S Quản lý kinh tế" is a master's degree in economic management. The
seeds stay the only list of codes: which (deputy, role, organisation) is which title is learnt by reading the
seed's own title names with these words. Pure functions, memoised per distinct value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from cadre import reference
from ingest.text import fold, normalise, unaccented_too

VOCABULARY = Path(__file__).with_name("vocabulary.yaml")
HARD = "|"  # a separator between posts (or parts of a cell) that no phrase crosses


@cache
def data() -> dict:
    return yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))


def version() -> str:
    """A digest of the vocabulary file: a replay is due when it changes."""
    return hashlib.sha256(VOCABULARY.read_bytes()).hexdigest()[:16]


def reset() -> None:
    """Forget everything read from the vocabulary file (after it changed, in a long-lived process)."""
    for fn in (
        data,
        _lexicons,
        _title_grammar,
        _level_grammar,
        _header_lexicon,
        _header_phrases,
        _unit_names,
        _cues,
        _note_headers,
        _note_words,
        _political_theory_cues,
        _completion,
        _not_now,
        _certificate_headers,
        _completion_titles,
        _negations,
        _alone,
        _pending,
        _no_date,
        _not_now_marked,
        _answer_phrases,
        _categories,
        _category_phrases,
        vacant,
    ):
        fn.cache_clear()
    completed.cache_clear()
    heads_organisation.cache_clear()
    read_title.cache_clear()
    read_level.cache_clear()
    political_theory_in.cache_clear()
    labelled_levels.cache_clear()
    header_name.cache_clear()
    _header_words.cache_clear()
    from ingest import layout  # what it looked up of this vocabulary (imported here: it imports this module)

    layout._names_of.cache_clear()


def words(text: str | None) -> tuple[str, ...]:
    return tuple(fold(text).split())


# -- matching phrases on folded words ---------------------------------------------------------------------
def _distance_at_most_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of ``a`` and ``b`` is at most 1 (one typo: substitution, insertion,
    deletion or two neighbours swapped)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1 :]


FUZZY_MIN = 7  # letters a phrase needs before one typo in it is forgiven


class Lexicon:
    """Phrases (tuples of folded words) -> meaning. A phrase matches the words at a position as written,
    written joined or split differently ("ThS" = "Th.S" = "th s"), or - for phrases of ``FUZZY_MIN`` letters
    or more - with one typo ("Chủ tịnh"). The longest match wins; among fuzzy matches only a unique one."""

    def __init__(self, entries: dict[tuple[str, ...], object]):
        self.entries = {k: v for k, v in entries.items() if k}
        self.joined: dict[str, object] = {}
        for phrase, meaning in self.entries.items():
            self.joined.setdefault("".join(phrase), meaning)
        # every beginning of a phrase written joined: a span whose letters are none of them matches no phrase,
        # nor does any longer span from the same word
        self.beginnings = {joined[:k] for joined in self.joined for k in range(1, len(joined) + 1)}
        # (words, first letter, length) of a span -> the phrases written joined that one typo may have made it
        # (a typo keeps the first letter and the number of words: "phó" written "p" is not a typo to drop)
        self.near: dict[tuple[int, str, int], list[str]] = {}
        for phrase in self.entries:
            joined = "".join(phrase)
            if len(joined) >= FUZZY_MIN:
                for size in (len(joined) - 1, len(joined), len(joined) + 1):
                    self.near.setdefault((len(phrase), joined[0], size), []).append(joined)
        self.longest = max((len(p) for p in self.entries), default=0)
        self.singles = {w for p in self.entries for w in p}
        self._typo_memo: dict[tuple[int, str], list[str]] = {}

    def _exact(self, tokens: list[str], i: int) -> tuple[object, int] | None:
        """The longest phrase at ``tokens[i]`` as written, joined or split differently."""
        best, joined = None, ""
        for n in range(1, min(self.longest + 2, len(tokens) - i) + 1):  # while the letters begin a phrase
            token = tokens[i + n - 1]
            if token == HARD:
                break
            joined += token
            if joined not in self.beginnings:
                break
            key = tuple(tokens[i : i + n])
            if key in self.entries:
                best = (self.entries[key], i + n)
            elif joined in self.joined:
                best = (self.joined[joined], i + n)
        return best

    def _typos(self, tokens: list[str], i: int) -> Iterator[tuple[int, list[str]]]:
        """(n, the phrases one typo away from ``tokens[i:i + n]``), longest span first."""
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            if HARD in span:
                continue
            joined = "".join(span)
            if len(joined) >= FUZZY_MIN:
                yield n, self._near(n, joined)

    def _near(self, n: int, joined: str) -> list[str]:
        """The phrases one typo away from a span of ``n`` words written ``joined`` (remembered: the cells
        scanned repeat their words - names, places, levels - from row to row and file to file)."""
        found = self._typo_memo.get((n, joined))
        if found is None:
            if len(self._typo_memo) >= 1 << 18:
                self._typo_memo.clear()
            near = self.near.get((n, joined[0], len(joined)), ())
            found = self._typo_memo[n, joined] = [k for k in near if _distance_at_most_one(joined, k)]
        return found

    def match(self, tokens: list[str], i: int, fuzzy: bool = True) -> tuple[object, int] | None:
        """(meaning, end) of the longest phrase at ``tokens[i]``, or None."""
        best = self._exact(tokens, i)
        if best or not fuzzy:
            return best
        for n, near in self._typos(tokens, i):
            hits = {id(self.joined[k]): self.joined[k] for k in near}
            if len(hits) == 1:
                return next(iter(hits.values())), i + n
        return None

    def touches(self, tokens: list[str]) -> bool:
        """Whether a phrase, or a typo of one, is anywhere in ``tokens``; if not, nothing matches there."""
        return any(
            self._exact(tokens, i) or any(near for _, near in self._typos(tokens, i)) for i in range(len(tokens))
        )

    def find(self, tokens: list[str]) -> list[tuple[int, int, object]]:
        """Every (start, end, meaning) of non-overlapping longest matches, left to right."""
        out, i = [], 0
        while i < len(tokens):
            hit = self.match(tokens, i)
            if hit:
                out.append((i, hit[1], hit[0]))
                i = hit[1]
            else:
                i += 1
        return out


def _phrases(spellings, meaning) -> dict[tuple[str, ...], object]:
    return {words(s): meaning for s in spellings if words(s)}


@cache
def _lexicons() -> dict[str, Lexicon]:
    t = data()["titles"]
    return {
        "deputy": Lexicon(_phrases(t["deputy"], True)),
        "roles": Lexicon({w: role for role, spelled in t["roles"].items() for w in _phrases(spelled, role)}),
        "standing": Lexicon(_phrases(t["standing"], True)),
        "orgs": Lexicon({w: org for org, spelled in t["organisations"].items() for w in _phrases(spelled, org)}),
        "offices": Lexicon({w: code for code, spelled in t["offices"].items() for w in _phrases(spelled, code)}),
        "memberships": Lexicon(_phrases(t["memberships"], True)),
        "prefixes": Lexicon(_phrases(t["prefixes"], True)),
        "former": Lexicon(_phrases(t["former"], True)),
        "places": Lexicon(_phrases(t["places"], True)),
        "suffixes": Lexicon(_phrases(t["suffixes"], True)),
        "joiners": Lexicon(_phrases(t["joiners"], True)),
    }


# -- splitting a cell into words --------------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+|[,;/+()\[\]]")


def _split_joined(word: str, known: set[str]) -> list[str] | None:
    """``word`` as two or three known abbreviations written together ("btdu" -> bt du, "pbttt" -> p bt tt)."""
    if len(word) > 9:
        return None
    for i in range(1, len(word)):
        head, tail = word[:i], word[i:]
        if head not in known:
            continue
        if tail in known:
            return [head, tail]
        for j in range(1, len(tail)):
            if tail[:j] in known and tail[j:] in known:
                return [head, tail[:j], tail[j:]]
    return None


def tokens(text: str | None, known: set[str] | None = None) -> list[tuple[str, int, int]]:
    """(folded word, start, end) of each word of the normalised text, ``HARD`` for , ; / + and brackets.

    A word made of known abbreviations written together is split into them (spans shared)."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(text or ""):
        piece = m[0]
        if not piece[0].isalnum():
            out.append((HARD, m.start(), m.end()))
            continue
        word = fold(piece)
        if not word:
            continue
        parts = _split_joined(word, known) if known and word not in known else None
        out += [(p, m.start(), m.end()) for p in parts] if parts else [(word, m.start(), m.end())]
    return out


# -- posts ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TitleReading:
    """What a title cell says: the primary post, the posts held beside it, or why it cannot be placed."""

    code: str | None = None
    concurrent: tuple[str, ...] = ()
    reason: str | None = None  # unknown_title | ambiguous_title
    note: str | None = None  # the candidates, or the words not understood
    defaulted: bool = False  # the primary post's organisation was not written ("Bí thư": the Party's, by default)


@dataclass
class _Post:
    code: str | None = None
    candidates: tuple[str, ...] = ()
    label: str = ""
    defaulted: bool = False


@cache
def _title_grammar() -> tuple[dict, Lexicon, set[str], dict[str, str]]:
    """(pairs, aliases, known words, group of each code): which (deputy, role, organisation) is which code,
    learnt by reading the seed's own title names; whole-post aliases from the seed's abbreviations and the
    vocabulary file."""
    lex = _lexicons()
    known = set().union(*(x.singles for x in lex.values()))
    pairs: dict[tuple, str] = {}
    group: dict[str, str] = {}
    aliases: dict[tuple[str, ...], str] = {}
    for row in reference.rows("cadre_titles"):
        code = row["title_code"]
        group[code] = row["group"]
        for name in row["title_vi"].split("|"):
            name = re.sub(r"\([^)]*\)", "", name)
            parts = [p for p in _parse_posts([t for t, _, _ in tokens(name, known)], pairs={}, aliases=None) if p]
            posts = [p for p in parts if isinstance(p, tuple) or p.code]
            if len(posts) != 1:
                raise ValueError(f"the vocabulary does not read the seed title {name!r} as one post: {parts}")
            post = posts[0]
            if isinstance(post, tuple):
                pairs.setdefault(post, code)
            elif post.code != code:
                raise ValueError(f"the vocabulary reads the seed title {name!r} as {post.code}, not {code}")
        for spelling in re.sub(r"\([^)]*\)", "", row["common_abbrev"]).split(";"):
            if words(spelling):
                aliases[tuple(t for t, _, _ in tokens(spelling, known))] = code
    for spelling, code in (data()["titles"].get("aliases") or {}).items():
        aliases[tuple(t for t, _, _ in tokens(spelling, known))] = code
    return pairs, Lexicon(aliases), known | Lexicon(aliases).singles, group


def _parse_posts(toks: list[str], pairs: dict, aliases: Lexicon | None) -> list:
    """The posts written in ``toks``: a (deputy, role, org) tuple where ``pairs`` is empty (reading the
    seed), else _Post with a code, candidates or nothing (a post that is none of the titles); None for
    words not understood."""
    lex = _lexicons()
    t = data()["titles"]
    out: list = []
    i, n = 0, len(toks)

    def starts_post(k: int) -> bool:
        # a bare "trưởng" does not start a post inside a name: "môi trường" folds to the same word
        role = lex["roles"].match(toks, k, fuzzy=False)
        return k < n and bool(
            (aliases and aliases.match(toks, k, fuzzy=False))
            or (role and role[0] not in ("head", "staff"))
            or (lex["deputy"].match(toks, k, fuzzy=False) and _role_after(k))
            or lex["offices"].match(toks, k, fuzzy=False)
        )

    def _role_after(k: int) -> bool:
        d = lex["deputy"].match(toks, k, fuzzy=False)
        return bool(d and lex["roles"].match(toks, d[1], fuzzy=False))

    def skip_tail(k: int) -> int:
        """After a post: suffixes, and a place with its name, up to the next separator or post."""
        while k < n and toks[k] != HARD:
            if hit := lex["suffixes"].match(toks, k, fuzzy=False):
                k = hit[1]
            elif lex["places"].match(toks, k, fuzzy=False):
                k += 1
                while k < n and toks[k] != HARD and not starts_post(k):
                    k += 1
            else:
                break
        return k

    former, last_org = False, None  # the organisation the last post named
    while i < n:
        tok = toks[i]
        if tok == HARD or lex["joiners"].match(toks, i, fuzzy=False):
            i = i + 1 if tok == HARD else lex["joiners"].match(toks, i, fuzzy=False)[1]
            former = False
            continue
        if aliases is not None and (hit := aliases.match(toks, i)):
            if not former:
                out.append(_Post(code=hit[0], label=" ".join(toks[i : hit[1]])))
            last_org = next((org for (_, _, org), code in pairs.items() if code == hit[0]), last_org)
            i = skip_tail(hit[1])
            continue
        if hit := lex["former"].match(toks, i, fuzzy=False):
            former, i = True, hit[1]
            continue
        if hit := lex["memberships"].match(toks, i, fuzzy=False):
            i = hit[1]
            if org := lex["orgs"].match(toks, i):  # "UVBTV ĐU": a member of the Party committee's standing body
                i = org[1]
            continue
        if (hit := lex["prefixes"].match(toks, i, fuzzy=False)) and aliases is not None:
            org = lex["orgs"].match(toks, hit[1], fuzzy=False)
            office = lex["offices"].match(toks, hit[1], fuzzy=False)
            civil = toks[i : hit[1]] in (["cong", "chuc"], ["cc"])  # a civil servant's ("Cán bộ" of them is not)
            if civil and org and (False, "staff", org[0]) in pairs and org[1] > (office[1] if office else 0):
                toks = [*toks[:i], "chuyen", "vien", *toks[hit[1] :]]  # "Công chức Phòng Kinh tế": its staff
                n = len(toks)
                continue
        if (hit := lex["prefixes"].match(toks, i, fuzzy=False)) and starts_post(hit[1]):
            i = hit[1]
            continue
        deputy = lex["deputy"].match(toks, i, fuzzy=False)
        role = lex["roles"].match(toks, deputy[1] if deputy else i)
        if role:
            start, j, defaulted = i, role[1], False
            if standing := lex["standing"].match(toks, j, fuzzy=False):
                j = standing[1]
            org = lex["orgs"].match(toks, j)
            while org and org[0] == "committee" and (more := lex["orgs"].match(toks, org[1], fuzzy=False)):
                org = more  # "Ủy ban MTTQ": the front
            key_deputy, key_role = bool(deputy), role[0]
            if key_role == "staff" and aliases is not None and (not org or (key_deputy, key_role, org[0]) not in pairs):
                i = role[1]  # "Chuyên viên" of no office of July 2025: a word before the post ("CV VP-TK")
                continue
            office = None if org else lex["offices"].match(toks, j, fuzzy=False)
            if org:
                j = org[1]
                post = (key_deputy, key_role, org[0])
            elif office and aliases is not None:
                # "Chánh Văn phòng", "Trưởng Văn phòng": the head of an office, not its civil servant; of which
                # office (the Party's, the Council's) the words do not say
                j = office[1]
                post = (key_deputy, key_role, "?")
            elif (
                j >= n
                or toks[j] == HARD
                or starts_post(j)
                or lex["suffixes"].match(toks, j, fuzzy=False)
                or lex["joiners"].match(toks, j, fuzzy=False)  # "Bí thư kiêm CT HĐND": the post ends here
            ):
                post = (key_deputy, key_role, t["defaults"].get(key_role))
                defaulted = True
            elif lex["places"].match(toks, j, fuzzy=False):
                post = (key_deputy, key_role, t["defaults"].get(key_role) or t["place_defaults"].get(key_role))
                defaulted = True
            else:
                post = (key_deputy, key_role, "?")  # a role of something not in the vocabulary ("Trưởng thôn")
            if post[2] is None and aliases is not None and (key_deputy, key_role, last_org) in pairs:
                post, defaulted = (key_deputy, key_role, last_org), False  # "PCT UBND (Q. Chủ tịch)": the same body's
            last_org = org[0] if org else last_org
            label = " ".join(toks[start:j])
            i = skip_tail(j)
            if former:
                continue
            if aliases is None:  # reading the seed
                out.append(post)
            elif post[2] is None:
                found = tuple(sorted(c for (d, r, _), c in pairs.items() if (d, r) == post[:2]))
                out.append(
                    _Post(candidates=found, label=label)
                    if len(found) > 1
                    else _Post(found[0] if found else None, label=label)
                )
            else:
                out.append(_Post(code=pairs.get(post), label=label, defaulted=defaulted))
            continue
        if office := lex["offices"].match(toks, i):
            j = office[1]
            if lex["orgs"].match(toks, j, fuzzy=False):  # "Văn phòng Đảng ủy": an office of the Party, not a post
                out.append(_Post(label=" ".join(toks[i : j + 1])))
                i = j
                continue
            while j < n and toks[j] != HARD and not starts_post(j):  # the office's long name goes on
                j += 1
            if not former:
                out.append(_Post(code=office[0], label=" ".join(toks[i:j])))
            i = j
            continue
        out.append(None)
        i += 1
    return out


_PORTFOLIO = re.compile(r"[\s(]*\b(?:phụ|phu)\s+(?:trách|trach)\b", re.IGNORECASE)


def names_organisation(text: str | None) -> bool:
    """The cell names an organisation of a commune and nothing else ("Đảng ủy", "HĐND", "UBND xã", "MTTQ",
    "Văn phòng UBND"): a unit column of a commune's own list, not a commune."""
    _, _, known, _ = _title_grammar()
    toks = [t for t, _, _ in tokens(normalise(text) or "", known) if t != HARD]
    lex, i = _lexicons(), 0
    found = False
    while i < len(toks):
        hit = lex["orgs"].match(toks, i, fuzzy=False) or lex["offices"].match(toks, i, fuzzy=False)
        if hit:
            found, i = True, hit[1]
        elif suffix := lex["suffixes"].match(toks, i, fuzzy=False):
            i = suffix[1]
        elif lex["places"].match(toks, i, fuzzy=False) or toks[i] in ("va", "cua", "bo", "phan"):
            i += 1
        else:
            return False
    return found


# a post to come, written so (as written: "Nguyễn" is a family name, "nguyên" a former post's word)
_NOT_HELD = re.compile(unaccented_too(r"^\s*(dự kiến|đề nghị|đề xuất|quy hoạch|được quy hoạch)\b"))


@lru_cache(maxsize=65536)
def read_title(text: str | None, organisation: str | None = None) -> TitleReading:
    """The post(s) a title cell names. Several posts held at once give the first cadre title written as
    the primary one and the others beside it; a post that could be two titles is never guessed. Where a
    unit column names the organisation ("Chủ tịch" beside "HĐND"), a post that needs it is read with it."""
    if not text:
        return TitleReading()
    if organisation:  # what the post says outranks the organisation; a default ("Bí thư": the Party's) does not
        alone = read_title(text)
        if alone.code is None or alone.defaulted:
            joined = read_title(_completed(text, organisation))
            return joined if joined.code else alone
        return alone
    pairs, aliases, known, group = _title_grammar()
    clean = normalise(text) or ""
    if not_held := _NOT_HELD.match(clean.lower()):  # "Dự kiến Chủ tịch UBND": a post to come, not held
        return TitleReading(reason="unknown_title", note=f"{not_held[1]}: not held as of the list")
    # a portfolio is no post ("PCT phụ trách VH-XH", "PCT UBND (phụ trách Kinh tế)"): a deputy chair with one
    # is the People's Committee's
    post, *portfolio = _PORTFOLIO.split(clean, maxsplit=1)
    if portfolio and not words(post):  # "Phụ trách Đài truyền thanh": the post itself, a part-time one
        post, portfolio = portfolio[0], []
    posts = _parse_posts([t for t, _, _ in tokens(post, known)], pairs, aliases)
    named = [p for p in posts if p is not None]
    if portfolio and not any(p.code or p.candidates for p in named):  # "Công chức phụ trách địa chính": no post
        post, portfolio = portfolio[0], []  # before the charge, which is the post
        named = [p for p in _parse_posts([t for t, _, _ in tokens(post, known)], pairs, aliases) if p is not None]
    if portfolio:
        named = [_Post(code="PCT_UBND") if "PCT_UBND" in (p.candidates or ()) else p for p in named]
    rank = _group_rank()
    if ambiguous := [p for p in named if p.candidates]:
        candidates = sorted(ambiguous[0].candidates, key=lambda c: (rank[group[c]], c))  # the cadre titles first
        return TitleReading(reason="ambiguous_title", note=f"{clean}: {' or '.join(candidates)}?")
    codes = list(dict.fromkeys(p.code for p in named if p.code))
    if not codes:
        return TitleReading(reason="unknown_title", note=None)
    # the primary post: the first written of the highest group (a cadre title before a civil servant's, that
    # before a part-time post): "Thủ quỹ kiêm Kế toán" is a civil servant who also keeps the cash
    primary = min(codes, key=lambda c: rank[group[c]])
    defaulted = any(p.defaulted for p in named if p.code == primary)
    return TitleReading(code=primary, concurrent=tuple(c for c in codes if c != primary), defaulted=defaulted)


def _completed(post: str, organisation: str) -> str:
    """A post written short under its organisation, written out: the words the two share written once
    ("Trưởng phòng" + "Phòng Kinh tế" is "Trưởng phòng Kinh tế"; "Chánh Văn phòng" + "Văn phòng Đảng ủy" is
    "Chánh Văn phòng Đảng ủy"; "Chủ tịch" + "Ủy ban nhân dân phường X" is "Chủ tịch Ủy ban nhân dân phường X")."""
    head, tail = post.split(), _NUMBERING.sub("", organisation).split()
    if head and (long := data()["titles"]["short_forms"].get(fold(head[-1]))):  # "CVP" + "Văn phòng Đảng ủy"
        head = [*head[:-1], *long.split()]
    for k in range(min(len(head), len(tail)), 0, -1):
        if words(" ".join(head[-k:])) == words(" ".join(tail[:k])):
            return " ".join(head + tail[k:])
    return " ".join(head + tail)


@lru_cache(maxsize=16384)
def heads_organisation(text: str | None) -> bool:
    """A row heading a body of the commune that the people under it belong to ("Thường trực Đảng ủy", "Văn phòng
    HĐND và UBND", "3. Ủy ban nhân dân phường Mạo Khê", "Phòng Kinh tế, Hạ tầng và Đô thị", "Xã đoàn"). A name
    that starts like an organisation is none ("Đoàn Thị Lan": a one-word organisation must be the whole cell)."""
    _, _, known, _ = _title_grammar()
    text = _XA_CUT.sub("xã ", normalise(text) or "")  # "UBND x. Quảng Tân"
    toks = [t for t, _, _ in tokens(_NUMBERING.sub("", text), known)]
    lex = _lexicons()
    i = 0
    if hit := _cues()["heading_prefixes"].match(toks, 0, fuzzy=False):
        i = hit[1]
    org = lex["orgs"].match(toks, i, fuzzy=False)
    if not org:
        return False
    # "UBND xã Đông Ngũ": a one-word organisation of a place named after it
    return i > 0 or org[1] - i > 1 or bool(lex["places"].match(toks, org[1], fuzzy=False)) or names_organisation(text)


@cache
def answers() -> dict[str, dict[str, str]]:
    """Per survey question, folded option label -> code (the survey's scales, seed training_eval_scales)."""
    rows = reference.rows("training_eval_scales")
    return {
        q: {fold(r["label_vi"]): r["code"] for r in rows if r["question"] == q} for q in ("improvement", "necessity")
    }


@cache
def _answer_phrases(question: str) -> dict[str, str]:
    """Folded phrase -> code of one survey question: the scale's labels, its codes as a form abbreviates them
    ("RTC", "Rất cần"), and the words a hand-typed answer says them in (``answers`` in the vocabulary)."""
    phrases = {fold(code.replace("_", " ")): code for code in answers()[question].values()}
    phrases |= {fold(p): code for code, spelled in data()["answers"][question].items() for p in spelled}
    return phrases | answers()[question]


def read_answer(question: str, text: str | None) -> str | None:
    """The code of a survey answer ("improvement", "necessity"): a label of the scale, whole ("4. Rất tích cực",
    "[x] Tích cực", "b) Khá tích cực") or first before more words of the respondent's ("Rất cần thiết, cần bồi
    dưỡng thường xuyên"); None when it is none of them, or two of them ticked ("Rất tích cực; Tích cực")."""
    folded = re.sub(r"^(?:\d{1,2}|[a-e]|x|v)\s+(?=\D)", "", fold(text))  # "4.", "b)", "[x]" before the label
    phrases = _answer_phrases(question)
    if folded in phrases:
        return phrases[folded]
    for phrase in sorted(phrases, key=len, reverse=True):
        if folded.startswith(phrase + " "):
            rest = folded[len(phrase) + 1 :]
            return None if phrases.get(rest, phrases[phrase]) != phrases[phrase] else phrases[phrase]
    return None


@cache
def _group_rank() -> dict[str, int]:
    """Title group -> its rank (``title_groups.csv``: cadres 1, civil servants 2, ...)."""
    return {r["title_group"]: int(r["rank"]) for r in reference.rows("title_groups")}


# -- qualification levels ---------------------------------------------------------------------------------
SCALES = {
    "prof_level": ("level_professional", None),
    "llct": ("level_political_theory", None),
    "qlnn": ("level_state_management", None),
    "it": ("level_general_it_lang", "tin_hoc"),
    "lang": ("level_general_it_lang", "ngoai_ngu"),
}
LEVELS = tuple(SCALES)


@dataclass(frozen=True)
class LevelReading:
    code: str | None = None
    field: str | None = None  # field of study, for professional levels
    flag: str | None = None  # in_progress | unmapped


@dataclass
class _Scale:
    lexicon: Lexicon
    qualifiers: Lexicon
    ordinal: dict[str, int]
    lowest: str | None  # what "none" means in this column
    known: set[str] = field(default_factory=set)


@cache
def _level_grammar() -> dict[str, _Scale]:
    lv = data()["levels"]
    out = {}
    for column, (seed, dimension) in SCALES.items():
        entries: dict[tuple[str, ...], str] = {}
        ordinal: dict[str, int] = {}
        for row in reference.rows(seed):
            if dimension and row["dimension"] != dimension:
                continue
            ordinal[row["code"]] = int(row["ordinal"])
            clean = {k: re.sub(r"\s*\([^)]*\)", "", v or "") for k, v in row.items()}
            for spelling in reference.variants(clean, "label_vi", "variants_seen"):
                entries.setdefault(words(spelling), row["code"])
        for code, spelled in (lv.get(column) or {}).items():
            for spelling in spelled:
                entries[words(spelling)] = code
        qualifiers = _phrases(lv["qualifiers"]["all"] + lv["qualifiers"].get(column, []), True)
        lowest = min(ordinal, key=ordinal.get) if column in ("prof_level", "llct", "qlnn") else None
        lexicon = Lexicon(entries)
        quals = Lexicon(qualifiers)
        out[column] = _Scale(lexicon, quals, ordinal, lowest, lexicon.singles | quals.singles)
    return out


@cache
def _cues() -> dict:
    """The word lists that mark a cell or a row rather than name a code, as lexicons (built once)."""
    d = data()
    return {
        "none": Lexicon(_phrases(d["levels"]["none"], True)),
        "in_progress": Lexicon(_phrases(d["levels"]["in_progress"], True)),
        "professions": Lexicon(_phrases(d["levels"]["professions"], True)),
        "marks": frozenset(fold(m) for m in d["levels"]["marks"] if fold(m)) | {"x"},
        "footer": Lexicon(_phrases(d["rows"]["footer"], True)),
        "signers": Lexicon(_phrases(d["rows"]["signers"], True)),
        "notes": Lexicon(_phrases(d["rows"]["notes"], True)),
        "sections": Lexicon(_phrases(d["rows"]["sections"], True)),
        "heading_prefixes": Lexicon(_phrases(d["rows"]["heading_prefixes"], True)),
        "kinds": {kind: Lexicon(_phrases(spelled, kind)) for kind, spelled in d["kinds"].items()},
    }


def _by_side(lists: dict[str, list[str]]) -> Lexicon:
    """One lexicon of several lists of phrases, each phrase meaning its list's name: where phrases of two lists
    begin at one word, the longest wins ("đạt yêu cầu" over "yếu", "thôi giữ chức vụ" over "giữ chức")."""
    return Lexicon({w: side for side, spelled in lists.items() for w in _phrases(spelled, side)})


@cache
def _completion() -> Lexicon:
    return _by_side({side: data()["completion"][side] for side in ("done", "not_done")})


@cache
def _pending() -> Lexicon:
    return Lexicon(_phrases(data()["completion"]["pending"], True))


def pending(text: str | None) -> bool:
    """Whether a roster's cell says the course is not over for the student ("Bảo lưu", "Hoãn thi", "Chuyển
    lớp"): no verdict, where a grade column would otherwise pass anyone it does not fail."""
    return bool(_pending().find(list(words(text)))) and completed(text) is None


@cache
def _alone(side: str) -> frozenset[str]:
    """What says a course was done (``done_alone``) or not (``not_done_alone``) only as the whole cell."""
    return frozenset(" ".join(words(w)) for w in data()["completion"][side])


@cache
def _negations() -> frozenset[str]:
    return frozenset(fold(w) for w in data()["completion"]["negations"])


@cache
def _completion_titles() -> Lexicon:
    return _by_side(data()["completion_titles"])


def listed_as_completed(titles: list[str]) -> bool | None:
    """What a roster's title rows say of every student listed: False for a list of those who did not finish
    ("DANH SÁCH HỌC VIÊN KHÔNG ĐỦ ĐIỀU KIỆN TỐT NGHIỆP"), True for one of those who did ("... ĐỦ ĐIỀU KIỆN CẤP
    GIẤY CHỨNG NHẬN", "QUYẾT ĐỊNH CÔNG NHẬN TỐT NGHIỆP"), else None."""
    said = {side for text in titles for _, _, side in _completion_titles().find(list(words(text)))}
    return False if "not_done" in said else True if "done" in said else None


TICKS = ("✓", "✔", "√", "☑", "☒", "⊠", "■", "●")  # a cell ticked with a symbol, not a letter (a form's box marked)


@lru_cache(maxsize=4096)
def completed(text: str | None) -> bool | None:
    """Whether a roster's result or grade cell says the person finished the course: False when anything in it
    says not ("Không đạt", "Vắng", "Không hoàn thành - vắng 3 buổi"), True when something says so ("Đạt
    (Khá)", "Hoàn thành tốt", "Được cấp GCN", a passing grade: "Khá", "TB"), else None."""
    ws = list(words(text))
    found = [  # longest first: "đạt yêu cầu" is no "yếu"; a pass negated ("Chưa HT", "K.Đạt") is none
        ("not_done" if side == "done" and start and ws[start - 1] in _negations() else side, ws[start:end])
        for start, end, side in _completion().find(ws)
    ]
    if found and found[0][0] == "done":  # "Hoàn thành - vắng 1 buổi có phép": an absence noted after a pass
        found = [(side, w) for side, w in found if not (side == "not_done" and w[0] == "vang")]
    said = {side for side, _ in found}
    if not said and ((text or "").strip() in TICKS or " ".join(ws) in _alone("done_alone")):
        return True
    if not said and " ".join(ws) in _alone("not_done_alone"):
        return False
    return False if "not_done" in said else True if "done" in said else None


@cache
def _certificate_headers() -> Lexicon:
    return Lexicon(_phrases(data()["certificates"], True))


def certificate_column(label: str | None) -> bool:
    """Whether a roster's column kept as an extra gives the certificate each student was given (by its header)."""
    return _whole_label(_certificate_headers(), label) is not None


def _whole_label(lexicon: Lexicon, label: str | None) -> object | None:
    """What a column's header means when the whole of it (numbering and brackets aside) is a phrase of
    ``lexicon``, exactly as written; else None."""
    ws = list(words(_NUMBERING.sub("", _BRACKETS.sub(" ", normalise(label) or ""))))
    hit = lexicon.match(ws, 0, fuzzy=False)
    return hit[0] if hit and hit[1] == len(ws) else None


NOTE_ROLES = ("end_reason", "status", "note")  # the longest headers first: "Lý do kết thúc" is no "Lý do"


@cache
def _note_headers() -> dict[str, Lexicon]:
    """Per role of a column of notes, the headers that name it."""
    return {role: Lexicon(_phrases(data()["notes"][role], role)) for role in NOTE_ROLES}


@cache
def _note_words() -> dict[str, Lexicon]:
    """Per role, one lexicon of what its cells may say (``left``, ``not_left``, and for a status also
    ``left_status``), so that where two phrases begin the longest wins."""
    notes = data()["notes"]
    sides = {role: ("left", "not_left", *(("left_status",) if role == "status" else ())) for role in NOTE_ROLES}
    return {role: _by_side({side: notes[side] for side in said}) for role, said in sides.items()}


def note_column(label: str | None) -> str | None:
    """What a column kept as an extra tells of a post by its header: ``note`` ("Ghi chú"), ``status``
    ("Tình trạng") or ``end_reason`` ("Lý do kết thúc"); None for any other."""
    return next((role for role in NOTE_ROLES if _whole_label(_note_headers()[role], label) is not None), None)


def left_post(text: str | None, role: str, on: date) -> bool:
    """Whether a note, status or reason (``role``, as ``note_column`` says) tells that the person had left
    the post by ``on``, the list's date: it names a departure ("Nghỉ hưu từ 01/10/2022", "Đã chuyển công tác
    tháng 8/2022", "Từ trần"; a status also "Đã kết thúc", "Nghỉ"; any reason does), dated no later than ``on``
    (a month or a year counts to its end) or not dated, and says no arrival or departure yet to come
    ("Chuyển đến từ xã Hà Lâu", "Dự kiến nghỉ hưu 3/2023")."""
    from ingest.values import date_in_text

    ws = list(words(text))
    if not ws or _ONLY_DASHES.match(text or "") or (role == "end_reason" and _cues()["none"].match(ws, 0, fuzzy=False)):
        return False
    # the longest phrase wins where two begin ("thôi giữ chức vụ" says left, "giữ chức" alone an arrival)
    found = {side for _, _, side in _note_words()[role].find(ws)}
    if "not_left" in found or not (role == "end_reason" or found & {"left", "left_status"}):
        return False
    when = date_in_text(text)
    return when is None or when <= on


_SEGMENTS = re.compile(r"[;,+\n]")
_SLASHED = re.compile(r"(?<!\w)([^\W\d_])/([^\W\d_])(?!\w)")  # a letter / a letter
_SCHOOLING = re.compile(r"(?<![\d/])(?:[5-9]|1[0-2])\s*/\s*(?:9|1[02])(?![\d/])")  # "12/12", "9/12", "10/10", "9/9"
_ONLY_DASHES = re.compile(r"^[\s\-–—./_*]*$")


@lru_cache(maxsize=1)
def _no_date() -> Lexicon:
    return Lexicon(_phrases([*data()["levels"]["none"], *data()["no_date"]], True))


def says_no_date(text: str | None) -> bool:
    """Whether a date cell says there is no date: dashes, "0", a word for none ("Chưa", "Không"), or what
    ``no_date`` lists ("Quần chúng", "đến nay")."""
    if not text or _ONLY_DASHES.match(text) or text.strip() in ("0", "0.0"):
        return True
    ws = list(words(re.sub(r"^\((.*)\)$", r"\1", text.strip())))
    hit = _no_date().match(ws, 0, fuzzy=False)
    return bool(hit) and hit[1] == len(ws)


@lru_cache(maxsize=65536)
def read_level(column: str, text: str | None) -> LevelReading:
    """The level a cell of a qualification column names, read by the column it sits in ("TC" is an
    intermediate degree in the education column and intermediate political theory in the LLCT column).

    Several parts ("ĐH Vật lý; ĐH Hành chính") give the highest level. "Chưa", "Không", "-" give the
    scale's lowest level (IT and languages: nothing). "Đang học ..." is flagged ``in_progress``. A cell
    that names no level is kept with ``unmapped``."""
    clean = _SLASHED.sub(r"\1\2", normalise(text) or "")  # "Đ/H Kinh tế", "T/C": one abbreviation
    if column == "prof_level":
        clean = _SCHOOLING.sub("phổ thông", clean)  # "12/12": the grades of general school finished, no more
    if column == "lang" and clean and (ethnic := [_ethnic_language(p) for p in _SEGMENTS.split(clean) if p.strip()]):
        if all(ethnic):  # "Tiếng Dao", "Chứng chỉ tiếng DTTS": a language of the country's peoples, no foreign one
            return LevelReading(flag="ethnic_language")
        clean = ", ".join(p for p in _SEGMENTS.split(clean) if p.strip() and not _ethnic_language(p))
    while (wrapped := re.fullmatch(r"\((.*)\)", clean or "")) and "(" not in wrapped.group(1):
        clean = wrapped.group(1).strip()  # "(không)", "(chưa có)": the whole cell in brackets
    if not clean:
        return LevelReading()
    if _ONLY_DASHES.match(clean):
        return LevelReading(_level_grammar()[column].lowest)
    scale = _level_grammar()[column]
    none, progress = _cues()["none"], _cues()["in_progress"]
    best: tuple[int, str, str | None] | None = None
    studying: tuple[int, str, str | None] | None = None  # the highest level of the parts still being studied
    in_progress = unmapped = nothing = False
    parts = _SEGMENTS.split(clean)
    if column == "prof_level":
        parts = [degree for part in parts for held in _each_held(part, scale) for degree in _degrees(held, scale)]
    for segment in parts:
        seg = segment.strip()
        if not seg:
            continue
        toks = tokens(seg, scale.known)
        words_ = [t for t, _, _ in toks]
        if not words_:
            continue
        i = 0
        part_in_progress = False
        level = scale.lexicon.match(words_, 0, fuzzy=False)
        if (hit := progress.match(words_, 0, fuzzy=False)) and not (level and level[1] > hit[1]):
            part_in_progress, i = True, hit[1]  # ... unless a level says more there ("Đảng viên mới" is no "đang")
        else:  # "CC (đang học)": the cue after the level, in two words ("đang" alone is "Đảng", "Cao đẳng")
            cue = (progress.match(words_, k, fuzzy=False) for k in range(1, len(words_)))
            after = next((k for k, hit in enumerate(cue, start=1) if hit and hit[1] - k >= 2), None)
            if after is not None:
                part_in_progress, words_, toks = True, words_[:after], toks[:after]
        in_progress = in_progress or part_in_progress
        if i < len(words_) and words_[i] == "duoi":  # "Dưới đại học": some level under it, which one is not said
            unmapped = True
            continue
        start_none = none.match(words_, i, fuzzy=False)
        if start_none and not scale.lexicon.match(words_, i, fuzzy=False):
            rest = _unqualified(words_[start_none[1] :], scale)
            if not rest:
                nothing = True
                if scale.lowest and best is None:
                    best = (-1, scale.lowest, None)
                continue
            unmapped = True
            continue
        found = _first_level(words_, i, scale, column)
        if found is None:
            if not in_progress or i < len(words_):
                unmapped = unmapped or bool(_unqualified(words_[i:], scale))
            continue
        code, start, end = found
        held = column == "prof_level" and code != scale.lowest  # "chưa có bằng CM" names no field of study
        study = _field(seg, toks, start, end, scale) if held else None
        reading = (scale.ordinal.get(code, 0), code, study)
        # a level still being studied does not outrank one held ("TC; đang học CC" holds TC)
        if part_in_progress:
            studying = reading if studying is None or reading[0] > studying[0] else studying
        elif best is None or reading[0] > best[0]:
            best = reading
    if best is None or best[0] < 0:  # only a level being studied ("Đang học ĐH Luật"): that level, flagged
        best = studying or best
    if best is None:
        if in_progress:
            return LevelReading(flag="in_progress")
        return LevelReading() if nothing and not unmapped else LevelReading(flag="unmapped")
    flag = "in_progress" if in_progress else None
    return LevelReading(best[1], best[2], flag)


_PARTS = re.compile(r"(\s*[;,+\n/]\s*|\s+[-–]\s+)")  # kept: the parts left are put back as written


@cache
def _political_theory_cues() -> Lexicon:
    return Lexicon(_phrases(data()["levels"]["political_theory_cues"], True))


@lru_cache(maxsize=65536)
def political_theory_in(text: str | None) -> tuple[str | None, str | None]:
    """(the political-theory level a qualification cell names beside a degree, the cell without it), for a list
    with no LLCT column: "ĐH Luật, TC LLCT" gives ("TC", "ĐH Luật"), "Thạc sĩ QLKT; Cao cấp chính trị" ("CC",
    "Thạc sĩ QLKT"). A part says it only with a cue ("LLCT", "chính trị": a bare "TC" is a degree), held (not
    "đang học"), and never when it starts with a degree of the professional scale only ("ĐH Chính trị" is a
    degree in politics). A cell of nothing else names no degree ("TC LLCT"), unless its level is one as well
    ("Cử nhân chính trị")."""
    clean = normalise(text)
    if not clean:
        return None, text
    grammar = _level_grammar()
    pieces = _PARTS.split(clean)
    found, rest, theory = None, "", False
    for separator, part in zip(["", *pieces[1::2]], pieces[::2], strict=True):
        ws = list(words(part))
        if theory and ws and not _unqualified(ws, grammar["llct"]):  # "Trung cấp Chính trị - Hành chính"
            continue
        reading = read_level("llct", part)
        degree = grammar["prof_level"].lexicon.match(ws, 0, fuzzy=False)
        theory = bool(
            reading.code
            and not reading.flag
            and _political_theory_cues().touches(ws)
            and not (degree and not grammar["llct"].lexicon.match(ws, 0, fuzzy=False))
        )
        if not theory:
            rest += (separator if rest else "") + part
        elif found is None or grammar["llct"].ordinal.get(reading.code, 0) > grammar["llct"].ordinal.get(found, 0):
            found = reading.code
    if not found:
        return None, text
    if words(rest):
        return found, rest
    # nothing else: a bachelor's in politics is a degree as well ("Cử nhân chính trị"); "TC LLCT" names none
    degree = read_level("prof_level", text).code
    ordinal = grammar["prof_level"].ordinal
    return found, text if degree and ordinal.get(degree, 0) >= ordinal.get("DH", 0) else None


_COLON = re.compile(r"\s*:\s*")
_PART_EDGES = " -–;,/+|.\u2022*"


@lru_cache(maxsize=65536)
def labelled_levels(text: str | None) -> dict[str, str] | None:
    """The parts of one qualification cell that each say by a label which qualification they give, as a list
    with no column per qualification writes its "Trình độ" cell ("CM: ĐH Luật", then on lines of its own
    "LLCT: Trung cấp", "QLNN: CV", "Tin học: B", "NN: Anh B"): {column: its part}, the words before the first
    label under ``prof_level``. A label is the whole of a column's header, exactly as written, just before a
    colon; a part labelled by a column of no qualification ("Văn hóa: 12/12") is left out. None where no label
    names a qualification."""
    clean = normalise(text)
    if not clean or ":" not in clean:
        return None
    whole = _header_lexicon("hr")[0]
    toks = [t for t in tokens(clean) if t[0] != HARD]
    cuts: list[tuple[int, int, str]] = []  # (the label's start, the part's start, the label's column)
    for colon in _COLON.finditer(clean):
        before = [t for t in toks if t[2] <= colon.start()]
        if not before or clean[before[-1][2] : colon.start()].strip():
            continue
        for k in range(min(5, len(before)), 0, -1):  # the longest label: "Lý luận chính trị", not "chính trị"
            hit = whole.match([w for w, _, _ in before[-k:]], 0, fuzzy=False)
            if hit and hit[1] == k:
                cuts.append((before[-k][1], colon.end(), hit[0]))
                break
    if not any(column in LEVELS for _, _, column in cuts):
        return None
    parts: dict[str, str] = {}
    for (_, start, column), end in zip([(0, 0, "prof_level"), *cuts], [c[0] for c in cuts] + [len(clean)], strict=True):
        piece = clean[start:end].strip(_PART_EDGES)
        if "(" not in piece.rstrip("("):  # "ĐH Luật (Tin học: B)": the bracket around a label's part
            piece = piece.replace("(", "").replace(")", "").strip(_PART_EDGES)
        if piece and column in LEVELS:
            parts[column] = f"{parts[column]}; {piece}" if column in parts else piece
    return parts


def _unqualified(ws: list[str], scale: _Scale) -> list[str]:
    """The words left once qualifiers are taken out."""
    out, i = [], 0
    while i < len(ws):
        if hit := scale.qualifiers.match(ws, i, fuzzy=False):
            i = hit[1]
        else:
            out.append(ws[i])
            i += 1
    return out


_PREFIX_LEVELS = ("ths", "dh", "cd", "tc", "ts", "cn", "ks")


def _first_level(ws: list[str], i: int, scale: _Scale, column: str) -> tuple[str, int, int] | None:
    """(code, start, end) of the first level phrase from ``i``, qualifiers skipped; the highest if a part
    names several (outside professional levels, where later words are the field of study)."""
    found = []
    k = i
    while k < len(ws):
        if hit := scale.lexicon.match(ws, k, fuzzy=len(ws[k]) > 3):
            if column == "prof_level":
                return _level_after_profession(ws, k, hit[1], scale) or (hit[0], k, hit[1])
            found.append((hit[0], k, hit[1]))
            k = hit[1]
        elif hit := scale.qualifiers.match(ws, k, fuzzy=False):
            k = hit[1]
        else:
            k += 1
    if found:
        return max(found, key=lambda f: scale.ordinal.get(f[0], 0)) if column != "prof_level" else found[0]
    if column == "prof_level" and i < len(ws):  # "ĐHSP", "CĐKT": a level written joined to its field
        word = ws[i]
        for prefix in _PREFIX_LEVELS:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                hit = scale.lexicon.match([prefix], 0, fuzzy=False)
                if hit:
                    return hit[0], i, i + 1
    return None


def _each_held(part: str, scale: _Scale) -> list[str]:
    """A part's degrees written with "/" between them, each a level ("ĐH/ThS": both held); a part whose words
    after "/" are no level ("Đại học/Luật": the field) is one."""
    pieces = [piece.strip() for piece in part.split("/")]
    if len(pieces) > 1 and all(scale.lexicon.match([t for t, _, _ in tokens(p, scale.known)], 0) for p in pieces):
        return pieces
    return [part.strip()]


def _degrees(seg: str, scale: _Scale) -> list[str]:
    """A part naming a degree with its field, then a higher degree with its own ("Đại học Luật Thạc sĩ QLKT": the
    two lines of a cell, made one): one part per degree. Not where something is being studied or remarked
    ("TC Luật (đang học ĐH)"), nor at a professional title ("CĐ Dược sĩ": a field, maybe)."""
    toks = tokens(seg, scale.known)
    ws = [t for t, _, _ in toks]
    if HARD in ws or any(_cues()["in_progress"].match(ws, j, fuzzy=False) for j in range(len(ws))):
        return [seg]
    found = _first_level(ws, 0, scale, "prof_level")
    if not found:
        return [seg]
    for k in range(found[2] + 1, len(ws)):  # a field of one word at least between them
        hit = scale.lexicon.match(ws, k, fuzzy=False)
        if hit and scale.ordinal.get(hit[0], 0) > scale.ordinal.get(found[0], 0):
            if _cues()["professions"].match(ws, k, fuzzy=False):
                return [seg]
            return [seg[: toks[k][1]], *_degrees(seg[toks[k][1] :], scale)]
    return [seg]


def _level_after_profession(ws: list[str], k: int, end: int, scale: _Scale) -> tuple[str, int, int] | None:
    """(code, start, end) of the level named right after a professional title at ``ws[k:end]`` ("Cử nhân cao
    đẳng", "Dược sĩ đại học", "Bác sĩ CK I"): that level, not the title's, is the degree held."""
    professions = _cues()["professions"]
    if professions.match(ws, k, fuzzy=False) != (True, end):
        return None
    j = _after_qualifiers(ws, end, scale)
    level = scale.lexicon.match(ws, j, fuzzy=False) if j < len(ws) else None
    if level and professions.match(ws, j, fuzzy=False) != (True, level[1]):
        return level[0], k, level[1]
    return None


# qualifiers only ever written before a level ("Đã BD", "Có bằng"): after one, their letters begin a field of
# study ("Bác sĩ đa khoa", "Kỹ sư cơ khí")
_BEFORE_LEVEL_ONLY = {"da", "co"}


def _after_qualifiers(ws: list[str], k: int, scale: _Scale) -> int:
    """The position of the first word from ``k`` on that is no qualifier of a level written after it."""
    while k < len(ws) and ws[k] not in _BEFORE_LEVEL_ONLY:
        if ws[k] == HARD:
            k += 1
        elif hit := scale.qualifiers.match(ws, k, fuzzy=False):
            k = hit[1]
        else:
            break
    return k


def _field(segment: str, toks: list[tuple[str, int, int]], start: int, end: int, scale: _Scale) -> str | None:
    """The field of study written with a professional level: the words after it (or before it)."""
    words_ = [t for t, _, _ in toks]
    k = _after_qualifiers(words_, end, scale)
    if k < len(toks):
        text = segment[toks[k][1] :]
    elif toks[start][1] > 0:
        text = segment[: toks[start][1]]
    else:
        word = segment[toks[start][1] : toks[start][2]]  # "ĐHSP": the field is the rest of the word
        prefix = next((p for p in _PREFIX_LEVELS if fold(word).startswith(p)), None)
        text = word[len(prefix) :] if prefix and end - start == 1 and len(fold(word)) > len(prefix) + 1 else ""
    text = re.sub(r"\s*\([^)]*\)?|\s*\[[^\]]*\]?", "", text)  # a remark in brackets is not the field
    text = text.strip(" :-–—()[]/.,")
    rest = [t for t, _, _ in tokens(text, scale.known) if t != HARD]
    if rest and _cues()["in_progress"].match(rest, 0, fuzzy=False) == (True, len(rest)):
        return None  # "Đang học ĐH": being studied, no field of study
    if rest and not _unqualified([w for w in rest if not scale.lexicon.match([w], 0, fuzzy=False)], scale):
        return None  # level words again ("KS ĐH", "TCCN", "ĐH TC"): no field of study
    if rest and (again := scale.lexicon.match(rest, 0, fuzzy=False)) and again[1] == len(rest):
        return None  # ... or a level's equivalent ("Tiến sĩ (CK II)")
    return text[:1].upper() + text[1:] if text else None  # "Cử nhân luật" and "CN Luật": one field


# the words around an ethnic-minority language's name ("Chứng chỉ tiếng dân tộc thiểu số (Mông)"), folded
_LANGUAGE_WORDS = frozenset({"chung", "chi", "cc", "tieng", "dan", "toc", "thieu", "so", "dtts"})
# peoples of the country whose language is also a foreign country's ("Tiếng Hoa", "Tiếng Thái", "Tiếng Lào")
_ALSO_FOREIGN = frozenset({"Kinh", "Hoa", "Thái", "Lào", "Khmer"})


def _ethnic_language(part: str) -> bool:
    """Whether a part of a language cell names a language of one of the country's ethnic minorities ("Tiếng
    Mông", "Tiếng dân tộc (Dao)", "Chứng chỉ tiếng DTTS") rather than a foreign one."""
    ws = fold(part).split()
    if "tieng" not in ws and "dtts" not in ws:
        return False
    rest = " ".join(w for w in ws if w not in _LANGUAGE_WORDS)
    if not rest:
        return "dan" in ws or "dtts" in ws
    name, flag = read_ethnicity(rest)
    return flag is None and name not in _ALSO_FOREIGN


# -- ethnicity -------------------------------------------------------------------------------------------
@cache
def _ethnicities() -> dict[str, str]:
    """Every spelling of the 54 groups (the seed ``vn_ethnicities``), folded and without spaces
    ("h mong", "hmong", "h'mông" alike) -> the group's name as the list writes it."""
    out: dict[str, str] = {}
    for row in reference.rows("vn_ethnicities"):
        for spelling in reference.variants(row, "name_vi", "variants_seen"):
            out.setdefault(fold(spelling).replace(" ", ""), row["name_vi"])
    return out


@lru_cache(maxsize=4096)
def read_ethnicity(text: str | None) -> tuple[str | None, str | None]:
    """(the group's name, flag): "H'Mông" and "Hmông" are Mông, "Sán Chỉ" is Sán Chay (of which it is a
    part); "Dân tộc Dao", "Dao (Thanh Phán)" and the subgroups the list names are Dao; "Người Kinh" is Kinh.
    A name not in the list is kept as written (``unmapped``)."""
    clean = normalise(text)
    if not clean:
        return None, None
    known = _ethnicities()
    ws = fold(re.sub(r"\([^)]*\)", " ", clean)).split() or fold(clean).split()  # "Dao (Thanh Phán)"
    for said in (["dan", "toc"], ["dt"], ["nguoi"]):  # "Dân tộc Dao", "DT Tày", "Người Kinh"
        if ws[: len(said)] == said and len(ws) > len(said):
            ws = ws[len(said) :]
    if name := known.get("".join(ws)):
        return name, None
    return clean, "unmapped"


# -- course categories -------------------------------------------------------------------------------------
@cache
def _categories() -> dict[str, str]:
    out = {fold(r["category_code"]): r["category_code"] for r in reference.rows("course_categories")}
    out |= {fold(r["label_vi"]): r["category_code"] for r in reference.rows("course_categories")}
    for code, spelled in (data().get("course_categories") or {}).items():
        out |= {fold(code): code} | {fold(s): code for s in spelled}
    return out


def read_category(text: str | None) -> str | None:
    """A class list's category as its code ("BT_CT", or the label "Bồi dưỡng bí thư, chủ tịch UBND cấp xã");
    None when it names none (the text is then kept as written)."""
    return _categories().get(fold(normalise(text) or "")) if text else None


@cache
def _category_phrases() -> Lexicon:
    # "Các lớp khác" is what no other category is: never read from a class's name ("... và các nội dung khác")
    return Lexicon({tuple(k.split()): code for k, code in _categories().items() if code != "KHAC" and k})


def category_in(name: str | None) -> str | None:
    """The category a class's name says, for a class list without a category column ("Bồi dưỡng nghiệp vụ
    công tác Đoàn thể" is DOAN_THE): the longest phrase of one category in it; None when none, or two."""
    found = _category_phrases().find(list(words(name))) if name else []
    if not found:
        return None
    longest = max(end - start for start, end, _ in found)
    codes = {code for start, end, code in found if end - start == longest}
    return codes.pop() if len(codes) == 1 else None


def marks() -> list[str]:
    """The folded words that tick a cell in a one-column-per-level layout ("x", "có", ...)."""
    return sorted(_cues()["marks"])


def mark_symbols() -> list[str]:
    """The symbols that tick such a cell, as written ("+", "*", "✓", "☒"): no word, so not folded (folded, every
    symbol is the same nothing, "-" and "☐" too)."""
    return sorted({m.strip() for m in data()["levels"]["marks"] if not fold(m)} | set(TICKS))


def unticked() -> list[str]:
    """The folded words a cell of a one-column-per-item layout says "no" with ("Không", "Vắng", "0")."""
    return sorted({" ".join(p) for p in _cues()["none"].entries} | {fold(w) for w in data()["levels"]["absent"]})


# -- headers ----------------------------------------------------------------------------------------------
KINDS = ("hr", "classes", "roster", "survey")
IGNORED = "_ignored"


@cache
def _header_lexicon(kind: str) -> tuple[Lexicon, Lexicon, set[tuple[str, ...]]]:
    """(every phrase, the phrases that may name a column from inside a longer header, whole-only phrases)."""
    h = data()["headers"]
    entries: dict[tuple[str, ...], str] = {}
    for section in ("common", kind):
        for name, spelled in h[section].items():
            for w in _phrases(spelled, name):
                entries.setdefault(w, name)
    for w in _phrases(h["ignored"], IGNORED):
        entries.setdefault(w, IGNORED)
    whole_only = set(_phrases(h["whole_only"], True))
    inner = {w: v for w, v in entries.items() if w not in whole_only and (len(w) > 1 or len(w[0]) >= 4)}
    return Lexicon(entries), Lexicon(inner), whole_only


_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\*")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])\s*(?:[.)]|\s[-–:])\s+", re.IGNORECASE)
# whom a form's question addresses, between the words of a header's phrase ("Số lần đồng chí được cử đi bồi dưỡng",
# "Mức độ cải thiện của anh/chị"), folded
_ADDRESSEE = re.compile(r" (?:dong chi|anh chi|ong ba|quy vi|d c)(?= )")
_FIELD_PART = re.compile(r"[A-ZĐÀ-Ỹ]+(?![a-zà-ỹ])|[A-ZĐÀ-Ỹ]?[a-zà-ỹ0-9]+")


def _field_words(text: str) -> str:
    """A program's field name as words: ``HO_TEN`` -> "HO TEN", ``TrinhDoQLNN`` -> "Trinh Do QLNN" (a database
    export names its columns so; a whole phrase run together, "NgaySinh" or "hoten", the lexicon reads joined,
    a phrase inside one it finds only so); anything else as it is ("ThS" is a degree, "CCCD" one word)."""
    if not text.replace("_", "").isalnum():
        return text
    if "_" in text.strip("_"):
        return text.replace("_", " ").strip()
    parts = _FIELD_PART.findall(text)
    return " ".join(parts) if all(len(p) > 1 for p in parts) else text


def asks(text: str | None) -> bool:
    """A form's question ("Đồng chí đánh giá hiệu quả các lớp bồi dưỡng đã tham gia?"): a question mark, or
    the reader addressed ("đồng chí", "anh/chị")."""
    clean = normalise(text) or ""
    return clean.rstrip(" .:*").endswith("?") or bool(_ADDRESSEE.search(f" {' '.join(words(clean))} "))


@cache
def _header_phrases() -> Lexicon:
    """Every header phrase of every kind: what a cell must touch to name a column of any."""
    return Lexicon({w: True for kind in KINDS for w in _header_lexicon(kind)[0].entries})


# a word cut short by a dot before the next ("H.tên", "N.Ngữ", "Tr.độ CM", "T.Học")
_CUT = re.compile(r"(?<![^\W\d_])([^\W\d_]{1,3})\.\s*(?=([^\W\d_]+))")


@cache
def _words_before() -> dict[str, tuple[set[str], set[str]]]:
    """Each word of the header phrases: (the words before it in a phrase of two, in any phrase), folded."""
    before: dict[str, tuple[set[str], set[str]]] = {}
    for phrase in _header_phrases().entries:
        for first, second in pairwise(phrase):
            pair, anywhere = before.setdefault(second, (set(), set()))
            anywhere.add(first)
            if len(phrase) == 2:
                pair.add(first)
    return before


def _uncut(text: str) -> str:
    """``text`` with each word cut short by a dot written whole, where the header phrases have one word only
    that starts so before the word that follows it (a phrase of those two words first: "T.Học" is "Tin học",
    not the "Tên" of "Tên học viên"); "N.sinh" (ngày, năm or nơi sinh) stays cut."""

    def whole(m: re.Match) -> str:
        cut = fold(m.group(1))
        for among in _words_before().get(fold(m.group(2)), ((), ())):
            found = {w for w in among if w.startswith(cut) and len(w) > len(cut)}
            found -= {w for w in found for longer in found if longer != w and longer.startswith(w)}  # "ng" of "ngoai"
            if found:
                return f"{found.pop()} " if len(found) == 1 else m.group(0)
        return m.group(0)

    return _CUT.sub(whole, text) if "." in text else text


@lru_cache(maxsize=16384)
def _header_words(text: str | None) -> tuple[tuple[str, ...], ...]:
    """The words of a header cell without its bracketed instructions and numbering, then with them; none
    when no phrase of any kind is in either (most cells looked at are a sheet's data: screened out once, not
    kind by kind)."""
    clean = normalise(text)
    if not clean:
        return ()
    clean = _uncut(_field_words(clean))
    bare = _NUMBERING.sub("", _BRACKETS.sub(" ", clean)).strip(" :.-")
    plain = tuple(_ADDRESSEE.sub(" ", f" {' '.join(words(bare))} ").split())  # "Số lần đồng chí được cử đi ..."
    candidates = tuple(dict.fromkeys(ws for ws in (words(bare), words(clean), plain) if ws))
    return candidates if any(_header_phrases().touches(list(ws)) for ws in candidates) else ()


@cache
def _not_now(level: bool = False) -> Lexicon:
    """Words of another time or person; for a level column, without those that say a level is held."""
    held = set(data()["headers"]["not_now_but_levels"]) if level else set()
    return Lexicon(_phrases([w for w in data()["headers"]["not_now"] if w not in held], True))


# columns a list holds of the person itself as of its date: never another time's or another person's
NOW_ONLY = ("full_name", "dob", "citizen_id", "title", "title_unit", "commune", "appointment_date", *LEVELS)


@lru_cache(maxsize=16384)
def header_name(text: str | None, kind: str) -> str | None:
    """The column a header cell names for ``kind`` (``IGNORED`` for a known column the ingest keeps as an
    extra), or None. Line breaks, footnote markers, bracketed instructions, numbering, case and diacritics
    do not matter; a header that contains the phrases of two columns equally names neither. What is of another
    time or another person ("Chức vụ cũ", "Chức danh dự kiến", "Chuyên môn đang học", "Họ tên vợ/chồng") is
    ``IGNORED``."""
    name = _header_name(text, kind)
    # exact words only: one typo from "chức vụ cũ" is "Chức vụ CQ"
    if name in NOW_ONLY and (
        any(
            _not_now(name in LEVELS).match(list(ws), i, fuzzy=False)
            for ws in _header_words(text)
            for i in range(len(ws))
        )
        or not _not_now_marked().isdisjoint(re.findall(r"\w+", (normalise(text) or "").lower()))
    ):
        return IGNORED
    if name == "ethnicity" and (normalise(text) or "").lower().startswith("đ"):
        return IGNORED  # "ĐT" is a phone ("điện thoại"); a people's column is "DT" ("dân tộc")
    return name


@cache
def _not_now_marked() -> frozenset[str]:
    return frozenset(normalise(w).lower() for w in data()["headers"]["not_now_marked"])


def _header_name(text: str | None, kind: str) -> str | None:
    whole, inner, _ = _header_lexicon(kind)
    candidates = _header_words(text)
    # the whole cell a phrase, its bracket too first ("Đảng viên (ngày vào Đảng)" is the day, not the flag)
    for candidate in sorted(candidates, key=len, reverse=True):
        hit = whole.match(list(candidate), 0)
        if hit and hit[1] == len(candidate):
            return hit[0]
    for candidate in candidates:
        ws = list(candidate)
        found = inner.find(ws)
        if found:
            longest = max(end - start for start, end, _ in found)
            names = {name for start, end, name in found if end - start == longest}
            if len(names) == 1:
                return names.pop()
            return None
    return None


def header_part(text: str | None) -> str | None:
    """What a leaf header under a group says: ``male``, ``female``, ``number``, ``probation`` or None."""
    ws = list(words(text))
    for part, spelled in data()["headers"]["parts"].items():
        if tuple(ws) in _phrases(spelled, part):
            return part
    return None


def kind_hints(texts: list[str]) -> dict[str, int]:
    """How many of each kind's title words the rows above the header contain."""
    joined = list(words(" | ".join(t for t in texts if t)))
    return {kind: len(lexicon.find(joined)) for kind, lexicon in _cues()["kinds"].items()}


# -- rows that are not people -----------------------------------------------------------------------------
# A total or subtotal label, folded: "Cộng", "Tổng cộng", "Tổng số", "Tổng: 6 người" (but "Tống Văn A" is a
# person: a bare "tong" must be followed by a number); the breakdown under it ("Trong đó: - Nữ: 02 người",
# "- Đảng viên: 05 đ/c", "- Dân tộc thiểu số: 01"), a count after a word no name begins with.
TOTAL = (
    # "Cộng", "Cộng (1+...+11)", "Cộng xã", "Cộng toàn huyện", "CỘNG I" (but "Cộng Hòa", "Cống Vị" are communes)
    r"^cong(?:$| \d| (?:xa|phuong|thi tran|x|p|tt|huyen|toan|chung|cac|tat ca|can bo|cong chuc|nguoi|so"
    r"|i{1,3}|iv|v|[a-e])(?: |$))"
    r"|^(?:tong cong|tong so|trong do)(?: |$)|^tong(?: \d|$)"
    r"|^(?:nu|nam|dang vien|du bi|dan toc thieu so|dan toc|dtts|ton giao)(?: [a-z]+)* \d+(?: nguoi| d c| dong chi)?$"
)
# "..., ngày ... tháng ... năm ...", and a place's "Quảng Ninh, ngày 22/4/2024" (folded: "quang ninh ngay 22 4 2024")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b|^(?:[a-z]+ ){1,5}ngay \d{1,2} \d{1,2} (?:\d{2}|\d{4})$")


def is_footer(text: str | None) -> bool:
    """A line of the signature block under a table ("NGƯỜI LẬP BIỂU", "KT. CHỦ TỊCH", "..., ngày ... tháng ...")."""
    ws = list(words(text))
    if not ws:
        return False
    if _DATE_LINE.search(" ".join(ws)):
        return True
    found = _cues()["footer"].match(ws, 0, fuzzy=False)
    return found is not None and (found[1] == len(ws) or len(ws[0]) > 2 or ws[0] in ("tm", "kt"))


# a page's number printed into the sheet, where a row's number or name goes, or alone in any column mid-page
# ("Trang 2", "Tờ số 3", "Trang 2/5": matched folded, "trang 2 5"); "- 3 -" as written
PAGE = r"^(?:(?:trang|to|page)\s*(?:so\s*)?\d{1,3}(?:\s*(?:tren\s*)?\d{1,3})?)$"
DASHED_PAGE = r"^\s*[-–]\s*\d{1,3}\s*[-–]\s*$"


def is_page(text: str | None) -> bool:
    return bool(text) and bool(re.match(PAGE, fold(text)) or re.match(DASHED_PAGE, text))


def is_note(text: str | None) -> bool:
    """A note written alone on a row of the table ("Ghi chú: ...", "Lưu ý ...", "(*) Đang học thạc sĩ")."""
    if re.match(r"\s*\(\*+\)", text or ""):
        return True
    ws = list(words(text))
    return bool(ws) and _cues()["notes"].match(ws, 0, fuzzy=False) is not None


@cache
def vacant() -> str:
    """A pattern of the folded name cells that say a post has nobody in it ("Khuyết", "(Chưa bố trí)")."""
    return "^(?:" + "|".join(sorted({" ".join(words(w)) for w in data()["rows"]["vacant"]}, key=len)[::-1]) + ")$"


def is_signer(text: str | None) -> bool:
    """A signer's post written alone in capitals ("GIÁM ĐỐC", "KT. HIỆU TRƯỞNG" is a footer already)."""
    ws = list(words(text))
    hit = _cues()["signers"].match(ws, 0, fuzzy=False) if ws and (text or "").isupper() else None
    return hit is not None and hit[1] == len(ws)


def is_section(text: str | None) -> bool:
    """A section heading inside a table ("A. CÁN BỘ", "Công chức", "Người hoạt động không chuyên trách")."""
    ws = list(words(_NUMBERING.sub("", normalise(text) or "")))
    if not ws:
        return False
    hit = _cues()["sections"].match(ws, 0, fuzzy=False)
    return hit is not None and hit[1] == len(ws)


# -- administrative units ---------------------------------------------------------------------------------
_UNIT_KINDS = (
    ("thanh pho", "thanh pho"),
    ("thi xa", "thi xa"),
    ("huyen", "huyen"),
    ("tp", "thanh pho"),
    ("tx", "thi xa"),
    ("thi tran", "thi tran"),
    ("phuong", "phuong"),
    ("xa", "xa"),
    ("tt", "thi tran"),
    ("t t", "thi tran"),  # "T.T Tiên Yên"
    ("t x", "thi xa"),
    ("t p", "thanh pho"),
    ("dac khu", "dac khu"),
    ("dk", "dac khu"),
    ("ph", "phuong"),  # "Ph. Hà Khánh"
    ("p", "phuong"),
    ("x", "xa"),
    ("h", "huyen"),
)


def split_unit(name: str | None) -> tuple[str | None, str]:
    """(kind, folded name) of a commune or district name: "TT. Đầm Hà" -> ("thi tran", "dam ha")."""
    key = fold(name)
    for prefix, kind in _UNIT_KINDS:
        if key.startswith(prefix + " "):
            return kind, key[len(prefix) + 1 :]
    return None, key


def unit_key(name: str | None) -> str:
    """Folded commune or district name without its kind ("Xã", "Phường", "Thị trấn", "Huyện", ...)."""
    return split_unit(name)[1]


@cache
def communes() -> dict[str, dict[tuple[str | None, str], set[str]]]:
    """district code -> (kind, folded name) and (None, folded name) -> commune codes: the home province's
    of 2020 and January 2025, every other province's before July 2025 (ingest/units.py)."""
    home = reference.project_var("province")["code"]
    out: dict[str, dict[tuple[str | None, str], set[str]]] = {}
    national = (r for r in reference.rows("vn_communes_pre2025_07") if r["province_code"] != home)
    for rows in (reference.rows("qn_communes_2020"), reference.rows("qn_communes_2025_01"), national):
        for row in rows:
            kind, name = split_unit(row["commune_name"])
            scope = out.setdefault(row["district_code"], {})
            scope.setdefault((kind, name), set()).add(row["commune_code"])
            scope.setdefault((None, name), set()).add(row["commune_code"])
            for exact in {_exact(row["commune_name"]), _exact(row["commune_name"], kind=False)}:
                scope.setdefault((EXACT, exact), set()).add(row["commune_code"])
            scope.setdefault((CODE, row["commune_code"]), set()).add(row["commune_code"])
    return out


# The scope of a list made on or after 1 July 2025, when districts were abolished: the home province's new
# communes (``qn_communes_2025_07_new``), each under the province itself. Their GSO codes are those of the
# commune whose seat each kept, so they live in a scope of their own, never mixed with the older units.
REFORMED = "2025-07"
REFORM_DATE = date(2025, 7, 1)


def scope_of(district_code: str | None, batch_key: str | None) -> str | None:
    """The scope a batch's communes were read in, from its ledger row: a list of the July 2025 communes is
    recorded under no district, with a batch key ``hr:2025-07:<unit>:<date>``."""
    return REFORMED if (batch_key or "").startswith(f"hr:{REFORMED}:") else district_code


@cache
def communes_2025() -> dict[tuple[str | None, str], set[str]]:
    """(kind, folded name), (None, folded name) and exact keys -> codes of the home province's July 2025 units."""
    scope: dict[tuple[str | None, str], set[str]] = {}
    for row in reference.rows("qn_communes_2025_07_new"):
        kind, name = split_unit(row["commune_name"])
        for key in {(kind, name), (None, name), (EXACT, _exact(row["commune_name"])), (CODE, row["commune_code"])}:
            scope.setdefault(key, set()).add(row["commune_code"])
    return scope


EXACT = "="  # a key of communes(): the name as written, tones and all ("Xã Đông Thành" is not "Xã Đồng Thành")
CODE = "#"  # a key of communes(): the unit's GSO code ("06973")


def _coded(text: str) -> str | None:
    """The GSO code a unit cell is written as ("06973", a number cell's "6973", "06973 - Xã Thanh Sơn")."""
    m = re.fullmatch(r"\s*(\d{4,5})(?:\.0+)?\s*(?:[-–:.|]\s*\D.*)?", text)
    return m[1].zfill(5) if m else None


def _exact(name: str, kind: bool = True) -> str:
    """The name as written, lower case ("xã đồng thành"), or without its kind ("đồng thành")."""
    text = (normalise(name) or "").lower()
    return text if kind else re.sub(r"^(xã|phường|thị trấn|đặc khu)\s+", "", text)


_DISTRICT_AFTER = re.compile(
    r"\s*(?:\([^)]*\)|[-–/]\s*(?:huyện|h\.|thành phố|tp\b|thị xã|tx\b)).*$"
    + unaccented_too(r"|(?<=\w)\s+(?:huyện|thành\s+phố|thị\s+xã|tp\.?|tx\.?)\s+\w.*$"),  # "Quảng Lâm huyện Đầm Hà"
    re.IGNORECASE,
)


def _commune_text(raw: str) -> str:
    """The commune part of a unit cell: "1. Xã X, huyện Y", "Xã X - TP Y", "Xã X (Cô Tô)" name Xã X."""
    text = str(raw)
    numbered = re.match(r"^\s*(?:[IVXLC]+|\d+)\s*[.)\-|:]\s*", text)
    # "X. Đầm Hà" is the xã Đầm Hà, not the tenth heading (one before a unit's kind is: "X. Xã Đầm Hà")
    ten = numbered and re.fullmatch(r"\s*X\s*[.)\-|:]\s*", numbered[0])
    if numbered and not (ten and split_unit(text[numbered.end() :])[0] is None):
        text = text[numbered.end() :]
    text = text.split(",")[0]
    return _DISTRICT_AFTER.sub("", text) or text


def commune_districts(raw: str | None) -> set[str]:
    """The districts that have a commune of this name as typed (with its kind when given)."""
    if not raw:
        return set()
    text = _commune_text(raw)
    for key in ((CODE, _coded(str(raw))), split_unit(text), (None, fold(text))):
        if key in _merged(None):
            return {commune_district()[code] for code in _merged(None)[key]}
    # a commune named inside a longer text ("UBND xã Thanh Sơn"): every district with a unit of that kind and name
    longest = [known[0] for known in _units_in(text) if known]
    return {commune_district()[c] for key in longest for c in _merged(None).get(key, ())}


@cache
def commune_district() -> dict[str, str]:
    """commune code -> district code."""
    return {c: d for d, scope in communes().items() for codes in scope.values() for c in codes}


@cache
def _unit_names() -> frozenset[str]:
    return frozenset(name for scope in [*communes().values(), communes_2025()] for (_, name) in scope)


@cache
def district_province() -> dict[str, str]:
    """district code -> province code (the home province's districts of 2020 included)."""
    out = {r["district_code"]: reference.project_var("province")["code"] for r in reference.rows("qn_districts_2020")}
    for r in reference.rows("vn_districts_pre2025_07"):
        out.setdefault(r["district_code"], r["province_code"])
    return out


def communes_in_province(codes: set[str], province: str) -> set[str]:
    """The communes of ``codes`` that lie in ``province`` (a namesake of another province is none of them)."""
    return {c for c in codes if district_province().get(commune_district().get(c)) == province}


def map_commune(raw: str | None, district: str | None, province: str | None = None) -> tuple[str | None, str | None]:
    """A commune code from its name as typed: with its kind if given ("Xã Đầm Hà" is not "Thị trấn Đầm Hà"),
    without it only where the name alone is unambiguous in the district (or the province; when neither is
    known, the home province, then the country)."""
    if not raw:
        return None, "missing_commune"
    if not district and province is None:  # no context (a roster's unit): the home province first
        home = reference.project_var("province")["code"]
        code, _ = map_commune(raw, None, home)
        if code:
            return code, None
    text = _commune_text(raw)
    kind, name = split_unit(text)
    scope = communes().get(district, {}) if district else _merged(province)
    if district == REFORMED:
        scope = communes_2025()
    if code := _coded(str(raw)):  # a code says which unit; one of another district is unknown here
        return (code, None) if (CODE, code) in scope else (None, "unknown_commune")
    # the name as written first (one district of Nghệ An has both a Đông Thành and a Đồng Thành); then
    # folded; "Phương Đông" is a bare name that merely starts like a kind ("phường"): try it whole as well
    ambiguous = False
    for key in ((EXACT, _exact(text)), (kind, name), (EXACT, _exact(text, kind=False)), (None, fold(text))):
        found = scope.get(key, ())
        if len(found) == 1:
            return next(iter(found)), None
        ambiguous = ambiguous or len(found) > 1
    if district and (initial := re.fullmatch(r"([a-z]) (\S.*)", name or "")):  # "Q. Lâm", "xã Q.Lâm": the first word
        found = {  # shortened to its letter, in a narrow column: the district's one commune of that name, if one
            c
            for (k, n), codes in scope.items()
            if k in (kind, None) and n.partition(" ")[2] == initial[2] and n[0] == initial[1] and " " in n
            for c in codes
        }
        if len(found) == 1:
            return found.pop(), None
    if not ambiguous and (pair := re.fullmatch(r"(.+?)\s+[-–]\s+(.+)", text)):  # "Đồng Rui - Tiên Yên"
        from ingest import units  # (units reads this module's tables)

        named = units.district_in_cell(pair[2], province)  # the commune, then its district without its kind
        if named and district in (None, named):
            return map_commune(pair[1], named, province)
    # "Đầm Hà" where a Thị trấn Đầm Hà and a Xã Đầm Hà both are: which one the kind must say
    return None, "ambiguous_commune" if ambiguous and district else "unknown_commune"


def _merged(province: str | None) -> dict[tuple[str | None, str], frozenset[str]]:
    """The communes() keys of every district of ``province`` (None: the country) in one index: a roster's
    unit has no district, and a lookup must not walk ~700 districts."""
    return _merged_all().get(province, {})


@lru_cache(maxsize=1)
def _merged_all() -> dict[str | None, dict[tuple[str | None, str], frozenset[str]]]:
    """:func:`_merged` of every province and of the country, made in one walk of the districts."""
    out: dict[str | None, dict[tuple[str | None, str], set[str]]] = {None: {}}
    for district, scope in communes().items():
        province = district_province().get(district)
        for index in (out[None], out.setdefault(province, {})):
            for key, codes in scope.items():
                index.setdefault(key, set()).update(codes)
    return {p: {k: frozenset(v) for k, v in index.items()} for p, index in out.items()}


def commune_elsewhere(raw: str | None, district: str | None) -> str | None:
    """The commune of another district this name names unambiguously in the province (None: no such one)."""
    code, _ = map_commune(raw, None, district_province().get(district))
    return code if code and commune_district().get(code) != district else None


def communes_named(text: str | None, district: str | None) -> set[str]:
    """Communes a line of text names with their kind ("DANH SÁCH CÁN BỘ XÃ ĐỒNG TIẾN")."""
    found: set[str] = set()
    for known in _units_in(text):
        for kind, name in known:  # the longest name first
            code, _ = map_commune(f"{kind} {name}", district)
            if code:
                found.add(code)
                break
    return found


# a kind cut to its letters and a full stop ("UBND x. Quảng Lâm", "TT. Tiên Yên", "VP-TK P. Hà Khẩu"); "TT" alone is
# as often "thường trực", and "P." is as often "Phó": never before a post's word ("P.Chủ tịch UBND xã Hà Lâu" is no
# Phường Chũ)
_POST_WORD = unaccented_too(r"(?:chủ\s*tịch|bí\s*thư|trưởng|chỉ\s*huy|giám|phó|ct|bt|tp)(?!\w)")
_KIND_CUT = re.compile(rf"(?<!\w)(x|tt|p)\.\s*(?=\w)(?!{_POST_WORD})", re.IGNORECASE)
_XA_CUT = re.compile(r"(?<!\w)x\.\s*(?=\w)", re.IGNORECASE)  # ... where a name need not follow: "x." alone


def _units_in(text: str | None) -> list[list[tuple[str, str]]]:
    """For each kind word of a text ("xã", "phường", "thị trấn"), the (kind, folded name) of every known unit
    name that follows it, longest first ("UBND xã Thanh Sơn" -> [[("xa", "thanh son")]])."""
    ws = list(words(_KIND_CUT.sub(lambda m: f"{dict(_UNIT_KINDS)[m[1].lower()]} ", text or "")))
    out = []
    for i, w in enumerate(ws):
        two = " ".join(ws[i : i + 2])
        if w in ("xa", "phuong") or two in ("thi tran", "dac khu"):
            if w == "xa" and i > 0 and ws[i - 1] == "cap":  # "cấp xã": a level of government, not a name
                continue
            kind, start = (two, i + 2) if two in ("thi tran", "dac khu") else (w, i + 1)
            names = [" ".join(ws[start : start + n]) for n in range(4, 0, -1)]
            out.append([(kind, name) for name in names if name and name in _unit_names()])
    return out
