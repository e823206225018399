"""The Excel backend (``.xlsx .xlsm``; ``.xls .ods`` arrive here converted by
:mod:`prongsai.extract.convert`): every visible sheet becomes blocks of the one
document model.

How a sheet is read:

* **Values** come from openpyxl in read-only mode, which streams the sheet's XML
  and keeps no cell objects: memory grows with the text of the sheet, not with
  openpyxl's per-cell objects and styles (several hundred bytes per cell in normal
  mode, gigabytes for big sheets). Cached formula results are read (``data_only``).
* **Layout** that read-only mode does not expose - merged ranges, hidden rows and
  hidden columns - comes from one more streaming pass over the same sheet XML
  (:func:`sheet_layout`), which keeps only those attributes.
* Merged cells are resolved as in every backend: the merged value at every position
  it covers, the copies listed in :attr:`Table.spanned`.
* Hidden sheets, hidden rows and hidden columns are skipped (an ``HIDDEN_SKIPPED``
  info warning says how many), as a reader of the workbook would not see them.
* Numbers are written as numbers: ``30000`` (not ``30000.0``), ``1234.5``; a cell
  formatted as a percentage as ``80%``; dates as ``2022-10-01`` (ISO, as stored:
  the extractor does not convert eras).
* A sheet is cut into parts at gaps of two or more empty rows. In each part, the
  rows with at least two different values and everything between them are a
  :class:`Table`; the rows with one value before and after it (titles, the
  organisation's name, detail text) are :class:`TextLine` blocks.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import iterparse

from prongsai.diagnostics import WarningCode
from prongsai.model import Block, Document, ExtractError, Problem, SourceRef, Table, TextLine

#: stop reading a workbook after this many non-empty cells (a data dump, not a plan)
MAX_CELLS = 2_000_000
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass
class SheetLayout:
    """What read-only openpyxl does not tell: merged ranges (min_row, min_col,
    max_row, max_col; 1-based), hidden rows and hidden columns."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


def col_index(letters: str) -> int:
    """1-based column number of a column name.

    >>> col_index("A"), col_index("Z"), col_index("AA"), col_index("XFD")
    (1, 26, 27, 16384)
    """
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """A cell range ``A1:C2`` as (min_row, min_col, max_row, max_col), None if malformed.

    >>> parse_range("B2:D3")
    (2, 2, 3, 4)
    >>> parse_range("C5") is None, parse_range("1:3") is None
    (False, True)
    """
    parts = ref.upper().split(":")
    cells = [_REF.match(p) for p in parts]
    if not 1 <= len(parts) <= 2 or not all(cells):
        return None
    (c1, r1), (c2, r2) = ((col_index(m.group(1)), int(m.group(2))) for m in (cells[0], cells[-1]))  # type: ignore[union-attr]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def sheet_layout(zf: zipfile.ZipFile, member: str) -> SheetLayout:
    """Merged ranges and hidden rows/columns of one sheet XML, read as a stream
    (rows are dropped as soon as they are seen, so memory does not grow with the sheet)."""
    lay = SheetLayout()
    parents: list = []
    with zf.open(member) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag.removeprefix(_NS)
            if event == "start":
                parents.append(el)
                continue
            parents.pop()
            if tag == "row":
                if el.get("hidden") in ("1", "true") and (r := el.get("r", "")).isdigit():
                    lay.hidden_rows.add(int(r))
                el.clear()
                if parents:
                    parents[-1].remove(el)
            elif tag == "col" and el.get("hidden") in ("1", "true"):
                try:
                    lo, hi = int(el.get("min", "0")), int(el.get("max", "0"))
                except ValueError:
                    continue
                lay.hidden_cols.update(range(max(1, lo), min(hi, 16384) + 1))
            elif tag == "mergeCell" and (rng := parse_range(el.get("ref", ""))):
                lay.merges.append(rng)
    return lay


def cell_text(value: object, number_format: str | None = None) -> str:
    """The text of a cell value as a reader sees it, numbers without float noise.

    >>> cell_text(30000.0), cell_text(30000), cell_text(1234.5), cell_text(0.1 + 0.2)
    ('30000', '30000', '1234.5', '0.3')
    >>> cell_text(0.8, "0%"), cell_text(0.125, "0.0%")
    ('80%', '12.5%')
    >>> cell_text(dt.datetime(2022, 10, 1)), cell_text(dt.datetime(2022, 10, 1, 9, 30))
    ('2022-10-01', '2022-10-01 09:30')
    >>> cell_text(dt.time(13, 5)), cell_text(None), cell_text(True), cell_text("โครงการ")
    ('13:05', '', 'TRUE', 'โครงการ')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        pct = bool(number_format and "%" in number_format)
        v = value * 100 if pct else value
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            v = int(v)
        text = str(v) if isinstance(v, int) else f"{v:.12g}"
        return text + ("%" if pct else "")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return str(value)


def _values(ws, hidden_rows: set[int], limit: int) -> tuple[dict[int, dict[int, str]], int, int]:
    """{row: {col: text}} of the non-empty cells of a read-only sheet in its visible rows,
    the cells read and the hidden rows that had values."""
    grid: dict[int, dict[int, str]] = {}
    n = hidden = 0
    ws.reset_dimensions()  # the stored dimension may be wrong; read what is there
    for row in ws.iter_rows():
        texts = {}
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            text = cell_text(value, getattr(cell, "number_format", None))
            if text.strip():
                texts[cell.column] = text
                r = cell.row
        if not texts:
            continue
        if r in hidden_rows:
            hidden += 1
            continue
        grid[r] = texts
        n += len(texts)
        if n >= limit:
            break
    return grid, n, hidden


def _resolve_merges(grid: dict[int, dict[int, str]], merges: list[tuple[int, int, int, int]]
                    ) -> set[tuple[int, int]]:
    """Copy each merged range's value to every position it covers (clipped to the data);
    the positions that got a copy."""
    if not grid:
        return set()
    last_row = max(grid)
    last_col = max(max(cols) for cols in grid.values())
    copies: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        value = grid.get(r1, {}).get(c1, "")
        if not value:
            continue
        for r in range(r1, min(r2, last_row) + 1):
            for c in range(c1, min(c2, last_col) + 1):
                if (r, c) != (r1, c1):
                    grid.setdefault(r, {})[c] = value
                    copies.add((r, c))
    return copies


def _sheet_blocks(name: str, grid: dict[int, dict[int, str]], copies: set[tuple[int, int]],
                  hidden_rows: set[int], hidden_cols: set[int]) -> list[Block]:
    """The blocks of one sheet (see the module docstring)."""
    rows = [r for r in sorted(grid) if r not in hidden_rows and any(c not in hidden_cols for c in grid[r])]
    parts: list[list[int]] = []
    for r in rows:
        if parts and r - parts[-1][-1] <= 2:  # one empty row does not end a table
            parts[-1].append(r)
        else:
            parts.append([r])
    blocks: list[Block] = []
    for part in parts:
        blocks.extend(_part_blocks(name, part, grid, copies, hidden_cols))
    return blocks


def _part_blocks(name: str, part: list[int], grid: dict[int, dict[int, str]], copies: set[tuple[int, int]],
                 hidden_cols: set[int]) -> list[Block]:
    def distinct(r: int) -> list[str]:
        return list(dict.fromkeys(v for c, v in sorted(grid[r].items()) if c not in hidden_cols))

    wide = [i for i, r in enumerate(part) if len(distinct(r)) >= 2]
    if not wide:
        return [TextLine(" ".join(distinct(r)), SourceRef(line=r, sheet=name)) for r in part]
    first, last = wide[0], wide[-1]
    out: list[Block] = [TextLine(distinct(r)[0], SourceRef(line=r, sheet=name)) for r in part[:first]]
    table_rows = part[first:last + 1]
    cols = sorted({c for r in table_rows for c in grid[r] if c not in hidden_cols})
    cells = [[grid[r].get(c, "") for c in cols] for r in table_rows]
    spanned = {(i, j) for i, r in enumerate(table_rows) for j, c in enumerate(cols) if (r, c) in copies}
    refs = [SourceRef(line=r, sheet=name) for r in table_rows]
    out.append(Table(cells, refs[0], refs, spanned))
    out.extend(TextLine(distinct(r)[0], SourceRef(line=r, sheet=name)) for r in part[last + 1:])
    return out


def _open(path: str):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except zipfile.BadZipFile:
        raise ExtractError("not a valid Excel workbook (not a zip archive)") from None
    except KeyError as exc:
        raise ExtractError(f"not a valid Excel workbook (part missing: {exc})") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on damaged files
        raise ExtractError(f"not a valid Excel workbook ({type(exc).__name__}: {exc})") from None


def read_xlsx(path: str, fmt: str = "xlsx", max_cells: int = MAX_CELLS) -> Document:
    """Read an Excel workbook into the document model (raw text)."""
    wb = _open(path)
    doc = Document(path, fmt)
    skipped_sheets: list[str] = []
    n_hidden_rows = 0
    left = max_cells
    try:
        with zipfile.ZipFile(path) as zf:
            for ws in wb.worksheets:
                if ws.sheet_state != "visible":
                    skipped_sheets.append(ws.title)
                    continue
                member = getattr(ws, "_worksheet_path", None)
                try:
                    lay = sheet_layout(zf, member) if member else SheetLayout()
                except (KeyError, SyntaxError) as exc:
                    raise ExtractError(f"sheet {ws.title!r} cannot be read ({exc})") from None
                grid, n, hidden = _values(ws, lay.hidden_rows, left)
                left -= n
                n_hidden_rows += hidden
                copies = _resolve_merges(grid, lay.merges)
                doc.blocks.extend(_sheet_blocks(ws.title, grid, copies, lay.hidden_rows, lay.hidden_cols))
                if left <= 0:
                    doc.problems.append(Problem.of(
                        WarningCode.SHEET_TRUNCATED,
                        f"the workbook has more than {max_cells:,} filled cells; reading stopped in sheet "
                        f"{ws.title!r}: the rest was not read", SourceRef(sheet=ws.title)))
                    break
    except zipfile.BadZipFile as exc:
        raise ExtractError(f"not a valid Excel workbook ({exc})") from None
    finally:
        wb.close()
    if skipped_sheets or n_hidden_rows:
        what = []
        if skipped_sheets:
            what.append(f"{len(skipped_sheets)} hidden sheet(s) ({', '.join(skipped_sheets)})")
        if n_hidden_rows:
            what.append(f"{n_hidden_rows} hidden row(s) with values")
        doc.problems.append(Problem.of(WarningCode.HIDDEN_SKIPPED,
                                    f"not read, as a reader of the workbook does not see them: {' and '.join(what)}"))
    if not doc.blocks:
        raise ExtractError("the workbook has no values in its visible sheets (it is empty, or everything is hidden)")
    return doc

