"""Context headings of a plan: มิติ (dimension), ภารกิจตามมิติ (mission) and
numbered sub-headings such as ``2.2.1 ...``.

Text reaching this module is already cleaned (Thai repaired, digits Arabic).
Misspelt heading words (``มติ``, ``การกิจตามมติ``) are matched fuzzily.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from prongsai.normalize.labels import heading_words
from prongsai.normalize.thai import squash
from prongsai.normalize.thai_chars import THAI_WITH_DIGITS
from prongsai.parse.vocab import vocab

_CODE = re.compile(r"^(\d)\s*\.\s*(\d{1,2})(?:\s*\.\s*(\d{1,2}))?(?!\s*\.?\s*\d)")
_MAX_HEADING = 420  # characters: longer lines are prose, not headings


@dataclass(frozen=True)
class Heading:
    kind: str  # "dimension" | "mission"
    dimension: int | None
    code: str | None  # mission code, e.g. "2.2.1"
    label: str  # the text after the number
    score: float  # how well the heading word matched (100 = exact)
    word: str = ""  # the heading word as written (e.g. "มติ")
    number: str = ""  # the มิติ number as written ("2"; a mission's is its code's first part)


def _word_score(prefix: str, variants: list[str]) -> float:
    """How well a heading word matches; the first variant is the canonical spelling.

    A known misspelling is accepted but scores below 100 (it is still a fuzzy
    decision that a reviewer should see); an unknown word scores its similarity
    to the closest variant.

    >>> _word_score("มิติ", ["มิติ", "มติ"]), _word_score("มติ", ["มิติ", "มติ"]) < 100
    (100.0, True)
    """
    canonical = squash(variants[0])
    if prefix == canonical:
        return 100.0
    if prefix in (squash(v) for v in variants):
        return max(74.0, min(99.0, fuzz.ratio(prefix, canonical)))
    return min(99.0, max(fuzz.ratio(prefix, squash(v)) for v in variants))


def dimension_heading(text: str) -> Heading | None:
    """``มิติที่ 1 การสร้าง...`` / ``มติ๒การบริหาร...`` -> dimension heading.

    >>> h = dimension_heading("มติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต")
    >>> (h.dimension, h.label, h.score < 100)
    (2, 'การบริหารราชการเพื่อป้องกันการทุจริต', True)
    >>> dimension_heading("มิติใหม่ของการบริหาร") is None
    True
    """
    if len(text) > _MAX_HEADING:
        return None
    m = re.match(rf"^\s*([{THAI_WITH_DIGITS}]{{2,6}}?)\s*(?:ที่|ที)?\s*([1-4])(?!\s*[.\d])\s*[.:]?\s*(.*)$", text)
    if not m:
        return None
    score = _word_score(m.group(1), list(heading_words("dimension")))
    if score < 74:
        return None
    return Heading("dimension", int(m.group(2)), None, m.group(3).strip(), score, m.group(1), m.group(2))


def mission_heading(text: str) -> Heading | None:
    """``ภารกิจตามมิติ 2.1 ...`` (also misspelt ``การกิจตามมติ``) -> mission heading.

    >>> h = mission_heading("การกิจตามมติ 4.2 มาตรการจัดการเรื่องร้องเรียนการทุจริต")
    >>> (h.code, h.dimension, h.score < 100)
    ('4.2', 4, True)
    """
    if len(text) > _MAX_HEADING:
        return None
    m = re.match(rf"^\s*([{THAI_WITH_DIGITS}\s]{{4,20}}?)\s*(\d\s*\.\s*\d{{1,2}}(?:\s*\.\s*\d{{1,2}})?)(?!\s*\d)\s*[.:]?\s*(.*)$",
                 text)
    if not m:
        return None
    score = _word_score(squash(m.group(1)), list(heading_words("mission")))
    if score < 74:
        return None
    code = re.sub(r"\s+", "", m.group(2))
    return Heading("mission", int(code[0]), code, m.group(3).strip(), score, squash(m.group(1)), code[0])


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
    m = _CODE.match(text.strip())
    if not m:
        return None
    code = ".".join(g for g in m.groups() if g)
    rest = text.strip()[m.end():].strip()
    if not rest or not re.match(rf"^[{THAI_WITH_DIGITS}\[]", rest):
        return None
    return Heading("mission", int(m.group(1)), code, rest, 100.0, number=m.group(1))


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
    words = "|".join(re.escape(w) for w in sorted(list(heading_words("mission")), key=len, reverse=True))
    m = re.search(rf"\s({words})\s*\d\s*\.\s*\d", text)
    if not m:
        return None
    head, tail = text[: m.start()].strip(), text[m.start():].strip()
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
