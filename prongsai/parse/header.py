"""The plan header: organisation, อำเภอ, จังหวัด, plan period and kind, framework.

Read from the cover and introduction first; the project pages are the fallback
(a document that is only the project section still names its organisation).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from prongsai.model import Document, Problem, SourceRef, Table, TextLine
from prongsai.normalize.labels import match_dimension
from prongsai.normalize.org import Org, complete_org, find_orgs
from prongsai.normalize.thai import squash
from prongsai.normalize.years import parse_fiscal_years

_COVER_BLOCKS = 25  # blocks before the first คำนำ/สารบัญ count as the cover
_PLAN_WORDS = ("แผนปฏิบัติการ", "แผนป้องกัน")
_NOT_PLAN_PERIOD = ("ยุทธศาสตร์ชาติ", "แผนแม่บท", "แผนพัฒนา", "แผนยุทธศาสตร์", "ระยะที่")
_DISTRICT = re.compile(r"(?:อำเภอ|อ\.)\s*([ก-๙]+)")
_PROVINCE = re.compile(r"(?:จังหวัด|จ\.)\s*([ก-๙]+)")
_FOUR_YEARS = ("สี่ปี", "4ปี", "สามปี", "3ปี", "ห้าปี", "5ปี")


@dataclass
class PlanHeader:
    org: Org | None = None
    fy_start: int | None = None
    fy_end: int | None = None
    plan_kind: str | None = None
    framework: str | None = None
    problems: list[Problem] = field(default_factory=list)


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
        if isinstance(b, TextLine) and squash(b.text) in ("คำนำ", "สารบัญ"):
            return i
    return min(len(doc.blocks), 8)


def _choose_org(lines: list[tuple[int, str, SourceRef]], cover_end: int) -> Org | None:
    votes: Counter[tuple[str | None, str | None]] = Counter()
    first: dict[tuple[str | None, str | None], Org] = {}
    for i, text, _ in lines:
        for org in find_orgs(text):
            if not org.org_short_name:
                continue
            key = (org.org_type, org.org_short_name)
            weight = 3.0 if i < cover_end else 1.0
            votes[key] += weight * (1.0 if org.score >= 100 else 0.5)
            cur = first.get(key)
            if cur is None or (org.district and not cur.district):
                first[key] = org
    if not votes:
        return None
    key = max(votes, key=lambda k: (votes[k], -min(i for i, t, _ in lines if k[1] and k[1] in t) if k[1] else 0))
    return first[key]


def _place(lines: list[tuple[int, str, SourceRef]], cover_end: int, pattern: re.Pattern[str]) -> list[str]:
    votes: Counter[str] = Counter()
    for i, text, _ in lines:
        for m in pattern.finditer(text):
            votes[m.group(1)] += 3 if i < cover_end else 1
    return [k for k, _ in votes.most_common()]


def _period(doc: Document, lines: list[tuple[int, str, SourceRef]]) -> tuple[int, int] | None:
    """The plan period from the plan's own title line (and the lines right after it)."""
    n = len(lines)
    for idx, (_, text, _) in enumerate(lines):
        s = squash(text)
        if not any(w in s for w in _PLAN_WORDS) or any(w in s for w in _NOT_PLAN_PERIOD):
            continue
        if len(s) > 160:
            continue  # a sentence of prose, not a title
        window = [text] + [lines[j][1] for j in range(idx + 1, min(n, idx + 3)) if len(squash(lines[j][1])) < 60]
        for k in range(1, len(window) + 1):
            fy = parse_fiscal_years(" ".join(window[:k]))
            if fy:
                return fy
    return None


def read_header(doc: Document, dimension_texts: list[tuple[str, SourceRef]]) -> PlanHeader:
    lines = _lines(doc)
    cover_end = _cover_end(doc)
    hdr = PlanHeader()
    org = _choose_org(lines, cover_end)
    if org is not None:
        districts = _place(lines, cover_end, _DISTRICT)
        provinces = _place(lines, cover_end, _PROVINCE)
        org = complete_org(
            Org(org.org_type, org.org_name, org.org_short_name,
                org.district or (districts[0] if districts else None),
                org.province or (provinces[0] if provinces else None), None, org.score)
        )
        hdr.org = org
        if org.score < 100:
            hdr.problems.append(Problem("FUZZY_LABEL", "info",
                                        f"organisation name matched fuzzily to '{org.org_name}' (score {org.score:.0f})"))
    fy = _period(doc, lines)
    if fy:
        hdr.fy_start, hdr.fy_end = fy
        hdr.plan_kind = "annual" if fy[0] == fy[1] else "multi_year"
    hdr.framework = _framework(dimension_texts, hdr.problems)
    return hdr


def _framework(dimension_texts: list[tuple[str, SourceRef]], problems: list[Problem]) -> str | None:
    score: Counter[str] = Counter()
    for text, _ in dimension_texts:
        m = match_dimension(text)
        if m is not None and m.framework:
            score[m.framework] += m.score
    if not score:
        return None
    return score.most_common(1)[0][0]
