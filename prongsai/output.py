"""The SPEC tables: column order, types, and atomic writing as CSV (UTF-8 with
BOM, for Excel) and Parquet."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported when tables are built: worker processes never need it
    import pandas as pd

# column -> pandas dtype (nullable types so that "unknown" stays null, never NaN-as-float for ints)
SCHEMA: dict[str, dict[str, str]] = {
    "plans": {
        "plan_id": "string", "source_path": "string", "source_format": "string", "n_pages": "Int64",
        "text_source": "string", "org_type": "string", "org_name": "string", "org_short_name": "string",
        "district": "string", "province": "string", "org_code": "string", "plan_kind": "string",
        "fy_start": "Int64", "fy_end": "Int64", "framework": "string", "n_projects": "Int64",
        "budget_total_thb": "Float64", "status": "string", "n_warnings": "Int64",
    },
    "projects": {
        "project_id": "string", "plan_id": "string", "seq": "Int64", "dimension": "Int64",
        "dimension_label": "string", "mission_code": "string", "dimension_2566": "Int64",
        "mission_code_2566": "string", "title": "string", "kind": "string", "objectives": "string",
        "targets": "string", "area": "string", "method": "string", "indicators": "string",
        "outcomes": "string", "rationale": "string", "period_text": "string", "fy_start": "Int64",
        "fy_end": "Int64", "budget_thb": "Float64", "budget_status": "string",
        "responsible_unit": "string", "unit": "string", "quantity": "Float64", "quarters": "string",
        "layout": "string", "source_ref": "string", "confidence": "Float64",
    },
    "budgets": {"project_id": "string", "fiscal_year": "Int64", "amount_thb": "Float64"},
    "warnings": {
        "plan_id": "string", "project_id": "string", "code": "string", "severity": "string",
        "message": "string", "source_ref": "string",
        # decision columns (fuzzy / inferred values a reviewer can overrule; see prongsai review)
        "field": "string", "raw_value": "string", "chosen_value": "string", "score": "Float64",
    },
    # one row per plan and audit check (prongsai.checks)
    "checks": {"plan_id": "string", "check": "string", "status": "string", "detail": "string", "source_ref": "string"},
}
TABLES = tuple(SCHEMA)


def frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A table with exactly the SPEC columns, in order, with their types."""
    import pandas as pd

    cols = SCHEMA[name]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=list(cols))
    return df.astype(cols)


def write_tables(out_dir: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Write every table to a temporary folder beside ``out_dir``, then move the
    files into place, so an interrupted run leaves the previous tables intact."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".prongsai-", dir=out_dir))
    try:
        for name in TABLES:
            df = frame(name, tables.get(name, []))
            df.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
            df.to_parquet(tmp / f"{name}.parquet", index=False, engine="pyarrow")
        for name in TABLES:
            for ext in ("csv", "parquet"):
                os.replace(tmp / f"{name}.{ext}", out_dir / f"{name}.{ext}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
