"""The one มิติ / ภารกิจ heading grammar (``normalize/heading_grammar.py``) and its callers.

Every form the four former matchers accepted (``parse/headings.py``, ``normalize/labels.py``,
the มิติ-column cases of ``parse/structure.py`` and ``parse/tables.py``; collected from their
doctests and tests) is still accepted by the grammar, and by the caller that accepted it;
the negative cases stay negative.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.normalize.heading_grammar import (
    WORD_MIN,
    bare_dimension,
    column_dimension,
    dimension_text,
    embedded_mission,
    heading_words,
    mission_text,
    numbered_text,
    split_heading,
    to_arabic,
    word_score,
)
from prongsai.normalize.labels import match_dimension, match_mission
from prongsai.parse.headings import dimension_heading, mission_heading, numbered_heading, split_combined
from prongsai.parse.structure import _dimension_column_text
from prongsai.parse.tables import _cell_dimension, _is_total

PACKAGE = Path(__file__).resolve().parents[1] / "prongsai"

# (text, word as written, ordinal, number as written, label): dimension headings
DIMENSIONS = [
    ("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "มิติ", "ที่", "1", "การสร้างสังคมที่ไม่ทนต่อการทุจริต"),
    ("มติ2การบริหารราชการด้วยความโปร่งใส", "มติ", "", "2", "การบริหารราชการด้วยความโปร่งใส"),
    ("มิติ 4 การยกระดับกลไกการตรวจสอบ", "มิติ", "", "4", "การยกระดับกลไกการตรวจสอบ"),
    ("มิต ที่ 3 การส่งเสริมบทบาท", "มิต", "ที่", "3", "การส่งเสริมบทบาท"),
    ("มติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต", "มติ", "ที่", "2", "การบริหารราชการเพื่อป้องกันการทุจริต"),
    ("มิติที 2 การบริหารราชการด้วยความโปร่งใส", "มิติ", "ที", "2", "การบริหารราชการด้วยความโปร่งใส"),
    ("มิติ ๑ การสร้างวัฒนธรรมสุจริต", "มิติ", "", "๑", "การสร้างวัฒนธรรมสุจริต"),
    ("มติ๒การบริหารราชการด้วยความโปร่งใส", "มติ", "", "๒", "การบริหารราชการด้วยความโปร่งใส"),
    ("# มิติ๒.การบริหารราชการด้วยความโปร่งใส", "มิติ", "", "๒", "การบริหารราชการด้วยความโปร่งใส"),
    ("มติ ๓. การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน", "มติ", "", "๓", "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน"),
    ("มิติที่ ๒", "มิติ", "ที่", "๒", ""),
    ("มิติ 2 การบริหารราชการ ภารกิจตามมิติ 2.1 แสดงเจตจำนง", "มิติ", "", "2", "การบริหารราชการ ภารกิจตามมิติ 2.1 แสดงเจตจำนง"),
]

# (text, word with its ordinal as written, number as written, label): mission headings
MISSIONS = [
    ("ภารกิจตามมิติ 2.1 การเปิดเผยข้อมูล", "ภารกิจตามมิติ", "2.1", "การเปิดเผยข้อมูล"),
    ("การกิจตามมติ 4.2 มาตรการจัดการเรื่องร้องเรียนการทุจริต", "การกิจตามมติ", "4.2", "มาตรการจัดการเรื่องร้องเรียนการทุจริต"),
    ("ภารกิจตามมิติ ๒.๑ การเปิดเผยข้อมูลสาธารณะ", "ภารกิจตามมิติ", "๒.๑", "การเปิดเผยข้อมูลสาธารณะ"),
    ("ภารกิจตามมติ ๒.๓ มาตรการลดการใช้ดุลพินิจในการปฏิบัติงาน", "ภารกิจตามมติ", "๒.๓", "มาตรการลดการใช้ดุลพินิจในการปฏิบัติงาน"),
    (" ภารกิจตามมิติ ๔.๒ มาตรการจัดการเรื่องร้องเรียนการทุจริต", "ภารกิจตามมิติ", "๔.๒", "มาตรการจัดการเรื่องร้องเรียนการทุจริต"),
    ("ภาระกิจตามมิติ 1.2.1 สร้างจิตสำนึก", "ภาระกิจตามมิติ", "1.2.1", "สร้างจิตสำนึก"),
    ("ภาระกิจ 3.2 การรับฟังความคิดเห็น", "ภาระกิจ", "3.2", "การรับฟังความคิดเห็น"),
    ("ภารกิจตามมิติที่ 2 . 2 มาตรการส่งเสริมคุณธรรม", "ภารกิจตามมิติที่", "2.2", "มาตรการส่งเสริมคุณธรรม"),
    ("ภารกิจตามมิติ 1.1", "ภารกิจตามมิติ", "1.1", ""),
]

NOT_HEADINGS = [
    "มิติใหม่ของการบริหาร",
    "มิติใหม่ของสังคม",
    "โครงการพัฒนามิติ 2 ด้านของชุมชน",  # มิติ inside a title, not a heading word
    "โครงการส่งเสริมคุณธรรม มิติที่ 1 การสร้างสังคม",  # a title that mentions มิติ mid-sentence
    "ความคิดเห็น 2 ข้อ",
    "ยุทธศาสตร์ที่ 1 สร้างสังคมที่ไม่ทนต่อการทุจริต",
    "มิติ\tการกิจกรรมมิติ",
    "",
]


@pytest.mark.parametrize(("text", "word", "ordinal", "number", "label"), DIMENSIONS)
def test_dimension_forms(text: str, word: str, ordinal: str, number: str, label: str) -> None:
    h = dimension_text(text)
    assert h is not None
    assert (h.word, h.ordinal, h.number, h.label) == (word, ordinal, number, label)
    assert mission_text(text) is None and numbered_text(text) is None
    assert match_dimension(text) is not None and match_dimension(text).dimension == int(to_arabic(number))


@pytest.mark.parametrize(("text", "word", "number", "label"), MISSIONS)
def test_mission_forms(text: str, word: str, number: str, label: str) -> None:
    h = mission_text(text)
    assert h is not None
    assert (h.head, h.number, h.label) == (word, number, label)
    assert dimension_text(text) is None
    assert mission_heading(to_arabic(text)).code == to_arabic(number)  # the parser reads cleaned text
    assert match_mission(text)[0] == to_arabic(number)


@pytest.mark.parametrize("text", NOT_HEADINGS)
def test_not_headings(text: str) -> None:
    assert dimension_text(text) is None and mission_text(text) is None and numbered_text(text) is None
    assert dimension_heading(text) is None and mission_heading(text) is None
    assert match_dimension(text) is None and match_mission(text) is None


@pytest.mark.parametrize("text", ["มิติที่ 1.1 ไม่ใช่", "มิติที่ 5 อื่น ๆ", "มิติที่ 12", "มิติ 0 ศูนย์"])
def test_dimension_numbers_are_one_digit_1_to_4(text: str) -> None:
    assert dimension_text(text) is None and match_dimension(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("2.2.1 สร้างความโปร่งใสในการบริหารงานบุคคล", "2.2.1"), ("3.5 ล้านบาท", "3.5"), ("1.2 [image] ก", "1.2"),
     ("๒.๒.๑ สร้างความโปร่งใส", "๒.๒.๑")],
)
def test_numbered_forms(text: str, number: str) -> None:
    assert numbered_text(text).number == number
    assert numbered_heading(to_arabic(text)).code == to_arabic(number)


@pytest.mark.parametrize("text", ["2565", "2562 - 2564", "2.1", "2.1. มีจุด", "2.1 2 โครงการ", "2.1.1.1 ลึกเกิน", "1 การ"])
def test_not_numbered(text: str) -> None:
    assert numbered_text(text) is None and numbered_heading(text) is None


def test_misspelt_words_score_below_100_but_count() -> None:
    for kind, words in (("dimension", heading_words("dimension")), ("mission", heading_words("mission"))):
        assert word_score(words[0], kind) == 100
        for w in words[1:]:
            assert WORD_MIN <= word_score(w, kind) < 100, w
    assert word_score("ยุทธศาสตร์", "dimension") < WORD_MIN


def test_parser_and_normaliser_scores_of_misspelt_headings() -> None:
    h = dimension_heading("มติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต")
    assert (h.word, h.number, h.dimension, h.score < 100) == ("มติ", "2", 2, True)
    h = mission_heading("การกิจตามมติ 4.2 มาตรการจัดการเรื่องร้องเรียนการทุจริต")
    assert (h.word, h.code, h.number, h.dimension, h.score < 100) == ("การกิจตามมติ", "4.2", "4", 4, True)
    assert mission_heading("ภาระกิจตามมิติ 2.1 การเปิดเผยข้อมูล").score < 100
    assert match_dimension("มติ ๓. การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน").score < 100


def test_running_text_rules_of_the_parser() -> None:
    """What the parser does not take in running text, though the grammar (and the
    normaliser) reads it: a bullet or markdown before the word, a full stop after a
    dimension number (seed 001 writes ``มติ 3. การ…``), a second number after the first."""
    for text in ("# มิติ 2 การบริหาร", "มติ 3. การส่งเสริมบทบาท", "มิติ 1 2565"):
        assert dimension_text(text) is not None
        assert dimension_heading(text) is None
    assert match_dimension("# มิติ 2 การบริหารราชการด้วยความโปร่งใส").dimension == 2
    assert match_dimension("มติ 3. การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน").dimension == 3
    assert mission_heading("• ภารกิจตามมิติ 2.1 การเปิดเผยข้อมูล") is None
    assert mission_heading("ภารกิจตามมิติ 2.1 การเปิดเผย\nข้อมูล") is None  # a label over two lines
    assert mission_heading("ภารกิจตามมิติ 2.1\nการเปิดเผยข้อมูล").label == "การเปิดเผยข้อมูล"
    assert match_mission("[image: กรอบ]2.4.3 ยกย่องเชิดชูเกียรติที่ดำรงตนตามหลักปรัชญาของเศรษฐกิจพอเพียง")[0] == "2.4.3"
    assert numbered_heading("[image: กรอบ]2.4.3 ยกย่อง") is None
    assert dimension_heading("มิติ 1 " + "ก" * 420) is None  # prose, not a heading


@pytest.mark.parametrize(
    ("cell", "dimension"),
    [("1", 1), ("2.", 2), ("3)", 3), ("มติ 2\nการบริหารราชการ", 2), ("มิติที่ 1. การสร้างสังคม", 1), ("ที่ 3", 3),
     ("1 .จัดอบรมจำนวน 1 ครั้ง", 1), ("มิติ 4 การยกระดับ", 4), ("มิต 2. การบริหาร", 2), ("4\n2", 4)],
)
def test_dimension_column_cells(cell: str, dimension: int) -> None:
    assert _cell_dimension(cell) == str(dimension)


@pytest.mark.parametrize("cell", ["", "1.1", "5", "12", "1การ", "1.การ", "- 1", "หมายเหตุ 1", "1: ก", "มิติใหม่ 1"])
def test_not_dimension_column_cells(cell: str) -> None:
    assert _cell_dimension(cell) is None


def test_dimension_column_labels_without_the_word() -> None:
    assert _dimension_column_text("1. การสร้างสังคมที่ไม่ทนต่อการทุจริต") == "มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต"
    assert _dimension_column_text("(2) การบริหารราชการด้วยความโปร่งใส") == "มิติที่ 2 การบริหารราชการด้วยความโปร่งใส"
    assert _dimension_column_text("มิติที่ 3\nการส่งเสริมบทบาท") == "มิติที่ 3 การส่งเสริมบทบาท"
    assert _dimension_column_text("1. สั้น") is None  # too short to be a label
    assert _dimension_column_text("5. การสร้างสังคมที่ไม่ทนต่อการทุจริต") is None
    assert bare_dimension("มิติ 2 การบริหาร") is None and column_dimension("มิติ 2 การบริหาร").number == "2"


def test_combined_dimension_and_mission_line() -> None:
    text = "มิติ 2 การบริหารราชการ ภารกิจตามมิติ 2.1 แสดงเจตจำนง"
    assert text[embedded_mission(text):] == "ภารกิจตามมิติ 2.1 แสดงเจตจำนง"
    assert split_combined(text) == ("มิติ 2 การบริหารราชการ", "ภารกิจตามมิติ 2.1 แสดงเจตจำนง")
    assert embedded_mission("มิติ 2 การบริหารราชการ") is None


@pytest.mark.parametrize(("text", "total"), [("รวมมิติที่ 1", True), ("รวมมิติที่ 2", True), ("รวมมติที่ 2", True),
                                             ("รวมมิติ 3", True), ("รวมพลังมิติใหม่", False)])
def test_total_rows_of_a_dimension(text: str, total: bool) -> None:
    assert _is_total(text) is total


DIGITS = "๐๑๒๓๔๕๖๗๘๙"


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(heading_words("dimension")),
    st.sampled_from(["", "ที่", " ที่", "ที"]),
    st.integers(1, 4),
    st.booleans(),
    st.sampled_from([" ", ". ", ".", ": ", ") ", ""]),
    st.sampled_from(["การสร้างสังคมที่ไม่ทนต่อการทุจริต", "การบริหาร", ""]),
)
def test_any_dimension_heading_reads_back_as_written(word: str, ordinal: str, num: int, thai: bool, sep: str,
                                                    label: str) -> None:
    number = DIGITS[num] if thai else str(num)
    h = dimension_text(f"{word}{ordinal} {number}{sep}{label}")
    assert h is not None
    assert (h.word, h.ordinal, h.number, h.label) == (word, ordinal.strip(), number, label)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(heading_words("mission")),
    st.lists(st.integers(1, 9), min_size=2, max_size=3),
    st.booleans(),
    st.sampled_from([" ", ". ", " : "]),
    st.sampled_from(["การเปิดเผยข้อมูลสาธารณะ", "สร้างจิตสำนึก"]),
)
def test_any_mission_heading_reads_back_as_written(word: str, parts: list[int], thai: bool, sep: str, label: str) -> None:
    number = ".".join(DIGITS[p] if thai else str(p) for p in parts)
    h = mission_text(f"{word} {number}{sep}{label}")
    assert h is not None and (h.head, h.number, h.label) == (word, number, label)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="มิติภารกจตาม ที่่12๒.:)#\n", max_size=40))
def test_grammar_never_raises_and_numbers_are_digits(text: str) -> None:
    h = split_heading(text)
    if h is not None:
        assert re.fullmatch(r"\d(\.\d{1,2}){0,2}", to_arabic(h.number))
        assert 1 <= h.parts <= 3
    for f in (dimension_text, mission_text, numbered_text, column_dimension, bare_dimension):
        f(text)


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_heading_words_are_not_spelled_in_parser_or_normaliser_code() -> None:
    """The heading words live in ``data/plan_vocab.yaml`` only: no regular expression or
    string of ``parse/`` or ``normalize/`` spells มิติ / มติ / ภารกิจ (docstrings may)."""
    words = re.compile("ม\u0e34?ต\u0e34|ภาระ?กิจ|การกิจ")
    found = [f"{f.relative_to(PACKAGE.parent)}:{line}: {s[:40]!r}"
             for d in ("parse", "normalize") for f in sorted((PACKAGE / d).rglob("*.py"))
             for line, s in _code_strings(f) if words.search(s)]
    assert found == []


#: Thai words in code strings: a consonant next to another Thai letter, or an abbreviation
#: (a consonant and a dot: ``จ.``, ``อ\\.``). A character class (``[ก-๙]``), a lone letter or a
#: vowel sequence without a consonant (SARA AM split into its parts) is syntax, not vocabulary.
_THAI_WORD = re.compile("[\u0e01-\u0e2e][\u0e01-\u0e4e]|[\u0e30-\u0e4e][\u0e01-\u0e2e]|[\u0e01-\u0e2e]\\\\?\\.")
#: the code that reads text; human-facing text (checks, report, schema descriptions) is not scanned
_VOCAB_FREE = ("parse", "normalize", "extract", "links.py")
#: code strings that may hold Thai words, with the reason
_MESSAGES = {
    ("prongsai/normalize/words.py", "; words valid both ways (ทา/ทำ, นา/นำ) were left as written"):
        "a warning message for people, not a word list",
}


def _thai_words_in_code(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE.parent).as_posix()
    return [f"{rel}:{line}: {s[:60]!r}" for line, s in _code_strings(path)
            if _THAI_WORD.search(s) and (rel, s) not in _MESSAGES]


def test_vocabulary_is_not_spelled_in_code() -> None:
    """Reference vocabulary (kind words, months, units, money and year words, place markers,
    section and column words ...) lives in ``prongsai/data/`` (sources in ``SOURCES.md``): no
    string of the code that reads text spells a Thai word; docstrings, comments and doctests
    may, and character classes live in ``normalize/thai_chars.py``."""
    files = [f for name in _VOCAB_FREE for f in sorted((PACKAGE / name).rglob("*.py") if (PACKAGE / name).is_dir()
                                                      else [PACKAGE / name])
             if f.name != "thai_chars.py"]
    assert len(files) > 50
    found = [hit for f in files for hit in _thai_words_in_code(f)]
    assert found == []


def test_vocabulary_scan_finds_a_word_list(tmp_path: Path) -> None:
    """The scan above catches a word list in a regular expression or a tuple, not a docstring,
    a comment or a character class."""
    src = ('"""Docstring: โครงการ is fine here."""\nimport re\n# comment: กิจกรรม\n'
           '_KIND = re.compile(r"^(?:โครงการ|กิจกรรม)")\n_UNITS = ("ครั้ง", "คน")\n_CLASS = re.compile("[ก-๙]")\n'
           '_SPLIT_AM = re.compile("\u0e33\u0e32")\n_PLACE = re.compile(r"(?:จ\\.)")\n'
           'def f():\n    """Doc: มาตรการ."""\n    return "ก"\n')
    probe = tmp_path / "_scan_probe.py"
    probe.write_text(src, encoding="utf-8")
    hits = [line for line, s in _code_strings(probe) if _THAI_WORD.search(s)]
    assert hits == [4, 5, 5, 8]
