"""The plan header as written: the line naming the organisation, the อำเภอ, จังหวัด and
ตำบล names, the plan period's text, and the มิติ/ภารกิจ label texts its framework is told by.

Read from the cover and introduction first; the project pages are the fallback
(a document that is only the project section still names its organisation). Everything
is handed over as written: :mod:`prongsai.normalize.plan` reads the fiscal years, plan kind
and framework from it, :mod:`prongsai.normalize.plan_org` the organisation (registries,
reviewer decisions).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from prongsai.model import Document, SourceRef, Table, TextLine
from prongsai.normalize.clean import squash
from prongsai.normalize.geo import DISTRICT_MARKERS, PROVINCE_MARKERS, SUBDISTRICT_MARKERS
from prongsai.normalize.org import Org, find_orgs
from prongsai.normalize.thai_chars import CONSONANTS, THAI_WITH_DIGITS
from prongsai.normalize.years import parse_fiscal_years
from prongsai.parse.vocab import vocab

_COVER_BLOCKS = 25  # blocks before the first คำนำ/สารบัญ count as the cover
_DISTRICT = re.compile(rf"(?:{DISTRICT_MARKERS})\s*([{THAI_WITH_DIGITS}]+)")
_PROVINCE = re.compile(rf"(?:{PROVINCE_MARKERS})\s*([{THAI_WITH_DIGITS}]+)")
_SUBDISTRICT = re.compile(rf"(?<![{THAI_WITH_DIGITS}])(?:{SUBDISTRICT_MARKERS})\s*([{THAI_WITH_DIGITS}]+)")  # not the ตำบล of "องค์การบริหารส่วนตำบล"
_FUZZY_TITLE = 85  # an OCR'd plan title on the cover (partial ratio)
_COVER_LINES = 12  # lines read as the cover when the document has no คำนำ/สารบัญ early on


@dataclass
class PlanHeader:
    """The plan header as the parser found it, as written: every value is text (the
    contract ``tests/test_parse_contract.py`` checks). :mod:`prongsai.normalize.plan` makes
    the plan's fiscal years, kind and framework of it, :mod:`prongsai.normalize.plan_org`
    its organisation."""

    org_line: str | None = None  # the line that names the plan's organisation best, as written
    org_index: int = 0  # which of the organisations named in that line (find_orgs order)
    district_texts: list[str] = field(default_factory=list)  # อำเภอ names written, the most named first
    province_texts: list[str] = field(default_factory=list)  # จังหวัด names written, the most named first
    subdistrict_texts: list[str] = field(default_factory=list)  # ตำบล names written, the most named first
    period_text: str | None = None  # the plan title's words that name its period, as written
    dimension_texts: list[str] = field(default_factory=list)  # มิติ headings with a label, as written
    mission_texts: list[tuple[str, str]] = field(default_factory=list)  # (ภารกิจ code, label as written)


def _words(name: str) -> tuple[str, ...]:
    """Header words of ``plan_vocab.yaml`` (``header``: plan_title, other_plan, front_matter)."""
    return tuple(vocab()["header"][name])

def _lines(doc: Document) -> list[tuple[int, str, SourceRef]]:
    out: list[tuple[int, str, SourceRef]] = []
    for i, b in enumerate(doc.blocks):
        if isinstance(b, TextLine):
            out.append((i, b.text, b.ref))
        elif isinstance(b, Table):
            for r, row in enumerate(b.rows):
                out.append((i, " ".join(c.replace("\n", " ") for c in row), b.row_refs[r]))
    return out


def _cover_end(doc: Document) -> int:
    for i, b in enumerate(doc.blocks[:_COVER_BLOCKS]):
        if isinstance(b, TextLine) and squash(b.text) in _words("front_matter"):
            return i
    return min(len(doc.blocks), 8)


def _choose_org(lines: list[tuple[int, str, SourceRef]], cover_end: int) -> tuple[str, int] | None:
    """The organisation named most (the cover counts more): the line where it was
    named best, and which of the organisations named in that line it is (the order of
    :func:`~prongsai.normalize.org.find_orgs`, the normaliser that decides what a line names)."""
    votes: defaultdict[tuple[str | None, str | None], float] = defaultdict(float)
    first: dict[tuple[str | None, str | None], tuple[Org, str, int, int]] = {}
    for i, text, _ in lines:
        for n, org in enumerate(find_orgs(text)):
            if not org.org_short_name:
                continue
            key: tuple[str | None, str | None] = (org.org_type, org.org_short_name)
            weight = 3.0 if i < cover_end else 1.0
            votes[key] += weight * (1.0 if org.score >= 100 else 0.5)
            cur = first.get(key)
            if cur is None or (org.score, bool(org.district)) > (cur[0].score, bool(cur[0].district)):
                first[key] = (org, text, n, cur[3] if cur else i)
    if not votes:
        return None
    key = max(votes, key=lambda k: (votes[k], -first[k][3]))
    _, text, n, _ = first[key]
    return text, n


def _place(lines: list[tuple[int, str, SourceRef]], cover_end: int, pattern: re.Pattern[str]) -> list[str]:
    votes: Counter[str] = Counter()
    for i, text, _ in lines:
        for m in pattern.finditer(text):
            votes[m.group(1)] += 3 if i < cover_end else 1
    return [k for k, _ in votes.most_common()]


def _junk(text: str) -> bool:
    """A line OCR made of a logo, a rule or specks: hardly a letter or digit in it."""
    return len(re.findall(f"[{CONSONANTS}0-9]", text)) < 3


def _plan_title(s: str, fuzzy: bool) -> bool:
    """Whether a squashed line names the plan (``แผนปฏิบัติการ…``); ``fuzzy`` also takes an
    OCR'd title (``แผนปฎิบัติกาว``)."""
    words = _words("plan_title")
    if any(w in s for w in words):
        return True
    return fuzzy and len(s) >= 8 and any(fuzz.partial_ratio(w, s) >= _FUZZY_TITLE for w in words)


def _period(doc: Document, lines: list[tuple[int, str, SourceRef]]) -> str | None:
    """The words of the plan's own title line (and the lines right after it) that name
    the plan period: the first of them in which a fiscal year can be read.

    A title found as written wins; else, on the cover, one OCR misread (fuzzy), where the
    period may follow a few lines down with specks of a logo in between.
    """
    n = len(lines)
    cover = next((k for k, (i, _, _) in enumerate(lines) if i >= _cover_end(doc)), n)
    for fuzzy, todo, after in ((False, range(n), 2), (True, range(min(n, max(cover, _COVER_LINES))), 4)):
        for idx in todo:
            s = squash(lines[idx][1])
            if not _plan_title(s, fuzzy) or any(w in s for w in _words("other_plan")):
                continue
            if len(s) > 160:
                continue  # a sentence of prose, not a title
            nxt = [lines[j][1] for j in range(idx + 1, min(n, idx + 1 + 2 * after)) if not (fuzzy and _junk(lines[j][1]))]
            window = [lines[idx][1]] + [t for t in nxt[:after] if len(squash(t)) < 60]
            for k in range(1, len(window) + 1):
                text = " ".join(window[:k])
                if parse_fiscal_years(text):  # a normaliser decides where the period text ends
                    return text
    return None


def _subdistricts(lines: list[tuple[int, str, SourceRef]]) -> list[str]:
    votes: Counter[str] = Counter()
    for _, text, _ in lines:
        for m in _SUBDISTRICT.finditer(text):
            votes[m.group(1)] += 1
    return [k for k, _ in votes.most_common()]


def read_header(doc: Document, dimension_texts: list[tuple[str, SourceRef]],
                mission_texts: list[tuple[str, str]] | None = None) -> PlanHeader:
    """The header texts of a cleaned document; ``dimension_texts`` and ``mission_texts``
    are the มิติ/ภารกิจ labels the walk saw (:class:`~prongsai.parse.structure.Structure`)."""
    lines = _lines(doc)
    cover_end = _cover_end(doc)
    hdr = PlanHeader()
    chosen = _choose_org(lines, cover_end)
    if chosen is not None:
        hdr.org_line, hdr.org_index = chosen
    hdr.district_texts = _place(lines, cover_end, _DISTRICT)
    hdr.province_texts = _place(lines, cover_end, _PROVINCE)
    hdr.subdistrict_texts = _subdistricts(lines)
    hdr.period_text = _period(doc, lines)
    hdr.dimension_texts = [text for text, _ in dimension_texts]
    hdr.mission_texts = list(mission_texts or [])
    return hdr
