"""Office fixtures built in the tests: a plan as DOCX (python-docx) and a plan
workbook as XLSX (openpyxl), and their LibreOffice conversions (.doc .odt .rtf,
.xls .ods) for the conversion tests.

Both are as awkward as real plans: merged header cells, dimension rows merged over
the whole table width, Thai digits, budgets typed as numbers and as text, detail
sections after the plan table (DOCX), a hidden row and a hidden sheet holding
projects no reader sees (XLSX), title rows merged over the table width.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest

#: what both fixtures must give: (title, budget_thb, dimension) of every project
DOCX_PROJECTS = [
    ("โครงการอบรมคุณธรรมจริยธรรมพนักงานส่วนตำบล", 30000.0, 1),
    ("มาตรการประกาศเจตจำนงสุจริตของผู้บริหาร", 0.0, 1),
    ("โครงการเผยแพร่ข้อมูลข่าวสารทางเว็บไซต์", 12500.0, 2),
]
XLSX_PROJECTS = [
    ("โครงการอบรมคุณธรรมจริยธรรมผู้บริหารและสมาชิกสภา", 90000.0, 1),
    ("โครงการส่งเสริมเยาวชนต้านทุจริต", 40000.0, 1),
    ("มาตรการจัดทำคู่มือลดการใช้ดุลพินิจ", 0.0, 2),
    ("โครงการประชาคมรับฟังความคิดเห็น", 15000.0, 3),
]
#: in the workbook but hidden: must not be read
HIDDEN_TITLES = ("โครงการในแถวที่ซ่อนไว้", "โครงการในแผ่นงานที่ซ่อนไว้")


def make_plan_docx(path: Path) -> Path:
    """An annual plan (2566 framework): two plan tables with merged headers, then a
    detail section of the first project."""
    d = docx.Document()
    for line in ("แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
                 "องค์การบริหารส่วนตำบลหินตั้ง อำเภอบ้านไผ่ จังหวัดขอนแก่น",
                 "ส่วนที่ ๒ แผนปฏิบัติการป้องกันการทุจริต",
                 "มิติที่ ๑ การสร้างวัฒนธรรมสุจริต"):
        d.add_paragraph(line)
    header = ["ที่", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)", "แผนการดำเนินงาน", "", "", "",
              "หน่วยงานรับผิดชอบ"]
    quarters = ["", "", "", "ไตรมาส ๑", "ไตรมาส ๒", "ไตรมาส ๓", "ไตรมาส ๔", ""]

    def plan_table(rows: list[list[str]]) -> None:
        t = d.add_table(rows=2 + len(rows), cols=len(header))
        t.style = "Table Grid"
        for c, text in enumerate(header):
            if text:
                t.cell(0, c).text = text
        for c, text in enumerate(quarters):
            if text:
                t.cell(1, c).text = text
        for c in (0, 1, 2, 7):  # vertically merged header cells
            t.cell(0, c).merge(t.cell(1, c))
        t.cell(0, 3).merge(t.cell(0, 6))  # แผนการดำเนินงาน over the four quarters
        for r, row in enumerate(rows, start=2):
            for c, text in enumerate(row):
                t.cell(r, c).text = text

    plan_table([["๑", "โครงการอบรมคุณธรรมจริยธรรมพนักงานส่วนตำบล", "๓๐,๐๐๐", "✓", "", "", "", "สำนักปลัด"],
                ["๒", "มาตรการประกาศเจตจำนงสุจริตของผู้บริหาร", "ไม่ใช้งบประมาณ", "✓", "", "", "", "สำนักปลัด"]])
    d.add_paragraph("มิติที่ ๒ การบริหารราชการด้วยความโปร่งใส")
    plan_table([["๓", "โครงการเผยแพร่ข้อมูลข่าวสารทางเว็บไซต์", "12,500", "", "✓", "", "", "กองคลัง"]])
    d.add_paragraph("ส่วนที่ ๓ รายละเอียดโครงการ")
    d.add_paragraph("มิติที่ ๑ การสร้างวัฒนธรรมสุจริต")
    for line in ("๑. ชื่อโครงการ : โครงการอบรมคุณธรรมจริยธรรมพนักงานส่วนตำบล",
                 "๒. หลักการและเหตุผล",
                 "เพื่อให้พนักงานปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต",
                 "๓. วัตถุประสงค์",
                 "เพื่อเสริมสร้างคุณธรรมจริยธรรม",
                 "๔. เป้าหมาย",
                 "พนักงานส่วนตำบล ๓๐ คน",
                 "๗. ระยะเวลาดำเนินการ",
                 "ปีงบประมาณ ๒๕๖๖",
                 "๘. งบประมาณดำเนินการ",
                 "๓๐,๐๐๐ บาท",
                 "๙. ผู้รับผิดชอบ",
                 "สำนักปลัด"):
        d.add_paragraph(line)
    d.save(str(path))
    return path


def make_plan_xlsx(path: Path) -> Path:
    """A 4-year plan (2561 framework) as a workbook: title rows merged over the table,
    a two-row header with merged cells, dimension cells merged down their projects,
    budgets as numbers, a hidden row, a second visible sheet, a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "แผน มิติ 1-2"
    width = 7
    ws.append(["แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)"])
    ws.append(["องค์การบริหารส่วนตำบลหินตั้ง อำเภอบ้านไผ่ จังหวัดขอนแก่น"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header = ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2562", "ปี 2563", "ปี 2564", "หมายเหตุ"]
    sub = [None, None, None, "งบประมาณ (บาท)", "งบประมาณ (บาท)", "งบประมาณ (บาท)", None]

    def table(first: int, rows: list[list[object]], dim_rows: list[tuple[int, int]]) -> None:
        ws.append([])
        ws.append(header)
        ws.append(sub)
        for c in (1, 2, 3, 7):
            ws.merge_cells(start_row=first, start_column=c, end_row=first + 1, end_column=c)
        for row in rows:
            ws.append(row)
        for a, b in dim_rows:  # the มิติ cell merged down its projects
            ws.merge_cells(start_row=a, start_column=1, end_row=b, end_column=1)

    table(4, [
        ["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "1.1.1 สร้างจิตสำนึกในการปฏิบัติราชการ",
         "(1) โครงการอบรมคุณธรรมจริยธรรมผู้บริหารและสมาชิกสภา", 30000, 30000.0, 30000, None],
        [None, "1.1.1 สร้างจิตสำนึกในการปฏิบัติราชการ", HIDDEN_TITLES[0], 99999, 99999, 99999, None],
        [None, "1.4.1 สร้างจิตสำนึกแก่เด็กและเยาวชน", "(2) โครงการส่งเสริมเยาวชนต้านทุจริต", 20000, None, 20000,
         None],
        ["มิติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต", "2.5.1 มาตรการลดการใช้ดุลพินิจ",
         "(3) มาตรการจัดทำคู่มือลดการใช้ดุลพินิจ", "-", "-", "-", "ไม่ใช้งบประมาณ"],
    ], [(6, 8)])
    ws.row_dimensions[7].hidden = True
    ws.column_dimensions["H"].hidden = True
    ws["H6"] = "ข้อความในคอลัมน์ที่ซ่อน"

    ws2 = wb.create_sheet("มิติ 3")
    ws2.append(["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2562", "ปี 2563", "ปี 2564", "หมายเหตุ"])
    ws2.append([None, None, None, "งบประมาณ (บาท)", "งบประมาณ (บาท)", "งบประมาณ (บาท)", None])
    for c in (1, 2, 3, 7):
        ws2.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    ws2.append(["มิติที่ 3 การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน", "3.1.1 จัดให้มีช่องทางรับฟังความคิดเห็น",
                "(4) โครงการประชาคมรับฟังความคิดเห็น", 5000, 5000, 5000, None])
    hidden = wb.create_sheet("เก่า")
    hidden.append(header)
    hidden.append(sub)
    hidden.append(["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "1.1.1 สร้างจิตสำนึก", HIDDEN_TITLES[1], 1, 1, 1, None])
    hidden.sheet_state = "hidden"
    wb.save(str(path))
    return path


# --------------------------------------------------------------------------- LibreOffice in the tests


def soffice_or_skip() -> str:
    """LibreOffice for the test setup; skipped when missing, except under CI=true (then it fails)."""
    from prongsai.extract.convert import find_soffice

    program = find_soffice()
    if program is None:
        msg = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true: converters must be installed, `make system-deps`)")
        pytest.skip(msg)
    return program


def lo_convert(src: Path, target: str, out_dir: Path) -> Path:
    """Convert a fixture with LibreOffice (``target``: e.g. ``doc``, ``odt``, ``rtf``,
    ``xls``, ``ods``) into ``out_dir``; the test setup's own conversion, independent of
    :mod:`prongsai.extract.convert`."""
    program = soffice_or_skip()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="prongsai-test-lo-") as profile:
        subprocess.run([program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(out_dir), str(src)],
                       check=True, capture_output=True, timeout=180)
    out = out_dir / f"{src.stem}.{target}"
    if not (out.is_file() and out.stat().st_size > 0):
        msg = f"LibreOffice did not convert {src.name} to .{target} (libreoffice-writer-nogui / -calc-nogui missing?)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return out


def copy_as(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst
