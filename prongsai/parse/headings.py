"""Context headings of a plan: มิติ (dimension), ภารกิจตามมิติ (mission) and
numbered sub-headings such as ``2.2.1 ...``.

Text reaching this module is already cleaned (Thai repaired, digits Arabic). The
heading grammar (words and their misspellings, numbers) is
:mod:`prongsai.normalize.heading_grammar`; this module says which headings the parser
takes in running text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prongsai.normalize.clean import squash
from prongsai.normalize.heading_grammar import (
    HeadingText,
    dimension_text,
    embedded_mission,
    mission_text,
    numbered_text,
    to_arabic,
    word_score,
)
from prongsai.parse.vocab import vocab

_MAX_HEADING = 420  # characters: longer lines are prose, not headings


@dataclass(frozen=True)
class Heading:
    kind: str  # "dimension" | "mission"
    dimension: int | None
    code: str | None  # mission code as written, e.g. "2.2.1"
    label: str  # the text after the number
    score: float  # how well the heading word matched (100 = exact)
    word: str = ""  # the heading word as written (e.g. "มติ")
    number: str = ""  # the มิติ number as written ("2"; a mission's is its code's first part)


def _heading(kind: str, h: HeadingText, score: float, word: str = "") -> Heading:
    """A Heading from the grammar's parts: the number as written, and the dimension it
    belongs to (the number's first part) for the walker's comparisons."""
    first = h.number.split(".")[0]
    code = h.number if kind == "mission" else None
    return Heading(kind, int(to_arabic(first)), code, h.label, score, word, first)


def _running_text(h: HeadingText | None) -> HeadingText | None:
    """A heading as the parser takes it in running text: nothing before the word, the
    label on the same line, and not a number followed by another number."""
    if h is None or h.lead.strip() or "\n" in h.label or h.number_then_number:
        return None
    return h


def dimension_heading(text: str) -> Heading | None:
    """``มิติที่ 1 การสร้าง...`` / ``มติ๒การบริหาร...`` -> dimension heading.

    A number followed by a full stop (``มติ 3. การ…``) is not taken in running text.

    >>> h = dimension_heading("มติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต")
    >>> (h.dimension, h.label, h.score < 100)
    (2, 'การบริหารราชการเพื่อป้องกันการทุจริต', True)
    >>> dimension_heading("มิติใหม่ของการบริหาร") is None, dimension_heading("มติ 3. การส่งเสริม") is None
    (True, True)
    """
    if len(text) > _MAX_HEADING:
        return None
    h = _running_text(dimension_text(text))
    if h is None or h.mark == ".":
        return None
    return _heading("dimension", h, word_score(h.word, "dimension"), h.word)


def mission_heading(text: str) -> Heading | None:
    """``ภารกิจตามมิติ 2.1 ...`` (also misspelt ``การกิจตามมติ``) -> mission heading.

    >>> h = mission_heading("การกิจตามมติ 4.2 มาตรการจัดการเรื่องร้องเรียนการทุจริต")
    >>> (h.code, h.dimension, h.score < 100)
    ('4.2', 4, True)
    """
    if len(text) > _MAX_HEADING:
        return None
    h = _running_text(mission_text(text))
    if h is None:
        return None
    return _heading("mission", h, word_score(h.head, "mission"), squash(h.head))


def numbered_heading(text: str) -> Heading | None:
    """A bare numbered sub-heading ``2.2.1 สร้างความโปร่งใส...`` (a candidate only:
    the caller decides from context whether it is a heading or a list item).

    >>> numbered_heading("2.2.1 สร้างความโปร่งใสในการบริหารงานบุคคล").code
    '2.2.1'
    >>> numbered_heading("2562 - 2564") is None
    True
    """
    if len(text) > _MAX_HEADING:
        return None
    h = numbered_text(text)
    if h is None or h.lead.strip():
        return None
    return _heading("mission", h, 100.0)


def split_combined(text: str) -> tuple[str, str] | None:
    """A dimension heading with its mission on the same line -> (dimension part,
    mission part), else None.

    >>> split_combined("มิติ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต ภารกิจตามมิติ 1.2 การสร้างจิตสำนึก")
    ('มิติ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต', 'ภารกิจตามมิติ 1.2 การสร้างจิตสำนึก')
    >>> split_combined("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต") is None
    True
    """
    if dimension_heading(text) is None:
        return None
    start = embedded_mission(text)
    if start is None:
        return None
    head, tail = text[:start].strip(), text[start:].strip()
    return (head, tail) if mission_heading(tail) else None


def appendix_heading(text: str) -> bool:
    """A line that opens an appendix (SAR form, ITA table, annex).

    >>> appendix_heading("ภาคผนวก ก"), appendix_heading("แบบประเมินตนเอง (SAR) ประจำปี 2563")
    (True, True)
    >>> appendix_heading("ภาคผนวก ........ 45"), appendix_heading("1.2 ผลการประเมิน ITA ของเทศบาล")
    (False, False)
    """
    s = text.strip()
    if len(s) > 80 or re.search(r"\s\d{1,3}\s*$", s) or re.match(r"^\(?\d", s):  # a contents line, a list item
        return False
    if re.search(r"\.{4,}", s):
        return False
    return any(squash(s).startswith(squash(w)) for w in vocab()["appendix_headings"])


def part_heading(text: str) -> bool:
    """``ส่วนที่ 3 ...``: a part of the plan begins.

    >>> part_heading("ส่วนที่ 3 รายละเอียดโครงการ"), part_heading("ส่วนที่เหลือ")
    (True, False)
    """
    return any(re.match(rf"^\s*{re.escape(w)}\s*\d", text) for w in vocab()["part_headings"])


def deepest_code(text: str) -> str | None:
    """The mission code of a ภารกิจ cell: the deepest number that applies (``1.2.1``
    written under ``1.2``), not merely the first one.

    >>> deepest_code("1.2 การสร้างจิตสำนึก\\n1.2.1 สร้างจิตสำนึกในการรักษาประโยชน์สาธารณะ")
    '1.2.1'
    >>> deepest_code("1.2 การสร้างจิตสำนึก 1.3.1 อื่น"), deepest_code("ไม่มีเลข")
    ('1.2', None)
    """
    first = numbered_heading(text.replace("\n", " "))
    if first is None or first.code is None:
        return None
    code = first.code
    for line in text.split("\n")[1:]:
        h = numbered_heading(line)
        if h is not None and h.code and h.code.startswith(code + "."):
            code = h.code
    return code
