"""What the checks work on and what they give: one plan's rows, and a check result.

Tables are passed as lists of dicts (or DataFrames: :func:`rows` turns them into
dicts, with pandas' missing values as None), so the checks need no table library.

>>> rows([{"a": 1}])
[{'a': 1}]
>>> missing(float("nan")), missing(""), missing(0)
(True, True, False)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from prongsai.diagnostics import CheckCode, CheckStatus
from prongsai.schema import BUDGETS, PLANS, PROJECTS, WARNINGS

#: the column names of the rows the checks read (:mod:`prongsai.schema`): ``PR.budget_thb``;
#: a misspelt name fails loudly (AttributeError) instead of reading a silent None
P, PR, B, W = PLANS.c, PROJECTS.c, BUDGETS.c, WARNINGS.c

#: every check, in the order of SPEC's `checks` table (the order CheckCode declares them)
CHECKS: tuple[CheckCode, ...] = tuple(CheckCode)
STATUSES: tuple[str, ...] = tuple(s.value for s in CheckStatus)


def missing(value: Any) -> bool:
    """True for None, NaN, pandas NA and empty text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # pandas NA raises on bool(); NaN-likes compare unequal
    except TypeError:
        return True


def rows(table: Any) -> list[dict[str, Any]]:
    """A table as a list of dicts; a DataFrame's missing values become None."""
    if table is None:
        return []
    if hasattr(table, "to_dict"):
        records = table.to_dict("records")
        return [{k: (None if missing(v) and not isinstance(v, str) else v) for k, v in r.items()} for r in records]
    return list(table)


@dataclass(frozen=True)
class Result:
    """The outcome of one check on one plan.

    ``detail`` is Thai and English; ``source_ref`` and ``project_id`` point at the first
    offending place. ``new_evidence`` is False when a failure only repeats warnings rows
    already written (the parser's), so no second warning is added.
    """

    check: str  # a CheckCode, kept as its plain value
    status: str  # a CheckStatus, kept as its plain value
    detail: str | None = None
    source_ref: str | None = None
    project_id: str | None = None
    new_evidence: bool = True

    def __post_init__(self) -> None:
        # members are kept as their plain values (rows, pickles, JSON), as Problem does
        object.__setattr__(self, "check", str(CheckCode(self.check)))
        object.__setattr__(self, "status", str(CheckStatus(self.status)))


def no_projects(check: CheckCode) -> Result:
    """``not_applicable``: the plan has no project to check."""
    return Result(check, CheckStatus.not_applicable, th_en("แผนไม่มีโครงการ", "the plan has no project"))


def th_en(th: str, en: str) -> str:
    """A detail in both languages.

    >>> th_en("ผ่าน", "passed")
    'ผ่าน / passed'
    """
    return f"{th} / {en}"


@dataclass
class Plan:
    """One plan's rows of every table (projects in ``seq`` order)."""

    plan: dict[str, Any]
    projects: list[dict[str, Any]] = field(default_factory=list)
    budgets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by project_id
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def plan_id(self) -> str:
        return str(self.plan[P.plan_id])

    def get(self, column: str) -> Any:
        value = self.plan.get(column)
        return None if missing(value) else value

    def warnings_of(self, code: str) -> list[dict[str, Any]]:
        return [w for w in self.warnings if w.get(W.code) == code]


def group_plans(plans: Iterable[dict[str, Any]], projects: Iterable[dict[str, Any]],
                budgets: Iterable[dict[str, Any]], warnings: Iterable[dict[str, Any]]) -> list[Plan]:
    """Every plan with its own rows, in the order of ``plans``."""
    by_plan = {str(p[P.plan_id]): Plan(p) for p in plans}
    project_plan: dict[str, str] = {}
    for pr in projects:
        pl = by_plan.get(str(pr.get(PR.plan_id)))
        if pl is not None:
            pl.projects.append(pr)
            project_plan[str(pr[PR.project_id])] = pl.plan_id
    for pl in by_plan.values():
        pl.projects.sort(key=lambda r: (r.get(PR.seq) or 0))
    per_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in budgets:
        per_project[str(b.get(B.project_id))].append(b)
    for pid, bs in per_project.items():
        plan_id = project_plan.get(pid)
        if plan_id is not None:
            by_plan[plan_id].budgets[pid] = sorted(bs, key=lambda r: r.get(B.fiscal_year) or 0)
    for w in warnings:
        pl = by_plan.get(str(w.get(W.plan_id)))
        if pl is not None:
            pl.warnings.append(w)
    return list(by_plan.values())
