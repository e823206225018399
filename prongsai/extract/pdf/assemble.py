"""The pages of a document put together: running headers and footers dropped, wrapped
lines joined into paragraphs, tables stitched over page breaks."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from prongsai.diagnostics import WarningCode
from prongsai.extract.pdf.lines import Line, is_wrap, join_char
from prongsai.extract.pdf.page import PageData
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.tables import PageTable, TableBuilder
from prongsai.model import Block, Document, Problem, SourceRef, TextLine
from prongsai.normalize.registry import data_yaml, words_pattern

_PAGE_WORDS = words_pattern(data_yaml("plan_vocab.yaml")["page_words"])  # หน้า, page, p.
_BARE_PAGE_NO = re.compile(
    rf"^[\s\-–—(\[]*(?:{_PAGE_WORDS})?\s*[0-9๐-๙]{{1,4}}(?:\s*/\s*[0-9๐-๙]{{1,4}})?[\s\-–—)\]]*$", re.I
)
_DIGITS = re.compile(r"[0-9๐-๙]+")

# --- whole document ----------------------------------------------------------------------


def _running_lines(pages: list[PageData], settings: PdfSettings) -> set[tuple[int, int]]:
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


def _margins(pages: list[PageData], drop: set[tuple[int, int]]) -> dict[int, tuple[float, float]]:
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


def _typical_pitch(pages: list[PageData], drop: set[tuple[int, int]]) -> float | None:
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


def _spaces_marked(pages: list[PageData]) -> bool:
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


def assemble(path: str, pages: list[PageData], settings: PdfSettings, problems: list[Problem]) -> Document:
    drop = _running_lines(pages, settings)
    margins = _margins(pages, drop)
    pitch = _typical_pitch(pages, drop)
    spaces_marked = _spaces_marked(pages)
    blocks: list[Block | TableBuilder] = []
    open_table: TableBuilder | None = None  # the table that ended the previous page
    for pi, p in enumerate(pages):
        if p.ocr_blocks is not None:
            blocks.extend(p.ocr_blocks)
            open_table = None
            continue
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
    no_text = [p.number for p in pages if p.no_text and not p.ocr_blocks]
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
    ocr_pages = {p.number for p in pages if p.ocr_blocks}
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

