"""Validation of the output tables against :mod:`prongsai.schema`, before a run moves
them into place.

pandera checks each table (column set and order, dtypes, required = not null,
allowed codes, patterns, ranges, primary and unique keys) on the whole column at
once, which keeps 500,000 projects in seconds; the foreign keys, which pandera does
not do across tables, are checked here with the same frames. Any violation raises
:class:`SchemaViolation` naming the table, the column, the check and a few failing
values: it is a bug in the pipeline, never a column quietly written as null.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from prongsai.schema import TABLES, Column, Table

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa


class SchemaViolation(ValueError):
    """The tables do not satisfy prongsai/schema.py."""


def _checks(col: Column) -> list[pa.Check]:
    import pandera.pandas as pa

    checks = []
    if col.enum is not None:
        checks.append(pa.Check.isin(list(col.enum), error=f"allowed: {', '.join(col.enum)}"))
    if col.pattern is not None:
        checks.append(pa.Check.str_matches(rf"^(?:{col.pattern})$", error=f"pattern {col.pattern}"))
    if col.minimum is not None:
        checks.append(pa.Check.ge(col.minimum))
    if col.maximum is not None:
        checks.append(pa.Check.le(col.maximum))
    return checks


@cache
def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table, derived from :mod:`prongsai.schema`."""
    import pandera.pandas as pa

    table: Table = TABLES[name]
    unique = [list(table.primary_key)] if len(table.primary_key) > 1 else []
    unique += [list(u) for u in table.unique]
    columns = {
        c.name: pa.Column(c.dtype, checks=_checks(c), nullable=not c.required,
                          unique=table.primary_key == (c.name,), description=c.en)
        for c in table.columns
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=name,
                              unique=unique[0] if len(unique) == 1 else None,
                              checks=[_unique_check(u) for u in unique] if len(unique) > 1 else None)


def _unique_check(cols: list[str]) -> pa.Check:
    import pandera.pandas as pa

    return pa.Check(lambda df: ~df.duplicated(subset=cols, keep=False), error=f"unique ({', '.join(cols)})")


def _summary(exc: Exception) -> str:
    import pandera.errors as pe

    if isinstance(exc, pe.SchemaErrors):
        fc = exc.failure_cases
        lines = []
        for (col, check), g in fc.groupby(["column", "check"], dropna=False, sort=False):
            values = ", ".join(repr(v) for v in g["failure_case"].head(3))
            lines.append(f"column {col}: {check} ({len(g)} row(s), e.g. {values})")
        return "; ".join(lines)
    return re.sub(r"\s+", " ", str(exc))[:500]


def check_table(name: str, df: pd.DataFrame) -> None:
    """Raise :class:`SchemaViolation` when ``df`` does not satisfy the schema of ``name``."""
    import pandera.errors as pe

    try:
        pandera_schema(name).validate(df, lazy=True)
    except (pe.SchemaErrors, pe.SchemaError) as exc:
        raise SchemaViolation(f"table {name} violates prongsai/schema.py: {_summary(exc)}") from None


def check_foreign_keys(frames: dict[str, pd.DataFrame]) -> None:
    """Every non-null foreign key value exists in the table it points to."""
    problems = []
    for name, df in frames.items():
        for fk in TABLES[name].foreign_keys:
            (col,), (ref,) = fk.columns, fk.ref_columns  # single-column keys in this schema
            known = set(frames[fk.table][ref].dropna().tolist())
            missing = [v for v in df[col].dropna().tolist() if v not in known]
            if missing:
                examples = ", ".join(repr(v) for v in list(dict.fromkeys(missing))[:3])
                problems.append(f"{name}.{col} -> {fk.table}.{ref}: {len(missing)} row(s) point nowhere, "
                                f"e.g. {examples}")
    if problems:
        raise SchemaViolation("broken foreign key(s): " + "; ".join(problems))


def validate(frames: dict[str, pd.DataFrame]) -> None:
    """Check every table and every foreign key; raise :class:`SchemaViolation` on the first table
    that fails (all its problems listed) or on broken keys."""
    missing = [n for n in TABLES if n not in frames]
    if missing:
        raise SchemaViolation(f"table(s) missing: {', '.join(missing)}")
    for name in TABLES:
        check_table(name, frames[name])
    check_foreign_keys(frames)
