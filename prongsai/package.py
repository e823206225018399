"""``datapackage.json``: the Frictionless data package describing the tables of a run,
derived from :mod:`prongsai.schema` (types, required columns, allowed codes,
patterns, ranges, primary and foreign keys, Thai and English descriptions), with the
licences and sources of the reference data (``prongsai/data/package_sources.yaml``),
the prongsai version and the run's date.

The run's date lives only here, never in the tables (they stay byte-identical
between runs); ``SOURCE_DATE_EPOCH`` fixes it for reproducible builds.

>>> d = descriptor(datetime(2026, 1, 2, tzinfo=UTC))
>>> d["created"], [r["path"] for r in d["resources"]][:2]
('2026-01-02T00:00:00Z', ['plans.csv', 'projects.csv'])
>>> d["resources"][1]["schema"]["foreignKeys"]
[{'fields': ['plan_id'], 'reference': {'resource': 'plans', 'fields': ['plan_id']}}]
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prongsai import __version__
from prongsai.normalize.registry import data_yaml
from prongsai.schema import TABLES, Column, Table

NAME = "prongsai-dataset"


def run_date() -> datetime:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def field(col: Column) -> dict[str, Any]:
    """The Frictionless field of a column."""
    f: dict[str, Any] = {"name": col.name, "type": col.type, "title": col.en,
                         "description": f"{col.en} / {col.th}", "description_th": col.th}
    cons: dict[str, Any] = {}
    if col.required:
        cons["required"] = True
    if col.enum is not None:
        cons["enum"] = list(col.enum)
    if col.pattern is not None:
        cons["pattern"] = col.pattern
    cast = int if col.type == "integer" else float
    if col.minimum is not None:
        cons["minimum"] = cast(col.minimum)
    if col.maximum is not None:
        cons["maximum"] = cast(col.maximum)
    if cons:
        f["constraints"] = cons
    return f


def resource(table: Table) -> dict[str, Any]:
    """The CSV resource of a table."""
    schema: dict[str, Any] = {"fields": [field(c) for c in table.columns], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(fk.columns),
                                  "reference": {"resource": fk.table, "fields": list(fk.ref_columns)}}
                                 for fk in table.foreign_keys]
    return {"name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "title": table.en, "description": f"{table.en} / {table.th}",
            "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
            "schema": schema}


def descriptor(created: datetime | None = None) -> dict[str, Any]:
    """The data package descriptor of the tables."""
    ref = data_yaml("package_sources.yaml")
    when = (created or run_date()).astimezone(UTC)
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": "prongsai: Thai local-government anti-corruption action plans / แผนปฏิบัติการป้องกันการทุจริตของ อปท.",
        "description": ("Plans, projects, budgets, warnings, audit checks and cross-year links extracted by "
                        f"prongsai {__version__} (see SPEC.md). Each table is also written as Parquet."),
        "version": __version__,
        "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "prongsai_version": __version__,
        "licenses": ref["licenses"],
        "sources": ref["sources"],
        "resources": [resource(t) for t in TABLES.values()],
    }


def write_descriptor(folder: Path, created: datetime | None = None) -> Path:
    """Write ``folder/datapackage.json``."""
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor(created), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
