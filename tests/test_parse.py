"""Plan parsing: headings, detail records, plan tables, header, merging."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.extract import clean_document
from prongsai.extract.text import parse_text, read_text
from prongsai.model import Document, SourceRef, Table, TextLine
from prongsai.normalize.project import place_budget
from prongsai.normalize.quarters import ticked_quarters
from prongsai.parse import parse_plan
from prongsai.parse.detail import section_heading
from prongsai.parse.headings import dimension_heading, mission_heading, numbered_heading
from prongsai.parse.tables import analyse_header, table_records

FIXTURES = Path(__file__).parent / "fixtures"


def _parse(doc: Document):
    return parse_plan(clean_document(doc), "abc", {"plan_id": "abc", "source_path": doc.path})


# -- headings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dimension", "exact"),
    [
        ("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", 1, True),
        ("มติ2การบริหารราชการด้วยความโปร่งใส", 2, False),
        ("มิติ 4 การยกระดับกลไกการตรวจสอบ", 4, True),
        ("มิต ที่ 3 การส่งเสริมบทบาท", 3, False),
    ],
)
def test_dimension_headings(text: str, dimension: int, exact: bool) -> None:
    h = dimension_heading(text)
    assert h is not None and h.dimension == dimension
    assert (h.score == 100) == exact


@pytest.mark.parametrize("text", ["มิติใหม่ของสังคม", "มิติที่ 1.1 ไม่ใช่", "ความคิดเห็น 2 ข้อ"])
def test_not_dimension_headings(text: str) -> None:
    assert dimension_heading(text) is None


def test_mission_headings_fuzzy() -> None:
    assert mission_heading("ภารกิจตามมิติ 2.1 การเปิดเผยข้อมูล").code == "2.1"
    h = mission_heading("การกิจตามมติ 4.2 มาตรการจัดการเรื่องร้องเรียน")
    assert (h.code, h.score < 100) == ("4.2", True)
    assert numbered_heading("2.2.1 สร้างความโปร่งใสในการบริหารงานบุคคล").code == "2.2.1"
    assert numbered_heading("3.5 ล้านบาท") is not None  # a candidate; context decides
    assert numbered_heading("2565") is None


# -- detail sections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "rest"),
    [
        ("1. ชื่อโครงการ/กิจกรรม/มาตรการ", "title", ""),
        ("1. ชื่อโครงการ : กิจกรรมเผยแพร่", "title", "กิจกรรมเผยแพร่"),
        ("1. ชื่อ มาตรการ   การแสดงเจตจำนง", "title", "มาตรการ การแสดงเจตจำนง"),
        ("๘. งบประมาณดำเนินการ", "budget", ""),
        ("9. ผู้รับผิดชอบโครงการฯ", "responsible", ""),
        ("10. ตังชี้วัด/ผลลัพธ์", "indicators_outcomes", ""),
        ("(7) ระยะเวลาดำเนินการ : ปีงบประมาณ 2565", "period", "ปีงบประมาณ 2565"),
    ],
)
def test_section_headings(line: str, key: str, rest: str) -> None:
    from prongsai.normalize.clean import clean_text

    h = section_heading(clean_text(line))
    assert h is not None and (h.key, h.rest) == (key, rest)


@pytest.mark.parametrize("line", ["1. เพื่อแลกเปลี่ยนเรียนรู้", "3) โครงการ/กิจกรรม/มาตรการที่สนับสนุน", "3.1 เพื่อให้ผู้บริหาร"])
def test_list_items_are_not_sections(line: str) -> None:
    assert section_heading(line) is None


def test_misspelt_text_plan() -> None:
    res = _parse(read_text(str(FIXTURES / "misspelt_plan.txt")))
    plan = res.plan
    assert (plan["org_type"], plan["org_short_name"], plan["district"], plan["province"]) == (
        "sao", "หินตั้ง", "บ้านไผ่", "ขอนแก่น")
    assert plan["org_code"] == "6401006"
    assert (plan["plan_kind"], plan["fy_start"], plan["fy_end"], plan["framework"]) == ("multi_year", 2561, 2564, "2561")
    assert len(res.projects) == 2
    p1, p2 = res.projects
    assert p1["title"] == "โครงการสร้างเครือข่ายภาคประชาชนต่อต้านการทุจริตระดับตำบล"
    assert (p1["dimension"], p1["mission_code"], p1["kind"]) == (1, "1.2.1", "project")
    assert p1["objectives"] == "เพื่อสร้างเครือข่าย\nเพื่อเฝ้าระวังการทุจริต"
    assert p1["method"] == "ประชุมชี้แจง\nจัดอบรม"
    assert (p1["budget_thb"], p1["budget_status"], p1["fy_start"], p1["fy_end"]) == (54000.0, "amount", 2562, 2564)
    assert p1["responsible_unit"] == "สำนักปลัด"
    assert (p1["indicators"], p1["outcomes"]) == ("ผู้เข้าร่วมร้อยละ 80", "ประชาชนร่วมเฝ้าระวัง")
    assert p1["layout"] == "detail" and p1["source_ref"] == "line 12"
    assert [b["fiscal_year"] for b in res.budgets if b["project_id"] == p1["project_id"]] == [2562, 2564]
    assert p2["title"] == "มาตรการ ประกาศเจตจำนงต่อต้านการทุจริต"
    assert (p2["dimension"], p2["mission_code"], p2["kind"]) == (2, "2.1", "measure")
    assert (p2["budget_thb"], p2["budget_status"]) == (0.0, "none")
    assert p2["responsible_unit"] == "ทุกสำนัก/กอง"
    fuzzy = [w["message"] for w in res.warnings if w["code"] == "FUZZY_LABEL"]
    assert any("มติ" in m for m in fuzzy) and any("ตังชี้วัด" in m for m in fuzzy)
    assert all("score" in m for m in fuzzy)


# -- tables ---------------------------------------------------------------------------

ANNUAL = [
    ["ที่", "แผนงาน/โครงการ/กิจกรรม", "หน่วยนับ", "ปริมาณงาน", "งบประมาณ (บาท)", "ตัวชี้วัด", "ผลลัพธ์",
     "แผนการดำเนินงาน", "แผนการดำเนินงาน", "แผนการดำเนินงาน", "แผนการดำเนินงาน", "หน่วยงาน รับผิดชอบ"],
    ["ที่", "แผนงาน/โครงการ/กิจกรรม", "หน่วยนับ", "ปริมาณงาน", "งบประมาณ (บาท)", "ตัวชี้วัด", "ผลลัพธ์",
     "ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4", "หน่วยงาน รับผิดชอบ"],
    ["1", "โครงการอบรม", "ครั้ง", "2", "20,000", "จำนวนคน", "มีความรู้", "✓", "", "✓", "", "สำนักงานปลัด"],
    ["", "คุณธรรม", "", "", "", "", "", "", "", "", "", ""],
    ["2", "มาตรการประกาศ", "ฉบับ", "1", "-", "มีประกาศ", "โปร่งใส", "", "", "", "✓", "กองคลัง"],
    ["", "รวม", "", "", "20,000", "", "", "", "", "", "", ""],
]


def test_annual_table_columns_by_header_text() -> None:
    t = Table(ANNUAL, SourceRef(page=3))
    cm = analyse_header(t)
    assert cm is not None and cm.header_rows == 2 and cm.layout == "plan_table"
    assert cm.quarters == {7: 1, 8: 2, 9: 3, 10: 4}
    recs = table_records(t, cm)
    # the title cell's two lines come out joined by one space
    assert [r.title for r in recs] == ["โครงการอบรม คุณธรรม", "มาตรการประกาศ"]
    r1, r2 = recs
    # as written: the quarter column's header cells (joined) and the row's mark
    assert r1.quarter_marks == [(f"แผนการดำเนินงาน ไตรมาส {q}", mark) for q, mark in ((1, "✓"), (2, ""), (3, "✓"), (4, ""))]
    assert (place_budget(r1)[:2], ticked_quarters(r1.quarter_marks), r1.texts["unit"]) == (
        (20000.0, "amount"), {1, 3}, "ครั้ง")
    assert (place_budget(r2)[:2], ticked_quarters(r2.quarter_marks)) == ((0.0, "none"), {4})


def test_columns_found_whatever_their_order() -> None:
    shuffled = [[row[i] for i in (11, 4, 1, 0, 2, 3, 5, 6, 7, 8, 9, 10)] for row in ANNUAL]
    recs = table_records(t := Table(shuffled, SourceRef(page=1)), analyse_header(t))
    assert place_budget(recs[0])[0] == 20000.0 and recs[0].texts["responsible"] == "สำนักงานปลัด"


MULTI_YEAR = [
    ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2561", "ปี 2562", "ปี 2563", "ปี 2564", "หมายเหตุ"],
    ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)", "งบประมาณ (บาท)", "งบประมาณ (บาท)",
     "งบประมาณ (บาท)", "หมายเหตุ"],
    ["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "1.1.1 สร้างจิตสำนึก", "(1) โครงการอบรม", "50,000", "-", "70,000", "-", ""],
    ["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "1.1.2 สร้างจิตสำนึก", "(2) มาตรการส่งเสริม", "-", "-", "-", "-", ""],
    ["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "1.1.2 สร้างจิตสำนึก", "จริยธรรม", "", "", "", "", ""],
    ["รวม", "", "", "50,000", "", "70,000", "", ""],
]


def test_multi_year_table_budgets_per_year() -> None:
    t = Table(MULTI_YEAR, SourceRef(page=5))
    cm = analyse_header(t)
    assert cm.years == {3: 2561, 4: 2562, 5: 2563, 6: 2564}
    r1, r2 = table_records(t, cm)
    assert (r1.title, r1.dimension, r1.mission_code) == ("โครงการอบรม", "1", "1.1.1")
    assert r1.budget_cells == [("ปี 2561", "50,000"), ("ปี 2562", "-"), ("ปี 2563", "70,000"), ("ปี 2564", "-")]  # as written
    assert place_budget(r1) == (120000.0, "amount", {2561: 50000.0, 2563: 70000.0})
    assert r2.title.replace(" ", "").replace("\n", "") == "มาตรการส่งเสริมจริยธรรม"
    assert place_budget(r2)[1] == "none"


def test_table_without_title_column_has_no_projects() -> None:
    t = Table([["มิติ", "ภารกิจตามมิติ"], ["มิติที่ 1 การสร้างสังคม", "1.1 การสร้างจิตสำนึก"]], SourceRef(line=1))
    assert analyse_header(t) is None


def test_plan_table_and_detail_merge_into_one_project() -> None:
    text = "\n".join([
        "องค์การบริหารส่วนตำบลหินตั้ง อำเภอบ้านไผ่ จังหวัดขอนแก่น",
        "มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต",
        "ที่\tโครงการ/กิจกรรม\tงบประมาณ (บาท)\tหน่วยงานรับผิดชอบ",
        "1\tโครงการอบรมคุณธรรมจริยธรรม\t10,000\tสำนักปลัด",
        "",
        "1. ชื่อโครงการ : โครงการอบรมคุณธรรม จริยธรรม",
        "4. เป้าหมาย",
        "พนักงาน 30 คน",
        "8. งบประมาณดำเนินการ",
        "12,000 บาท",
    ])
    res = _parse(parse_text(text))
    assert len(res.projects) == 1
    p = res.projects[0]
    assert p["layout"] == "plan_table+detail"
    assert (p["targets"], p["budget_thb"]) == ("พนักงาน 30 คน", 12000.0)
    assert any(w["code"] == "BUDGET_MISMATCH" for w in res.warnings)


def test_key_value_table_is_a_detail_record() -> None:
    rows = [["ชื่อโครงการ", "โครงการเยาวชนจิตอาสา"], ["วัตถุประสงค์", "เพื่อปลูกจิตสำนึก"],
            ["งบประมาณ", "5,000 บาท"], ["ผู้รับผิดชอบ", "กองการศึกษา"]]
    doc = Document("kv.docx", "docx", [TextLine("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", SourceRef(page=1)),
                                       Table(rows, SourceRef(page=1))])
    res = _parse(doc)
    assert len(res.projects) == 1
    p = res.projects[0]
    assert (p["title"], p["budget_thb"], p["dimension"], p["responsible_unit"]) == (
        "โครงการเยาวชนจิตอาสา", 5000.0, 1, "กองการศึกษา")


def test_not_a_plan_gives_no_projects() -> None:
    res = _parse(parse_text("รายงานการประชุมสภา\nวันที่ 1 มกราคม 2565\nเรื่อง งบประมาณ 1,000 บาท"))
    assert res.projects == []
    assert any(w["code"] == "NO_PROJECTS" for w in res.warnings)


def test_month_columns_give_quarters() -> None:
    months = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
    rows = [["ลำดับ", "โครงการ", "งบประมาณ", *months],
            ["1", "กิจกรรมเผยแพร่ข้อมูล", "ไม่ใช้งบประมาณ", "", "✓", "", "", "", "", "", "", "", "", "✓", ""]]
    t = Table(rows, SourceRef(page=1))
    cm = analyse_header(t)
    assert cm is not None and len(cm.quarters) == 12
    (rec,) = table_records(t, cm)
    assert ticked_quarters(rec.quarter_marks) == {1, 4}
    assert place_budget(rec)[1] == "none"


def test_text_table_with_lost_merges_totals_and_numbered_dimension_cells() -> None:
    text = "\n".join([
        "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔)",
        "องค์การบริหารส่วนจังหวัดขอนแก่น",
        "มิติ\tภารกิจตามมิติ\tโครงการ/กิจกรรม/มาตรการ\tงบประมาณ (บาท)\tงบประมาณ (บาท)",
        "\t\t\t๒๕๖๑\t๒๕๖๒",
        "๑. การสร้างสังคมที่ไม่ทนต่อการทุจริต\t๑.๑.๑ สร้างจิตสำนึก\t๑. โครงการอบรมคุณธรรม\t๑๐,๐๐๐\t-",
        "\t\t๒. รวมพลังต่อต้านการทุจริต\t-\t๕,๐๐๐",
        "\tรวม\t๒ โครงการ\t๑๐,๐๐๐\t๕,๐๐๐",
    ])
    res = _parse(parse_text(text))
    assert res.plan["framework"] == "2561" and res.plan["org_code"] == "2400101"
    assert [p["title"] for p in res.projects] == ["โครงการอบรมคุณธรรม", "รวมพลังต่อต้านการทุจริต"]
    assert [(p["dimension"], p["mission_code"]) for p in res.projects] == [(1, "1.1.1"), (1, "1.1.1")]
    assert [b["fiscal_year"] for b in res.budgets] == [2561, 2562]


def test_missing_content_makes_a_plan_partial() -> None:
    from prongsai.model import Problem

    doc = parse_text("องค์การบริหารส่วนตำบลโขมง\n1. ชื่อโครงการ : โครงการอบรม")
    doc.problems.append(Problem("OCR_UNAVAILABLE", "error", "pages 2-3 are scanned; install tesseract-ocr tesseract-ocr-tha"))
    res = _parse(doc)
    assert res.plan["status"] == "partial"
    assert len(res.projects) == 1
    assert any(w["code"] == "OCR_UNAVAILABLE" and w["severity"] == "error" for w in res.warnings)
