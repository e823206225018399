"""Backend for born-digital PDF files.

* **Text comes from pypdfium2**, character by character with its box. pdfium
  honours ``/ActualText`` (LibreOffice writes SARA AM and below-vowel + tone
  clusters that way), where pdfplumber/pdfminer doubles SARA AM (``ำา``), reads
  SARA UU as a tone mark and reorders vowels.
* **Table geometry comes from pdfplumber's table finder** (lines strategy, see
  :class:`PdfSettings`), only on pages that draw vector paths; each cell's text is
  made of the pdfium characters whose centre lies in the cell box.
* Visual lines are built from the character boxes. A line that reaches the right
  text margin is joined with the next one unless that one starts with a list or
  section number (:func:`prongsai.extract.pdf_tables.is_wrap`): no space between
  two Thai characters, a space where the producer kept one at the wrap.
* Running headers/footers (a line repeated at the top or bottom of most pages,
  digits masked) and bare page numbers are dropped. A table that continues on the
  next page becomes one :class:`~prongsai.model.Table` without the repeated header
  rows.
* Pages without a text layer give no blocks and one ``NO_TEXT_LAYER`` problem.

No Thai repair is done here; the caller applies ``repair_thai`` to every
backend's text. The only changes to pdfium's character sequence are geometric:
a combining mark that pdfium put after a line break goes back on the character
before it (``ร\r\nู้การ``), a mark drawn far from the character before it (broken
text layers write ``ว ุ เคราะห ิ``) goes on the character it is drawn over, and a
glyph drawn out of sequence (a fallback-font Lao letter) is put in x order. Good
PDFs never trigger the last two (measured on the corpus).

Block references: ``SourceRef(page=N, line=k)`` where k is the 1-based number of
the block's first visual line on page N, counting every visual line of the page
from the top (running headers and table lines included). A table row keeps the
page (and line) where it is drawn.
"""

from __future__ import annotations

import ctypes
import math
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.pdf_tables import (
    BASE,
    BREAK,
    MARK,
    Char,
    Line,
    PageTable,
    TableBuilder,
    build_lines,
    char_kind,
    is_wrap,
    join_char,
)
from prongsai.model import Block, Document, ExtractError, Problem, SourceRef, TextLine

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _default_table_settings() -> dict[str, Any]:
    return {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "intersection_tolerance": 3,
        "edge_min_length": 3,
    }


@dataclass
class PdfSettings:
    """Everything :func:`read_pdf` can be tuned with (lengths in PDF points)."""

    #: passed to pdfplumber's ``page.find_tables()``
    table_settings: dict[str, Any] = field(default_factory=_default_table_settings)
    #: look for tables at all
    detect_tables: bool = True
    #: cell edges closer than this are one grid line
    grid_tolerance: float = 2.0
    #: a table on page N+1 continues one on page N when all column boundaries agree within this
    column_tolerance: float = 4.0
    #: at most this many header rows are compared/dropped at the top of a continuation
    max_header_rows: int = 6
    #: a page with fewer base characters than this and an image has no text layer
    min_text_chars: int = 10
    #: running headers/footers are searched in this fraction of the page height, top and bottom
    header_zone: float = 0.15
    #: ... and must be on at least this fraction of the pages with text (and on 2 pages)
    header_min_share: float = 0.5
    #: a wrapped line of running text ends at most this many line heights before the right margin
    max_wrap_gap_em: float = 5.0
    #: the same inside a table cell (narrow columns leave wider gaps)
    max_cell_wrap_gap_em: float = 8.0
    #: consecutive lines of one paragraph are at most this many typical line pitches apart
    max_pitch_factor: float = 1.35


_BARE_PAGE_NO = re.compile(
    r"^[\s\-–—(\[]*(?:หน้า|page|p\.)?\s*[0-9๐-๙]{1,4}(?:\s*/\s*[0-9๐-๙]{1,4})?[\s\-–—)\]]*$", re.I
)
_DIGITS = re.compile(r"[0-9๐-๙]+")


@dataclass
class _PageData:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    in_table: list[bool] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    no_text: bool = False


# --- opening -------------------------------------------------------------------------

_PDFIUM_ERRORS = {
    2: "cannot open PDF: file cannot be read",
    3: "not a valid PDF (damaged file or not a PDF)",
    4: "cannot open PDF: file is encrypted (password required)",
    5: "cannot open PDF: unsupported encryption or security handler",
    6: "not a valid PDF (page tree damaged)",
}


def _open(path: str) -> pdfium.PdfDocument:
    p = Path(path)
    if not p.is_file():
        raise ExtractError(f"cannot open PDF: file not found ({p.name})")
    try:
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as e:
        raise ExtractError(f"cannot open PDF: {e.strerror or e}") from None
    if not head:
        raise ExtractError("not a valid PDF (empty file)")
    if b"%PDF-" not in head:
        raise ExtractError("not a valid PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        raise ExtractError(_PDFIUM_ERRORS.get(code or 0, f"not a valid PDF ({e})")) from None
    except Exception as e:  # noqa: BLE001 - nothing from pdfium may escape
        raise ExtractError(f"not a valid PDF ({e})") from None
    return doc


class _Plumber:
    """pdfplumber, opened only when a page needs table geometry."""

    def __init__(self, path: str, settings: PdfSettings, problems: list[Problem]) -> None:
        self.path = path
        self.settings = settings
        self.problems = problems
        self._pdf: Any = None
        self._failed = False

    def tables(self, index: int) -> list[list[Box]]:
        """The cell boxes of each table on page ``index`` (0-based)."""
        if self._failed:
            return []
        try:
            if self._pdf is None:
                import pdfplumber

                self._pdf = pdfplumber.open(self.path)
            page = self._pdf.pages[index]
        except Exception as e:  # noqa: BLE001 - pdfminer errors become a warning
            self._failed = True
            self.problems.append(
                Problem("TABLES_UNAVAILABLE", "warning", f"table detection unavailable: {type(e).__name__}: {e}")
            )
            return []
        try:
            found = page.find_tables(table_settings=self.settings.table_settings)
            return [[(c[0], c[1], c[2], c[3]) for c in t.cells] for t in found]
        except Exception as e:  # noqa: BLE001
            self.problems.append(
                Problem(
                    "TABLE_DETECTION_FAILED",
                    "warning",
                    f"tables on page {index + 1} not detected: {type(e).__name__}: {e}",
                    SourceRef(page=index + 1),
                )
            )
            return []
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:  # noqa: BLE001 - closing must not fail the read
                pass
            self._pdf = None


# --- one page --------------------------------------------------------------------------


def _page_matrix(page: pdfium.PdfPage) -> tuple[Matrix, float, float]:
    """pdfminer's page matrix (so pdfium and pdfplumber coordinates agree) and the
    displayed width and height."""
    # pdfium does not inherit a MediaBox from the page tree (crbug.com/pdfium/1786); the
    # bounding box does (it is the crop box, the same in all but rare files)
    x0, y0, x1, y1 = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    rot = page.get_rotation() % 360
    if rot == 90:
        m: Matrix = (0, -1, 1, 0, -y0, x1)
    elif rot == 180:
        m = (-1, 0, 0, -1, x1, y1)
    elif rot == 270:
        m = (0, 1, -1, 0, y1, -x0)
    else:
        m = (1, 0, 0, 1, -x0, -y0)
    w, h = x1 - x0, y1 - y0
    return m, (h if rot in (90, 270) else w), (w if rot in (90, 270) else h)


def _page_chars(textpage: pdfium.PdfTextPage, m: Matrix, height: float) -> list[Char]:
    """The page's characters in pdfium order, in top-down displayed coordinates.

    Horizontal extent is the tight glyph box. The vertical extent is the font's em
    box on the baseline (the same for every glyph of a line, so lines group and
    compare cleanly); the tight box when the font size is not plausible.
    """
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    a, b, c, d, e, f = m
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    tm = pdfium_c.FS_MATRIX()
    out: list[Char] = []
    for i in range(n):
        if pdfium_c.FPDFText_IsHyphen(raw, i):
            ch = "-"  # pdfium takes a hyphen at a line end for a soft hyphen; in Thai it is real (รับ-จ่าย)
        else:
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code < 0x20 and code not in (9, 10, 13) or code in (0xFFFE, 0xFEFF) or code >= 0x110000:
                continue
            ch = chr(code)
        kind = char_kind(ch)
        if kind == BREAK:
            out.append(Char(ch, 0.0, 0.0, 0.0, 0.0, BREAK))
            continue
        if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
            continue
        lx, rx, by, ty = left.value, right.value, bottom.value, top.value
        xa, ya = a * lx + c * by + e, b * lx + d * by + f
        xb, yb = a * rx + c * ty + e, b * rx + d * ty + f
        x0, x1, y_top, y_bottom = min(xa, xb), max(xa, xb), height - max(ya, yb), height - min(ya, yb)
        if kind != MARK and pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy):
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if pdfium_c.FPDFText_GetMatrix(raw, i, tm):
                size *= math.sqrt(abs(tm.a * tm.d - tm.b * tm.c))  # font size 1 scaled by the text matrix
            if size > 0 and size >= 0.5 * (y_bottom - y_top):
                base = height - (b * ox.value + d * oy.value + f)
                y_top, y_bottom = base - 0.75 * size, base + 0.25 * size
        out.append(Char(ch, x0, x1, y_top, y_bottom, kind))
    return out


def _has_objects(page: pdfium.PdfPage, kind: int) -> bool:
    for _ in page.get_objects(filter=[kind], max_depth=3):
        return True
    return False


def _assign_to_tables(chars: list[Char], tables: list[PageTable]) -> None:
    """Give each character to the table cell its centre lies in (a combining mark
    goes with the character before it)."""
    target: list[Char] | None = None
    last_y = 0.0
    for ch in chars:
        if ch.kind == BREAK:
            continue
        if ch.kind == MARK:
            if target is not None:
                target.append(ch)
            continue
        y = ch.cy if ch.kind == BASE else last_y
        if ch.kind == BASE:
            last_y = y
        target = None
        for t in tables:
            idx = t.cell_at(ch.cx, y)
            if idx >= 0:
                target = t.cells[idx].chars
                target.append(ch)
                break


def _read_page(doc: pdfium.PdfDocument, index: int, plumber: _Plumber, settings: PdfSettings) -> _PageData:
    page = doc[index]
    textpage = None
    try:
        m, width, height = _page_matrix(page)
        data = _PageData(index + 1, width, height)
        textpage = page.get_textpage()
        chars = _page_chars(textpage, m, height)
        n_base = sum(1 for c in chars if c.kind == BASE)
        if n_base < settings.min_text_chars:
            if _has_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE):
                data.no_text = True  # a scan (perhaps with a stamped page number)
                return data
            if n_base == 0:
                return data  # a blank page
        if settings.detect_tables and _has_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
            for boxes in plumber.tables(index):
                t = PageTable.from_cells(index + 1, boxes, settings.grid_tolerance)
                if t is not None:
                    data.tables.append(t)
        if data.tables:
            _assign_to_tables(chars, data.tables)
            for t in data.tables:
                t.build_cell_lines()
        data.lines = build_lines(chars)
        data.in_table = [any(t.contains((ln.x0 + ln.x1) / 2, ln.cy, 1.0) for t in data.tables) for ln in data.lines]
        centres = sorted(ln.cy for ln in data.lines)
        for t in data.tables:
            t.line_no = _line_no(centres, t.top)
            t.row_line_nos = [_line_no(centres, y) for y in t.row_bounds[:-1]]
        return data
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def _line_no(sorted_centres: list[float], y: float) -> int:
    """1-based number of the first visual line at or below ``y``."""
    return bisect_left(sorted_centres, y) + 1


# --- whole document ----------------------------------------------------------------------


def _running_lines(pages: list[_PageData], settings: PdfSettings) -> set[tuple[int, int]]:
    """(page index, line index) of running headers/footers and bare page numbers."""
    text_pages = [p for p in pages if p.lines]
    candidates: dict[tuple[int, int], str] = {}
    for pi, p in enumerate(pages):
        body = [i for i, ln in enumerate(p.lines) if not p.in_table[i]]
        if not body:
            continue
        first_table = min((t.top for t in p.tables), default=math.inf)
        last_table = max((t.bottom for t in p.tables), default=-math.inf)
        zone = settings.header_zone * p.height
        for i in body[:2]:
            ln = p.lines[i]
            if ln.bottom <= zone and ln.bottom <= first_table:
                candidates[(pi, i)] = "T" + _DIGITS.sub("#", "".join(ln.text.split()))
        for i in body[-2:]:
            ln = p.lines[i]
            if ln.top >= p.height - zone and ln.top >= last_table:
                candidates[(pi, i)] = "B" + _DIGITS.sub("#", "".join(ln.text.split()))
    pages_with: dict[str, set[int]] = defaultdict(set)
    for (pi, _), key in candidates.items():
        pages_with[key].add(pi)
    need = max(2, math.ceil(settings.header_min_share * len(text_pages)))
    drop: set[tuple[int, int]] = set()
    for (pi, i), key in candidates.items():
        if len(pages_with[key]) >= need or _BARE_PAGE_NO.match(pages[pi].lines[i].text):
            drop.add((pi, i))
    return drop


def _margins(pages: list[_PageData], drop: set[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """(left, right) text margins per page width (portrait and landscape pages differ).

    Taken from the body lines (10th/90th percentile of their ends); with fewer than
    10 body lines the tables' edges count too.
    """
    starts: dict[int, list[float]] = defaultdict(list)
    ends: dict[int, list[float]] = defaultdict(list)
    table_edges: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for pi, p in enumerate(pages):
        key = round(p.width)
        for i, ln in enumerate(p.lines):
            if not p.in_table[i] and (pi, i) not in drop:
                starts[key].append(ln.x0)
                ends[key].append(ln.x1)
        if p.tables:
            table_edges[key] += [(t.bbox[0], t.bbox[2]) for t in p.tables]
    out: dict[int, tuple[float, float]] = {}
    for key in set(ends) | set(table_edges):
        xs0, xs1 = sorted(starts[key]), sorted(ends[key])
        if len(xs1) >= 10:
            out[key] = (xs0[int(0.1 * (len(xs0) - 1))], xs1[int(0.9 * (len(xs1) - 1))])
        else:
            xs0 += [e[0] for e in table_edges[key]]
            xs1 += [e[1] for e in table_edges[key]]
            out[key] = (min(xs0), max(xs1))
    return out


def _centred(ln: Line, left: float, right: float) -> bool:
    """A line set in the middle of the text area (a heading), which is never a wrap."""
    lgap, rgap = ln.x0 - left, right - ln.x1
    return lgap > 2 * ln.height and rgap > 2 * ln.height and abs(lgap - rgap) < 0.35 * ln.height


def _typical_pitch(pages: list[_PageData], drop: set[tuple[int, int]]) -> float | None:
    """Median top-to-top distance of consecutive body lines of the same height, in line heights."""
    ratios: list[float] = []
    for pi, p in enumerate(pages):
        prev: Line | None = None
        for i, ln in enumerate(p.lines):
            if p.in_table[i] or (pi, i) in drop:
                prev = None
                continue
            if prev is not None and 0.8 < ln.height / prev.height < 1.25:
                ratios.append((ln.top - prev.top) / prev.height)
            prev = ln
    ratios = [r for r in ratios if r > 0.5]
    return median(ratios) if ratios else None


def _spaces_marked(pages: list[_PageData]) -> bool:
    """Does the producer keep the space at which a line was wrapped (LibreOffice)?
    Then a wrap without a trailing space is inside a word."""
    n = trailing = 0
    for p in pages:
        for ln in p.lines:
            n += 1
            trailing += ln.trailing_space
        for t in p.tables:
            for cell in t.cells:
                for ln in cell.lines[:-1]:
                    n += 1
                    trailing += ln.trailing_space
    return trailing >= 3 and trailing >= 0.01 * n


@dataclass
class _Layout:
    """Document-wide measures the wrap rule needs."""

    left: float
    right: float
    max_pitch_em: float | None
    spaces_marked: bool


def _paragraphs(lines: list[tuple[int, Line]], lay: _Layout, settings: PdfSettings) -> list[tuple[int, str]]:
    """Join wrapped lines (consecutive, no table between) into paragraphs:
    (1-based line number of the first line, text)."""
    out: list[tuple[int, str]] = []
    prev: Line | None = None
    for i, ln in lines:
        if prev is not None and not _centred(prev, lay.left, lay.right):
            if is_wrap(
                prev,
                ln,
                lay.right,
                max_gap=settings.max_wrap_gap_em * prev.height,
                max_pitch=lay.max_pitch_em * prev.height if lay.max_pitch_em else None,
                indent_tol=0.5 * prev.height,
            ):
                no, text = out[-1]
                out[-1] = (no, text + join_char(text, ln.text, prev.trailing_space, lay.spaces_marked) + ln.text)
                prev = ln
                continue
        out.append((i + 1, ln.text))
        prev = ln
    return out


def _assemble(path: str, pages: list[_PageData], settings: PdfSettings, problems: list[Problem]) -> Document:
    drop = _running_lines(pages, settings)
    margins = _margins(pages, drop)
    pitch = _typical_pitch(pages, drop)
    spaces_marked = _spaces_marked(pages)
    blocks: list[Block | TableBuilder] = []
    open_table: TableBuilder | None = None  # the table that ended the previous page
    for pi, p in enumerate(pages):
        for t in p.tables:
            t.fill_text(max_gap_em=settings.max_cell_wrap_gap_em, spaces_marked=spaces_marked)
        items: list[tuple[float, int, Line | PageTable]] = [
            (ln.top, i, ln) for i, ln in enumerate(p.lines) if not p.in_table[i] and (pi, i) not in drop
        ]
        items += [(t.top, -1, t) for t in p.tables]
        items.sort(key=lambda it: (it[0], it[1]))
        left, right = margins.get(round(p.width), (0.0, p.width))
        lay = _Layout(left, right, settings.max_pitch_factor * pitch if pitch else None, spaces_marked)
        run: list[tuple[int, Line]] = []
        for n, (_, i, item) in enumerate(items):
            if isinstance(item, Line):
                run.append((i, item))
                continue
            blocks.extend(
                TextLine(text, SourceRef(page=p.number, line=no)) for no, text in _paragraphs(run, lay, settings)
            )
            run = []
            if n == 0 and open_table is not None and open_table.can_continue(item, settings.column_tolerance):
                open_table.add(item)
            else:
                open_table = TableBuilder(item, spaces_marked=spaces_marked, max_header_rows=settings.max_header_rows)
                blocks.append(open_table)
        blocks.extend(TextLine(text, SourceRef(page=p.number, line=no)) for no, text in _paragraphs(run, lay, settings))
        if not items or not isinstance(items[-1][2], PageTable):
            open_table = None
    out: list[Block] = [b.table() if isinstance(b, TableBuilder) else b for b in blocks]
    no_text = [p.number for p in pages if p.no_text]
    if no_text:
        problems.append(
            Problem(
                "NO_TEXT_LAYER",
                "warning",
                f"{len(no_text)} of {len(pages)} pages have no text layer (scanned?) and were not read: "
                f"page{'s' if len(no_text) > 1 else ''} {_ranges(no_text)}",
                SourceRef(page=no_text[0]),
            )
        )
    return Document(path=path, format="pdf", blocks=out, n_pages=len(pages), problems=problems)


def _ranges(nums: list[int]) -> str:
    """Compact page list.

    >>> _ranges([1, 2, 3, 5, 7, 8])
    '1-3, 5, 7-8'
    """
    out: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)


def read_pdf(path: str, settings: PdfSettings | None = None) -> Document:
    """Read a born-digital PDF into a :class:`~prongsai.model.Document`.

    Raises :class:`~prongsai.model.ExtractError` when the file cannot be read at
    all (missing, not a PDF, damaged, encrypted).
    """
    settings = settings or PdfSettings()
    doc = _open(path)
    problems: list[Problem] = []
    plumber = _Plumber(str(path), settings, problems)
    pages: list[_PageData] = []
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise ExtractError("not a valid PDF (no pages)")
        for index in range(n_pages):
            try:
                pages.append(_read_page(doc, index, plumber, settings))
            except pdfium.PdfiumError as e:
                problems.append(
                    Problem(
                        "PAGE_UNREADABLE", "warning", f"page {index + 1} cannot be read: {e}", SourceRef(page=index + 1)
                    )
                )
                pages.append(_PageData(index + 1, 0.0, 0.0))
    finally:
        plumber.close()
        doc.close()
    return _assemble(str(path), pages, settings, problems)


__all__ = ["PdfSettings", "read_pdf"]
