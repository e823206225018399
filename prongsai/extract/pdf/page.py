"""One page read with pdfium: characters, ruling lines, tables and visual lines, diagnosed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.diagnose import PageDiagnosis, diagnose_text
from prongsai.extract.pdf.chars import (
    BASE,
    BREAK,
    MARK,
    Char,
    Glyph,
    cid_tones_as_codes,
    page_matrix,
    plumber_chars,
    read_chars,
)
from prongsai.extract.pdf.flow import flow_chars
from prongsai.extract.pdf.lines import Line, build_lines
from prongsai.extract.pdf.rulings import Box, page_edges, table_cells
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.tables import PageTable
from prongsai.model import Block
from prongsai.normalize.thai import repair_by_line


@dataclass
class PageData:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    in_table: list[bool] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    #: few characters and an image: a scan
    no_text: bool = False
    #: something OCR could read is drawn (an image, or many paths)
    drawn: bool = False
    #: the cell boxes of each table the ruling lines make (used again for the text flow)
    boxes: list[list[Box]] = field(default_factory=list)
    #: why table detection failed on this page (the page is read without tables)
    table_error: str | None = None
    #: control characters pdfium gave (dropped from the text)
    controls: int = 0
    diagnosis: PageDiagnosis | None = None
    #: the diagnosis of the pypdfium2 text (``diagnosis`` is that of the text kept)
    first_diagnosis: PageDiagnosis | None = None
    #: where the page's text comes from: pdfium (its text page) | flow (glyphs in content-stream order) | ocr
    source: str = "pdfium"
    #: the blocks OCR read (replacing the text layer)
    ocr_blocks: list[Block] | None = None
    #: the text-flow reading of a page whose text is not good, laid out while the page was open
    #: and left for the document-wide glyph inference (it has unmapped glyphs)
    flow: FlowReading | None = None
    #: the text flow was read and judged with the page (it needs nothing of other pages)
    flow_judged: bool = False

    def text(self) -> str:
        """All visual lines of the page (table lines included), for the diagnosis."""
        return "\n".join(ln.text for ln in self.lines)


def _has_objects(page: pdfium.PdfPage, kind: int) -> bool:
    for _ in page.get_objects(filter=[kind], max_depth=3):
        return True
    return False


def _assign_to_tables(chars: list[Char], tables: list[PageTable]) -> None:
    """Give each character to the table cell its centre lies in (a combining mark
    goes with the character before it)."""
    target: list[Char] | None = None
    last_y = 0.0
    boxes = [(t, *t.bbox, t.row_bounds, t.col_bounds, t.n_rows - 1, t.n_cols - 1) for t in tables]
    for ch in chars:
        kind = ch.kind
        if kind == BREAK:
            continue
        if kind == MARK:
            if target is not None:
                target.append(ch)
            continue
        if kind == BASE:
            y = last_y = (ch.top + ch.bottom) / 2
        else:
            y = last_y
        x = (ch.x0 + ch.x1) / 2
        target = None
        for t, x0, top, x1, bottom, rows, cols, last_r, last_c in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:  # PageTable.cell_at, inlined
                r = min(max(bisect_right(rows, y) - 1, 0), last_r)
                c = min(max(bisect_right(cols, x) - 1, 0), last_c)
                target = t.cells[t.grid[r][c]].chars
                target.append(ch)
                break


def _count_objects(page: pdfium.PdfPage, kind: int, limit: int) -> int:
    n = 0
    for _ in page.get_objects(filter=[kind], max_depth=3):
        n += 1
        if n >= limit:
            break
    return n


def read_page(doc: pdfium.PdfDocument, index: int, settings: PdfSettings) -> PageData:
    """Page ``index`` read with pypdfium2: characters, ruling lines and the table grids they
    make (:mod:`prongsai.extract.pdf.rulings`), visual lines, diagnosed."""
    page = doc[index]
    textpage = None
    try:
        m, width, height = page_matrix(page)
        data = PageData(index + 1, width, height)
        textpage = page.get_textpage()
        read = read_chars(textpage, m, height)
        chars, data.controls = read.chars, read.controls
        n_base = sum(1 for c in chars if c.kind == BASE)
        if n_base < settings.min_text_chars:
            has_image = _has_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE)
            paths = _count_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH, settings.ocr_min_paths)
            data.drawn = has_image or paths >= settings.ocr_min_paths
            if has_image or n_base == 0:
                # a scan (perhaps with a stamped page number), or a blank page
                data.no_text = has_image
                text = "".join(c.text for c in chars)
                diag = diagnose_text(text, settings.diagnosis, controls=data.controls)
                if diag.status != "empty":
                    diag = PageDiagnosis("empty", f"{n_base} characters on a page with an image", diag.signals)
                data.diagnosis = data.first_diagnosis = diag
                return data
        if settings.detect_tables:
            try:
                edges = page_edges(page, m, height)
                data.boxes = table_cells(edges, width, height, settings.table_settings) if edges else []
            except Exception as e:  # noqa: BLE001 - a page without tables is still read
                data.table_error = f"{type(e).__name__}: {e}"
        layout_lines(data, chars)
        data.diagnosis = data.first_diagnosis = diagnose_text(data.text(), settings.diagnosis, controls=data.controls)
        if settings.text_fallback and settings.text_flow == "pdfium" and wants_text_flow(data):
            objs = flow_chars(page, textpage, m, height, read)
            flow_chars_ = plumber_chars(objs, space_gap_em=settings.space_gap_em)
            flow = _flow_reading(data, objs, flow_chars_, settings)
            if flow.cid_counts:  # judged with the whole document's glyph inference
                layout_tables(flow.page, flow_chars_, settings)
                data.flow = flow
            else:  # judged now, and only the text kept is laid out in tables
                data.flow_judged = flow.page.flow_judged = True
                if flow_wins(data, flow.page, settings):
                    layout_tables(flow.page, flow_chars_, settings)
                    return flow.page
        layout_tables(data, chars, settings)
        return data
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


@dataclass
class FlowReading:
    """A page read from its glyphs in content-stream order (the text flow), laid out with
    its unmapped glyphs still ``(cid:NNN)``, and what the document-wide glyph inference
    needs of it; the glyphs themselves are not kept (memory stays flat over long files)."""

    page: PageData
    #: occurrences of each ``(cid:NNN)`` glyph
    cid_counts: dict[str, int]
    #: ... and whether every occurrence is drawn without advance (a combining mark)
    cid_zero: dict[str, bool]
    #: the text of the candidate's lines that hold such glyphs
    cid_lines: list[str]


def read_flow(data: PageData, objs: list[Glyph], settings: PdfSettings) -> FlowReading:
    """The text-flow candidate of page ``data`` from its glyphs ``objs`` (in content-stream
    order), laid out."""
    chars = plumber_chars(objs, space_gap_em=settings.space_gap_em)
    flow = _flow_reading(data, objs, chars, settings)
    layout_tables(flow.page, chars, settings)
    return flow


def _flow_reading(data: PageData, objs: list[Glyph], chars: list[Char], settings: PdfSettings) -> FlowReading:
    """:func:`read_flow` with the candidate's visual lines only (no tables yet)."""
    cand = PageData(data.number, data.width, data.height, boxes=data.boxes, drawn=data.drawn, source="flow")
    layout_lines(cand, chars)
    controls = 0
    counts: dict[str, int] = {}
    zero: dict[str, bool] = {}
    for t, x0, x1, _, _, size in objs:
        if len(t) == 1:
            controls += ord(t) < 0x20 and t not in "\t\n\r"
        elif t.startswith("(cid:"):
            counts[t] = counts.get(t, 0) + 1
            zero[t] = zero.get(t, True) and x1 - x0 <= 0.05 * (size or 10.0)
    cand.controls = controls
    cid_lines = [ln.text for ln in cand.lines if "(cid:" in ln.text] if counts else []
    return FlowReading(cand, counts, zero, cid_lines)


def flow_wins(p: PageData, cand: PageData, settings: PdfSettings) -> bool:
    """Diagnose the text-flow candidate ``cand`` of page ``p`` and say whether its text is
    the better one: a higher dictionary-word share after repair (ties keep pypdfium2),
    keeping most of the Thai characters."""
    assert p.diagnosis is not None
    text = cand.text()
    cand.diagnosis = diagnose_text(
        text, settings.diagnosis, controls=cand.controls, repaired=repair_by_line(cid_tones_as_codes(text))
    )
    cand.first_diagnosis = p.first_diagnosis
    old, new = p.diagnosis.signals, cand.diagnosis.signals
    return new.word_share > old.word_share and new.thai_chars >= settings.min_fallback_thai_share * old.thai_chars


def wants_text_flow(p: PageData) -> bool:
    """Is the page's text worth reading again in stream order? Not ``good``, and not a page
    whose every Thai token is a word already (it cannot lose: ties keep pypdfium2)."""
    d = p.diagnosis
    return (
        d is not None
        and d.status in ("repairable", "unusable")
        and (d.signals.word_share < 1.0 or d.status == "unusable")
    )


def layout_page(data: PageData, chars: list[Char], settings: PdfSettings) -> None:
    """Visual lines and tables (from ``data.boxes``) of a page from its characters."""
    layout_lines(data, chars)
    layout_tables(data, chars, settings)


def layout_lines(data: PageData, chars: list[Char]) -> None:
    """The visual lines of a page (table text included) from its characters."""
    data.lines = build_lines(chars, reorder=data.source == "pdfium")  # the text flow's order is kept as it is


def layout_tables(data: PageData, chars: list[Char], settings: PdfSettings) -> None:
    """The tables of a page laid out (:func:`layout_lines` first): each cell's lines, and
    which visual lines lie in a table."""
    data.tables = []
    for boxes in data.boxes:
        t = PageTable.from_cells(data.number, boxes, settings.grid_tolerance)
        if t is not None:
            data.tables.append(t)
    if data.tables:
        _assign_to_tables(chars, data.tables)
        for t in data.tables:
            t.build_cell_lines(reorder=data.source == "pdfium")
    data.in_table = [any(t.contains((ln.x0 + ln.x1) / 2, ln.cy, 1.0) for t in data.tables) for ln in data.lines]
    centres = sorted(ln.cy for ln in data.lines)
    for t in data.tables:
        t.line_no = _line_no(centres, t.top)
        t.row_line_nos = [_line_no(centres, y) for y in t.row_bounds[:-1]]


def _line_no(sorted_centres: list[float], y: float) -> int:
    """1-based number of the first visual line at or below ``y``."""
    return bisect_left(sorted_centres, y) + 1

