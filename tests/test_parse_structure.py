"""parse/structure.py: the walk over a document's blocks keeps the heading context
(มิติ, ภารกิจ) and collects records, text as written. Small hand-made Documents."""

from __future__ import annotations

from prongsai.decisions import REJECT, Decider, Overrides
from prongsai.model import Block, Document, SourceRef, Table, TextLine
from prongsai.parse.structure import walk

DIM1 = "มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต"
MISSION = "ภารกิจตามมิติ 1.1 การสร้างจิตสำนึกและความตระหนักแก่บุคลากร"
DETAIL = ["1. ชื่อโครงการ : โครงการอบรมคุณธรรม", "2. หลักการและเหตุผล", "เพื่อให้บุคลากรมีคุณธรรม",
          "3. วัตถุประสงค์", "3.1 เพื่อส่งเสริม", "3.2 เพื่อป้องกัน", "7. ระยะเวลาดำเนินการ", "ปีงบประมาณ 2562",
          "8. งบประมาณดำเนินการ", "20,000 บาท", "9. ผู้รับผิดชอบโครงการ", "สำนักงานปลัด"]


def _doc(*blocks: str | Table) -> Document:
    out: list[Block] = [TextLine(b, SourceRef(line=i)) if isinstance(b, str) else b for i, b in enumerate(blocks, 1)]
    return Document("t.txt", "txt", out)


def test_a_detail_sheet_under_its_headings_keeps_its_sections_as_written() -> None:
    s = walk(_doc(DIM1, MISSION, *DETAIL))
    (rec,) = s.records
    assert (rec.title, rec.layout, rec.dimension, rec.mission_code, str(rec.ref)) == (
        "โครงการอบรมคุณธรรม", "detail", "1", "1.1", "line 3")
    assert rec.texts == {"rationale": "เพื่อให้บุคลากรมีคุณธรรม", "objectives": "เพื่อส่งเสริม\nเพื่อป้องกัน",
                         "period_text": "ปีงบประมาณ 2562", "budget": "20,000 บาท", "responsible": "สำนักงานปลัด"}
    assert not rec.budget_cells  # a detail sheet's budget is its text
    assert s.dimension_texts == [(DIM1, SourceRef(line=1))]
    assert s.mission_texts == [("1.1", "การสร้างจิตสำนึกและความตระหนักแก่บุคลากร")]
    assert s.problems == []


def test_a_new_dimension_closes_the_record_and_forgets_the_mission() -> None:
    s = walk(_doc(DIM1, MISSION, *DETAIL, "มิติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต",
                  "1. ชื่อโครงการ : มาตรการประกาศเจตจำนง"))
    assert [(r.title, r.dimension, r.mission_code) for r in s.records] == [
        ("โครงการอบรมคุณธรรม", "1", "1.1"), ("มาตรการประกาศเจตจำนง", "2", None)]
    assert s.records[0].texts["responsible"] == "สำนักงานปลัด"  # the heading did not join the last section


def test_a_misspelt_heading_word_is_a_fuzzy_decision_a_reviewer_can_reject() -> None:
    lines = ("มติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต", "1. ชื่อโครงการ : มาตรการประกาศเจตจำนง")
    s = walk(_doc(*lines))
    assert [r.dimension for r in s.records] == ["2"]
    assert [(p.code, p.raw, p.chosen) for p in s.problems] == [("FUZZY_LABEL", "มติ", "มิติ")]
    rejected = Overrides()
    rejected.add("heading_word", "มติ", REJECT)
    s = walk(_doc(*lines), Decider(rejected))
    assert [r.dimension for r in s.records] == [None]


def test_nothing_in_an_appendix_becomes_a_project() -> None:
    s = walk(_doc(DIM1, *DETAIL, "ภาคผนวก", "1. ชื่อโครงการ : โครงการในแบบประเมินตนเอง", "8. งบประมาณ", "5,000 บาท"))
    assert [r.title for r in s.records] == ["โครงการอบรมคุณธรรม"]


def test_a_plan_table_takes_the_dimension_above_it_and_keeps_budget_cells_as_written() -> None:
    rows = [["มิติ", "ภารกิจตามมิติ", "โครงการ", "งบประมาณ 2562", "หน่วยงานรับผิดชอบ"],
            ["", "1.1.1 สร้างจิตสำนึก", "โครงการปลูกป่า", "10,000", "กองช่าง"],
            ["", "", "มาตรการลดขยะ", "-", "สป."]]
    table = Table(rows, SourceRef(page=2), row_refs=[SourceRef(page=2)] * 3)
    s = walk(_doc(DIM1, table))
    assert [(r.title, r.layout, r.dimension, r.mission_code) for r in s.records] == [
        ("โครงการปลูกป่า", "plan_table", "1", "1.1.1"), ("มาตรการลดขยะ", "plan_table", "1", "1.1.1")]
    assert [r.budget_cells for r in s.records] == [[("งบประมาณ 2562", "10,000")], [("งบประมาณ 2562", "-")]]
    assert [r.texts for r in s.records] == [{"responsible": "กองช่าง"}, {"responsible": "สป."}]


def test_an_empty_or_headingless_document_gives_nothing_and_does_not_fail() -> None:
    assert walk(_doc()).records == []
    assert walk(_doc("คำนำ", "แผนนี้จัดทำขึ้นเพื่อ", "")).records == []
