"""Issue 9, pattern 10: detail sections and the plan period as OCR writes them."""

from __future__ import annotations

import pytest

from prongsai.model import Document, SourceRef, TextLine
from prongsai.normalize.clean import clean_text
from prongsai.normalize.plan import plan_fields
from prongsai.parse.detail import section_heading
from prongsai.parse.header import read_header


@pytest.mark.parametrize(
    ("line", "key", "number", "rest"),
    [
        ("8ธ.งบประมาณดำเนินการ", "budget", "8", ""),  # a stray letter after the digit
        ("5, พื้นที่ดำเนินการ", "area", "5", ""),  # comma for the dot
        ("5: พื้นที่ดำเนินการ", "area", "5", ""),
        ("| 9. ผู้รับผิดชอบโครงการ", "responsible", "9", ""),  # a table rule before the number
        ("I 9. ผู้รับผิดชอบ", "responsible", "9", ""),
        ("’7. ระยะเวลาดำเนินการ", "period", "7", ""),
        ("|7. ระยะเวลาดำเนินการ |", "period", "7", ""),
        ("S. พื้นที่ดำเนินการ", "area", "5", ""),  # letters for digits
        ("l0. ตัวชี้วัด/ผลลัพธ์", "indicators_outcomes", "10", ""),
        ("1O. ตัวชี้วัด/ผลลัพธ์", "indicators_outcomes", "10", ""),
        ("9. ผู้รับผิคชอบโครงการ", "responsible", "9", ""),  # ค for ด
        ("9. ผูรับผิดชอบ", "responsible", "9", ""),  # tone mark dropped
        ("5.พื้นทีดำเนินการ", "area", "5", ""),
        ("7. ระยะเวลาคำเนินการ ต.ค. 2565 - ก.ย. 2566", "period", "7", "ต.ค. 2565 - ก.ย. 2566"),  # no label left over
        ("7. ระยะเวลาดาเนินการ", "period", "7", ""),
        ("7. ระยะเวลาในการดำเนินการ", "period", "7", ""),
        ("7. ระยะเวลาดำเนินงาน ตลอดปี", "period", "7", "ตลอดปี"),
        ("7. ระยะเวลา 1 ปี", "period", "7", "1 ปี"),
    ],
)
def test_ocr_section_labels(line, key, number, rest):
    h = section_heading(clean_text(line), in_record=True)
    assert h is not None
    assert (h.key, h.number, h.rest) == (key, number, rest)


@pytest.mark.parametrize("line", ["Sale 50%", "ก. ข้อมูลทั่วไป", "“โครงการปลูกป่า”", "| หมายเหตุ", "5, 6 และ 7 ครั้ง"])
def test_ocr_noise_does_not_make_sections(line):
    assert section_heading(line, in_record=True) is None


def _header(lines: list[str]):
    doc = Document("x.pdf", "pdf", [TextLine(clean_text(t), SourceRef(page=1, line=i + 1)) for i, t in enumerate(lines)])
    return read_header(doc, [])


@pytest.mark.parametrize(
    "cover",
    [
        ["แผนปฎิบัติกาวป้องกันการทุจริต", "|", "ประจำปีงบประมาณ พ.ศ. 2566", "องค์การบริหารส่วนตำบลหนองควาย"],
        ["แผนปฏิบัติการ", "ป้องกันและปราบปรามการทุจริต", "และประพฤติมิชอบ", "ประจำปีงบประมาณ พ.ศ. 2566"],
        ["ๆ ๆ", "แผนปฏิบัติการป้องกันการทุจริต", "~ - ~", "— |", "ประจําปีงบประมาณ พ.ศ. ๒๕๖๖", "คำนำ",
         "แผนพัฒนาท้องถิ่น พ.ศ. 2561 - 2565"],
    ],
)
def test_ocr_cover_period(cover):
    p = plan_fields(_header(cover))
    assert (p.fy_start, p.fy_end, p.plan_kind) == (2566, 2566, "annual")


def test_fuzzy_title_is_only_read_on_the_cover():
    body = ["คำนำ"] + ["ข้อความ"] * 30 + ["แผนปฎิบัติงานประจำปี", "พ.ศ. 2566"]
    assert plan_fields(_header(body)).fy_start is None
