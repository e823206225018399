"""The plan header: organisation, อำเภอ, จังหวัด, the plan period's text, and the มิติ/ภารกิจ
label texts its framework is told by.

Read from the cover and introduction first; the project pages are the fallback
(a document that is only the project section still names its organisation). The period
and labels are handed over as written: :mod:`prongsai.normalize.plan` reads the fiscal
years, plan kind and framework from them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from prongsai.decisions import REJECT, Decider
from prongsai.diagnostics import WarningCode
from prongsai.model import Document, Problem, SourceRef, Table, TextLine
from prongsai.normalize.geo import district_in_province, districts_with_subdistrict
from prongsai.normalize.org import Org, complete_org, find_orgs, normalize_district, normalize_province, parse_org
from prongsai.normalize.thai import squash
from prongsai.normalize.thai_chars import CONSONANTS, THAI_WITH_DIGITS
from prongsai.normalize.years import parse_fiscal_years
from prongsai.parse.vocab import vocab

_COVER_BLOCKS = 25  # blocks before the first คำนำ/สารบัญ count as the cover
_DISTRICT = re.compile(rf"(?:อำเภอ|อ\.)\s*([{THAI_WITH_DIGITS}]+)")
_PROVINCE = re.compile(rf"(?:จังหวัด|จ\.)\s*([{THAI_WITH_DIGITS}]+)")
_SUBDISTRICT = re.compile(rf"(?<![{THAI_WITH_DIGITS}])(?:ตำบล|ต\.)\s*([{THAI_WITH_DIGITS}]+)")  # not the ตำบล of "องค์การบริหารส่วนตำบล"
_FUZZY_TITLE = 85  # an OCR'd plan title on the cover (partial ratio)
_COVER_LINES = 12  # lines read as the cover when the document has no คำนำ/สารบัญ early on


@dataclass
class PlanHeader:
    """The plan header as the parser found it; :func:`prongsai.normalize.plan.plan_fields`
    makes the plan's fiscal years, kind and framework of its texts."""

    org: Org | None = None
    period_text: str | None = None  # the plan title's words that name its period, as written
    dimension_texts: list[str] = field(default_factory=list)  # มิติ headings with a label, as written
    mission_texts: list[tuple[str, str]] = field(default_factory=list)  # (ภารกิจ code, label as written)
    problems: list[Problem] = field(default_factory=list)


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


def _choose_org(lines: list[tuple[int, str, SourceRef]], cover_end: int) -> tuple[Org, str] | None:
    """The organisation named most (the cover counts more), with the text of the
    line where it was first named."""
    votes: defaultdict[tuple[str | None, str | None], float] = defaultdict(float)
    first: dict[tuple[str | None, str | None], tuple[Org, str, int]] = {}
    for i, text, _ in lines:
        for org in find_orgs(text):
            if not org.org_short_name:
                continue
            key: tuple[str | None, str | None] = (org.org_type, org.org_short_name)
            weight = 3.0 if i < cover_end else 1.0
            votes[key] += weight * (1.0 if org.score >= 100 else 0.5)
            cur = first.get(key)
            if cur is None or (org.score, bool(org.district)) > (cur[0].score, bool(cur[0].district)):
                first[key] = (org, text[:120], cur[2] if cur else i)
    if not votes:
        return None
    key = max(votes, key=lambda k: (votes[k], -first[k][2]))
    org, text, _ = first[key]
    return org, text


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


def _org_identity(lines: list[tuple[int, str, SourceRef]], cover_end: int, decider: Decider,
                  problems: list[Problem]) -> Org | None:
    """The plan's organisation, checked against the registries; every fuzzy or
    inferred part is a decision a reviewer can overrule."""
    chosen = _choose_org(lines, cover_end)
    if chosen is None:
        return None
    org, raw = chosen
    override = decider.overrides.get("org_name", raw)
    if override == REJECT:
        return None
    if override:
        org = parse_org(override) or Org(None, override, None, None, None, None, 100.0)
        org = replace(org, score=100.0)
    written_d = org.district or next(iter(_place(lines, cover_end, _DISTRICT)), None)
    written_p = org.province or next(iter(_place(lines, cover_end, _PROVINCE)), None)
    for name, value in (("district", written_d), ("province", written_p)):
        ov = decider.overrides.get(name, value) if value else None
        if ov:
            if name == "district":
                written_d = None if ov == REJECT else ov
            else:
                written_p = None if ov == REJECT else ov
    done = complete_org(replace(org, district=written_d, province=written_p))
    if not override and org.score < 100:
        decider.decide("org_name", raw, done.org_name, org.score, problems, what="organisation")
    # places as written vs the registry spelling
    if written_p and done.province and squash(written_p) != squash(done.province):
        decider.decide("province", written_p, done.province, normalize_province(written_p)[1], problems)
    if written_d and done.district and squash(written_d) != squash(done.district):
        decider.decide("district", written_d, done.district, normalize_district(written_d, done.province)[1], problems)
    if done.district and done.province and not district_in_province(done.district, done.province):
        problems.append(Problem.of(WarningCode.PLACE_MISMATCH,
                                f"district '{done.district}' does not lie in province '{done.province}'",
                                field="district", raw=written_d, chosen=done.district))
    # a district the document does not state: only when the registries leave one choice
    if not written_d:
        district = done.district
        how = "the LAO registry (one organisation of this type and name)"
        if district is None and done.province:
            for sub in _subdistricts(lines):
                cands = districts_with_subdistrict(sub, done.province)
                if len(cands) == 1:
                    district, how = cands[0], f"sub-district '{sub}' (in exactly one district of {done.province})"
                    break
        if district:
            value = decider.decide("district", done.org_name or raw, district, 100.0, problems,
                                   code=WarningCode.INFERRED_VALUE, what=f"district (from {how})")
            done = replace(done, district=value)
            if value and done.org_code is None:
                done = complete_org(done)
    if not written_p and done.province:
        value = decider.decide("province", done.org_name or raw, done.province, 100.0, problems,
                               code=WarningCode.INFERRED_VALUE, what="province (from the LAO registry)")
        done = replace(done, province=value)
    return done


def read_header(doc: Document, dimension_texts: list[tuple[str, SourceRef]], decider: Decider | None = None,
                mission_texts: list[tuple[str, str]] | None = None) -> PlanHeader:
    decider = decider or Decider()
    lines = _lines(doc)
    cover_end = _cover_end(doc)
    hdr = PlanHeader()
    hdr.org = _org_identity(lines, cover_end, decider, hdr.problems)
    hdr.period_text = _period(doc, lines)
    hdr.dimension_texts = [text for text, _ in dimension_texts]
    hdr.mission_texts = list(mission_texts or [])
    return hdr

