"""parse/header.py: the plan header (organisation, period text, label texts) from small
hand-made Documents; its fiscal years, plan kind and framework as normalize/plan.py reads them."""

from __future__ import annotations

from prongsai.model import Document, SourceRef, TextLine
from prongsai.normalize.plan import plan_fields
from prongsai.parse.header import read_header


def _doc(*lines: str) -> Document:
    return Document("t.txt", "txt", [TextLine(t, SourceRef(line=i)) for i, t in enumerate(lines, 1)])


def test_a_multi_year_cover_gives_the_organisation_and_the_period() -> None:
    h = read_header(_doc("แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)", "ของ",
                         "เทศบาลตำบลบ้านแพง อำเภอบ้านแพง จังหวัดนครพนม", "คำนำ",
                         "ตามยุทธศาสตร์ชาติ 20 ปี (พ.ศ. 2561 - 2580)"), [])
    assert (h.org_line, h.district_texts, h.province_texts) == (
        "เทศบาลตำบลบ้านแพง อำเภอบ้านแพง จังหวัดนครพนม", ["บ้านแพง"], ["นครพนม"])  # as written
    assert h.period_text == "แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)"
    p = plan_fields(h)
    assert p.org is not None
    assert (p.org.org_type, p.org.org_name, p.org.district, p.org.province, p.org.org_code) == (
        "subdistrict_mun", "เทศบาลตำบลบ้านแพง", "บ้านแพง", "นครพนม", "5480401")
    assert (p.fy_start, p.fy_end, p.plan_kind) == (2561, 2564, "multi_year")
    assert p.problems == []


def test_another_plans_period_is_not_the_plans() -> None:
    """The national strategy's 2561-2580 comes first; the plan's own title line decides."""
    h = read_header(_doc("ยุทธศาสตร์ชาติ 20 ปี (พ.ศ. 2561 - 2580)",
                         "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567",
                         "องค์การบริหารส่วนตำบลหนองแวง อำเภอบ้านแพง จังหวัดนครพนม"), [])
    p = plan_fields(h)
    assert (p.fy_start, p.fy_end, p.plan_kind) == (2567, 2567, "annual")
    assert p.org is not None and (p.org.org_type, p.org.org_code) == ("sao", "6480402")


def test_an_ocr_misread_title_on_the_cover_still_gives_the_period() -> None:
    h = read_header(_doc("แผนปฎิบัติกาวป้องกันการทุจริต", "ประจำปีงบประมาณ พ.ศ. 2566", "อบต.นาเข"), [])
    assert h.period_text == "แผนปฎิบัติกาวป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2566"  # the title and the line after it
    p = plan_fields(h)
    assert (p.fy_start, p.fy_end, p.plan_kind) == (2566, 2566, "annual")


def test_a_place_taken_from_the_registry_is_reported_as_inferred() -> None:
    h = read_header(_doc("แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2566", "อบต.นาเข"), [])
    assert (h.org_line, h.district_texts, h.province_texts) == ("อบต.นาเข", [], [])  # nothing more written
    f = plan_fields(h)
    assert f.org is not None and (f.org.org_name, f.org.district, f.org.province) == (
        "องค์การบริหารส่วนตำบลนาเข", "บ้านแพง", "นครพนม")
    assert [p.code for p in f.problems] == ["INFERRED_VALUE", "INFERRED_VALUE"]


def test_a_document_that_is_not_a_plan_has_an_empty_header() -> None:
    h = read_header(_doc("รายงานการประชุมสภา", "วันที่ 3 มีนาคม 2567"), [])
    p = plan_fields(h)
    assert (p.org, p.fy_start, p.fy_end, p.plan_kind, p.framework) == (None, None, None, None, None)
    assert read_header(_doc(), []).org_line is None and plan_fields(read_header(_doc(), [])).org is None


def test_the_framework_follows_the_dimension_labels() -> None:
    h = read_header(_doc("x"), [("มิติที่ 1 การสร้างวัฒนธรรมสุจริต", SourceRef(line=1))])
    assert h.dimension_texts == ["มิติที่ 1 การสร้างวัฒนธรรมสุจริต"]  # as written
    assert plan_fields(h).framework == "2566"
    h = read_header(_doc("x"), [("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", SourceRef(line=1))])
    assert plan_fields(h).framework == "2561"
