"""The report's data, from the tables of an output folder alone.

:func:`load_tables` reads ``OUT_DIR/<table>.parquet`` (else ``.csv``); a folder written
before the checks existed gets them computed here. :func:`overview` and
:func:`plan_details` shape the rows the page and the workbook show.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prongsai.schema import BUDGETS, CHECKS, PLANS, PROJECTS, WARNINGS

if TYPE_CHECKING:
    import pandas as pd

TABLE_NAMES = (PLANS.name, PROJECTS.name, BUDGETS.name, WARNINGS.name, CHECKS.name)
#: the column names the report reads (:mod:`prongsai.schema`; a misspelt one fails loudly)
P, PR, B, W, CK = PLANS.c, PROJECTS.c, BUDGETS.c, WARNINGS.c, CHECKS.c

#: the columns of a plan's project list in the page, in order
PROJECT_COLUMNS = PROJECTS.pick("seq", "dimension", "mission_code", "title", "kind", "fy_start", "fy_end", "budget_thb",
                                "budget_status", "responsible_unit", "layout", "source_ref", "project_id")
PLAN_COLUMNS = PLANS.pick("plan_id", "org_name", "org_type", "district", "province", "plan_kind", "fy_start", "fy_end",
                          "framework", "n_projects", "budget_total_thb", "status", "n_warnings", "source_path",
                          "source_format", "n_pages", "text_source", "org_code")
CHECK_COLUMNS = CHECKS.pick("check", "status", "detail", "source_ref")
WARNING_COLUMNS = WARNINGS.pick("code", "severity", "message", "source_ref", "project_id")


class ReportError(Exception):
    """The output folder cannot be reported on; the message says what to do."""


def _read(out_dir: Path, name: str) -> pd.DataFrame | None:
    import pandas as pd

    pq, csv = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
    if pq.is_file():
        return pd.read_parquet(pq)
    if csv.is_file():
        return pd.read_csv(csv, encoding="utf-8-sig", dtype={P.plan_id: str, PR.project_id: str, P.org_code: str})
    return None


def load_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The tables of ``out_dir``; the ``checks`` table is computed when it is missing."""

    from prongsai.output import SCHEMA, frame

    if not out_dir.is_dir():
        raise ReportError(f"{out_dir} is not a folder; run 'prongsai run INPUT --out {out_dir}' first")
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        df = _read(out_dir, name)
        if df is None and name != "checks":
            raise ReportError(f"{out_dir}/{name}.parquet (or .csv) not found; run 'prongsai run INPUT --out {out_dir}' "
                              "to write the tables")
        if df is not None:
            tables[name] = df.reindex(columns=list(SCHEMA[name])).astype(SCHEMA[name]) if name in SCHEMA else df
    if "checks" not in tables:
        from prongsai.checks import run_checks

        rows = run_checks(tables["plans"], tables["projects"], tables["budgets"], tables["warnings"])
        tables["checks"] = frame("checks", rows)
    return tables


def plain(value: Any) -> Any:
    """A cell as JSON: missing values None, numpy numbers as Python numbers.

    >>> plain(float("nan")), plain(3.0), plain(2.5)
    (None, 3, 2.5)
    """
    if value is None:
        return None
    try:
        if value != value:  # NaN, NA
            return None
    except TypeError:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value


def records(df: pd.DataFrame, columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    cols = [c for c in (columns or tuple(df.columns)) if c in df.columns]
    return [{c: plain(v) for c, v in zip(cols, row, strict=True)} for row in df[cols].itertuples(index=False)]


def _counts(series: pd.Series, field: str) -> list[dict[str, Any]]:
    vc = series.fillna("(ไม่ทราบ / unknown)").astype(str).value_counts()
    return [{field: k, "n": int(v)} for k, v in sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))]


def _dimension_label(value: Any) -> str:
    v = plain(value)
    return f"มิติ {v}" if v is not None else "(ไม่ระบุ / none)"


def budget_rows(projects: pd.DataFrame, budgets: pd.DataFrame) -> pd.DataFrame:
    """Budgets with their plan and dimension (one row per project and fiscal year)."""
    merged = budgets.merge(projects[[PR.project_id, PR.plan_id, PR.dimension]], on=B.project_id, how="left")
    merged[PR.dimension] = merged[PR.dimension].map(_dimension_label)
    return merged


def overview(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The batch overview: counts for the charts and the totals."""
    plans, checks, warnings = t["plans"], t["checks"], t["warnings"]
    failed = checks[checks[CK.status] == "fail"]
    by = budget_rows(t["projects"], t["budgets"])
    budget = (by.groupby([B.fiscal_year, PR.dimension], dropna=False)[B.amount_thb].sum().reset_index()
              .sort_values([B.fiscal_year, PR.dimension]))
    return {
        "totals": {
            "plans": len(plans), "projects": len(t["projects"]), "warnings": len(warnings),
            "failed_checks": len(failed), "budget_thb": plain(t["projects"][PR.budget_thb].sum()),
            "plans_failed": int((plans[P.status] == "failed").sum()),
        },
        "charts": {
            "plans_by_status": _counts(plans[P.status], "status"),
            "plans_by_org_type": _counts(plans[P.org_type], "org_type"),
            "plans_by_province": _counts(plans[P.province], "province"),
            "warnings_by_code": _counts(warnings[W.code], "code"),
            "failed_checks_by_code": _counts(failed[CK.check], "check"),
            "budget_by_dimension_year": records(budget),
        },
    }


def plan_list(t: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """One summary row per plan, with its number of failed checks."""
    failed = t["checks"][t["checks"][CK.status] == "fail"].groupby(CK.plan_id).size()
    rows = records(t["plans"], PLAN_COLUMNS)
    for r in rows:
        r["n_failed_checks"] = int(failed.get(r[P.plan_id], 0))
    return rows


def plan_details(t: dict[str, pd.DataFrame]) -> dict[str, dict[str, Any]]:
    """Per plan: checks, projects (columns + rows), warnings, budget by year and dimension."""
    projects = t["projects"]
    by = budget_rows(projects, t["budgets"])
    ref_to_project: dict[tuple[str, str], str] = {}
    for pid, plan_id, ref in projects[[PR.project_id, PR.plan_id, PR.source_ref]].itertuples(index=False):
        if isinstance(ref, str):
            ref_to_project.setdefault((plan_id, ref), pid)
    groups = {
        "projects": dict(tuple(projects.groupby(PR.plan_id, sort=False))),
        "checks": dict(tuple(t["checks"].groupby(CK.plan_id, sort=False))),
        "warnings": dict(tuple(t["warnings"].groupby(W.plan_id, sort=False))),
    }
    by_year: dict[str, list[dict[str, Any]]] = {}
    for (plan_id, year), amount in by.groupby([PR.plan_id, B.fiscal_year])[B.amount_thb].sum().items():
        by_year.setdefault(plan_id, []).append({"fiscal_year": plain(year), "amount_thb": plain(amount)})
    by_dim: dict[str, list[dict[str, Any]]] = {}
    dims = projects.assign(**{PR.dimension: projects[PR.dimension].map(_dimension_label)})
    for (plan_id, dim), amount in dims.groupby([PR.plan_id, PR.dimension])[PR.budget_thb].sum().items():
        by_dim.setdefault(plan_id, []).append({"dimension": dim, "amount_thb": plain(amount)})
    out: dict[str, dict[str, Any]] = {}
    for plan_id in t["plans"][P.plan_id]:
        pr = groups["projects"].get(plan_id)
        ck = groups["checks"].get(plan_id)
        wa = groups["warnings"].get(plan_id)
        checks = records(ck, CHECK_COLUMNS) if ck is not None else []
        for c in checks:
            c["project_id"] = ref_to_project.get((plan_id, c[CK.source_ref])) if c[CK.source_ref] else None
        out[plan_id] = {
            "checks": checks,
            "project_columns": list(PROJECT_COLUMNS),
            "projects": [list(r.values()) for r in records(pr, PROJECT_COLUMNS)] if pr is not None else [],
            "warnings": records(wa, WARNING_COLUMNS) if wa is not None else [],
            "budget_by_year": by_year.get(plan_id, []),
            "budget_by_dimension": by_dim.get(plan_id, []),
        }
    return out
