"""The SPEC tables as data frames (column order and types from :mod:`prongsai.schema`) and
atomic writing as CSV (UTF-8 with BOM, for Excel) and Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported when tables are built: worker processes never need it
    import pandas as pd

from prongsai.schema import TABLE_NAMES
from prongsai.schema import TABLES as _DECLARED

#: table -> column -> pandas dtype, derived from :mod:`prongsai.schema` (nullable types so that
#: "unknown" stays null, never NaN-as-float for ints)
SCHEMA: dict[str, dict[str, str]] = {name: _DECLARED[name].dtypes for name in TABLE_NAMES}
TABLES = TABLE_NAMES


def frame(name: str, rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A table with exactly the SPEC columns, in order, with their types. A column the
    schema does not declare is an error (:class:`UnknownColumnError`), never dropped
    silently; a declared column missing from every row is null (validation then
    rejects it when it is required)."""
    import pandas as pd

    cols = SCHEMA[name]
    if isinstance(rows, pd.DataFrame):
        extra = [c for c in rows.columns if c not in cols]
        df = rows.reindex(columns=list(cols))
    else:
        seen: set[str] = set()
        for r in rows:
            seen.update(r)
        extra = sorted(seen.difference(cols))
        df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=list(cols))
    if extra:
        raise UnknownColumnError(f"table {name}: column(s) not declared in prongsai/schema.py: {', '.join(extra)}")
    return df.astype(cols)


class UnknownColumnError(ValueError):
    """A row carries a column the schema does not declare (a bug: declare it in prongsai/schema.py)."""


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """A table as CSV: UTF-8 with BOM (Excel opens Thai correctly), ``\n`` line ends."""
    df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow")

