"""The status rules of :mod:`prongsai.diagnostics`: not a plan, partial, transient."""

from __future__ import annotations

import pytest

from prongsai.diagnostics import (
    NO_OCR_CODES,
    TRANSIENT_CODES,
    WarningCode,
    not_a_plan_reason,
    plan_status,
)
from prongsai.parse.vocab import vocab

WORDS = ["มิติ", "โครงการ", "แผนปฏิบัติการ", "ภารกิจ"]
NO_TEXT = ("the document has no readable text (blank pages, pictures only, or a scan OCR could not read); "
           "nothing was taken from it")
NOT_PLAN = ("the document does not look like an action plan: no organisation, no project and none of "
            "the words มิติ, โครงการ, แผนปฏิบัติการ (or its text could not be read correctly); nothing was taken from it")


def test_a_text_without_plan_words_is_not_a_plan() -> None:
    assert not_a_plan_reason("ใบแจ้งหนี้ค่าน้ำประปา เดือนมกราคม", [], WORDS) == NOT_PLAN


@pytest.mark.parametrize("word", WORDS)
def test_any_plan_word_may_be_a_plan(word: str) -> None:
    assert not_a_plan_reason(f"หน้า 3 {word} ที่ 1", [], WORDS) is None


def test_a_found_organisation_or_project_is_a_plan_whatever_the_text() -> None:
    assert not_a_plan_reason("", [], WORDS, has_org=True) is None
    assert not_a_plan_reason("abc", [], WORDS, has_projects=True) is None


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_no_text_is_not_a_plan(text: str) -> None:
    assert not_a_plan_reason(text, [WarningCode.OCR_USED, None], WORDS) == NO_TEXT


@pytest.mark.parametrize("code", sorted(NO_OCR_CODES))
def test_no_text_because_ocr_could_not_run_is_left_to_partial(code: str) -> None:
    assert not_a_plan_reason("", [WarningCode.NO_TEXT_LAYER, code], WORDS) is None
    assert plan_status([WarningCode.NO_TEXT_LAYER, code]) == "partial"


def test_ocr_codes_do_not_rescue_a_text_without_plan_words() -> None:
    assert not_a_plan_reason("ใบแจ้งหนี้", [WarningCode.OCR_UNAVAILABLE], WORDS) == NOT_PLAN


def test_the_message_names_the_first_three_plan_words_of_the_data_file() -> None:
    words = vocab()["plan_words"]
    why = not_a_plan_reason("ใบแจ้งหนี้", [], words)
    assert why is not None and f"none of the words {', '.join(words[:3])} (or" in why


def test_transient_codes_are_the_run_failures() -> None:
    assert TRANSIENT_CODES == {"TIMEOUT", "WORKER_CRASHED", "OUT_OF_MEMORY", "UNSUPPORTED_FORMAT",
                               "CONVERSION_TIMEOUT"}
    assert NO_OCR_CODES == {"OCR_UNAVAILABLE", "OCR_FAILED"}
