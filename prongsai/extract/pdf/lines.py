"""Visual lines built from characters (:func:`build_lines`) and the line-wrap rule
(:func:`is_wrap`, :func:`join_char`) used for running text and inside table cells."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from prongsai.extract.pdf.chars import BASE, BREAK, MARK, SPACE, Char, char_kind, overlap  # noqa: F401 - char_kind: doctest
from prongsai.extract.pdf.clusters import goes_back, mark_clusters, nearest
from prongsai.normalize.registry import data_yaml, words_pattern
from prongsai.normalize.thai_chars import is_slash_break, joins_without_space


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
    """A run of characters on one baseline, with the box of its base characters."""

    chars: list[Char]
    order: int = 0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0


def _segments(chars: Iterable[Char]) -> list[_Seg]:
    """Split a character stream (pdfium order) into same-baseline runs.

    A run ends at a line break character, when the next base character is on
    another baseline, or when it jumps back to the left. A combining mark always
    stays with the run of the character before it: pdfium sometimes puts a
    below-vowel or tone mark after the line break (``ร\\r\\nู้การ``). Runs without a
    base character are dropped.
    """
    segs: list[_Seg] = []
    cur: list[Char] = []
    top = bottom = last_x1 = 0.0
    # the box of the base characters of the current run
    bx0 = bx1 = btop = bbottom = 0.0
    has_base = False
    brk = False
    order = 0
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
            # overlap() and min() / max() written out (the same values, no call per character)
            c_top, c_bottom = ch.top, ch.bottom
            h = bottom - top
            if c_bottom - c_top < h:
                h = c_bottom - c_top
            low = c_bottom if c_bottom < bottom else bottom
            high = c_top if c_top > top else top
            if low - high < 0.5 * h or ch.x0 < last_x1 - (2.0 if 2.0 > h else h):
                new = True
        if new and cur:
            if has_base:
                segs.append(_Seg(cur, order, bx0, bx1, btop, bbottom))
            order += 1
            cur = []
            has_base = False
        brk = False
        cur.append(ch)
        if kind == BASE:
            if not has_base:
                top, bottom, has_base = ch.top, ch.bottom, True
                bx0, bx1, btop, bbottom = ch.x0, ch.x1, ch.top, ch.bottom
            else:
                if ch.x0 < bx0:
                    bx0 = ch.x0
                if ch.x1 > bx1:
                    bx1 = ch.x1
                if ch.top < btop:
                    btop = ch.top
                if ch.bottom > bbottom:
                    bbottom = ch.bottom
            last_x1 = ch.x1
    if cur and has_base:
        segs.append(_Seg(cur, order, bx0, bx1, btop, bbottom))
    return segs


def _ends_in_space(stream: list[Char]) -> bool:
    """Does the text of ``stream`` end in whitespace?"""
    for c in reversed(stream):
        if c.text:
            return c.text[-1].isspace()
    return False


_BY_ORDER = attrgetter("order")
_BY_X0_ORDER = attrgetter("x0", "order")


def _line_from(segs: list[_Seg], reorder: bool = True) -> Line:
    """One visual line from the runs on its baseline.

    The runs keep pdfium's order (it is right for Thai, where sorting by x moves
    vowels) and a space is put where two runs are far apart. Only when the base
    characters do not advance left to right (a glyph from a fallback font drawn out
    of sequence, as with a stray Lao letter), or marks had to be moved (see
    :func:`mark_clusters`), are the characters put in x order, with a space wherever
    the gap between two glyphs is wide.

    ``reorder=False`` (characters in content-stream order, :func:`plumber_chars`):
    the characters of a run keep their order as they are, marks included; only the
    runs are put in x order.
    """
    segs.sort(key=_BY_ORDER if reorder else _BY_X0_ORDER)
    h = max(max(s.bottom - s.top for s in segs), 0.1)
    stream: list[Char] = []
    prev: _Seg | None = None
    for s in segs:
        if prev is not None and stream:
            if abs(s.x0 - prev.x1) > 0.25 * h and stream[-1].kind != SPACE and s.chars[0].kind != SPACE:
                stream.append(Char(" ", prev.x1, s.x0, s.top, s.bottom, SPACE))
        stream.extend(s.chars)
        prev = s
    trailing = _ends_in_space(stream)
    if reorder:
        clusters, moved = mark_clusters(stream, h)
        bases = [cl for cl in clusters if cl[0].kind == BASE]
        if bases and (moved or goes_back(bases, 0.3 * h)):
            for cl in clusters:
                if cl[0].kind == MARK:
                    nearest(bases, cl[0].cx).extend(cl)
            bases.sort(key=lambda cl: cl[0].cx)
            clusters = []
            for i, cl in enumerate(bases):
                if i and cl[0].x0 - bases[i - 1][0].x1 >= 0.2 * h:
                    clusters.append([Char(" ", bases[i - 1][0].x1, cl[0].x0, cl[0].top, cl[0].bottom, SPACE)])
                clusters.append(cl)
        text = "".join([c.text for cl in clusters for c in cl]).strip()
        firsts = [cl[0] for cl in clusters]
    else:
        text = "".join([c.text for c in stream]).strip()
        firsts = stream
    n_base = 0
    for c in firsts:
        n_base += c.kind == BASE
    x0 = min(s.x0 for s in segs)
    head_end = None
    for c in firsts:
        if c.kind == BASE:
            head_end = c.x1 if head_end is None or c.x1 > head_end else head_end  # max()
        elif c.kind == SPACE and head_end is not None:
            break
    return Line(
        text=text,
        x0=x0,
        x1=max(s.x1 for s in segs),
        top=min(s.top for s in segs),
        bottom=max(s.bottom for s in segs),
        trailing_space=bool(text) and trailing,
        head_width=(head_end - x0) if head_end is not None else 0.0,
        n_base=n_base,
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
            if overlap(gt, gb, s.top, s.bottom) >= 0.5 * min(gb - gt, s.bottom - s.top):
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
_LINE_START = words_pattern(data_yaml("plan_vocab.yaml")["line_start_words"])  # มิติ, ส่วนที่ ...
_ITEM = re.escape(data_yaml("plan_vocab.yaml")["item_word"])  # ข้อ
MARKER_RE = re.compile(
    rf"""^(?:
        \(?[{_D}]{{1,3}}(?:\.[{_D}]{{1,3}})*[.)](?![{_D}])   # 1.  1)  ๓)  2.1.  (1)
      | [{_D}]{{1,3}}(?:\.[{_D}]{{1,3}})+(?=\s|$)          # 1.1.1 text
      | \([{_D}]{{1,3}}\)
      | [-–—•●○◦▪■□◆◇❖➢➤►✓✔*]
      | [ก-ฮ]\)
      | [ก-ฮ]\.\s
      | {_LINE_START} | {_ITEM}\s*[{_D}]
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
    if is_slash_break(a, b):
        return ""
    if a.isdigit() or b.isdigit():
        return "" if spaces_marked and (a.isdigit() or a in ",.") and b.isdigit() else " "
    if joins_without_space(a, b):  # the Thai line-join rule (the / - break is handled above)
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

