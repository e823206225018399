"""Fiscal quarters from a plan table's quarter columns: which quarter a column header
names (``ไตรมาส 2``, a month ``ม.ค. 67``, a month range ``ต.ค.-ธ.ค.``) and whether a
row's cell in it is ticked.

The parser hands over text as written (:attr:`prongsai.parse.record.Record.quarter_marks`:
per quarter column, its header text and the row's mark); :func:`ticked_quarters` makes
the quarters of a project from them. The tick marks are ``ticks`` in ``data/plan_vocab.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from prongsai.normalize.clean import squash
from prongsai.normalize.registry import data_yaml, months, words_pattern
from prongsai.normalize.thai_chars import CONSONANTS, SPACING_VOWELS, VOWELS_ABOVE_BELOW
from prongsai.normalize.years import fiscal_quarter

__all__ = ["column_quarter", "month_quarter", "numbered_quarter", "ticked", "ticked_quarters"]

#: the quarter words of a column header (``columns.quarter`` of plan_vocab.yaml), longest first
_QUARTER_WORDS = sorted(data_yaml("plan_vocab.yaml")["columns"]["quarter"], key=len, reverse=True)
_QUARTER = re.compile(rf"(?:{words_pattern(_QUARTER_WORDS)})\s*(\d)")
#: a consonant or a vowel, not a tone mark: a month name followed by one is a longer word
_LETTER_NO_TONE = re.compile(f"[{CONSONANTS}{SPACING_VOWELS}{VOWELS_ABOVE_BELOW}]")


@cache
def _ticks() -> tuple[str, ...]:
    return tuple(data_yaml("plan_vocab.yaml")["ticks"])


def numbered_quarter(text: str) -> int | None:
    """The quarter a ``ไตรมาส N`` header names (whitespace ignored), else None.

    >>> numbered_quarter("ไตรมาสที่ 2"), numbered_quarter("ไตร มาส\\n3"), numbered_quarter("ไตรมาส")
    (2, 3, None)
    """
    m = _QUARTER.search(squash(text))
    return int(m.group(1)) if m else None


def month_quarter(cell: str) -> int | None:
    """The fiscal quarter of a month column header (``ต.ค.``, ``ม.ค. 67``, ``ต.ค.-ธ.ค.``).

    >>> month_quarter("ต.ค. 66"), month_quarter("เม.ย.-มิ.ย."), month_quarter("กรกฎาคม"), month_quarter("ต้นทุน")
    (1, 3, 4, None)
    """
    s = squash(cell)
    for m in months():
        ns = squash(m.name)
        if m.form != "english" and s.startswith(ns) and not re.match(_LETTER_NO_TONE, s[len(ns):len(ns) + 1]):
            return fiscal_quarter(m.month)
    return None


def column_quarter(header: str) -> int | None:
    """The quarter a quarter column's header text names: ``ไตรมาส N``, else its month.

    >>> column_quarter("ไตรมาส 4"), column_quarter("ม.ค."), column_quarter("หน่วยนับ")
    (4, 2, None)
    """
    q = numbered_quarter(header)
    return q if q is not None else month_quarter(header)


def ticked(mark: str) -> bool:
    """Whether a quarter cell is ticked: a short cell holding a tick mark.

    >>> ticked("✓"), ticked(" / "), ticked(""), ticked("ดำเนินการ")
    (True, True, False, False)
    """
    s = squash(mark)
    return bool(s) and any(t in s for t in _ticks()) and len(s) <= 3


def ticked_quarters(marks: Iterable[tuple[str, str]]) -> set[int]:
    """The quarters of a row: those of its ticked quarter columns, each ``(header text, mark)``.

    >>> sorted(ticked_quarters([("ไตรมาส 1", "✓"), ("ไตรมาส 2", ""), ("ก.ค.", "/")]))
    [1, 4]
    """
    return {q for header, mark in marks if ticked(mark) and (q := column_quarter(header)) is not None}
