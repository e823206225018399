"""``report.xlsx``: the tables as sheets an auditor can work in (openpyxl).

Sheets Plans, Projects, Budgets, Checks, Warnings; header row frozen and filtered,
column widths from the contents, numbers stored as numbers with thousands separators,
a Thai-capable font (Tahoma: shipped with Windows and macOS, substituted by a Thai font in
LibreOffice) on every cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from prongsai.report.data import plain

if TYPE_CHECKING:
    import pandas as pd

SHEETS = (("Plans", "plans"), ("Projects", "projects"), ("Budgets", "budgets"), ("Checks", "checks"),
          ("Warnings", "warnings"))
FONT_NAME = "Tahoma"
MONEY = "#,##0.00"
INTEGER = "#,##0"
PLAIN_INTEGER = "0"  # years and sequence numbers: no thousands separator
#: integer columns written without a separator
YEAR_COLUMNS = frozenset({"fy_start", "fy_end", "fiscal_year", "seq", "dimension", "dimension_2566", "framework"})
MAX_WIDTH = 60
SAMPLE_ROWS = 500  # rows looked at for the column widths


def _number_format(column: str, dtype: str) -> str | None:
    if dtype.startswith("Float") or dtype.startswith("float"):
        return MONEY if column.endswith("_thb") else "#,##0.##"
    if dtype.startswith("Int") or dtype.startswith("int"):
        return PLAIN_INTEGER if column in YEAR_COLUMNS else INTEGER
    return None


def _width(df: pd.DataFrame, column: str) -> float:
    values = [len(str(v)) for v in df[column].head(SAMPLE_ROWS).tolist() if plain(v) is not None]
    longest = max([len(column), *values]) if values else len(column)
    return min(MAX_WIDTH, longest * 1.1 + 2)


def _sheet(wb: Any, title: str, df: pd.DataFrame) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    font, bold = Font(name=FONT_NAME, size=10), Font(name=FONT_NAME, size=10, bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    cols = list(df.columns)
    formats = [_number_format(c, str(df[c].dtype)) for c in cols]
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(df, c)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(cols)))
    ws.auto_filter.ref = f"A1:{last}{len(df) + 1}"
    header = []
    for c in cols:
        cell = WriteOnlyCell(ws, value=c)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="top")
        header.append(cell)
    ws.append(header)
    for row in df.itertuples(index=False):
        out = []
        for value, fmt in zip(row, formats, strict=True):
            v = plain(value)
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.font = font
            if fmt and v is not None:
                cell.number_format = fmt
            out.append(cell)
        ws.append(out)


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, name in SHEETS:
        _sheet(wb, title, tables[name])
    wb.save(path)
