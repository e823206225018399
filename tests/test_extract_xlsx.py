"""The Excel backend (prongsai.extract.xlsx): sheets to tables, merged cells, hidden
sheets/rows/columns, numbers, and bad workbooks."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from office_fixtures import HIDDEN_TITLES, XLSX_PROJECTS, make_plan_xlsx

from prongsai.extract import read_document, sniff_format
from prongsai.extract.xlsx import read_xlsx, sheet_layout
from prongsai.model import ExtractError, SourceRef, Table, TextLine
from prongsai.pipeline import process_file


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_plan_workbook_gives_its_projects(tmp_path: Path) -> None:
    res = process_file(make_plan_xlsx(tmp_path / "plan.xlsx"), "plan.xlsx")
    plan = res.plan
    assert (plan["source_format"], plan["status"]) == ("xlsx", "ok")
    assert (plan["org_name"], plan["org_code"]) == ("องค์การบริหารส่วนตำบลหินตั้ง", "6401006")
    assert (plan["plan_kind"], plan["fy_start"], plan["fy_end"], plan["framework"]) == ("multi_year", 2561, 2564, "2561")
    assert [(p["title"], p["budget_thb"], p["dimension"]) for p in res.projects] == XLSX_PROJECTS
    assert res.projects[0]["source_ref"] == "sheet แผน มิติ 1-2, row 6"
    assert res.projects[-1]["source_ref"] == "sheet มิติ 3, row 3"
    years = [(b["fiscal_year"], b["amount_thb"]) for b in res.budgets if b["project_id"] == res.projects[1]["project_id"]]
    assert years == [(2562, 20000.0), (2564, 20000.0)]
    (info,) = [w for w in res.warnings if w["code"] == "HIDDEN_SKIPPED"]
    assert info["severity"] == "info" and "1 hidden sheet(s) (เก่า)" in info["message"]
    assert "1 hidden row(s)" in info["message"]


def test_merged_cells_resolved_hidden_parts_skipped_numbers_as_numbers(tmp_path: Path) -> None:
    doc = read_document(make_plan_xlsx(tmp_path / "plan.xlsx"))
    text = doc.plain_text()
    for hidden in (*HIDDEN_TITLES, "99999", "ข้อความในคอลัมน์ที่ซ่อน"):
        assert hidden not in text
    assert "30000.0" not in text
    # the merged title rows are text lines, once each; the table starts at the header
    assert [b.text for b in doc.blocks[:2]] == ["แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)",
                                                "องค์การบริหารส่วนตำบลหินตั้ง อำเภอบ้านไผ่ จังหวัดขอนแก่น"]
    first, second = tables(doc)
    assert first.rows[0][0] == first.rows[1][0] == "มิติ"  # merged down the two header rows
    assert (1, 0) in first.spanned and (0, 0) not in first.spanned
    body = first.rows[2:]
    assert [r[0] for r in body] == ["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต"] * 2 + [
        "มิติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต"]
    assert body[0][3:6] == ["30000", "30000", "30000"]  # int, float 30000.0 and int: all "30000"
    assert (3, 0) in first.spanned  # the มิติ cell copied down (the hidden row between is gone)
    assert [ref.line for ref in first.row_refs] == [4, 5, 6, 8, 9]
    assert first.ref == SourceRef(line=4, sheet="แผน มิติ 1-2")
    assert second.ref.sheet == "มิติ 3" and second.n_cols == 7


def test_cell_values_as_a_reader_sees_them(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["โครงการ", "งบประมาณ", "ร้อยละ", "วันที่", "เวลา", "สูตร"])
    ws.append(["ก", 1234.5, 0.8, dt.datetime(2022, 10, 1), dt.time(9, 30), "=B2*2"])
    ws["C2"].number_format = "0%"
    wb.save(tmp_path / "v.xlsx")
    (t,) = tables(read_xlsx(str(tmp_path / "v.xlsx")))
    # a formula without a cached result (never opened in Excel) reads as empty, not as its source
    assert t.rows[1] == ["ก", "1234.5", "80%", "2022-10-01", "09:30", ""]


def test_sheet_cut_at_blank_gaps_and_text_rows_are_lines(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ก"
    ws["A1"] = "หัวเรื่อง"
    ws.append(["ที่", "โครงการ"])
    ws.append(["1", "โครงการหนึ่ง"])
    ws.append([])  # one empty row inside a table does not cut it
    ws.append(["2", "โครงการสอง"])
    ws.append([])
    ws.append([])
    ws.append(["1. ชื่อโครงการ : โครงการหนึ่ง"])
    ws.append(["ผู้รับผิดชอบ", "สำนักปลัด"])
    wb.save(tmp_path / "g.xlsx")
    doc = read_xlsx(str(tmp_path / "g.xlsx"))
    kinds = [(type(b).__name__, b.ref.line) for b in doc.blocks]
    assert kinds == [("TextLine", 1), ("Table", 2), ("TextLine", 8), ("Table", 9)]
    assert doc.blocks[1].rows == [["ที่", "โครงการ"], ["1", "โครงการหนึ่ง"], ["2", "โครงการสอง"]]
    assert isinstance(doc.blocks[2], TextLine) and doc.blocks[2].text == "1. ชื่อโครงการ : โครงการหนึ่ง"


def test_layout_is_read_from_the_sheet_xml(tmp_path: Path) -> None:
    path = make_plan_xlsx(tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    member = wb["แผน มิติ 1-2"]._worksheet_path
    wb.close()
    with zipfile.ZipFile(path) as zf:
        lay = sheet_layout(zf, member)
    assert lay.hidden_rows == {7} and lay.hidden_cols == {8}
    assert sorted(lay.merges) == [(1, 1, 1, 7), (2, 1, 2, 7), (4, 1, 5, 1), (4, 2, 5, 2), (4, 3, 5, 3),
                                  (4, 7, 5, 7), (6, 1, 8, 1)]


def test_huge_merged_range_and_far_away_styled_cells_do_not_blow_up(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["โครงการ", "งบประมาณ"])
    wb.active.append(["ก", 5])
    wb.save(tmp_path / "small.xlsx")
    # as some exporters write it: a formatted, empty last cell of the sheet, a dimension and
    # a merged range reaching the end of the sheet (written into the XML: openpyxl itself
    # would create 27 million merged-cell objects)
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(tmp_path / "small.xlsx") as zin, zipfile.ZipFile(big, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (data.decode()
                        .replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
                                 '<mergeCells count="1"><mergeCell ref="A3:Z1048576"/></mergeCells>')
                        .replace('<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>')).encode()
                assert data.count(b"1048576") == 4
            zout.writestr(info, data)
    (t,) = tables(read_xlsx(str(big)))
    assert t.rows == [["โครงการ", "งบประมาณ"], ["ก", "5"]]


def test_cell_limit_stops_reading_with_a_warning(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(50):
        ws.append([f"โครงการ {i}", i])
    wb.save(tmp_path / "many.xlsx")
    doc = read_xlsx(str(tmp_path / "many.xlsx"), max_cells=20)
    (t,) = tables(doc)
    assert len(t.rows) == 10
    assert [p.code for p in doc.problems] == ["SHEET_TRUNCATED"]


# --------------------------------------------------------------------------- bad workbooks


def test_xlsx_that_is_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "plan.xlsx"
    p.write_text("แผนปฏิบัติการ ไม่ใช่ไฟล์ Excel", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"named \.xlsx but its content is not a XLSX file"):
        sniff_format(p)
    res = process_file(p, "plan.xlsx")
    assert (res.plan["status"], res.plan["source_format"]) == ("failed", "xlsx")
    assert res.warnings[0]["code"] == "UNREADABLE_FILE"


def test_damaged_zip_named_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    good = make_plan_xlsx(tmp_path / "good.xlsx").read_bytes()
    p = tmp_path / "cut.xlsx"
    p.write_bytes(good[: len(good) // 2])
    res = process_file(p, "cut.xlsx")
    assert res.plan["status"] == "failed" and res.plan["source_format"] == "xlsx"
    (w,) = res.warnings
    assert w["code"] == "UNREADABLE_FILE" and w["message"].startswith("not a valid Excel workbook")


def test_empty_workbook_is_a_clear_error(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.create_sheet("ว่าง")
    wb.save(tmp_path / "empty.xlsx")
    res = process_file(tmp_path / "empty.xlsx", "empty.xlsx")
    assert res.plan["status"] == "failed"
    (w,) = res.warnings
    assert w["code"] == "UNREADABLE_FILE" and "no values in its visible sheets" in w["message"]


def test_workbook_whose_only_data_is_hidden_is_empty(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["โครงการ", "งบประมาณ"])
    wb.active.sheet_state = "hidden"
    wb.create_sheet("ว่าง")
    wb.active = 1
    wb.save(tmp_path / "hidden.xlsx")
    with pytest.raises(ExtractError, match="everything is hidden"):
        read_xlsx(str(tmp_path / "hidden.xlsx"))
