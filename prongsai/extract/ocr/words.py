"""Text from Tesseract's words: lines, the Thai way of joining a cell's lines, the vote
between readings at several sizes, and what a lone mark reads as."""

from __future__ import annotations

import re

from prongsai.extract.ocr.cells import Cell
from prongsai.extract.ocr.tesseract import Word
from prongsai.normalize.thai_chars import MARKS, WORD_LETTERS_MAIYAMOK, joins_without_space

_MARK_RE = re.compile(f"[{MARKS}]")  # Thai vowel and tone marks
THAI_LETTER = re.compile(f"[{WORD_LETTERS_MAIYAMOK}]")
#: a bare page number: ``12``, ``- 12 -``, ``(12)``; ``-q-`` is an OCR'd ``- 4 -``
PAGE_NUMBER = re.compile(
    r"^\s*(?:[\-\u2013\u2014.|(]*\s*[0-9\u0e50-\u0e59]{1,3}\s*[\-\u2013\u2014.|)]*|[\-\u2013\u2014]\s*\S{1,3}\s*[\-\u2013\u2014])\s*$"
)


def join_lines(lines: list[str]) -> str:
    """Join the OCR lines of one cell by the Thai line-join rule
    (:func:`~prongsai.normalize.thai_chars.joins_without_space`): nothing between two Thai
    characters or at a ``/``/``-`` break, a space otherwise.

    >>> join_lines(["โครงการฝึกอบรม", "คุณธรรม และ", "1 ครั้ง"])
    'โครงการฝึกอบรมคุณธรรม และ 1 ครั้ง'
    """
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if not out:
            out = ln
        elif joins_without_space(out[-1], ln[0]):
            out += ln
        else:
            out += " " + ln
    return out


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into Tesseract lines, top to bottom, each in reading order."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for wd in words:
        by_line.setdefault(wd.line_key, []).append(wd)
    lines = list(by_line.values())
    lines.sort(key=lambda ws: (min(x.top for x in ws), min(x.left for x in ws)))
    return lines


def line_text(ws: list[Word]) -> str:
    return "".join((" " if i and wd.space_before else "") + wd.text for i, wd in enumerate(ws))


def vote(readings: list[tuple[str, float]]) -> str:
    """The best of a line's readings at several sizes: the most confident one (when
    Tesseract drops a mark, ``ที่`` -> ``ที``, its confidence drops too); readings that
    agree add a little. Empty readings only win when there is nothing else.

    >>> vote([("ที", 86.0), ("ที่", 93.0), ("ที", 81.0)])
    'ที่'
    >>> vote([("", 0.0), ("4", 83.0), ("q", 76.0)])
    '4'
    """
    counts: dict[str, int] = {}
    for text, _ in readings:
        key = "".join(text.split())
        counts[key] = counts.get(key, 0) + 1
    scored = [(conf + 2.0 * (counts["".join(text.split())] - 1), text) for text, conf in readings if text.strip()]
    return max(scored)[1] if scored else ""


def is_mark_text(text: str) -> bool:
    """What Tesseract makes of a lone mark: nothing, or at most two characters (Thai
    combining marks not counted) and no digit (``v``, ``/``, ``J``, ``“``, ``เ``).

    >>> [is_mark_text(t) for t in ("", "v", "/”", "เม", "4", "ครั้ง")]
    [True, True, True, True, False, False]
    """
    s = "".join(text.split())
    if any(ch.isdigit() for ch in s):
        return False
    return len(_MARK_RE.sub("", s)) <= 2


def inside(wd: Word, box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    return x0 <= wd.cx <= x1 and y0 <= wd.cy <= y1


def assign_page_words(words: list[Word], cells_per_grid: list[list[Cell]]) -> None:
    """``mode="page"``: a cell's text is made of the page words whose centre is in it."""
    for cells in cells_per_grid:
        for cell in cells:
            ws = [wd for wd in words if inside(wd, cell.cell_box)]
            cell.text = join_lines([line_text(ln) for ln in group_lines(ws)])
