"""Text cleaned for the dataset and for comparisons: the Thai repair
(:mod:`prongsai.normalize.thai`), Thai digits folded, whitespace collapsed.

Both functions remember the texts they saw (documents repeat headers, labels and figures).
"""

from __future__ import annotations

import re
from functools import lru_cache

from prongsai.normalize.thai import HSPACE, TEXT_CACHE_SIZE, repair_by_line, repair_thai, thai_digits_to_arabic

__all__ = ["clean_text", "squash"]


_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_HSPACE_RUN = re.compile(f"{HSPACE}+")
_ANY_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def clean_text(text: str) -> str:
    r"""Repair Thai, fold Thai digits, collapse horizontal whitespace, strip lines.

    Newlines are kept (``\r\n``, ``\r``, form feeds and Unicode line separators become
    ``\n``); each run of spaces, tabs, NBSP… becomes one space; every line is stripped and
    leading/trailing blank lines are dropped.

    >>> clean_text("  ปีงบประมาณ\u00a0\u00a0พ.ศ.\t๒๕๖๗  \r\n\r\n ไม่ใช้งบ ประมาณ \n\n")
    'ปีงบประมาณ พ.ศ. 2567\n\nไม่ใช้งบ ประมาณ'
    >>> clean_text("")
    ''
    """
    for _ in range(4):
        new = _clean_once(text)
        if new == text:
            break
        text = new
    return text


def _clean_once(text: str) -> str:
    text = thai_digits_to_arabic(repair_by_line(text))  # exactly repair_thai(text)
    text = _NEWLINES.sub("\n", text)
    lines = [_HSPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def squash(text: str) -> str:
    """:func:`clean_text` with all whitespace removed, for comparisons.

    >>> squash("ไม่ได้ใช้ งบประมาณ\\n ดำเนินการ ")
    'ไม่ได้ใช้งบประมาณดำเนินการ'
    >>> squash("ไม่ใช้งบ ประมา ณ") == squash("ไม่ใช้งบประมาณ")
    True
    """
    # removing whitespace can bring marks together (``ก ุ ุ``), so repair once more
    return repair_thai(_ANY_SPACE.sub("", clean_text(text)))
