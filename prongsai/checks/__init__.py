"""Audit checks: the ``checks`` table of SPEC, one row per plan and check.

Pure functions over the tables (lists of dicts or DataFrames) plus the reference data
in ``prongsai/data`` (DLA registry, NACC taxonomies, ``checks.yaml``)::

    rows = run_checks(plans, projects, budgets, warnings)       # the checks table
    tables = apply_checks(tables)      # + checks, failed checks as warnings, n_warnings

Per-plan checks live in :mod:`prongsai.checks.plan_checks`, OTHER_ORG_NAMED in
:mod:`prongsai.checks.other_org`, the batch-level COPIED_PLAN in
:mod:`prongsai.checks.copied`.
"""

from __future__ import annotations

from typing import Any

from prongsai.checks.copied import DEFAULT_COPY, CopySettings, copied_plans
from prongsai.checks.model import CHECKS, STATUSES, P, Plan, Result, W, group_plans, rows
from prongsai.checks.other_org import other_org_named
from prongsai.checks.plan_checks import PLAN_CHECKS
from prongsai.diagnostics import CheckCode, CheckStatus

__all__ = ["CHECKS", "STATUSES", "CopySettings", "Plan", "Result", "apply_checks", "check_plans", "run_checks"]


def check_plans(plans: list[Plan], copy_settings: CopySettings = DEFAULT_COPY) -> list[tuple[Plan, Result]]:
    """Every check of every plan, in plan order then SPEC's check order."""
    copied = copied_plans(plans, copy_settings)
    out = []
    for pl in plans:
        for check in CHECKS:
            if check == CheckCode.COPIED_PLAN:
                res = copied[pl.plan_id]
            elif check == CheckCode.OTHER_ORG_NAMED:
                res = other_org_named(pl)
            else:
                res = PLAN_CHECKS[check](pl)
            out.append((pl, res))
    return out


def _row(pl: Plan, r: Result) -> dict[str, Any]:
    return {"plan_id": pl.plan_id, "check": r.check, "status": r.status, "detail": r.detail,
            "source_ref": r.source_ref}


def run_checks(plans: Any, projects: Any, budgets: Any, warnings: Any,
               copy_settings: CopySettings = DEFAULT_COPY) -> list[dict[str, Any]]:
    """The ``checks`` table (columns plan_id, check, status, detail, source_ref)."""
    grouped = group_plans(rows(plans), rows(projects), rows(budgets), rows(warnings))
    return [_row(pl, r) for pl, r in check_plans(grouped, copy_settings)]


def apply_checks(tables: dict[str, list[dict[str, Any]]],
                 copy_settings: CopySettings = DEFAULT_COPY) -> dict[str, list[dict[str, Any]]]:
    """``tables`` with the ``checks`` table added, a ``warning`` row for every failed check
    (unless the failure only repeats warnings rows already there, e.g. the parser's
    TOTAL_MISMATCH) and ``plans.n_warnings`` counted again. Returns a new dict; the
    plans rows are updated in place."""
    grouped = group_plans(tables.get("plans", []), tables.get("projects", []), tables.get("budgets", []),
                          tables.get("warnings", []))
    results = check_plans(grouped, copy_settings)
    added: list[dict[str, Any]] = []
    for pl, r in results:
        if r.status == CheckStatus.fail and r.new_evidence:
            added.append({"plan_id": pl.plan_id, "project_id": r.project_id, "code": r.check, "severity": "warning",
                          "message": r.detail, "source_ref": r.source_ref})
    out = dict(tables)
    out["checks"] = [_row(pl, r) for pl, r in results]
    out["warnings"] = list(tables.get("warnings", [])) + added
    counts: dict[str, int] = {}
    for w in out["warnings"]:
        counts[str(w.get(W.plan_id))] = counts.get(str(w.get(W.plan_id)), 0) + 1
    for p in out.get("plans", []):
        p[P.n_warnings] = counts.get(str(p[P.plan_id]), 0)
    return out
