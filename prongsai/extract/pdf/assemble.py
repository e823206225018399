"""The pages of a document put together: running headers and footers dropped, wrapped
lines joined into paragraphs, tables stitched over page breaks."""

from __future__ import annotations

import math
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from prongsai.diagnostics import WarningCode
from prongsai.extract.pdf.lines import Line, is_wrap, join_char
from prongsai.extract.pdf.page import PageData
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.spool import PageSpool
from prongsai.extract.pdf.tables import PageTable, TableBuilder
from prongsai.model import Block, Document, Problem, SourceRef, Table, TextLine
from prongsai.normalize.registry import data_yaml, words_pattern

_PAGE_WORDS = words_pattern(data_yaml("plan_vocab.yaml")["page_words"])  # หน้า, page, p.
_BARE_PAGE_NO = re.compile(
    rf"^[\s\-–—(\[]*(?:{_PAGE_WORDS})?\s*[0-9๐-๙]{{1,4}}(?:\s*/\s*[0-9๐-๙]{{1,4}})?[\s\-–—)\]]*$", re.I
)
_DIGITS = re.compile(r"[0-9๐-๙]+")

# --- whole document ----------------------------------------------------------------------


@dataclass
class _PageMeasure:
    """What the document-wide measures need of one page, taken in one pass over it (a
    packed page is unpacked once for them)."""

    #: the page width, rounded (portrait and landscape pages have their own margins)
    width_key: int
    has_lines: bool
    #: line index -> key of the lines that may be running headers or footers: ``T``/``B``
    #: and the text without spaces, digits as ``#``
    candidates: dict[int, str] = field(default_factory=dict)
    #: ... those that are bare page numbers
    bare: set[int] = field(default_factory=set)
    #: the body lines (not in a table): line index, x0, x1, top, height
    index: array[int] = field(default_factory=lambda: array("l"))
    x0: array[float] = field(default_factory=lambda: array("d"))
    x1: array[float] = field(default_factory=lambda: array("d"))
    top: array[float] = field(default_factory=lambda: array("d"))
    height: array[float] = field(default_factory=lambda: array("d"))
    #: (left, right) edges of the page's tables
    table_edges: list[tuple[float, float]] = field(default_factory=list)
    #: lines (running and inside cells, the last of a cell excepted) and those keeping a trailing space
    n_lines: int = 0
    n_trailing: int = 0


def _measure(p: PageData, settings: PdfSettings) -> _PageMeasure:
    m = _PageMeasure(round(p.width), bool(p.lines))
    body = [i for i, ln in enumerate(p.lines) if not p.in_table[i]]
    if body:
        first_table = min((t.top for t in p.tables), default=math.inf)
        last_table = max((t.bottom for t in p.tables), default=-math.inf)
        zone = settings.header_zone * p.height
        for i in body[:2]:
            ln = p.lines[i]
            if ln.bottom <= zone and ln.bottom <= first_table:
                m.candidates[i] = "T" + _DIGITS.sub("#", "".join(ln.text.split()))
        for i in body[-2:]:
            ln = p.lines[i]
            if ln.top >= p.height - zone and ln.top >= last_table:
                m.candidates[i] = "B" + _DIGITS.sub("#", "".join(ln.text.split()))
        m.bare = {i for i in m.candidates if _BARE_PAGE_NO.match(p.lines[i].text)}
    for i in body:
        ln = p.lines[i]
        m.index.append(i)
        m.x0.append(ln.x0)
        m.x1.append(ln.x1)
        m.top.append(ln.top)
        m.height.append(ln.height)
    m.table_edges = [(t.bbox[0], t.bbox[2]) for t in p.tables]
    m.n_lines = len(p.lines)
    m.n_trailing = sum(ln.trailing_space for ln in p.lines)
    for t in p.tables:
        for cell in t.cells:
            m.n_lines += len(cell.lines[:-1])
            m.n_trailing += sum(ln.trailing_space for ln in cell.lines[:-1])
    return m


def _running_lines(measures: list[_PageMeasure], settings: PdfSettings) -> set[tuple[int, int]]:
    """(page index, line index) of running headers/footers and bare page numbers."""
    pages_with: dict[str, set[int]] = defaultdict(set)
    for pi, m in enumerate(measures):
        for key in m.candidates.values():
            pages_with[key].add(pi)
    need = max(2, math.ceil(settings.header_min_share * sum(m.has_lines for m in measures)))
    drop: set[tuple[int, int]] = set()
    for pi, m in enumerate(measures):
        for i, key in m.candidates.items():
            if len(pages_with[key]) >= need or i in m.bare:
                drop.add((pi, i))
    return drop


def _margins(measures: list[_PageMeasure], drop: set[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """(left, right) text margins per page width (portrait and landscape pages differ).

    Taken from the body lines (10th/90th percentile of their ends); with fewer than
    10 body lines the tables' edges count too.
    """
    starts: dict[int, list[float]] = defaultdict(list)
    ends: dict[int, list[float]] = defaultdict(list)
    table_edges: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for pi, m in enumerate(measures):
        key = m.width_key
        for k, i in enumerate(m.index):
            if (pi, i) not in drop:
                starts[key].append(m.x0[k])
                ends[key].append(m.x1[k])
        if m.table_edges:
            table_edges[key] += m.table_edges
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


def _typical_pitch(measures: list[_PageMeasure], drop: set[tuple[int, int]]) -> float | None:
    """Median top-to-top distance of consecutive body lines of the same height, in line heights
    (a table line or a dropped line between two lines breaks the run)."""
    ratios: list[float] = []
    for pi, m in enumerate(measures):
        prev = -1  # the body entry of the line before, if it counts
        for k, i in enumerate(m.index):
            if (pi, i) in drop:
                prev = -1
                continue
            if prev >= 0 and m.index[prev] == i - 1 and 0.8 < m.height[k] / m.height[prev] < 1.25:
                ratios.append((m.top[k] - m.top[prev]) / m.height[prev])
            prev = k
    ratios = [r for r in ratios if r > 0.5]
    return median(ratios) if ratios else None


def _spaces_marked(measures: list[_PageMeasure]) -> bool:
    """Does the producer keep the space at which a line was wrapped (LibreOffice)?
    Then a wrap without a trailing space is inside a word."""
    n = sum(m.n_lines for m in measures)
    trailing = sum(m.n_trailing for m in measures)
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


class _Blocks:
    """The document's blocks as its pages are put together. A table that goes on over a
    page break is built by a :class:`TableBuilder`, made a :class:`Table` as soon as the
    next page does not continue it (what the builder holds is let go then)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.open: TableBuilder | None = None  # the table that ended the previous page
        self._open_at = -1

    def start_table(self, builder: TableBuilder) -> None:
        self.close_table()
        self.open, self._open_at = builder, len(self.blocks)
        self.blocks.append(Table([], builder.ref))  # its place, filled in by close_table

    def close_table(self) -> None:
        if self.open is not None:
            self.blocks[self._open_at] = self.open.table()
            self.open = None


def _put_page(out: _Blocks, pi: int, p: PageData, drop: set[tuple[int, int]], lay: _Layout, settings: PdfSettings) -> None:
    """Page ``p``'s running text (paragraphs) and tables, in reading order, onto ``out``."""
    if p.ocr_blocks is not None:
        out.close_table()
        out.blocks.extend(p.ocr_blocks)
        return
    for t in p.tables:
        t.fill_text(max_gap_em=settings.max_cell_wrap_gap_em, spaces_marked=lay.spaces_marked)
    items: list[tuple[float, int, Line | PageTable]] = [
        (ln.top, i, ln) for i, ln in enumerate(p.lines) if not p.in_table[i] and (pi, i) not in drop
    ]
    items += [(t.top, -1, t) for t in p.tables]
    items.sort(key=lambda it: (it[0], it[1]))
    run: list[tuple[int, Line]] = []
    for n, (_, i, item) in enumerate(items):
        if isinstance(item, Line):
            run.append((i, item))
            continue
        out.blocks.extend(TextLine(text, SourceRef(page=p.number, line=no)) for no, text in _paragraphs(run, lay, settings))
        run = []
        if n == 0 and out.open is not None and out.open.can_continue(item, settings.column_tolerance):
            out.open.add(item)
        else:
            out.start_table(TableBuilder(item, spaces_marked=lay.spaces_marked, max_header_rows=settings.max_header_rows))
    out.blocks.extend(TextLine(text, SourceRef(page=p.number, line=no)) for no, text in _paragraphs(run, lay, settings))
    if not items or not isinstance(items[-1][2], PageTable):
        out.close_table()


def assemble(path: str, pages: PageSpool, settings: PdfSettings, problems: list[Problem]) -> Document:
    """The Document of the pages read: the document-wide measures first (one pass), then
    the blocks page by page (a second pass, each packed page unpacked once more)."""
    measures = [_measure(p, settings) for p in pages]
    drop = _running_lines(measures, settings)
    margins = _margins(measures, drop)
    pitch = _typical_pitch(measures, drop)
    spaces_marked = _spaces_marked(measures)
    del measures
    max_pitch = settings.max_pitch_factor * pitch if pitch else None
    blocks = _Blocks()
    for pi, p in enumerate(pages):
        left, right = margins.get(round(p.width), (0.0, p.width))
        _put_page(blocks, pi, p, drop, _Layout(left, right, max_pitch, spaces_marked), settings)
    blocks.close_table()
    out = blocks.blocks
    heads = [pages.head(i) for i in range(len(pages))]
    no_text = [p.number for p in heads if p.no_text and not p.ocr_blocks]
    if no_text:
        problems.append(
            Problem(
                WarningCode.NO_TEXT_LAYER,
                "warning",
                f"{len(no_text)} of {len(pages)} pages have no text layer (scanned?) and were not read: "
                f"page{'s' if len(no_text) > 1 else ''} {page_ranges(no_text)}",
                SourceRef(page=no_text[0]),
            )
        )
    with_content = {b.ref.page for b in out}
    ocr_pages = {p.number for p in heads if p.ocr_blocks}
    if not ocr_pages:
        source = "text"
    elif with_content <= ocr_pages:
        source = "ocr"
    else:
        source = "mixed"
    return Document(path=path, format="pdf", blocks=out, n_pages=len(pages), text_source=source, problems=problems)


def page_ranges(nums: list[int]) -> str:
    """Compact page list.

    >>> page_ranges([1, 2, 3, 5, 7, 8]), page_ranges([])
    ('1-3, 5, 7-8', '')
    """
    if not nums:
        return ""
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

