"""The output folder of a run, built and validated in one place: :func:`write_dataset`.

From the rows the batch assembled (plans, projects, budgets, warnings, and checks
when an audit filled them) it

1. makes byte-identical files one plan (:func:`merge_duplicates`): the first path is
   its ``source_path``, a ``DUPLICATE_FILE`` info row names each other path;
2. links the same organisation's plans and projects (:mod:`prongsai.links`);
3. validates every table and key against :mod:`prongsai.schema` (:mod:`prongsai.validate`);
4. writes CSV + Parquet, ``datapackage.json`` and ``prongsai.duckdb`` into a
   temporary folder beside ``out_dir`` and only then moves them into place, so a
   failed validation or an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prongsai.diagnostics import WarningCode

if TYPE_CHECKING:
    import pandas as pd

Rows = list[dict[str, Any]]
DATABASE = "prongsai.duckdb"
PACKAGE = "datapackage.json"


def merge_duplicates(tables: dict[str, Rows]) -> dict[str, Rows]:
    """One plan per ``plan_id``: the first row of ``plans`` (in its order, by source_path)
    is kept with its own projects, budgets and warnings (the first ``n_projects`` /
    ``n_warnings`` rows of that plan), and every other path of the same bytes becomes a
    ``DUPLICATE_FILE`` info row. Tables without duplicates are returned unchanged.

    >>> p = {"plan_id": "a" * 12, "n_projects": 0, "n_warnings": 0}
    >>> t = merge_duplicates({"plans": [dict(p, source_path="x.pdf"), dict(p, source_path="y.pdf")]})
    >>> len(t["plans"]), t["plans"][0]["n_warnings"], t["warnings"][0]["code"]
    (1, 1, 'DUPLICATE_FILE')
    """
    kept: dict[str, dict[str, Any]] = {}
    others: dict[str, list[str]] = defaultdict(list)
    for row in tables.get("plans", []):
        if row["plan_id"] in kept:
            others[row["plan_id"]].append(row["source_path"])
        else:
            kept[row["plan_id"]] = row
    if not others:
        return tables
    out = dict(tables)
    out["plans"] = []
    for pid, row in kept.items():
        if pid in others:
            row = dict(row, n_warnings=(row.get("n_warnings") or 0) + len(others[pid]))
        out["plans"].append(row)

    def first_n(name: str, count: str, plan_of: Any) -> Rows:
        seen: dict[str, int] = defaultdict(int)
        rows = []
        for r in tables.get(name, []):
            pid = plan_of(r)
            if pid in others:
                seen[pid] += 1
                if seen[pid] > (kept[pid].get(count) or 0):
                    continue
            rows.append(r)
        return rows

    out["projects"] = first_n("projects", "n_projects", lambda r: r["plan_id"])
    project_ids = {r["project_id"] for r in out["projects"]}
    budgets, keys = [], set()
    for r in tables.get("budgets", []):
        key = (r["project_id"], r["fiscal_year"])
        if r["project_id"] in project_ids and key not in keys:
            keys.add(key)
            budgets.append(r)
    out["budgets"] = budgets
    out["warnings"] = first_n("warnings", "n_warnings", lambda r: r["plan_id"])
    code = WarningCode.DUPLICATE_FILE
    for pid, paths in others.items():
        first = kept[pid]["source_path"]
        out["warnings"] += [
            {"plan_id": pid, "project_id": None, "code": code.value, "severity": code.severity,
             "message": f"{path} has the same bytes as {first}: one plan, read from {first}", "source_ref": None}
            for path in paths]
    return out


def build_frames(tables: dict[str, Rows | pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table of the schema as a typed frame; the links are computed from plans and projects."""
    from prongsai import links
    from prongsai.output import frame
    from prongsai.schema import TABLE_NAMES

    if all(isinstance(v, list) for v in tables.values()):
        tables = merge_duplicates(tables)  # type: ignore[arg-type]
    frames = {name: frame(name, tables.get(name, [])) for name in TABLE_NAMES
              if name not in ("plan_links", "project_links")}
    plan_links = links.plan_links(frames["plans"])
    frames["plan_links"] = frame("plan_links", plan_links)
    frames["project_links"] = frame("project_links", links.project_links(frames["projects"], plan_links))
    return {name: frames[name] for name in TABLE_NAMES}


def write_dataset(out_dir: Path, tables: dict[str, Rows | pd.DataFrame], *, created: datetime | None = None,
                  database: bool = True) -> dict[str, pd.DataFrame]:
    """Build, validate and write the whole output folder (see the module's docstring).

    Raises :class:`prongsai.validate.SchemaViolation` (nothing written) when the tables
    break the schema: that is a bug in the pipeline. Returns the frames written.
    """
    from concurrent.futures import ThreadPoolExecutor

    from prongsai.database import build_database
    from prongsai.output import write_csv, write_parquet
    from prongsai.package import write_descriptor
    from prongsai.validate import validate

    frames = build_frames(tables)
    validate(frames)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".prongsai-", dir=out_dir))
    try:
        names = []
        for name, df in frames.items():
            write_parquet(df, tmp / f"{name}.parquet")
            names.append(f"{name}.parquet")
        # DuckDB loads the Parquet files in its own threads (it releases the GIL) while
        # pandas writes the CSV files
        with ThreadPoolExecutor(1) as pool:
            db = pool.submit(build_database, tmp / DATABASE, tmp) if database else None
            for name, df in frames.items():
                write_csv(df, tmp / f"{name}.csv")
                names.append(f"{name}.csv")
            if db is not None:
                db.result()
                names.append(DATABASE)
        write_descriptor(tmp, created)
        names.append(PACKAGE)
        for name in names:
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return frames
