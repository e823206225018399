"""The Thai character classes and the line-join rule (``prongsai.normalize.thai_chars``) and
the two backends that join lines with it (PDF wrapped lines, OCR cell lines)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from prongsai.extract.ocr.words import join_lines
from prongsai.extract.pdf.lines import join_char
from prongsai.normalize import thai_chars as tc

_THAI_LETTERS = st.sampled_from(tc.chars_of(tc.CONSONANTS + tc.SPACING_VOWELS))
_LATIN = st.sampled_from("abcXYZ")


def _set(cls: str) -> set[str]:
    return set(tc.chars_of(cls))


def test_classes_nest_as_named() -> None:
    assert _set(tc.MARKS) == _set(tc.VOWELS_ABOVE_BELOW) | _set("\u0e47-\u0e4e")
    assert _set(tc.TONES) < _set(tc.TONES_THANTHAKHAT) < _set(tc.MARKS)
    assert _set(tc.VOWELS_ABOVE) < _set(tc.VOWELS_ABOVE_BELOW)
    assert _set(tc.WORD_LETTERS_MAIYAMOK) - _set(tc.WORD_LETTERS) == {"ๆ"}
    assert _set(tc.RUN_LETTERS) - _set(tc.WORD_LETTERS_MAIYAMOK) == {"ฯ"}
    assert not _set(tc.WORD_LETTERS) & _set(tc.DIGITS)
    assert _set(tc.FOLLOWING_VOWELS) < _set(tc.NON_INITIAL) and not _set(tc.LEADING_VOWELS) & _set(tc.NON_INITIAL)
    assert len(tc.chars_of(tc.CONSONANTS)) == 46 and len(tc.chars_of(tc.DIGITS)) == 10


def test_classes_are_regex_fragments() -> None:
    assert re.fullmatch(f"[{tc.CONSONANTS}][{tc.MARKS}]*", "ที่")
    assert not re.fullmatch(f"[{tc.CONSONANTS}][{tc.MARKS}]*", "ที่1")
    assert re.fullmatch(f"[{tc.LEADING_VOWELS}][{tc.CONSONANTS}][{tc.MARKS}]*", "เพื่")


@given(_THAI_LETTERS, _THAI_LETTERS)
def test_both_backends_join_thai_without_space(a: str, b: str) -> None:
    assert tc.joins_without_space(a, b)
    assert join_char("โครงการ" + a, b + "กิจกรรม", False, False) == ""
    assert join_lines(["โครงการ" + a, b + "กิจกรรม"]) == f"โครงการ{a}{b}กิจกรรม"


@given(st.one_of(_THAI_LETTERS, _LATIN), st.one_of(_THAI_LETTERS, _LATIN))
def test_both_backends_agree_off_digits(a: str, b: str) -> None:
    pdf = join_char("x" + a, b + "x", False, False)
    ocr = join_lines(["x" + a, b + "x"])
    want = "" if tc.joins_without_space(a, b) else " "
    assert pdf == want
    assert ocr == f"x{a}{want}{b}x"


def test_slash_break_joins_in_both_backends() -> None:
    assert join_char("โครงการ/", "activity", False, False) == ""
    assert join_lines(["โครงการ/", "activity"]) == "โครงการ/activity"
    assert join_lines(["ค่า", "/วัสดุ"]) == "ค่า/วัสดุ"
    assert join_lines(["ค่า", "วัสดุ 1"]) == "ค่าวัสดุ 1"
    assert join_lines(["ครั้ง", "1"]) == "ครั้ง 1"
