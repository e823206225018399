r"""The Thai character classes and the Thai line-join rule, defined once for every module.

Each class is a regular-expression class *fragment* (what goes between ``[`` and ``]``), so
classes compose: ``f"[{CONSONANTS}{LEADING_VOWELS}]"``. :func:`chars_of` lists a class's
characters. The classes differ on purpose; each name says what it holds:

================================  ===========================================================
``THAI``                          every assigned Thai character, U+0E01-U+0E5B (letters,
                                  vowels, marks, ฯ ๆ ฿ ๏, digits, ๚ ๛)
``THAI_UP_TO_MARKS``              U+0E01-U+0E4E: ``THAI`` without ๏, the digits, ๚ ๛
``THAI_WITH_DIGITS``              U+0E01-U+0E59 (``[ก-๙]``): ``THAI`` without ๚ ๛; what a Thai
                                  name or word of a heading is taken from
``CONSONANTS``                    ก-ฮ (with ฤ ฦ)
``MARKS``                         the combining marks: MAI HAN-AKAT, above/below vowels,
                                  PHINTHU, MAITAIKHU .. YAMAKKAN
``VOWELS_ABOVE_BELOW``            MAI HAN-AKAT and the above/below vowels (and PHINTHU)
``VOWELS_ABOVE``                  MAI HAN-AKAT and the above vowels ิ ี ึ ื
``TONES``                         MAI EK .. MAI CHATTAWA
``TONES_THANTHAKHAT``             the tones and THANTHAKHAT (written after an upper vowel)
``LEADING_VOWELS``                เ แ โ ใ ไ
``FOLLOWING_VOWELS``              ะ า ำ (never start a syllable)
``NON_INITIAL``                   what cannot start a syllable: ``FOLLOWING_VOWELS``, the
                                  marks, LAKKHANGYAO
``SPACING_VOWELS``                the vowels with a width: ะ า ำ and เ-ๅ
``WORD_LETTERS``                  what a spelled word is made of: consonants, vowels, marks
                                  (no ฯ ๆ ฿ ๏, no digits)
``WORD_LETTERS_MAIYAMOK``         ``WORD_LETTERS`` and ๆ
``RUN_LETTERS``                   U+0E01-U+0E3A and U+0E40-U+0E4E: ``WORD_LETTERS``, ฯ and ๆ
``DIGITS``                        ๐-๙
``LEGACY_PUA``                    legacy Thai glyph code points of old fonts (Windows U+F700-
                                  U+F71F, Mac U+F884-U+F89E)
``WINDOWS_PUA_MARKS``             the Windows legacy code points that stand for marks
================================  ===========================================================

>>> import re
>>> [bool(re.fullmatch(f"[{WORD_LETTERS}]+", w)) for w in ("เทศบาล", "ต่างๆ", "๒๕๖๗")]
[True, False, False]
>>> bool(re.fullmatch(f"[{WORD_LETTERS_MAIYAMOK}]+", "ต่างๆ"))
True
"""

from __future__ import annotations

import re

__all__ = [
    "CONSONANTS",
    "DIGITS",
    "FOLLOWING_VOWELS",
    "LEADING_VOWELS",
    "LEGACY_PUA",
    "MARKS",
    "NON_INITIAL",
    "RUN_LETTERS",
    "SPACING_VOWELS",
    "THAI",
    "THAI_BLOCK",
    "THAI_UP_TO_MARKS",
    "THAI_WITH_DIGITS",
    "TONES",
    "TONES_THANTHAKHAT",
    "VOWELS_ABOVE",
    "VOWELS_ABOVE_BELOW",
    "WINDOWS_PUA",
    "WINDOWS_PUA_MARKS",
    "WORD_LETTERS",
    "WORD_LETTERS_MAIYAMOK",
    "chars_of",
    "is_slash_break",
    "is_thai",
    "is_thai_glyph",
    "joins_without_space",
]

THAI = "\u0e01-\u0e5b"
THAI_UP_TO_MARKS = "\u0e01-\u0e4e"
THAI_WITH_DIGITS = "\u0e01-\u0e59"
CONSONANTS = "\u0e01-\u0e2e"
VOWELS_ABOVE_BELOW = "\u0e31\u0e34-\u0e3a"
VOWELS_ABOVE = "\u0e31\u0e34-\u0e37"
MARKS = VOWELS_ABOVE_BELOW + "\u0e47-\u0e4e"
TONES = "\u0e48-\u0e4b"
TONES_THANTHAKHAT = "\u0e48-\u0e4c"
LEADING_VOWELS = "\u0e40-\u0e44"
FOLLOWING_VOWELS = "\u0e30\u0e32\u0e33"
NON_INITIAL = "\u0e30-\u0e3a\u0e45\u0e47-\u0e4e"
SPACING_VOWELS = "\u0e30\u0e32\u0e33\u0e40-\u0e45"
WORD_LETTERS = CONSONANTS + "\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
WORD_LETTERS_MAIYAMOK = CONSONANTS + "\u0e30-\u0e3a\u0e40-\u0e4e"
RUN_LETTERS = "\u0e01-\u0e3a\u0e40-\u0e4e"
DIGITS = "\u0e50-\u0e59"
WINDOWS_PUA = "\uf700-\uf71f"
LEGACY_PUA = WINDOWS_PUA + "\uf884-\uf89e"
#: Windows legacy "shifted" glyphs of the combining marks (U+F701-U+F70E, U+F710-U+F71A, U+F71E, U+F71F)
WINDOWS_PUA_MARKS = "\uf701-\uf70e\uf710-\uf71a\uf71e\uf71f"

#: the Unicode Thai block, assigned or not (code points)
THAI_BLOCK = range(0x0E00, 0x0E80)


def chars_of(cls: str) -> str:
    """The characters of a class fragment, in code-point order (Thai block and PUA only).

    >>> chars_of(FOLLOWING_VOWELS), chars_of(LEADING_VOWELS)
    ('ะาำ', 'เแโใไ')
    >>> len(chars_of(MARKS)), len(chars_of(WINDOWS_PUA_MARKS))
    (16, 27)
    """
    pattern = re.compile(f"[{cls}]")
    pool = (*THAI_BLOCK, *range(0xF700, 0xF720), *range(0xF884, 0xF89F))
    return "".join(chr(c) for c in pool if pattern.match(chr(c)))


def is_thai(ch: str) -> bool:
    """An assigned Thai character (``THAI``).

    >>> is_thai("ก"), is_thai("๙"), is_thai("\\u0e7f"), is_thai("a"), is_thai("")
    (True, True, False, False, False)
    """
    return len(ch) == 1 and "\u0e01" <= ch <= "\u0e5b"


def is_thai_glyph(ch: str) -> bool:
    """A code point a Thai font draws: the Thai block or a legacy Windows PUA glyph.

    >>> is_thai_glyph("ก"), is_thai_glyph("\\uf70b"), is_thai_glyph("a"), is_thai_glyph("1")
    (True, True, False, False)
    """
    o = ord(ch)
    return o in THAI_BLOCK or 0xF700 <= o <= 0xF71F


def is_slash_break(a: str, b: str) -> bool:
    """A line that ends in ``a`` and a line that starts with ``b`` broken at ``/`` or ``-``:
    they join without a space (``โครงการ/`` + ``กิจกรรม``).

    >>> is_slash_break("/", "ก"), is_slash_break("-", "1"), is_slash_break("ก", "/"), is_slash_break("ก", "-")
    (True, True, True, False)
    """
    return a in "/-" or b == "/"


def joins_without_space(a: str, b: str) -> bool:
    """The Thai line-join rule: two lines, the first ending in ``a`` and the next starting
    with ``b``, join with nothing between them when both are Thai glyphs (Thai writes no
    spaces between words, so a line break inside Thai is inside a phrase) or at a ``/`` or
    ``-`` break; otherwise with a space.

    >>> joins_without_space("ม", "ค"), joins_without_space("ม", "1"), joins_without_space("e", "ก")
    (True, False, False)
    >>> joins_without_space("/", "a")
    True
    """
    return is_slash_break(a, b) or (is_thai_glyph(a) and is_thai_glyph(b))
