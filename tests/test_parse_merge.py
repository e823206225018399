"""prongsai.parse.merge: the places one project appears grouped by title."""

from __future__ import annotations

import pytest

from prongsai.model import SourceRef
from prongsai.parse.merge import MERGE_SCORE, _title_key, merge_records
from prongsai.parse.record import Record

STAFF = "อบรมคุณธรรมจริยธรรมผู้บริหารและพนักงาน"
STAFF_HIRED = "อบรมคุณธรรมจริยธรรมผู้บริหารและพนักงานจ้าง"  # ratio 95 with STAFF
EXECUTIVES = "อบรมคุณธรรมจริยธรรมผู้บริหาร"  # ratio 85 with STAFF: another project


def rec(title: str, layout: str, line: int) -> Record:
    return Record(title, layout, SourceRef(line=line))


def grouped(records: list[Record]) -> list[list[tuple[str, int | None]]]:
    return [[(r.layout, r.ref.line) for r in g] for g in merge_records(records)]


@pytest.mark.parametrize(("a", "b"), [
    ("โครงการปลูกต้นไม้", "ปลูกต้นไม้"),
    ("กิจกรรม “ปลูก ต้นไม้”", "มาตรการ'ปลูกต้นไม้'"),
    ("ปลูกต้นไม้ของ อบต.ดอนแก้ว", "ปลูกต้นไม้ขององค์การบริหารส่วนตำบลดอนแก้ว"),
    ("ปลูกต้นไม้ ทน.ขอนแก่น", "ปลูกต้นไม้เทศบาลนครขอนแก่น"),
])
def test_title_keys_ignore_spaces_quotes_kind_words_and_abbreviations(a: str, b: str) -> None:
    assert _title_key(a) == _title_key(b) != ""


def test_title_key_values() -> None:
    assert _title_key(" โครงการ “ปลูก ต้นไม้” ของ ทต.บ้านแพง ") == "ปลูกต้นไม้ของเทศบาลตำบลบ้านแพง"
    assert _title_key("โครงการ") == ""
    assert _title_key("ปลูกต้นไม้โครงการ") == "ปลูกต้นไม้โครงการ"  # only a leading kind word goes


def test_a_table_row_and_its_detail_sheet_are_one_project_in_order_of_first_appearance() -> None:
    records = [rec("โครงการ" + STAFF, "plan_table", 1), rec(EXECUTIVES, "plan_table", 2),
               rec(" " + STAFF + " ", "detail", 10), rec("โครงการ" + EXECUTIVES, "detail", 20)]
    assert grouped(records) == [[("plan_table", 1), ("detail", 10)], [("plan_table", 2), ("detail", 20)]]


def test_two_rows_of_one_table_with_close_titles_are_two_projects() -> None:
    assert grouped([rec(STAFF, "plan_table", 1), rec(STAFF_HIRED, "plan_table", 2)]) == [
        [("plan_table", 1)], [("plan_table", 2)]]


def test_the_same_title_twice_in_one_layout_is_one_project() -> None:
    assert grouped([rec(STAFF, "plan_table", 1), rec("โครงการ " + STAFF, "plan_table", 2)]) == [
        [("plan_table", 1), ("plan_table", 2)]]


def test_the_best_scoring_group_wins_then_the_next_one_that_lacks_the_layout() -> None:
    records = [rec(STAFF_HIRED, "plan_table", 1), rec(STAFF, "plan_table", 2),
               rec(STAFF, "detail", 10),  # 100 with row 2, 95 with row 1
               rec(STAFF + "จ", "detail", 11)]  # 98.7 with row 2 (has a detail already), 96.3 with row 1
    assert grouped(records) == [[("plan_table", 1), ("detail", 11)], [("plan_table", 2), ("detail", 10)]]


def test_below_the_merge_score_titles_stay_apart() -> None:
    assert MERGE_SCORE == 90.0
    assert grouped([rec(STAFF, "plan_table", 1), rec(EXECUTIVES, "detail", 2)]) == [
        [("plan_table", 1)], [("detail", 2)]]


def test_records_without_a_title_are_left_out() -> None:
    assert grouped([rec("โครงการ", "plan_table", 1), rec("  ", "detail", 2), rec(STAFF, "detail", 3)]) == [
        [("detail", 3)]]
    assert merge_records([]) == []
