"""From the parsed plan header (text as written) to the plan's SPEC values: its
organisation (:mod:`prongsai.normalize.plan_org`), fiscal years, plan kind and NACC
framework; and the number a มิติ heading was written with.

:func:`plan_fields` is what :func:`prongsai.parse.parse_plan` writes into the plan row and
what :func:`prongsai.normalize.project.build_project` reads the plan's context from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prongsai.decisions import Decider
from prongsai.model import Problem
from prongsai.normalize.labels import label_score, match_dimension, mission_label
from prongsai.normalize.org import Org
from prongsai.normalize.plan_org import plan_org
from prongsai.normalize.years import parse_fiscal_years

if TYPE_CHECKING:  # types only: prongsai.parse imports this module
    from prongsai.parse.header import PlanHeader

__all__ = ["PlanFields", "dimension_number", "framework_of", "plan_fields"]

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class PlanFields:
    """The plan-level SPEC values a plan's projects are normalised against."""

    fy_start: int | None = None
    fy_end: int | None = None
    plan_kind: str | None = None  # annual | multi_year
    framework: str | None = None  # 2561 | 2566
    org: Org | None = None
    problems: list[Problem] = field(default_factory=list)  # the organisation's decisions


def dimension_number(text: str | None) -> int | None:
    """The มิติ number a heading or a table cell wrote (``"2"``, ``"๒"``), else None.

    >>> dimension_number("2"), dimension_number(" ๓ "), dimension_number(None), dimension_number("2.1")
    (2, 3, None, None)
    """
    if text is None:
        return None
    s = text.strip().translate(_THAI_DIGITS)
    return int(s) if s.isascii() and s.isdigit() else None


def framework_of(dimension_texts: Iterable[str], mission_texts: Iterable[tuple[str, str]]) -> str | None:
    """The NACC framework whose labels the document's มิติ labels match best; when the
    dimension labels do not tell (dimension 3 reads the same in both), the mission
    headings' labels decide.

    >>> framework_of(["มิติที่ 1 การสร้างวัฒนธรรมสุจริต"], [])
    '2566'
    >>> framework_of([], [("2.2.1", "สร้างความโปร่งใสในการบริหารงานบุคคลให้เป็นไปตามหลักคุณธรรม")])
    '2561'
    >>> framework_of([], []) is None
    True
    """
    score: defaultdict[str, float] = defaultdict(float)
    for text in dimension_texts:
        m = match_dimension(text)
        if m is not None and m.framework:
            score[m.framework] += m.score
    if score:
        return max(score, key=score.__getitem__)  # the first of the best, as Counter.most_common(1)
    for code, label in mission_texts:
        per_fw = {fw: label_score(label, canon) for fw in ("2561", "2566") if (canon := mission_label(code, fw))}
        if not per_fw:
            continue
        best = max(per_fw, key=lambda fw: per_fw[fw])
        others = [v for fw, v in per_fw.items() if fw != best]
        if per_fw[best] >= 80 and all(per_fw[best] - v >= 10 for v in others):
            score[best] += per_fw[best]
    return max(score, key=score.__getitem__) if score else None


def period_fields(period_text: str | None) -> tuple[int | None, int | None, str | None]:
    """``(fy_start, fy_end, plan_kind)`` of the plan title's period text.

    >>> period_fields("แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)")
    (2561, 2564, 'multi_year')
    >>> period_fields("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"), period_fields(None)
    ((2567, 2567, 'annual'), (None, None, None))
    """
    fy = parse_fiscal_years(period_text) if period_text else None
    if not fy:
        return None, None, None
    return fy[0], fy[1], "annual" if fy[0] == fy[1] else "multi_year"


def plan_fields(header: PlanHeader, decider: Decider | None = None) -> PlanFields:
    """The plan's values from its parsed header; ``decider`` holds a reviewer's decisions
    (:mod:`prongsai.decisions`)."""
    problems: list[Problem] = []
    org = plan_org(header, decider or Decider(), problems)
    fy_start, fy_end, kind = period_fields(header.period_text)
    return PlanFields(fy_start, fy_end, kind, framework_of(header.dimension_texts, header.mission_texts),
                      org, problems)
