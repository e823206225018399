"""Tables on one page (:class:`PageTable`: cell boxes turned into a grid with merged
cells resolved, cell text from the characters in each cell) and the stitching of a table
that continues over several pages into one :class:`prongsai.model.Table`
(:class:`TableBuilder`)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from prongsai.extract.pdf.chars import Char
from prongsai.extract.pdf.lines import Line, build_lines, is_wrap, join_char, starts_with_marker
from prongsai.model import SourceRef, Table

# --- tables ----------------------------------------------------------------------


def _cluster(values: Iterable[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float, tol: float) -> int:
    """Index of the boundary in ``bounds`` nearest below ``v`` (+tol)."""
    return max(bisect_right(bounds, v + tol) - 1, 0)


@dataclass
class Cell:
    """One (possibly merged) cell of a page table."""

    r0: int
    r1: int  # inclusive
    c0: int
    c1: int  # inclusive
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    chars: list[Char] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    trailing_space: bool = False
    #: the top of each ``"\n"``-separated line of ``text`` (points from the page top)
    tops: list[float] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return self.r1 - self.r0 + 1


@dataclass
class PageTable:
    """A table on one page: pdfplumber's cell boxes as a grid."""

    page: int
    bbox: tuple[float, float, float, float]
    col_bounds: list[float]  # n_cols + 1 x positions
    row_bounds: list[float]  # n_rows + 1 y positions
    cells: list[Cell]
    grid: list[list[int]]  # cell index at each (row, col)
    line_no: int = 1
    row_line_nos: list[int] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.row_bounds) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_bounds) - 1

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @classmethod
    def from_cells(cls, page: int, boxes: Sequence[tuple[float, float, float, float]], tol: float) -> PageTable | None:
        """Build the grid from cell boxes ``(x0, top, x1, bottom)``; None if not a real table."""
        if len(boxes) < 2:
            return None
        xs = _cluster([b[0] for b in boxes] + [max(b[2] for b in boxes)], tol)
        ys = _cluster([b[1] for b in boxes] + [max(b[3] for b in boxes)], tol)
        if len(xs) < 2 or len(ys) < 2:
            return None
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        grid = [[-1] * n_cols for _ in range(n_rows)]
        cells: list[Cell] = []
        for b in sorted(boxes, key=lambda b: (b[1], b[0])):
            r0 = _index(ys, b[1], tol)
            c0 = _index(xs, b[0], tol)
            r1 = max(min(_index(ys, b[3] - 2 * tol, 0.0), n_rows - 1), r0)
            c1 = max(min(_index(xs, b[2] - 2 * tol, 0.0), n_cols - 1), c0)
            if grid[r0][c0] != -1:
                continue
            idx = len(cells)
            cells.append(Cell(r0, r1, c0, c1, (b[0], b[1], b[2], b[3])))
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if grid[r][c] == -1:
                        grid[r][c] = idx
        # positions no box covers (irregular grids): give them an empty cell
        for r in range(n_rows):
            for c in range(n_cols):
                if grid[r][c] == -1:
                    grid[r][c] = len(cells)
                    cells.append(Cell(r, r, c, c, (xs[c], ys[r], xs[c + 1], ys[r + 1])))
        bbox = (xs[0], ys[0], xs[-1], ys[-1])
        return cls(page, bbox, xs, ys, cells, grid)

    def contains(self, x: float, y: float, tol: float = 0.0) -> bool:
        x0, t, x1, b = self.bbox
        return x0 - tol <= x <= x1 + tol and t - tol <= y <= b + tol

    def cell_at(self, x: float, y: float) -> int:
        """Index of the cell containing the point, or -1."""
        if not self.contains(x, y):
            return -1
        r = min(max(bisect_right(self.row_bounds, y) - 1, 0), self.n_rows - 1)
        c = min(max(bisect_right(self.col_bounds, x) - 1, 0), self.n_cols - 1)
        return self.grid[r][c]

    def build_cell_lines(self, *, reorder: bool = True) -> None:
        """Turn every cell's characters into visual lines (drops the characters)."""
        for cell in self.cells:
            cell.lines = build_lines(cell.chars, reorder=reorder)
            cell.chars = []

    def fill_text(self, *, max_gap_em: float, spaces_marked: bool) -> None:
        """Set every cell's text from its lines: lines joined by ``\\n``, wrapped
        lines joined by :func:`join_char`."""
        for cell in self.cells:
            cell.text, cell.trailing_space, cell.tops = join_cell_lines(
                cell.lines, cell.bbox, max_gap_em=max_gap_em, spaces_marked=spaces_marked
            )
            cell.lines = []

    def rows_text(self) -> list[list[str]]:
        return [[self.cells[i].text for i in row] for row in self.grid]


_FIGURE = re.compile(r"^[-+(]?[0-9๐-๙]{1,3}(?:,[0-9๐-๙]{3})+(?:\.[0-9๐-๙]+)?\)?$|^[0-9๐-๙]+\.[0-9๐-๙]+$")


def is_figure(text: str) -> bool:
    """A whole amount as tables print it (thousands grouped, or with decimals): a line
    that is one never continues on the next line.

    >>> [is_figure(s) for s in ("30,000", "1,250,000.50", "478.9665", "121,00", "2565", "-")]
    [True, True, True, False, False, False]
    """
    return bool(_FIGURE.match(text))


def join_cell_lines(
    lines: list[Line], bbox: tuple[float, float, float, float], *, max_gap_em: float, spaces_marked: bool
) -> tuple[str, bool, list[float]]:
    """Cell text from its visual lines; returns (text, last line had a trailing space,
    the top of each ``"\n"``-separated line of the text).

    The usable right edge is the cell's right border minus the same padding as
    on the left (the median left offset of its lines). A line is not wrapped onto
    the next when (besides :func:`is_wrap`) both are whole figures (``30,000`` over
    ``20,000``: items stacked in one cell), or when the next line's first word would
    have fitted in the free width of a right-aligned or centred line (counting the
    space on its left too). An empty cell has one empty line at its top.
    """
    if not lines:
        return "", False, [bbox[1]]
    x0, _, x1, _ = bbox
    pad = sorted(ln.x0 for ln in lines)[(len(lines) - 1) // 2] - x0
    pad = min(max(pad, 0.0), 0.25 * (x1 - x0))
    right = x1 - pad
    edge = max(min(min(ln.x0 - x0, x1 - ln.x1) for ln in lines), 0.0)  # the padding on the tighter side
    flush = min(ln.x0 for ln in lines)  # where left-aligned lines start
    parts = [lines[0].text]
    tops = [lines[0].top]
    for prev, ln in zip(lines, lines[1:], strict=False):
        aligned = prev.x0 > flush + 0.35 * prev.height  # right-aligned or centred
        slack = (x1 - x0 - 2 * edge) - (prev.x1 - prev.x0)
        if (
            is_wrap(prev, ln, right, max_gap=max_gap_em * prev.height, max_pitch=2.2 * prev.height)
            and not (is_figure(prev.text) and is_figure(ln.text))
            and not (aligned and slack >= ln.head_width + 0.35 * prev.height)
        ):
            parts.append(join_char(parts[-1], ln.text, prev.trailing_space, spaces_marked))
        else:
            parts.append("\n")
            tops.append(ln.top)
        parts.append(ln.text)
    return "".join(parts), lines[-1].trailing_space, tops


# --- stitching tables across pages ------------------------------------------------------


def _norm(s: str) -> str:
    return "".join(s.split())


def columns_match(a: PageTable, b: PageTable, tol: float) -> bool:
    """Same number of columns with the same boundaries (within ``tol``)."""
    if a.n_cols != b.n_cols:
        return False
    return all(abs(x - y) <= tol for x, y in zip(a.col_bounds, b.col_bounds, strict=True))


@dataclass
class _Region:
    """A merged cell of the stitched table (may grow over page breaks)."""

    positions: list[tuple[int, int]]
    text: str
    trailing_space: bool
    tops: list[float]
    c0: int
    c1: int
    rows: set[int]


class TableBuilder:
    """Accumulates the page parts of one table into a :class:`Table`.

    Header rows repeated below the top of the table (at the top of a continuation
    page, or where pdfplumber took two touching tables with the same header for
    one) are dropped: a run of rows equal, whitespace-insensitively, to the first
    rows of the table. A vertically merged cell cut by a page break continues into
    the next part (see :meth:`_append`).
    """

    def __init__(self, first: PageTable, *, spaces_marked: bool, max_header_rows: int = 6) -> None:
        self.rows: list[list[str]] = []
        self.row_refs: list[SourceRef] = []
        self.spanned: set[tuple[int, int]] = set()
        self.ref = SourceRef(page=first.page, line=first.line_no)
        self.last = first
        self.spaces_marked = spaces_marked
        head = [_norm("\x1f".join(r)) for r in first.rows_text()[:max_header_rows]]
        # a header has letters; a table without one has nothing to repeat
        self.header = head if head and any(ch.isalpha() for ch in head[0]) else []
        self._open: dict[int, _Region] = {}
        self._regions: list[_Region] = []
        self._append(first, first_part=True)

    def can_continue(self, nxt: PageTable, tol: float) -> bool:
        return nxt.page == self.last.page + 1 and columns_match(self.last, nxt, tol)

    def add(self, nxt: PageTable) -> None:
        """Append the continuation ``nxt`` (the caller checked :meth:`can_continue`)."""
        self._append(nxt, first_part=False)
        self.last = nxt

    def _header_run(self, keys: list[str], start: int) -> int:
        """Number of rows from ``start`` that repeat the header rows in order."""
        n = 0
        while start + n < len(keys) and n < len(self.header) and keys[start + n] == self.header[n]:
            n += 1
        return n

    def _append(self, pt: PageTable, *, first_part: bool) -> None:
        texts = pt.rows_text()
        keys = [_norm("\x1f".join(r)) for r in texts]
        dropped: set[int] = set()
        r = 1 if first_part else 0
        while r < pt.n_rows:
            n = self._header_run(keys, r) if keys[r] else 0
            if n:
                dropped.update(range(r, r + n))
                r += n
            else:
                r += 1
        kept = [r for r in range(pt.n_rows) if r not in dropped]
        if not kept:
            return
        where = {r: len(self.rows) + i for i, r in enumerate(kept)}
        for r in kept:
            self.rows.append(list(texts[r]))
            line = pt.row_line_nos[r] if r < len(pt.row_line_nos) else pt.line_no
            self.row_refs.append(SourceRef(page=pt.page, line=line))
        regions: dict[int, _Region] = {}
        for idx, cell in enumerate(pt.cells):
            pos = [
                (where[r], c) for r in range(cell.r0, cell.r1 + 1) if r in where for c in range(cell.c0, cell.c1 + 1)
            ]
            if not pos:
                continue
            self.spanned.update(pos[1:])
            regions[idx] = _Region(
                pos, cell.text, cell.trailing_space, list(cell.tops), cell.c0, cell.c1, {p[0] for p in pos}
            )
            self._regions.append(regions[idx])
        top = kept[0]
        # A vertically merged cell cut by the page break goes on at the top of this
        # part: same columns, a merge on at least one side, and the cell here is
        # empty or does not start a new item (no list/section number).
        for c, prev in list(self._open.items()):
            reg = regions.get(pt.grid[top][c])
            if reg is None or reg is prev or reg.c0 != prev.c0 or reg.c1 != prev.c1:
                continue
            if len(prev.rows) < 2 and len(reg.rows) < 2:
                continue
            if reg.text and starts_with_marker(reg.text):
                continue
            if prev.text and reg.text:
                prev.text += join_char(prev.text, reg.text, prev.trailing_space, self.spaces_marked) + reg.text
                prev.trailing_space = reg.trailing_space
                prev.tops += reg.tops[1:]  # its first line goes on the last line of the part above
            elif reg.text:
                prev.text, prev.trailing_space, prev.tops = reg.text, reg.trailing_space, list(reg.tops)
            prev.positions.extend(reg.positions)
            prev.rows |= reg.rows
            self.spanned.update(reg.positions)
            reg.positions = []  # now part of prev
            for rr, cc in prev.positions:
                self.rows[rr][cc] = prev.text
            regions[pt.grid[top][c]] = prev
        # regions reaching the last row stay open for the next page
        self._open = {}
        for idx in dict.fromkeys(pt.grid[kept[-1]]):
            reg = regions.get(idx)
            if reg is not None and max(reg.rows) == len(self.rows) - 1:
                self._open[reg.c0] = reg

    def table(self) -> Table:
        tops = {pos: list(reg.tops) for reg in self._regions for pos in reg.positions}
        return Table(self.rows, self.ref, self.row_refs, set(self.spanned), tops)
