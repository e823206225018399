"""Several projects in one table cell: numbered items, and the figures and units
stacked beside them, paired by vertical position.

A plan table row of the NACC template is one ภารกิจ; its project cell lists numbered
items (``1) โครงการ ก`` / ``2) กิจกรรม ข``), each year column stacks one figure per
item and the unit column one unit per item. Every cell is a list of lines with a
vertical position each: the line tops a PDF backend measured
(:attr:`prongsai.model.Table.line_tops`), or, without geometry (DOCX, text), the
line's index (the n-th paragraph of one cell sits beside the n-th of the next).

An item spans from the top of its first line to the top of the next item; a figure
belongs to the item whose span contains it. Nothing is ever split by guesswork: a
line holding two figures run together (``20,00030,000``) cannot be paired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prongsai.normalize.registry import data_yaml
from prongsai.normalize.thai_chars import CONSONANTS, LEADING_VOWELS

# an item marker at the start of a line: "1)", "1.", "(1)", "๑)" (digits are Arabic after cleaning)
_MARKER = re.compile(r"^\s*\(?\s*(\d{1,2})\s*[.)]\s*(?!\d)")
# item markers inside a line: "1) โครงการ ก 2) โครงการ ข" (only the ")" form: "1." is ambiguous)
_INLINE = re.compile(r"(?<=\s)\(?(\d{1,2})\)\s*")
_BAHT = re.escape(data_yaml("money_words.yaml")["baht"])
_FIGURE = re.compile(rf"^\s*\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?\s*(?:{_BAHT})?\s*$|^\s*\d+(?:\.\d+)?\s*(?:{_BAHT})?\s*$")
_DASH = re.compile(r"^\s*[-–—]+\s*$")
# how far above an item's first line a neighbour's line may start and still belong to it:
# 3 points with page geometry (Thai vowels above a line raise its top), half a line with
# line indexes
GEO_TOLERANCE = 3.0
INDEX_TOLERANCE = 0.5


def tolerance(tops: list[float] | None) -> float:
    return INDEX_TOLERANCE if tops is None else GEO_TOLERANCE


@dataclass(frozen=True)
class Line:
    text: str
    top: float


@dataclass
class Item:
    """One numbered item of a cell: its number, text (wrapped lines joined) and span."""

    number: int
    text: str
    top: float
    bottom: float = float("inf")  # the top of the next item


def cell_lines(text: str, tops: list[float] | None) -> list[Line]:
    """The lines of a cell with their vertical positions; blank lines keep their
    place when positions are line indexes (DOCX alignment paragraphs) and are dropped.

    >>> cell_lines("a\\n\\nb", None)
    [Line(text='a', top=0.0), Line(text='b', top=2.0)]
    >>> cell_lines("a\\nb", [100.0, 112.5])
    [Line(text='a', top=100.0), Line(text='b', top=112.5)]
    """
    parts = text.split("\n")
    if tops is None or len(tops) != len(parts):
        tops = [float(i) for i in range(len(parts))]
    return [Line(p.strip(), float(t)) for p, t in zip(parts, tops, strict=True) if p.strip()]


def _segments(text: str, expected: int | None) -> list[tuple[int | None, str]]:
    """Split one line at item markers numbered ``expected``, ``expected + 1`` ... (any
    number when ``expected`` is None): the marker at the start of the line (``1)``,
    ``1.``, ``(1)``) or one inside it after a space and before a Thai word (``... 2) ...``,
    only the ``)`` form: ``2.`` is ambiguous there), outside brackets.

    >>> _segments("1) โครงการปลูกป่า 2) โครงการคัดแยกขยะ", 1)
    [(1, 'โครงการปลูกป่า'), (2, 'โครงการคัดแยกขยะ')]
    >>> _segments("ชุมชน (รุ่นที่ 2) 3) กิจกรรม", 3)
    [(None, 'ชุมชน (รุ่นที่ 2)'), (3, 'กิจกรรม')]
    """
    out: list[tuple[int | None, str]] = []
    pos = 0
    m = _MARKER.match(text)
    if m and (expected is None or int(m.group(1)) == expected):
        out.append((int(m.group(1)), ""))
        pos = m.end()
        expected = int(m.group(1)) + 1
    else:
        out.append((None, ""))
    if expected is None:
        return [(None, text.strip())]
    for m in _INLINE.finditer(text, pos):
        before = out[-1][1] + text[pos: m.start()]
        if (int(m.group(1)) != expected or m.start() == 0 or before.count("(") > before.count(")")
                or not re.match(f"[{CONSONANTS}{LEADING_VOWELS}]", text[m.end():])):
            continue
        out[-1] = (out[-1][0], before)
        out.append((expected, ""))
        pos = m.end()
        expected += 1
    out[-1] = (out[-1][0], out[-1][1] + text[pos:])
    return [(n, t.strip()) for n, t in out if n is not None or t.strip()]


def split_items(text: str, tops: list[float] | None = None) -> list[Item]:
    r"""The numbered items of a project cell; ``[]`` when the cell is not a list of
    two or more items numbered on from its start (``1) 2) 3)``, or ``5) 6)`` where the
    numbering runs on from the row above); a single title, or a title followed by
    numbered sub-activities, stays one project.

    Text without a marker continues the item before it (a wrapped title). An item
    that starts inside a line has that line's position: it cannot be told apart from
    the item before it, so figures will not pair with it.

    >>> [(i.number, i.text, i.top, i.bottom) for i in split_items("1) โครงการ ก\nต่อ\n2) กิจกรรม ข")]
    [(1, 'โครงการ ก ต่อ', 0.0, 2.0), (2, 'กิจกรรม ข', 2.0, inf)]
    >>> split_items("โครงการ ก\n1) ย่อย\n2) ย่อย")
    []
    >>> [(i.text, i.top) for i in split_items("1) โครงการ ก 2) โครงการ\nข")]
    [('โครงการ ก', 0.0), ('โครงการ ข', 0.0)]
    >>> [i.number for i in split_items("(4) โครงการ ค\n(5) มาตรการ ง")]
    [4, 5]
    """
    items: list[Item] = []
    for ln in cell_lines(text, tops):
        for number, seg in _segments(ln.text, items[-1].number + 1 if items else None):
            if number is not None:
                items.append(Item(number, seg, ln.top))
            elif items:
                items[-1].text = f"{items[-1].text} {seg}".strip()
            else:
                return []  # text before the first marker: a title with sub-items
    if len(items) < 2:
        return []
    for a, b in zip(items, items[1:], strict=False):
        a.bottom = b.top
    return items


def assign(items: list[Item], lines: list[Line], tol: float = INDEX_TOLERANCE) -> tuple[list[list[str]], str | None]:
    """Give each item the lines of a neighbouring cell that lie within its span.

    Returns the lines per item and a reason when some line falls outside every item.

    >>> its = split_items("1) ก\\n2) ข\\nต่อ\\n3) ค")
    >>> assign(its, cell_lines("10\\n20\\n\\n30", None))
    ([['10'], ['20'], ['30']], None)
    """
    out: list[list[str]] = [[] for _ in items]
    stray = None
    for ln in lines:
        k = next((i for i, it in enumerate(items) if it.top - tol <= ln.top < it.bottom - tol), None)
        if k is None:
            stray = f"{ln.text!r} lies above the first item"
            continue
        out[k].append(ln.text)
    return out, stray


@dataclass(frozen=True)
class YearFigures:
    """The figure of each item for one budget column (as written), or why they cannot be paired."""

    figures: list[str | None]  # per item: its figure or '-' as written, None when unknown
    problem: str | None = None


def pair_figures(items: list[Item], text: str, tops: list[float] | None, label: str) -> YearFigures:
    """Pair the stacked figures of one budget column with the items, one-to-one.

    >>> its = split_items("1) ก\\n2) ข\\n3) ค")
    >>> pair_figures(its, "30,000\\n20,000\\n-", None, "2561").figures
    ['30,000', '20,000', '-']
    >>> pair_figures(its, "30,000 20,00030,000", None, "2561").problem
    "2561: '30,000 20,00030,000' is not one figure (several run together?)"
    >>> pair_figures(its, "30,000\\n20,000", None, "2561").problem
    '2561: 3 items, 2 figures, and by position item 3 has none'
    >>> pair_figures(split_items("1) ก 2) ข"), "10\\n20", None, "2562").problem
    '2562: items 1 and 2 start on one line, so their figures cannot be told apart'
    """
    lines = cell_lines(text, tops)
    n = len(items)
    if not lines:
        return YearFigures([None] * n)  # an empty column says nothing about these items
    if len(lines) == 1 and _DASH.match(lines[0].text):
        return YearFigures([lines[0].text] * n)  # one "-" for the whole cell: no budget for any item
    for ln in lines:
        if not (_FIGURE.match(ln.text) or _DASH.match(ln.text)):
            return YearFigures([None] * n, f"{label}: {ln.text!r} is not one figure (several run together?)")
    shared = next((k for k in range(1, n) if abs(items[k].top - items[k - 1].top) < 0.5), None)
    if shared is not None:
        return YearFigures([None] * n, f"{label}: items {shared} and {shared + 1} start on one line, "
                                       "so their figures cannot be told apart")
    per_item, stray = assign(items, lines, tolerance(tops))
    if stray:
        return YearFigures([None] * n, f"{label}: figure {stray}")
    for k, got in enumerate(per_item, start=1):
        if len(got) != 1:
            what = "none" if not got else f"{len(got)} figures"
            return YearFigures([None] * n, f"{label}: {n} items, {len(lines)} figures, and by position "
                                           f"item {k} has {what}")
    return YearFigures([fig for (fig,) in per_item])


def pair_texts(items: list[Item], text: str, tops: list[float] | None) -> list[str]:
    """The text of a column for each item (a unit, an indicator): one line for all items
    applies to all; else each item gets the lines in its span (raw, as written).

    >>> its = split_items("1) ก\\n2) ข")
    >>> pair_texts(its, "สป.", None), pair_texts(its, "กองคลัง\\nสธ./สค.", None)
    (['สป.', 'สป.'], ['กองคลัง', 'สธ./สค.'])
    """
    lines = cell_lines(text, tops)
    if not lines:
        return [""] * len(items)
    if len(lines) == 1:
        return [lines[0].text] * len(items)
    per_item, _ = assign(items, lines, tolerance(tops))
    return [" ".join(x) for x in per_item]
