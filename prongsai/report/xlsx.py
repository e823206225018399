"""``report.xlsx``: the tables as sheets an auditor can work in (XlsxWriter).

Sheets Plans, Projects, Budgets, Checks, Warnings; header row frozen and filtered,
column widths from the contents, numbers stored as numbers with thousands separators
(per column), a Thai-capable font (Tahoma: shipped with Windows and macOS, substituted by
a Thai font in LibreOffice) as the workbook's default.
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
YEAR_COLUMNS = frozenset({"fy_start", "fy_end", "fiscal_year", "seq", "dimension", "dimension_2566"})
MAX_WIDTH = 60
SAMPLE_ROWS = 500  # rows looked at for the column widths


def number_format(column: str, dtype: str) -> str | None:
    """The Excel number format of a column.

    >>> number_format("budget_thb", "Float64"), number_format("fy_start", "Int64"), number_format("title", "string")
    ('#,##0.00', '0', None)
    """
    if dtype.lower().startswith("float"):
        return MONEY if column.endswith("_thb") else "#,##0.##"
    if dtype.lower().startswith("int"):
        return PLAIN_INTEGER if column in YEAR_COLUMNS else INTEGER
    return None


def _width(df: pd.DataFrame, column: str) -> float:
    values = [len(str(v)) for v in df[column].head(SAMPLE_ROWS).tolist() if plain(v) is not None]
    longest = max([len(column), *values])
    return min(MAX_WIDTH, longest * 1.1 + 2)


def _sheet(wb: Any, title: str, df: pd.DataFrame) -> None:
    ws = wb.add_worksheet(title)
    header = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "valign": "top"})
    cols = list(df.columns)
    for i, c in enumerate(cols):
        fmt = number_format(c, str(df[c].dtype))
        ws.set_column(i, i, _width(df, c), wb.add_format({"num_format": fmt}) if fmt else None)
    ws.write_row(0, 0, cols, header)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(df), max(0, len(cols) - 1))
    for r, row in enumerate(df.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            v = plain(value)
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)  # text stays text: never a formula or a URL
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            else:
                ws.write_number(r, c, v)


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"default_format_properties": {"font_name": FONT_NAME, "font_size": 10},
                                         "constant_memory": False, "strings_to_numbers": False})
    try:
        for title, name in SHEETS:
            _sheet(wb, title, tables[name])
    finally:
        wb.close()
