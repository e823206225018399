r"""The grammar of a plan's context headings: มิติ (dimension) and ภารกิจตามมิติ (mission),
defined once for the parser (:mod:`prongsai.parse.headings`, ``parse/structure.py``,
``parse/tables.py``) and the normaliser (:mod:`prongsai.normalize.labels`).

A heading is, in this order::

    lead      bullets, markdown, "(", a converter's image note  "# ", "• ", "(", "[image: …]"
    word      the heading word, possibly misspelt             มิติ, มติ, มิต, ภารกิจตามมิติ, การกิจตามมติ, ภาระกิจตามมิติ
    ordinal   ที่ (or ที, its tone mark lost)                 มิติที่ 1
    number    Arabic or Thai digits, one to three parts      1, ๒, 2.1, ๒.๑, 1.2.1
    sep       what follows the number: . : ) and spaces
    label     the rest                                        การสร้างสังคมที่ไม่ทนต่อการทุจริต

The heading words and their misspellings are the ``headings`` lists of
``data/plan_vocab.yaml``; a written word counts when it matches one of them fuzzily
(:func:`word_score` ≥ ``WORD_MIN``). A number ends where the next character is neither a
digit nor ``.digit`` (``มิติที่ 12`` and ``2.1.1.1`` are not heading numbers).

Everything returned is text as written (the number too, e.g. ``๒.๑``); mapping it to a
dimension number, a mission code and a canonical label is :mod:`prongsai.normalize.labels`'
job (``to_arabic`` folds the digits).

>>> h = dimension_text("มติที่ ๒ การบริหารราชการด้วยความโปร่งใส")
>>> (h.word, h.ordinal, h.number, h.label)
('มติ', 'ที่', '๒', 'การบริหารราชการด้วยความโปร่งใส')
>>> m = mission_text("การกิจตามมติ 4.2 มาตรการจัดการเรื่องร้องเรียนการทุจริต")
>>> (m.word, m.number, m.label)
('การกิจตามมติ', '4.2', 'มาตรการจัดการเรื่องร้องเรียนการทุจริต')
>>> numbered_text("1.2.1 สร้างจิตสำนึก").number, dimension_text("มิติใหม่ของการบริหาร")
('1.2.1', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from prongsai.normalize.clean import squash
from prongsai.normalize.registry import data_yaml
from prongsai.normalize.thai import thai_digits_to_arabic
from prongsai.normalize.thai_chars import DIGITS, THAI_UP_TO_MARKS, THAI_WITH_DIGITS

WORD_MIN = 74.0  # a written heading word counts from this score (0-100) against the word list
DIMENSION_WORD_CHARS = (2, 6)  # a มิติ word as written, without spaces
MISSION_WORD_CHARS = (4, 20)  # a ภารกิจตามมิติ word as written (spaces and ordinal included)

_DIGIT = f"[0-9{DIGITS}]"
_ORDINALS: tuple[str, ...] = tuple(data_yaml("plan_vocab.yaml")["ordinals"])
#: the ordinal after a heading word (ที่, or ที without its tone mark), and its canonical spelling
ORDINAL, ORDINAL_WORD = "|".join(map(re.escape, _ORDINALS)), _ORDINALS[0]
_HEADING = re.compile(
    r"^(?P<lead>[\s#*•●▪\-–(]*(?:\[image:[^\]]*\]\s*)?)"
    rf"(?P<head>(?P<word>[{THAI_UP_TO_MARKS}\s]*?)\s*(?P<ordinal>{ORDINAL})?)\s*"
    rf"(?P<number>{_DIGIT}(?:\s*\.\s*{_DIGIT}{{1,2}}){{0,2}})(?!{_DIGIT}|\s*\.\s*{_DIGIT})"
    r"(?P<sep>\s*[.:)]?\s*)(?P<label>.*)$",
    re.S,
)
_LABEL_START = re.compile(rf"[{THAI_WITH_DIGITS}\[]")


@dataclass(frozen=True)
class HeadingText:
    """A heading split into its parts, each as written (see the module's grammar)."""

    lead: str  # bullets, markdown, "(", an image note before the word ('' when none)
    word: str  # the heading word ('' for a bare number), without the ordinal
    ordinal: str  # 'ที่', 'ที' or ''
    head: str  # the word and the ordinal as written (with the spaces between them)
    number: str  # the number without spaces: '2', '๒', '2.1', '๒.๑', '1.2.1'
    sep: str  # what stands between the number and the label: spaces and one of . : ) or none
    label: str  # the rest, stripped

    @property
    def parts(self) -> int:
        """How many parts the number has: 1 (a dimension) or 2-3 (a mission code)."""
        return self.number.count(".") + 1

    @property
    def mark(self) -> str:
        """The separator without its spaces: '.', ':', ')' or ''."""
        return self.sep.strip()

    @property
    def number_then_number(self) -> bool:
        """The number is directly followed by another number (``มิติ 1 2565``)."""
        return not self.mark and self.label[:1].isdigit()


def heading_words(kind: str) -> tuple[str, ...]:
    """The words of a context heading (``plan_vocab.yaml``, ``headings``): the canonical
    spelling first, then the misspellings seen. One list for every heading matcher.

    >>> heading_words("dimension")[0], heading_words("mission")[0]
    ('มิติ', 'ภารกิจตามมิติ')
    """
    return tuple(data_yaml("plan_vocab.yaml")["headings"][kind])


def to_arabic(number: str) -> str:
    """A heading number as written -> Arabic digits (``๒.๑`` -> ``2.1``).

    >>> to_arabic("๒.๑"), to_arabic("1.2.1")
    ('2.1', '1.2.1')
    """
    return thai_digits_to_arabic(number)


def split_heading(text: str) -> HeadingText | None:
    """The parts of a heading-shaped text (any word, any number), or None. Syntax only:
    :func:`dimension_text`, :func:`mission_text` and :func:`numbered_text` say which
    words and numbers make which heading.

    >>> split_heading("# มิติ๒.การบริหาร")
    HeadingText(lead='# ', word='มิติ', ordinal='', head='มิติ', number='๒', sep='.', label='การบริหาร')
    >>> split_heading("มิติที่ 12") is None, split_heading("ไม่มีเลข") is None
    (True, True)
    """
    m = _HEADING.match(text)
    if not m:
        return None
    return HeadingText(m["lead"], m["word"].strip(), m["ordinal"] or "", m["head"].strip(),
                       re.sub(r"\s+", "", m["number"]), m["sep"], m["label"].strip())


@cache
def _squashed_words(kind: str) -> tuple[str, ...]:
    return tuple(squash(w) for w in heading_words(kind))


def word_score(word: str, kind: str) -> float:
    """How well a written heading word matches the ``kind``'s word list (100 = the
    canonical spelling). A known misspelling scores below 100 but at least ``WORD_MIN``
    (it is still a fuzzy decision that a reviewer should see); an unknown word scores its
    similarity to the closest listed word.

    >>> word_score("มิติ", "dimension"), word_score("มติ", "dimension") < 100
    (100.0, True)
    >>> word_score("ภาระกิจตามมิติ", "mission") >= WORD_MIN, word_score("ยุทธศาสตร์", "dimension") < WORD_MIN
    (True, True)
    """
    w = squash(word)
    variants = _squashed_words(kind)
    if w == variants[0]:
        return 100.0
    if w in variants:
        return float(max(WORD_MIN, min(99.0, fuzz.ratio(w, variants[0]))))
    return float(min(99.0, max(fuzz.ratio(w, v) for v in variants)))


def is_dimension_word(word: str) -> bool:
    """A written word that is a มิติ word (2-6 letters, no spaces, matching the list).

    >>> is_dimension_word("มติ"), is_dimension_word("มิติใหม่ของ"), is_dimension_word("")
    (True, False, False)
    """
    lo, hi = DIMENSION_WORD_CHARS
    return lo <= len(word) <= hi and not re.search(r"\s", word) and word_score(word, "dimension") >= WORD_MIN


def is_mission_word(head: str) -> bool:
    """A written word (with its ordinal) that is a ภารกิจตามมิติ word.

    >>> is_mission_word("ภาระกิจตามมิติ"), is_mission_word("การกิจตาม มติ"), is_mission_word("มิติ")
    (True, True, False)
    """
    lo, hi = MISSION_WORD_CHARS
    return lo <= len(head) <= hi and word_score(head, "mission") >= WORD_MIN


def dimension_text(text: str) -> HeadingText | None:
    """A มิติ heading: a มิติ word, an optional ordinal, a one-part number 1-4.

    >>> h = dimension_text("มิติ ๔ การยกระดับกลไกการตรวจสอบ")
    >>> (h.word, h.number, h.label)
    ('มิติ', '๔', 'การยกระดับกลไกการตรวจสอบ')
    >>> [dimension_text(t) is None for t in ("มิติที่ 1.1 ไม่ใช่", "มิติที่ 5", "ความคิดเห็น 2 ข้อ", "2.1 การ")]
    [True, True, True, True]
    """
    h = split_heading(text)
    if h is None or h.parts != 1 or to_arabic(h.number) not in "1234" or not is_dimension_word(h.word):
        return None
    return h


def mission_text(text: str) -> HeadingText | None:
    """A ภารกิจตามมิติ heading: a mission word (its ordinal included) and a 2- or 3-part code.

    >>> mission_text("ภารกิจตามมิติ ๒.๑ การเปิดเผยข้อมูล").number
    '๒.๑'
    >>> mission_text("ภาระกิจ 2.1 ก").word, mission_text("มิติที่ 2 การบริหาร") is None
    ('ภาระกิจ', True)
    """
    h = split_heading(text)
    if h is None or h.parts < 2 or not is_mission_word(h.head):
        return None
    return h


def numbered_text(text: str) -> HeadingText | None:
    """A bare 2- or 3-part number and a label (``2.2.1 สร้างความโปร่งใส…``): a mission
    heading written without its word, or a numbered list item; context decides.

    >>> numbered_text("2.2.1 สร้างความโปร่งใสในการบริหารงานบุคคล").label
    'สร้างความโปร่งใสในการบริหารงานบุคคล'
    >>> [numbered_text(t) is None for t in ("2562 - 2564", "2.1. มีจุด", "2.1 2 โครงการ", "มิติ 2.1 ก")]
    [True, True, True, True]
    """
    h = split_heading(text)
    if h is None or h.word or h.ordinal or h.parts < 2 or h.mark or not _LABEL_START.match(h.label):
        return None
    return h


def column_dimension(cell: str) -> HeadingText | None:
    """The dimension of a มิติ table column's cell: a one-part number 1-4 with or without
    its word (``1``, ``1.``, ``มติ 2``, ``มิติที่ 1. การ…``), then spaces or nothing.

    >>> [column_dimension(c).number for c in ("1", "2.", "มติ 3\\nการส่งเสริม", "มิติที่ 4. การยกระดับ")]
    ['1', '2', '3', '4']
    >>> [column_dimension(c) is None for c in ("1.1", "5", "1การ", "ที่ 12", "หมายเหตุ 1", "- 1")]
    [True, True, True, True, True, True]
    """
    h = split_heading(cell)
    if h is None or h.lead.strip() or h.parts != 1 or to_arabic(h.number) not in "1234" or h.mark == ":":
        return None
    if h.word and not is_dimension_word(h.word):
        return None
    spaced = h.sep[:1].isspace() or (h.mark in (".", ")") and (h.sep[-1:].isspace() or not h.label))
    if h.label and not spaced:
        return None  # "1การ", "1.การ": a number run into a word
    return h


def bare_dimension(text: str) -> HeadingText | None:
    """A dimension number without the word มิติ before a label (``1. การสร้างสังคม…``,
    ``(2) การบริหาร…``), as a มิติ table column may write it; the caller decides whether
    the label is long enough to be one.

    >>> bare_dimension("(2) การบริหารราชการ").label, bare_dimension("มิติ 2 การบริหาร")
    ('การบริหารราชการ', None)
    """
    h = split_heading(text)
    if h is None or h.head or h.parts != 1 or to_arabic(h.number) not in "1234":
        return None
    return h


def embedded_mission(text: str) -> int | None:
    """Where a mission heading starts inside a line that began with something else (a
    dimension heading with its mission on the same line), else None.

    >>> t = "มิติ 2 การบริหารราชการ ภารกิจตามมิติ 2.1 แสดงเจตจำนง"
    >>> t[embedded_mission(t):]
    'ภารกิจตามมิติ 2.1 แสดงเจตจำนง'
    """
    m = re.search(rf"\s({_mission_words_alternation()})\s*\d\s*\.\s*\d", text)
    return m.start(1) if m else None


@cache
def _mission_words_alternation() -> str:
    return "|".join(re.escape(w) for w in sorted(heading_words("mission"), key=len, reverse=True))


@cache
def dimension_word_pattern() -> str:
    """A regular expression for a มิติ word as written in running text (any listed
    spelling, an optional ordinal), e.g. for a total row ``รวมมิติที่ 1``.

    >>> bool(re.fullmatch(dimension_word_pattern(), "มิติที่")), bool(re.fullmatch(dimension_word_pattern(), "มติ"))
    (True, True)
    """
    words = "|".join(re.escape(squash(w)) for w in sorted(heading_words("dimension"), key=len, reverse=True))
    return rf"(?:{words})(?:{ORDINAL})?"
