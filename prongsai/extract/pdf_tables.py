"""Geometry helpers for the PDF backend (:mod:`prongsai.extract.pdf`).

* :class:`Char` / :class:`Line` - characters read from pdfium (or from pdfplumber,
  :func:`plumber_chars`) and the visual lines built from them (:func:`build_lines`),
  in a top-down coordinate system (``top`` grows downwards, the same as pdfplumber's);
* :func:`is_wrap` / :func:`join_char` - the line-wrap rule used for running text
  and for the lines inside a table cell;
* :class:`PageTable` - one table found on one page: pdfplumber's cell boxes turned
  into a grid with merged cells resolved, cell text taken from pdfium characters;
* :class:`TableBuilder` - stitches the parts of a table that continues over
  several pages into one :class:`prongsai.model.Table`.

Nothing here opens a file; the helpers only see numbers and strings, so they
are easy to test.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from prongsai.model import SourceRef, Table

# --- characters -----------------------------------------------------------------

BASE, MARK, SPACE, BREAK = 0, 1, 2, 3

_THAI_MARKS = frozenset(chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)))
# Legacy "shifted" glyph code points (Windows PUA) that stand for combining marks.
_PUA_MARKS = frozenset(chr(c) for c in (*range(0xF701, 0xF70F), *range(0xF710, 0xF71B), 0xF71E, 0xF71F))


def char_kind(ch: str) -> int:
    """Classify one character.

    >>> [char_kind(c) for c in ("ก", "\\u0e49", " ", "\\n", "\\uf70a")]
    [0, 1, 2, 3, 1]
    """
    if ch in ("\r", "\n"):
        return BREAK
    if ch in _THAI_MARKS or ch in _PUA_MARKS:
        return MARK
    if ch.isspace() or ch == "\x00":
        return SPACE
    return BASE


def is_thai(ch: str) -> bool:
    """Thai block letters (and legacy Thai PUA glyph code points).

    >>> is_thai("ก"), is_thai("\\uf70b"), is_thai("a"), is_thai("1")
    (True, True, False, False)
    """
    o = ord(ch)
    return 0x0E00 <= o <= 0x0E7F or 0xF700 <= o <= 0xF71F


@dataclass(slots=True)
class Char:
    """One pdfium character in top-down page coordinates."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    kind: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """One visual line of text.

    ``trailing_space``: pdfium (LibreOffice, some other producers) keeps the space
    at which a line was wrapped; ``head_width`` is the width of the line's first
    space-delimited chunk (the widest the first word can be).
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    trailing_space: bool = False
    head_width: float = 0.0
    n_base: int = 0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class _Seg:
    chars: list[Char]
    order: int = 0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def fit(self) -> bool:
        base = [c for c in self.chars if c.kind == BASE]
        if not base:
            return False
        self.x0 = min(c.x0 for c in base)
        self.x1 = max(c.x1 for c in base)
        self.top = min(c.top for c in base)
        self.bottom = max(c.bottom for c in base)
        return True


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return min(a_bottom, b_bottom) - max(a_top, b_top)


def plumber_chars(
    objs: Iterable[dict], cid_map: dict[str, str] | None = None, *, space_gap_em: float = 0.2
) -> list[Char]:
    """Characters from pdfplumber's ``page.chars`` (content-stream order, the text flow).

    pdfminer keeps the order in which the PDF draws the glyphs, which is the logical
    order even where a broken font draws a mark over the next letter; it draws no
    spaces, so a space is put where a base character starts more than ``space_gap_em``
    font sizes after the right edge of the base characters before it on the same
    line. ``(cid:NNN)`` glyphs are replaced from ``cid_map`` (unmapped ones stay as
    the string ``(cid:NNN)``, a mark when drawn without width); control characters
    are dropped.

    >>> objs = [dict(text=t, x0=x, x1=x + w, top=0, bottom=14, size=14) for t, x, w in
    ...         [("ด", 0, 5), ("(cid:202)", 6.5, 0), ("ว", 5, 4), ("ย", 9, 5), ("ก", 20, 5)]]
    >>> "".join(c.text for c in plumber_chars(objs, {"(cid:202)": "\u0e49"}))
    'ด้วย ก'
    """
    out: list[Char] = []
    right: float | None = None  # right edge of the base characters of the current line
    top = bottom = 0.0
    for o in objs:
        text = o["text"]
        if text.startswith("(cid:") and cid_map:
            text = cid_map.get(text, text)
        if len(text) == 1:
            if ord(text) < 0x20 and text not in "\t\n\r" or text in "\ufffe\ufeff":
                continue
            kind = char_kind(text)
        elif not text:
            continue
        else:  # a ligature or an unmapped (cid:NNN); without width it sits on the glyph before it
            kind = MARK if text.startswith("(cid:") and float(o["x1"]) - float(o["x0"]) < 0.01 else BASE
        x0, x1, c_top, c_bottom = float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"])
        if kind == BREAK:
            right = None
        elif kind == SPACE:
            right = None
            out.append(Char(" ", x0, x1, c_top, c_bottom, SPACE))
            continue
        elif kind == BASE:
            h = min(bottom - top, c_bottom - c_top)
            if right is not None and _overlap(top, bottom, c_top, c_bottom) >= 0.5 * h:
                size = float(o.get("size") or h)
                if x0 - right > space_gap_em * size:
                    out.append(Char(" ", right, x0, c_top, c_bottom, SPACE))
                right = max(right, x1) if x0 >= right - size else x1
            else:
                right = x1
            top, bottom = c_top, c_bottom
        out.append(Char(text, x0, x1, c_top, c_bottom, kind))
    return out


def _segments(chars: Iterable[Char]) -> list[_Seg]:
    """Split a character stream (pdfium order) into same-baseline runs.

    A run ends at a line break character, when the next base character is on
    another baseline, or when it jumps back to the left. A combining mark always
    stays with the run of the character before it: pdfium sometimes puts a
    below-vowel or tone mark after the line break (``ร\\r\\nู้การ``).
    """
    segs: list[_Seg] = []
    cur: list[Char] = []
    top = bottom = last_x1 = 0.0
    has_base = False
    brk = False
    for ch in chars:
        kind = ch.kind
        if kind == BREAK:
            brk = True
            continue
        if kind == MARK:
            cur.append(ch)
            continue
        new = brk
        if kind == BASE and has_base and not new:
            h = min(bottom - top, ch.bottom - ch.top)
            if _overlap(top, bottom, ch.top, ch.bottom) < 0.5 * h or ch.x0 < last_x1 - max(h, 2.0):
                new = True
        if new and cur:
            segs.append(_Seg(cur))
            cur = []
            has_base = False
        brk = False
        cur.append(ch)
        if kind == BASE:
            if not has_base:
                top, bottom, has_base = ch.top, ch.bottom, True
            last_x1 = ch.x1
    if cur:
        segs.append(_Seg(cur))
    for i, s in enumerate(segs):
        s.order = i
    return [s for s in segs if s.fit()]


def _outside(base: Char, x: float) -> float:
    """How far ``x`` lies outside the base glyph's horizontal extent."""
    return max(base.x0 - x, x - base.x1, 0.0)


def _clusters(stream: Sequence[Char], h: float) -> tuple[list[list[Char]], bool]:
    """Group characters into a base character with its combining marks; a space is
    a cluster of its own. Returns the clusters and whether a mark was moved.

    A mark stays where pdfium put it (after the character before it) unless it is
    drawn far (more than a quarter of a line height) from that character and over another
    one of the line: broken text layers draw marks after the word or after a space
    (``ว ุ เคราะห ิ``), and only the positions tell where they belong. Correct
    PDFs never trigger this (every mark sits over the character before it).
    """
    clusters: list[list[Char]] = []
    last_base: list[Char] | None = None
    far: list[tuple[Char, list[Char]]] = []
    for c in stream:
        if c.kind == MARK:
            if last_base is not None and _outside(last_base[0], c.cx) <= 0.25 * h:
                if clusters[-1] is last_base:
                    last_base.append(c)
                else:
                    clusters.append([c])  # after a space: leave it to the text repair
                continue
            holder = [c]
            clusters.append(holder)
            far.append((c, holder))
            continue
        cl = [c]
        clusters.append(cl)
        if c.kind == BASE:
            last_base = cl
    moved = False
    if far:
        bases = [cl for cl in clusters if cl[0].kind == BASE]
        for m, holder in far:
            over = [cl for cl in bases if _outside(cl[0], m.cx) <= 0.5]
            if over:
                min(over, key=lambda cl: abs(cl[0].cx - m.cx)).append(m)
                holder.clear()
                moved = True
        clusters = [cl for cl in clusters if cl]
    return clusters, moved


def _line_from(segs: list[_Seg], reorder: bool = True) -> Line:
    """One visual line from the runs on its baseline.

    The runs keep pdfium's order (it is right for Thai, where sorting by x moves
    vowels) and a space is put where two runs are far apart. Only when the base
    characters do not advance left to right (a glyph from a fallback font drawn out
    of sequence, as with a stray Lao letter), or marks had to be moved (see
    :func:`_clusters`), are the characters put in x order, with a space wherever
    the gap between two glyphs is wide.

    ``reorder=False`` (characters in content-stream order, :func:`plumber_chars`):
    the characters of a run keep their order as they are, marks included; only the
    runs are put in x order.
    """
    segs.sort(key=(lambda s: s.order) if reorder else (lambda s: (s.x0, s.order)))
    h = max(max(s.bottom - s.top for s in segs), 0.1)
    stream: list[Char] = []
    for i, s in enumerate(segs):
        if i and stream:
            prev = segs[i - 1]
            if abs(s.x0 - prev.x1) > 0.25 * h and stream[-1].kind != SPACE and s.chars[0].kind != SPACE:
                stream.append(Char(" ", prev.x1, s.x0, s.top, s.bottom, SPACE))
        stream.extend(s.chars)
    raw_text = "".join(c.text for c in stream)
    if reorder:
        clusters, moved = _clusters(stream, h)
    else:
        clusters, moved = [[c] for c in stream], False
    bases = [cl for cl in clusters if cl[0].kind == BASE]
    if (
        reorder
        and bases
        and (moved or any(b[0].cx < a[0].cx - 0.3 * h for a, b in zip(bases, bases[1:], strict=False)))
    ):
        for cl in clusters:
            if cl[0].kind == MARK:
                min(bases, key=lambda b, x=cl[0].cx: _outside(b[0], x)).extend(cl)
        bases.sort(key=lambda cl: cl[0].cx)
        clusters = []
        for i, cl in enumerate(bases):
            if i and cl[0].x0 - bases[i - 1][0].x1 >= 0.2 * h:
                clusters.append([Char(" ", bases[i - 1][0].x1, cl[0].x0, cl[0].top, cl[0].bottom, SPACE)])
            clusters.append(cl)
    text = "".join(c.text for cl in clusters for c in cl).strip()
    x0 = min(s.x0 for s in segs)
    head_end = None
    for cl in clusters:
        c = cl[0]
        if c.kind == BASE:
            head_end = c.x1 if head_end is None else max(head_end, c.x1)
        elif c.kind == SPACE and head_end is not None:
            break
    return Line(
        text=text,
        x0=x0,
        x1=max(s.x1 for s in segs),
        top=min(s.top for s in segs),
        bottom=max(s.bottom for s in segs),
        trailing_space=bool(text) and raw_text != raw_text.rstrip(),
        head_width=(head_end - x0) if head_end is not None else 0.0,
        n_base=len(bases),
    )


def build_lines(chars: Iterable[Char], *, reorder: bool = True) -> list[Line]:
    """Visual lines, top to bottom, from characters in pdfium order.

    Runs on the same baseline (vertical overlap of at least half a line) are one
    visual line, ordered left to right. ``reorder``: see :func:`_line_from`.

    >>> def w(s, x, y):  # a word of 5-pt wide characters on baseline y
    ...     return [Char(c, x + 5 * i, x + 5 * i + 5, y - 10, y, char_kind(c)) for i, c in enumerate(s)]
    >>> chars = w("ab", 0, 20) + [Char("\\n", 10, 10, 10, 20, BREAK)] + w("cd", 12, 20) + w("ef", 0, 40)
    >>> [ln.text for ln in build_lines(chars)]
    ['abcd', 'ef']
    """
    segs = sorted(_segments(chars), key=lambda s: (s.top, s.x0))
    groups: list[tuple[float, float, list[_Seg]]] = []
    for s in segs:
        placed = False
        for gi in range(len(groups) - 1, max(len(groups) - 4, -1), -1):
            gt, gb, members = groups[gi]
            if _overlap(gt, gb, s.top, s.bottom) >= 0.5 * min(gb - gt, s.bottom - s.top):
                members.append(s)
                placed = True
                break
        if not placed:
            groups.append((s.top, s.bottom, [s]))
    lines = [_line_from(members, reorder) for _, _, members in groups]
    lines = [ln for ln in lines if ln.text]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


# --- wrap rule ---------------------------------------------------------------------

_D = "0-9๐-๙"
MARKER_RE = re.compile(
    rf"""^(?:
        \(?[{_D}]{{1,3}}(?:\.[{_D}]{{1,3}})*[.)](?![{_D}])   # 1.  1)  ๓)  2.1.  (1)
      | [{_D}]{{1,3}}(?:\.[{_D}]{{1,3}})+(?=\s|$)          # 1.1.1 text
      | \([{_D}]{{1,3}}\)
      | [-–—•●○◦▪■□◆◇❖➢➤►✓✔*]
      | [ก-ฮ]\)
      | [ก-ฮ]\.\s
      | มิติ | มติที่ | ภารกิจ | ส่วนที่ | ข้อ\s*[{_D}]
    )""",
    re.X,
)


def starts_with_marker(text: str) -> bool:
    """True when a line starts a list item or a section (so it is never a wrap).

    >>> [starts_with_marker(s) for s in ("1. ก", "(2) ข", "๓) ค", "- ง", "• จ", "มิติที่ 1", "1.1.1 ส", "2561 ถึง", "ทุจริต")]
    [True, True, True, True, True, True, True, False, False]
    """
    return bool(MARKER_RE.match(text))


def join_char(prev: str, nxt: str, prev_trailing_space: bool, spaces_marked: bool) -> str:
    """What goes between two lines that are one wrapped line.

    * a trailing space (pdfium keeps it where the producer wrote it) means the
      line was wrapped at a space: ``" "``;
    * two Thai letters, or a ``/`` or hyphen at the break: nothing;
    * digit-digit or Latin-Latin (``121,00`` + ``0``): nothing when the producer is
      known to keep wrap spaces (``spaces_marked``), else a space;
    * anything else: a space.

    >>> join_char("การ", "ทุจริต", False, False), join_char("การ", "ทุจริต", True, True)
    ('', ' ')
    >>> join_char("121,00", "0", False, True), join_char("2561", "2564", False, False)
    ('', ' ')
    >>> join_char("ภายใน 15", "วัน", False, True), join_char("โครงการ/", "กิจกรรม", False, False)
    (' ', '')
    """
    if prev_trailing_space:
        return " "
    if not prev or not nxt:
        return ""
    a, b = prev[-1], nxt[0]
    if a in "/-" or b == "/":
        return ""
    if a.isdigit() or b.isdigit():
        return "" if spaces_marked and (a.isdigit() or a in ",.") and b.isdigit() else " "
    if is_thai(a) and is_thai(b):
        return ""
    if spaces_marked and a.isascii() and a.isalpha() and b.isascii() and b.isalpha():
        return ""
    return " "


def is_wrap(
    cur: Line,
    nxt: Line,
    right: float,
    *,
    max_gap: float,
    max_pitch: float | None = None,
    indent_tol: float | None = None,
) -> bool:
    """Is ``nxt`` the continuation of ``cur`` wrapped at the right edge ``right``?

    ``cur`` must end close enough to ``right`` that the first word of ``nxt``
    could not have fitted (bounded by ``max_gap``); ``nxt`` must not start with a
    list/section marker, must be the next line down (``max_pitch``: largest
    top-to-top distance), of about the same height and (``indent_tol``) not
    indented further than ``cur``.

    >>> full = Line("กกกกกกกกกก", 0, 95, 0, 16)
    >>> nxt = Line("ขขขข คค", 0, 60, 24, 40, head_width=30)
    >>> is_wrap(full, nxt, 100, max_gap=80)  # 5 pt left, the first word needs 30
    True
    >>> is_wrap(Line("กกก", 0, 40, 0, 16), nxt, 100, max_gap=80)  # it would have fitted
    False
    >>> is_wrap(full, Line("2) ขข", 0, 60, 24, 40, head_width=10), 100, max_gap=80)
    False
    """
    if starts_with_marker(nxt.text):
        return False
    h = cur.height
    if nxt.top < cur.top + 0.5 * h:
        return False
    if max_pitch is not None and nxt.top - cur.top > max_pitch:
        return False
    if not 0.7 < nxt.height / h < 1.43:
        return False
    if indent_tol is not None and nxt.x0 > cur.x0 + indent_tol:
        return False
    gap = right - cur.x1
    return gap <= min(nxt.head_width, max_gap) + 0.35 * h


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
    line_tops: list[float] = field(default_factory=list)  # top of each "\n"-separated line of text

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
            cell.text, cell.trailing_space, cell.line_tops = join_cell_lines(
                cell.lines, cell.bbox, max_gap_em=max_gap_em, spaces_marked=spaces_marked
            )
            cell.lines = []

    def rows_text(self) -> list[list[str]]:
        return [[self.cells[i].text for i in row] for row in self.grid]


_FIGURE_LINE = re.compile(r"^\s*(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[-–—])\s*$")


def join_cell_lines(
    lines: list[Line], bbox: tuple[float, float, float, float], *, max_gap_em: float, spaces_marked: bool
) -> tuple[str, bool, list[float]]:
    """Cell text from its visual lines; returns (text, last line had a trailing space,
    the top of each ``"\n"``-separated line of the text).

    The usable right edge is the cell's right border minus the same padding as
    on the left (the median left offset of its lines). Stacked figures (a whole
    amount or ``-`` on each line) are never joined as a wrap.
    """
    if not lines:
        return "", False, []
    x0, _, x1, _ = bbox
    pad = sorted(ln.x0 for ln in lines)[(len(lines) - 1) // 2] - x0
    pad = min(max(pad, 0.0), 0.25 * (x1 - x0))
    right = x1 - pad
    parts = [lines[0].text]
    tops = [lines[0].top]
    for prev, ln in zip(lines, lines[1:], strict=False):
        stacked = bool(_FIGURE_LINE.match(prev.text) and _FIGURE_LINE.match(ln.text))
        if not stacked and is_wrap(prev, ln, right, max_gap=max_gap_em * prev.height, max_pitch=2.2 * prev.height):
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
    c0: int
    c1: int
    rows: set[int]
    line_tops: list[float] | None = None  # None once the cell continues over a page break


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
        self.regions: list[_Region] = []
        self.ref = SourceRef(page=first.page, line=first.line_no)
        self.last = first
        self.spaces_marked = spaces_marked
        head = [_norm("\x1f".join(r)) for r in first.rows_text()[:max_header_rows]]
        # a header has letters; a table without one has nothing to repeat
        self.header = head if head and any(ch.isalpha() for ch in head[0]) else []
        self._open: dict[int, _Region] = {}
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
            regions[idx] = _Region(pos, cell.text, cell.trailing_space, cell.c0, cell.c1, {p[0] for p in pos},
                                   list(cell.line_tops))
            self.regions.append(regions[idx])
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
            elif reg.text:
                prev.text, prev.trailing_space = reg.text, reg.trailing_space
            prev.positions.extend(reg.positions)
            prev.rows |= reg.rows
            prev.line_tops = reg.line_tops = None  # positions on two pages do not compare
            self.spanned.update(reg.positions)
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
        tops = {pos: list(reg.line_tops) for reg in self.regions if reg.line_tops
                for pos in reg.positions if len(reg.line_tops) == len(self.rows[pos[0]][pos[1]].split("\n"))}
        return Table(self.rows, self.ref, self.row_refs, set(self.spanned), tops)
