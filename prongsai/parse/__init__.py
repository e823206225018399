"""Plan parsing: a cleaned :class:`~prongsai.model.Document` -> the SPEC rows of one plan."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from prongsai.decisions import Decider, Overrides
from prongsai.diagnostics import WarningCode, plan_status
from prongsai.model import Document, Problem
from prongsai.normalize.plan import plan_fields
from prongsai.normalize.project import build_project
from prongsai.parse.header import read_header
from prongsai.parse.merge import merge_records
from prongsai.parse.structure import walk


@dataclass
class PlanResult:
    plan: dict[str, Any]
    projects: list[dict[str, Any]] = field(default_factory=list)
    budgets: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _warning(plan_id: str, p: Problem, project_id: str | None = None) -> dict[str, Any]:
    return {"plan_id": plan_id, "project_id": project_id, "code": str(p.code), "severity": p.severity,
            "message": p.message, "source_ref": str(p.ref) if p.ref else None,
            "field": p.field, "raw_value": p.raw, "chosen_value": p.chosen, "score": p.score}


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One warning per distinct (code, message); the first place it was seen."""
    seen: dict[tuple[str, str], int] = {}
    out: list[Problem] = []
    counts: list[int] = []
    for p in problems:
        k = (p.code, p.message)
        if k in seen:
            counts[seen[k]] += 1
            continue
        seen[k] = len(out)
        out.append(p)
        counts.append(1)
    return [replace(p, message=p.message + (f" ({n} times)" if n > 1 else ""))
            for p, n in zip(out, counts, strict=True)]


def parse_plan(doc: Document, plan_id: str, base: dict[str, Any], overrides: Overrides | None = None) -> PlanResult:
    """Parse a cleaned document into the plan row, its projects, budgets and warnings.

    ``base`` holds the plan columns known before parsing (source_path, format, ...);
    ``overrides`` are a reviewer's decisions (see :mod:`prongsai.decisions`).
    """
    decider = Decider(overrides or Overrides())
    structure = walk(doc, decider)
    header = read_header(doc, structure.dimension_texts, structure.mission_texts)
    fields = plan_fields(header, decider)  # the parser's texts -> the plan's values
    org = fields.org
    plan: dict[str, Any] = dict(base)
    plan.update(
        org_type=org.org_type if org else None,
        org_name=org.org_name if org else None,
        org_short_name=org.org_short_name if org else None,
        district=org.district if org else None,
        province=org.province if org else None,
        org_code=org.org_code if org else None,
        plan_kind=fields.plan_kind,
        fy_start=fields.fy_start,
        fy_end=fields.fy_end,
        framework=fields.framework,
    )
    result = PlanResult(plan)
    plan_problems = list(doc.problems) + structure.problems + fields.problems
    total = 0.0
    any_budget = False
    for seq, group in enumerate(merge_records(structure.records), start=1):
        row = build_project(group, fields, decider)
        project_id = f"{plan_id}-{seq:03d}"
        values = row.values
        by_year = values.pop("_budget_by_year")
        result.projects.append({"project_id": project_id, "plan_id": plan_id, "seq": seq, **values})
        for year in sorted(by_year):
            result.budgets.append({"project_id": project_id, "fiscal_year": year, "amount_thb": by_year[year]})
        if values["budget_thb"] is not None:
            total += values["budget_thb"]
            any_budget = True
        result.warnings.extend(_warning(plan_id, p, project_id) for p in _dedupe(row.problems))
    if org is None:
        plan_problems.append(Problem.of(WarningCode.MISSING_ORG, "no organisation name found in the document"))
    if not result.projects:
        plan_problems.append(Problem.of(WarningCode.NO_PROJECTS, "no project, activity or measure found in the document"))
    result.warnings[:0] = [_warning(plan_id, p) for p in _dedupe(plan_problems)]
    plan["n_projects"] = len(result.projects)
    plan["budget_total_thb"] = total if any_budget else None
    plan["status"] = plan_status(p.code for p in doc.problems)
    plan["n_warnings"] = len(result.warnings)
    return result
