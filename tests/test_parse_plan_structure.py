"""Unit tests of the plan-structure pieces of issue 9: items in one cell, pairing by
position, over-segmented grids, printed totals, record merging, headings, appendices
and the multi-year budget rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prongsai.extract import clean_document, read_document
from prongsai.model import Document, SourceRef, Table, TextLine
from prongsai.normalize.project import place_budget
from prongsai.parse import parse_plan
from prongsai.parse.grid import check_totals, collapse_columns, read_total
from prongsai.parse.headings import appendix_heading, deepest_code, split_combined
from prongsai.parse.items import pair_figures, pair_texts, split_items
from prongsai.parse.structure import walk
from prongsai.parse.tables import analyse_header, table_records

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_patterns"
HEADER = ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2561", "ปี 2562", "หมายเหตุ"]
SUBHEADER = ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)", "งบประมาณ (บาท)", "หมายเหตุ"]
DIM1 = "มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต"


def _table(rows: list[list[str]], tops: dict | None = None) -> Table:
    return Table([HEADER, SUBHEADER, *rows], SourceRef(page=1), line_tops=tops or {})


def _records(t: Table) -> tuple[list, list]:
    problems: list = []
    cm = analyse_header(t)
    assert cm is not None
    return table_records(t, cm, problems), problems


def _doc(*blocks) -> Document:
    return Document("x.docx", "docx", list(blocks))


def _plan(*blocks):
    return parse_plan(clean_document(_doc(*blocks)), "p", {"plan_id": "p", "source_path": "x.docx"})


# -- items of one cell --------------------------------------------------------------------

def test_split_items_numbered_paragraphs_and_wrapped_lines() -> None:
    items = split_items("1) โครงการปลูกป่า\nชุมชน\n2) โครงการคัดแยกขยะ\n3) กิจกรรมตลาดนัด")
    assert [(i.number, i.text) for i in items] == [(1, "โครงการปลูกป่า ชุมชน"), (2, "โครงการคัดแยกขยะ"),
                                                   (3, "กิจกรรมตลาดนัด")]


def test_split_items_keeps_single_titles_and_sub_activities() -> None:
    assert split_items("โครงการฝึกอบรม (2 รุ่น)") == []
    assert split_items("1) โครงการฝึกอบรมคุณธรรม") == []  # one numbered project is one project
    assert split_items("โครงการอบรม\n1) รุ่นที่ 1\n2) รุ่นที่ 2") == []  # sub-activities of one title
    assert split_items("1) ก\n3) ข") == []  # not numbered 1, 2 ...


def test_pairing_by_line_index_with_alignment_blanks() -> None:
    """DOCX: the n-th paragraph beside the n-th; a blank paragraph keeps the place of a
    wrapped title line."""
    items = split_items("1) ก\nต่อ\n2) ข\n3) ค")
    assert pair_figures(items, "10,000\n\n-\n5,000", None, "2561").figures == ["10,000", "-", "5,000"]
    # the same figures without the blank: item 1 takes two, item 3 none -> no pairing
    res = pair_figures(items, "10,000\n-\n5,000", None, "2561")
    assert res.figures == [None, None, None]
    assert "item 1 has 2 figures" in res.problem


def test_pairing_by_geometry() -> None:
    """PDF: a figure belongs to the item whose vertical span contains it, whatever the
    number of wrapped title lines."""
    items = split_items("1) โครงการฝึกอบรมคุณธรรม\n2) มาตรการ\n3) กิจกรรม", [100.0, 145.0, 160.0])
    figs = pair_figures(items, "30,000\n-\n5,000", [101.0, 146.5, 161.0], "2561")
    assert figs.figures == ["30,000", "-", "5,000"]
    # a figure above the first item cannot be paired
    assert pair_figures(items, "30,000\n-\n5,000", [80.0, 146.5, 161.0], "2561").problem
    # the unit of each item by position, wrapped units joined
    units = pair_texts(items, "สป.\nกองคลัง/\nกองช่าง\nกอง.สธ.", [100.0, 145.0, 152.0, 160.0])
    assert units == ["สป.", "กองคลัง/ กองช่าง", "กอง.สธ."]


def test_run_together_figures_are_never_split() -> None:
    items = split_items("1) ก\n2) ข\n3) ค")
    res = pair_figures(items, "30,000 20,00030,000", None, "2561")
    assert res.figures == [None, None, None]
    assert "20,00030,000" in res.problem


def test_multi_item_row_gives_one_record_per_item() -> None:
    t = _table([[DIM1, "1.2 การสร้างจิตสำนึก\n1.2.1 รักษาประโยชน์สาธารณะ",
                 "1) โครงการปลูกป่าชุมชน\n2) ปลูกต้นไม้ริมทาง\n3) กิจกรรมตลาดนัดสีเขียว",
                 "30,000\n20,000\n-", "30,000\n-\n-", "กอง.สธ.\nสป.\nกองช่าง"]])
    recs, problems = _records(t)
    assert [r.title for r in recs] == ["โครงการปลูกป่าชุมชน", "ปลูกต้นไม้ริมทาง", "กิจกรรมตลาดนัดสีเขียว"]
    assert [r.budget_cells for r in recs] == [[("ปี 2561", "30,000"), ("ปี 2562", "30,000")],
                                              [("ปี 2561", "20,000"), ("ปี 2562", "-")],
                                              [("ปี 2561", "-"), ("ปี 2562", "-")]]  # each item's figures, as written
    assert [place_budget(r) for r in recs] == [(60000.0, "amount", {2561: 30000.0, 2562: 30000.0}),
                                               (20000.0, "amount", {2561: 20000.0}), (0.0, "none", {})]
    assert [r.texts["remark"] for r in recs] == ["กอง.สธ.", "สป.", "กองช่าง"]  # raw, per item
    assert {r.dimension for r in recs} == {"1"} and {r.mission_code for r in recs} == {"1.2.1"}
    assert not problems


def test_unpairable_cell_keeps_items_with_unspecified_budgets() -> None:
    t = _table([[DIM1, "1.3 เด็กและเยาวชน", "1) โครงการค่ายคุณธรรม 2) กิจกรรมโตไปไม่โกง",
                 "25,000\n-", "25,000\n-", "กศ."]])
    recs, _ = _records(t)
    assert [r.title for r in recs] == ["โครงการค่ายคุณธรรม", "กิจกรรมโตไปไม่โกง"]
    assert all(not r.budget_cells and place_budget(r) == (None, "unspecified", {}) for r in recs)
    codes = [p.code for r in recs for p in r.problems]
    assert codes == ["BUDGET_MISMATCH", "BUDGET_MISMATCH"]
    assert "start on one line" in recs[0].problems[0].message


# -- grids ---------------------------------------------------------------------------------

def test_over_segmented_columns_collapse_and_budgets_are_not_doubled() -> None:
    """The 2561 column and the หมายเหตุ column each printed in two grid columns."""
    header = ["มิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2561", "ปี 2561", "ปี 2562", "หมายเหตุ", "หมายเหตุ"]
    sub = ["มิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ", "งบประมาณ", "งบประมาณ", "หมายเหตุ", "หมายเหตุ"]
    rows = [header, sub, [DIM1, "โครงการปลูกป่า", "10,000", "10,000", "5,000", "สป.", "สป."],
            ["", "โครงการคัดแยกขยะ", "7,000", "", "-", "กองช่าง", ""]]
    t = collapse_columns(Table(rows, SourceRef(page=1)))
    assert t.n_cols == 5
    assert t.rows[3] == ["", "โครงการคัดแยกขยะ", "7,000", "-", "กองช่าง"]
    cm = analyse_header(t)
    recs = table_records(t, cm)
    assert [(place_budget(r)[0], r.dimension) for r in recs] == [(15000.0, "1"), (7000.0, "1")]


def test_adjacent_columns_with_equal_figures_are_not_collapsed() -> None:
    rows = [["โครงการ", "ปี 2561", "ปี 2562"], ["โครงการก", "10,000", "10,000"]]
    assert collapse_columns(Table(rows, SourceRef())).n_cols == 3


# -- printed totals -------------------------------------------------------------------------

def test_total_rows_are_checks_not_projects() -> None:
    t = _table([[DIM1, "1.1 บุคลากร", "1) โครงการอบรมคุณธรรม\n2) มาตรการจริยธรรม", "30,000\n-", "30,000\n-", "สป."],
                ["รวม", "รวม", "1 มาตรการ 1 โครงการ", "30,000", "30,000", ""]])
    recs, problems = _records(t)
    assert [r.title for r in recs] == ["โครงการอบรมคุณธรรม", "มาตรการจริยธรรม"]
    assert problems == []


def test_total_mismatch_gives_both_figures() -> None:
    t = _table([[DIM1, "1.1 บุคลากร", "1) โครงการอบรมคุณธรรม\n2) มาตรการจริยธรรม", "30,000\n-", "30,000\n-", "สป."],
                ["รวม", "รวม", "1 มาตรการ 2 โครงการ", "50,000", "30,000", ""]])
    recs, problems = _records(t)
    assert len(recs) == 2
    messages = [p.message for p in problems if p.code == "TOTAL_MISMATCH"]
    assert len(messages) == 2
    assert "3 in all" in messages[0] and "2 in all" in messages[0]
    assert "50,000 for 2561" in messages[1] and "30,000" in messages[1]


def test_check_totals_skips_years_when_a_budget_is_unknown() -> None:
    total = read_total(["รวม", "2 โครงการ", "99,000"], {2: 2561}, SourceRef())
    assert check_totals(total, ["project", "project"], [{2561: 1.0}, None]) == []


# -- headings ------------------------------------------------------------------------------

def test_dimension_and_mission_on_one_line_with_thai_digits() -> None:
    doc = clean_document(_doc(
        TextLine("มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต ภารกิจตามมิติ ๑.๒ การสร้างจิตสำนึกแก่ประชาชน", SourceRef()),
        TextLine("๑.๒.๑ สร้างจิตสำนึกในการรักษาประโยชน์สาธารณะ", SourceRef()),
        TextLine("1. ชื่อโครงการ : โครงการปลูกป่าชุมชน", SourceRef()),
        TextLine("8. งบประมาณดำเนินการ", SourceRef()),
        TextLine("20,000 บาท", SourceRef()),
    ))
    (rec,) = walk(doc).records
    assert (rec.dimension, rec.mission_code) == ("1", "1.2.1")


def test_split_combined_and_deepest_code() -> None:
    assert split_combined("มิติ 2 การบริหารราชการ ภารกิจตามมิติ 2.1 แสดงเจตจำนง") == (
        "มิติ 2 การบริหารราชการ", "ภารกิจตามมิติ 2.1 แสดงเจตจำนง")
    assert deepest_code("2.2 มาตรการสร้างความโปร่งใส\n2.2.1 การบริหารงานบุคคล\nต่อ") == "2.2.1"
    assert deepest_code("2.2 มาตรการ\n3.1.1 อื่น") == "2.2"


# -- appendices -----------------------------------------------------------------------------

def test_appendix_creates_nothing_and_overwrites_nothing() -> None:
    plan_table = Table([["ที่", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)"],
                        ["1", "โครงการอบรมคุณธรรม", "30,000"]], SourceRef(page=2))
    sar = Table([["ที่", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)"],
                 ["1", "โครงการอบรมคุณธรรม", "99,000"],
                 ["2", "โครงการที่มีแต่ในภาคผนวก", "5,000"]], SourceRef(page=9))
    res = _plan(TextLine("ส่วนที่ 2 แผนปฏิบัติการ", SourceRef()), plan_table,
                TextLine("แบบประเมินตนเอง (SAR) ประจำปี 2563", SourceRef()), sar,
                TextLine("1. ชื่อโครงการ : โครงการในแบบประเมิน", SourceRef()))
    assert [(p["title"], p["budget_thb"]) for p in res.projects] == [("โครงการอบรมคุณธรรม", 30000.0)]


def test_appendix_heading_is_not_a_contents_line_or_list_item() -> None:
    assert appendix_heading("ภาคผนวก")
    assert not appendix_heading("ภาคผนวก ........................ 45")
    assert not appendix_heading("2) ผลการประเมิน ITA ปีที่ผ่านมา")


def test_a_new_part_ends_the_appendix() -> None:
    res = _plan(TextLine("1. ชื่อโครงการ : โครงการแรก", SourceRef()),
                TextLine("ภาคผนวก ก", SourceRef()), TextLine("1. ชื่อโครงการ : โครงการในภาคผนวก", SourceRef()),
                TextLine("ส่วนที่ 3 รายละเอียดโครงการ", SourceRef()),
                TextLine("1. ชื่อโครงการ : โครงการจริง", SourceRef()),
                TextLine("8. งบประมาณ", SourceRef()), TextLine("5,000 บาท", SourceRef()))
    assert [p["title"] for p in res.projects] == ["โครงการแรก", "โครงการจริง"]


def test_an_appendix_line_before_any_project_is_a_contents_line() -> None:
    """A contents page listing ภาคผนวก before the plan must not hide the plan."""
    res = _plan(TextLine("สารบัญ", SourceRef()), TextLine("ภาคผนวก", SourceRef()),
                TextLine("1. ชื่อโครงการ : โครงการจริง", SourceRef()),
                TextLine("8. งบประมาณ", SourceRef()), TextLine("5,000 บาท", SourceRef()))
    assert [p["title"] for p in res.projects] == ["โครงการจริง"]


def test_numbered_lines_of_a_per_project_table_are_not_projects() -> None:
    t = Table([["โครงการ", "เป้าหมาย", "งบประมาณ", "ผลผลิต"],
               ["1) จัดอบรมบุคลากร\n2) ประเมินผลการอบรม", "บุคลากร", "10,000", "ร้อยละ 80"]], SourceRef(page=1))
    cm = analyse_header(t)
    assert cm is not None and cm.layout == "project_table"
    assert len(table_records(t, cm)) == 1


# -- one record per project, and the multi-year budget rule ---------------------------------

def _four_year_table(title: str, unit: str = "กองคลัง") -> Table:
    return Table([["มิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2561", "ปี 2562", "ปี 2563", "ปี 2564", "หมายเหตุ"],
                  ["มิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ", "งบประมาณ", "งบประมาณ", "งบประมาณ", "หมายเหตุ"],
                  [DIM1, title, "20,000", "20,000", "-", "20,000", unit]], SourceRef(page=2))


def _sheet(title_line: str, budget: str, responsible: str) -> list[TextLine]:
    lines = [title_line, "7. ระยะเวลาดำเนินการ", "4 ปี (ปีงบประมาณ พ.ศ. 2561 - 2564)", "8. งบประมาณดำเนินการ", budget,
             "9. ผู้รับผิดชอบโครงการ", responsible]
    return [TextLine(x, SourceRef(page=5)) for x in lines]


def test_table_row_and_detail_sheet_are_one_record() -> None:
    res = _plan(TextLine("แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)", SourceRef()),
                _four_year_table("ปรับปรุงศูนย์ข้อมูลข่าวสารของ ทต.บ้านโพธิ์"),
                *_sheet("1. ชื่อโครงการ : โครงการปรับปรุงศูนย์ข้อมูลข่าวสารของเทศบาลตำบลบ้านโพธิ์", "20,000 บาท",
                        "สำนักปลัด เทศบาลตำบลบ้านโพธิ์"))
    (p,) = res.projects
    assert p["title"] == "โครงการปรับปรุงศูนย์ข้อมูลข่าวสารของเทศบาลตำบลบ้านโพธิ์"
    assert p["kind"] == "project"
    assert (p["budget_thb"], p["budget_status"]) == (60000.0, "amount")  # the table's years, not the sheet's 20,000
    assert p["responsible_unit"] == "กองคลัง"  # the table's unit wins over the sheet's
    notes = [w for w in res.warnings if w["code"] == "BUDGET_MISMATCH"]
    assert len(notes) == 1 and notes[0]["severity"] == "info"
    assert sorted(b["fiscal_year"] for b in res.budgets) == [2561, 2562, 2564]  # the years with a figure


def test_kind_from_the_sheet_label_when_no_title_says_it() -> None:
    res = _plan(_four_year_table("ตลาดนัดสีเขียว"),
                *_sheet("1. ชื่อกิจกรรม : ตลาดนัดสีเขียว", "5,000 บาท", "กองช่าง"))
    (p,) = res.projects
    assert p["kind"] == "activity"


def test_unmatched_sheet_and_row_both_stay_and_a_sheet_only_budget_is_flagged() -> None:
    res = _plan(TextLine("แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)", SourceRef()),
                _four_year_table("โครงการคัดแยกขยะ"),
                *_sheet("1. ชื่อโครงการ : โครงการตรวจสอบภายใน", "5,000 บาท", "หน่วยตรวจสอบภายใน"))
    by_title = {p["title"]: p for p in res.projects}
    assert set(by_title) == {"โครงการคัดแยกขยะ", "โครงการตรวจสอบภายใน"}
    assert by_title["โครงการตรวจสอบภายใน"]["budget_thb"] == 5000.0
    flagged = [w for w in res.warnings if w["code"] == "BUDGET_FROM_SHEET"]
    assert [w["project_id"] for w in flagged] == [by_title["โครงการตรวจสอบภายใน"]["project_id"]]


def test_unit_in_the_remark_column_only_when_it_names_a_unit() -> None:
    res = _plan(_four_year_table("โครงการก", unit="ไม่ใช้งบประมาณ"))
    assert res.projects[0]["responsible_unit"] is None


# -- PDF geometry ---------------------------------------------------------------------------

def test_pdf_cells_keep_stacked_figures_and_line_tops() -> None:
    doc = read_document(FIXTURES / "nacc_multi_item.pdf")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    r = next(i for i, row in enumerate(table.rows) if row[2].startswith("1) โครงการฝึกอบรม"))
    assert table.rows[r][3].split("\n") == ["30,000", "-", "5,000"]  # one line per figure, never joined
    for c in (2, 3, 7):
        tops = table.line_tops[(r, c)]
        assert len(tops) == len(table.rows[r][c].split("\n"))
        assert tops == sorted(tops)
    # the figures sit beside the first line of their item
    assert table.line_tops[(r, 3)] == pytest.approx(table.line_tops[(r, 2)], abs=3.0)


# -- property: stacked cells written item by item always pair back ---------------------------

_words = st.text(alphabet="กขคงจฉชซดตถทนบปผพฟมยรลวสหอ", min_size=1, max_size=12)
_amounts = st.one_of(st.just(None), st.integers(min_value=1, max_value=9_999_999))


@given(st.lists(st.tuples(st.lists(_words, min_size=1, max_size=3), _amounts), min_size=2, max_size=6),
       st.floats(min_value=9.0, max_value=20.0))
def test_items_written_with_their_figures_pair_back(items: list, pitch: float) -> None:
    """Each item's title over 1-3 lines, its figure beside its first line (a blank line
    below it per wrapped line in DOCX; line tops at ``pitch`` points in PDF)."""
    title_lines, fig_lines, tops, fig_tops = [], [], [], []
    for n, (words, amount) in enumerate(items, start=1):
        first = len(title_lines)
        for k, w in enumerate(words):
            title_lines.append(f"{n}) {w}" if k == 0 else w)
            tops.append(100.0 + pitch * (first + k))
        fig_lines += [f"{amount:,}" if amount else "-"] + [""] * (len(words) - 1)
        fig_tops.append(100.0 + pitch * first + 0.8)
    want = [f"{a:,}" if a else "-" for _, a in items]  # each item's figure as written
    # DOCX: paragraph order, blank alignment paragraphs
    its = split_items("\n".join(title_lines))
    assert [i.number for i in its] == list(range(1, len(items) + 1))
    assert pair_figures(its, "\n".join(fig_lines), None, "2561").figures == want
    # PDF: positions only (no blank lines)
    its = split_items("\n".join(title_lines), tops)
    figs = "\n".join(x for x in fig_lines if x)
    assert pair_figures(its, figs, fig_tops, "2561").figures == want
