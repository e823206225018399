"""normalize/project.py: the records of one project (text as written) -> its SPEC row.

Small hand-made records; each test names the rule it checks."""

from __future__ import annotations

from prongsai.model import SourceRef
from prongsai.normalize.plan import PlanFields
from prongsai.normalize.project import build_project, place_budget
from prongsai.parse.record import Record

MULTI = PlanFields(fy_start=2561, fy_end=2564, plan_kind="multi_year", framework="2561")
ANNUAL = PlanFields(fy_start=2567, fy_end=2567, plan_kind="annual", framework="2566")


def _row(page: int = 3, **kw: object) -> Record:
    rec = Record(kw.pop("title", "โครงการอบรมคุณธรรม"), "plan_table", SourceRef(page=page))  # type: ignore[arg-type]
    for k, v in kw.items():
        setattr(rec, k, v)
    return rec


def _detail(title: str = "โครงการอบรมคุณธรรม", **texts: str) -> Record:
    rec = Record(title, "detail", SourceRef(page=20))
    rec.texts.update(texts)
    return rec


def test_a_table_row_becomes_spec_values() -> None:
    rec = _row(dimension="1", mission_code="1.1.1",
               budget_cells=[("2561", "50,000"), ("ปี 2562", "-"), ("พ.ศ. ๒๕๖๓", "70,000")],
               texts={"responsible": "สำนักงานปลัด", "unit": "ครั้ง", "quantity": "1,200 ครั้ง"},
               quarter_marks=[("ไตรมาส 1", "✓"), ("ไตรมาส 2", ""), ("ไตรมาส 3", "/"), ("ไตรมาส 4", "")])
    v = build_project([rec], MULTI).values
    assert (v["title"], v["kind"], v["dimension"], v["mission_code"]) == ("โครงการอบรมคุณธรรม", "project", 1, "1.1.1")
    assert (v["budget_thb"], v["budget_status"], v["_budget_by_year"]) == (120000.0, "amount",
                                                                          {2561: 50000.0, 2563: 70000.0})
    assert (v["fy_start"], v["fy_end"]) == (2561, 2563)  # the budget's years: no period text
    assert (v["responsible_unit"], v["unit"], v["quantity"], v["quarters"]) == ("สำนักปลัด", "ครั้ง", 1200.0, "1,3")
    assert (v["layout"], v["source_ref"], v["confidence"]) == ("plan_table", "p.3", 1.0)


def test_the_plan_table_years_decide_over_a_detail_sheets_one_year_figure() -> None:
    row = _row(year_headers=["2561", "2562", "2563", "2564"],
               budget_cells=[("2561", "20,000"), ("2562", "20,000"), ("2563", "20,000")])
    sheet = _detail(budget="งบประมาณ 20,000 บาท", responsible="กองคลัง", period_text="ปีงบประมาณ 2561 - 2563")
    row_out = build_project([row, sheet], MULTI)
    assert (row_out.values["budget_thb"], row_out.values["budget_status"]) == (60000.0, "amount")
    mismatch = [p for p in row_out.problems if p.code == "BUDGET_MISMATCH"]
    assert [p.severity for p in mismatch] == ["info"]  # one year's figure: a note only
    assert row_out.values["layout"] == "plan_table+detail"


def test_two_places_with_different_budgets_keep_the_first_and_warn() -> None:
    sheet = _detail(budget="30,000 บาท", responsible="กองคลัง", period_text="ปีงบประมาณ 2567")
    row = _row(budget_cells=[("2567", "25,000")], year_headers=["2567"])
    out = build_project([sheet, row], ANNUAL)
    assert out.values["budget_thb"] == 30000.0  # no year table: the detail sheet first
    assert [(p.code, p.severity) for p in out.problems] == [("BUDGET_MISMATCH", "warning")]


def test_a_multi_year_plans_budget_from_a_sheet_only_is_flagged() -> None:
    out = build_project([_detail(budget="15,000 บาท", responsible="กองช่าง", period_text="2561")], MULTI)
    assert out.values["budget_thb"] == 15000.0
    assert "BUDGET_FROM_SHEET" in [p.code for p in out.problems]


def test_a_detail_sheet_without_sections_gets_missing_section() -> None:
    out = build_project([_detail(objectives="เพื่อส่งเสริม")], ANNUAL)
    (p,) = [p for p in out.problems if p.code == "MISSING_SECTION"]
    assert p.message == "detail record has no budget, responsible, period_text section"
    assert out.values["budget_status"] == "unspecified" and out.values["budget_thb"] is None
    assert (out.values["fy_start"], out.values["fy_end"]) == (2567, 2567)  # an annual plan's year


def test_the_title_with_its_kind_word_wins_and_the_kind_follows() -> None:
    row = _row(title="อบรมคุณธรรม จริยธรรม")  # the table omitted "โครงการ"
    sheet = _detail(title="โครงการอบรมคุณธรรม จริยธรรม", budget="-", responsible="สป.", period_text="2567")
    v = build_project([row, sheet], ANNUAL).values
    assert (v["title"], v["kind"]) == ("โครงการอบรมคุณธรรม จริยธรรม", "project")


def test_a_kind_hint_names_the_kind_when_no_title_says_it() -> None:
    v = build_project([_row(title="ประกาศเจตจำนงสุจริต", kind_word="มาตรการ")], ANNUAL).values
    assert v["kind"] == "measure" and v["confidence"] == 1.0
    v = build_project([_row(title="ประกาศเจตจำนงสุจริต")], ANNUAL).values
    assert v["kind"] is None and v["confidence"] == 0.95


def test_texts_come_from_the_detail_sheet_first_and_indicators_fall_back_to_outputs() -> None:
    row = _row(texts={"targets": "ประชาชน 100 คน", "outputs": "ร้อยละ 80"})
    sheet = _detail(targets="  ผู้บริหาร\n\n  พนักงาน  ", budget="-", responsible="สป.", period_text="2567")
    v = build_project([row, sheet], ANNUAL).values
    assert v["targets"] == "ผู้บริหาร\nพนักงาน"
    assert v["indicators"] == "ร้อยละ 80"


def test_an_unknown_unit_is_kept_as_written_and_reported() -> None:
    out = build_project([_row(texts={"responsible": "ศูนย์ประสานงานชุมชนสัมพันธ์"})], ANNUAL)
    assert out.values["responsible_unit"] == "ศูนย์ประสานงานชุมชนสัมพันธ์"
    assert "UNKNOWN_UNIT" in [p.code for p in out.problems]


def test_a_remark_naming_a_unit_is_the_responsible_unit_but_a_note_is_not() -> None:
    assert build_project([_row(texts={"remark": "กองคลัง"})], ANNUAL).values["responsible_unit"] == "กองคลัง"
    assert build_project([_row(texts={"remark": "ไม่ใช้งบประมาณ"})], ANNUAL).values["responsible_unit"] is None


def test_labels_are_placed_in_both_frameworks() -> None:
    v = build_project([_row(dimension="1", mission_code="1.1")], MULTI).values
    assert v["dimension_label"] == "การสร้างสังคมที่ไม่ทนต่อการทุจริต"
    assert (v["dimension_2566"], v["mission_code_2566"]) == (1, "1.1")  # crosswalk.yaml: 2561 1.1 -> 2566 1.1


def test_place_budget_reads_a_detail_sheets_text_and_a_rows_cells() -> None:
    assert place_budget(_detail(budget="ปี 2562 = 20,000 บาท ปี 2563 = 30,000 บาท")) == (
        50000.0, "amount", {2562: 20000.0, 2563: 30000.0})
    assert place_budget(_detail()) == (None, "unspecified", {})
    assert place_budget(_row(budget_cells=[(None, "ไม่ใช้งบประมาณ")])) == (0.0, "none", {})
