"""Dictionary repairs of issue 9: lost SARA AM, spaced-out letters, and the document-level step."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.extract import clean_document
from prongsai.model import Document, SourceRef, Table, TextLine
from prongsai.normalize.lexicon import lost_am, sara_am_forms, thai_words
from prongsai.normalize.sara_am import lost_sara_am, restore_sara_am
from prongsai.normalize.spacing import join_spaced_letters
from prongsai.normalize.words import plan_word_repair

# --------------------------------------------------------------------------- SARA AM


@pytest.mark.parametrize(
    ("written", "want"),
    [
        ("ตาบล จานวน สาคัญ อาเภอ ประจาปี ดาเนินการ กาหนด", "ตำบล จำนวน สำคัญ อำเภอ ประจำปี ดำเนินการ กำหนด"),
        ("การดาเนินการตามแผนงานประจาปี", "การดำเนินการตามแผนงานประจำปี"),
        ("ทาให้การบริการเกิดความล่าช้า", "ทำให้การบริการเกิดความล่าช้า"),
        ("จัดทาคาสั่งการให้บริการ", "จัดทำคำสั่งการให้บริการ"),
        ("ส่วนการกากับดูแล", "ส่วนการกำกับดูแล"),
        ("เทศบาลตาบลหางดง", "เทศบาลตำบลหางดง"),
    ],
)
def test_restores_words_that_lost_sara_am(written, want):
    assert restore_sara_am(written)[0] == want


def _both_ways() -> list[str]:
    words = thai_words()
    return sorted(lost_am(w) for w in words if "ำ" in w and lost_am(w) in words)


BOTH_WAYS = _both_ways()


def test_words_valid_both_ways_exist_in_the_dictionary():
    for w in ("ทา", "นา", "ตา", "น้า", "ค่า", "ชาระ"):
        assert w in BOTH_WAYS


@pytest.mark.parametrize("word", BOTH_WAYS)
def test_words_valid_both_ways_are_never_changed(word):
    """ทา/ทำ, นา/นำ, ตา/ตำ … (every such pair of the dictionary): as a word on its own, and
    between spaces in a document that did lose SARA AM."""
    assert restore_sara_am(word) == (word, 0)
    assert restore_sara_am(f"ตาบล {word} จานวน")[0] == f"ตำบล {word} จำนวน"
    assert word not in sara_am_forms()


def test_real_words_with_sara_aa_are_kept():
    for text in ("ความมั่นคงของชาติ", "ชาวนาไทย", "ทัดเทียมนานาอารยประเทศ", "หน้าที่ตามกฎหมาย"):
        assert restore_sara_am(text) == (text, 0)


def test_text_that_has_sara_am_is_left_alone():
    assert restore_sara_am("ดำเนินการตาบล")[0] == "ดำเนินการตาบล"  # a run with ำ was written by a good font


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(w for w in thai_words() if "ำ" not in w and len(w) <= 8)), max_size=8))
def test_text_of_dictionary_words_without_sara_am_is_a_fixed_point(words):
    """Words written apart with spaces, each a word as written, are never changed."""
    text = " ".join(words)
    assert restore_sara_am(text) == (text, 0)


# dictionary entries of Thai letters only (a few hold spaces or ๆ)
AM_WORDS = sorted(w for w in sara_am_forms().values() if re.fullmatch("[\u0e01-\u0e3a\u0e40-\u0e4e]+", w))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(AM_WORDS), min_size=1, max_size=6))
def test_every_lost_form_written_apart_comes_back(words):
    """A word whose lost form is no word (the only ones repaired) comes back, written apart."""
    text = " ".join(words)
    assert restore_sara_am(lost_am(text)) == (text, len(words))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.sampled_from(" \n1-."),
               max_size=80))
def test_restore_only_turns_sara_aa_into_sara_am_and_is_idempotent(text):
    out, n = restore_sara_am(text)
    assert len(out) == len(text)
    assert sum(a != b for a, b in zip(text, out, strict=True)) == sum(c == "ำ" for c in out) - text.count("ำ")
    assert all(a == b or (a == "า" and b == "ำ") for a, b in zip(text, out, strict=True))
    assert restore_sara_am(out)[0] == out


def test_evidence():
    assert lost_sara_am(3, 0)
    assert not lost_sara_am(2, 0)  # too little evidence
    assert not lost_sara_am(10, 400)  # a document with ำ everywhere keeps its typos
    assert lost_sara_am(3000, 100)  # a body font lost it, headings kept it


# --------------------------------------------------------------------------- spaced-out letters


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("เท ศ บา ล ตา บ ล หา ง ด ง", "เทศบาลตาบลหางดง"),
        ("สา นัก ป ลัด", "สานักปลัด"),
        ("ก า ร ศึ ก ษ า", "การศึกษา"),
        ("ก อง ค ลัง", "กองคลัง"),
        ("โครงการ ป ลู ก ป่า ชุมชน", "โครงการ ปลูกป่า ชุมชน"),
        ("หน่วยงาน\nรับ ผิด ช อบ", "หน่วยงาน\nรับผิดชอบ"),
    ],
)
def test_joins_spaced_out_letters(text, want):
    assert join_spaced_letters(text)[0] == want


@pytest.mark.parametrize(
    "text",
    ["ไป มา ที่ นี่", "ณ ที่ ว่าการ", "ข้อ ก ข ค", "ที่ 1 ก. ข.", "สำนัก ปลัด", "มี ผู้ ที่ มา", "ปี 2564 ทา นา",
     "ตา\nม"],
)
def test_never_joins_real_separate_words(text):
    assert join_spaced_letters(text) == (text, 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(w for w in thai_words() if len(w) <= 2)), min_size=2, max_size=8))
def test_short_words_written_apart_stay_apart(words):
    text = " ".join(words)
    assert join_spaced_letters(text) == (text, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.sampled_from(" \n1"),
               max_size=60))
def test_joining_only_removes_spaces(text):
    out, n = join_spaced_letters(text)
    assert out.replace(" ", "") == text.replace(" ", "")
    assert out.count("\n") == text.count("\n")
    assert (n == 0) == (out == text)


# --------------------------------------------------------------------------- the document-level step


def _doc(lines: list[str], cells: list[list[str]]) -> Document:
    blocks = [TextLine(t, SourceRef(line=i + 1)) for i, t in enumerate(lines)]
    blocks.append(Table(cells, SourceRef(line=len(lines) + 1)))
    return Document("x.pdf", "pdf", blocks)


def test_clean_document_repairs_a_document_that_lost_sara_am():
    doc = _doc(["แผนปฏิบัติการ ประจาปีงบประมาณ 2567", "เทศบาลตาบลหางดง อาเภอหางดง"],
               [["ที่", "โครงการ", "หน่วยงาน"], ["1", "โครงการจัดทาแผน", "สา นัก ป ลัด"]])
    out = clean_document(doc)
    assert [b.text for b in out.blocks[:2]] == ["แผนปฏิบัติการ ประจำปีงบประมาณ 2567", "เทศบาลตำบลหางดง อำเภอหางดง"]
    assert out.blocks[2].rows[1] == ["1", "โครงการจัดทำแผน", "สำนักปลัด"]
    codes = {p.code: p.message for p in out.problems}
    assert "restored in 5 words" in codes["GLYPHS_MAPPED"]
    assert "joined into 2" in codes["LETTERS_JOINED"]


def test_clean_document_leaves_a_good_document_alone():
    doc = _doc(["ประจำปีงบประมาณ 2567 ดำเนินการ", "ดาเนินการ ตามที่กาหนด", "กำหนด จำนวน สำคัญ"], [["ทา", "นา"]])
    out = clean_document(doc)
    assert out.blocks[1].text == "ดาเนินการ ตามที่กาหนด"  # two typos among six ำ: not a lost font
    assert not out.problems


def test_plan_counts_every_occurrence():
    plan = plan_word_repair(["ตาบล"] * 4 + ["จานวน"])
    assert plan.lost_sara_am and plan.sara_am_repaired == 5
    assert plan.apply("ตาบล") == "ตำบล" and plan.apply("สาคัญ") == "สำคัญ"  # unseen texts too
