"""Responsible units: canonical_unit."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.normalize.registry import units
from prongsai.normalize.units import UNIT_MIN, canonical_names, canonical_unit

CASES = [
    # seeds 000 / 002 (section 9) and 004 (table column), as written
    ("สำนักปลัด", "สำนักปลัด"),
    ("สำนักปลัด องค์การบริหารส่วนตำบลโขมง", "สำนักปลัด"),
    ("สำนักงานปลัด องค์การบริหารส่วนตำบลจอมประทัด", "สำนักปลัด"),
    ("สำนักงานปลัด  องค์การบริหารส่วนตำบลจอมประทัด", "สำนักปลัด"),
    ("กองคลัง องค์การบริหารส่วนตำบลจอมประทัด", "กองคลัง"),
    ("ทุกกอง/สำนัก ในองค์การบริหารส่วนตำบลจอมประทัด", "ทุกกอง/สำนัก"),
    ("ทุกสำนัก/กอง องค์การบริหารส่วนตำบลจอมประทัด", "ทุกสำนัก/กอง"),
    ("ทุกสำนัก/กอง/ฝ่าย  องค์การบริหารส่วนตำบลจอมประทัด", "ทุกสำนัก/กอง/ฝ่าย"),
    ("สำนักงาน องค์การบริหารส่วนตำบลจอมประทัด", None),  # a bare สำนักงาน is not guessed
    ("สำนักปลัด (หมายเหตุ: เชื่อมโยงกับ มิติที่ 4)", "สำนักปลัด"),
    ("ทุกส่วนราชการ", "ทุกส่วนราชการ"),
    ("กองการศึกษา", "กองการศึกษา"),  # seed 004's gold keeps the short name
    # dev documents (d1 detail pages, d3 table cells wrapped inside words)
    ("สำนักปลัด อบต.สันกลาง", "สำนักปลัด"),
    ("สำนักงานปลัด องค์กรบริหารส่วนตำบลสันกลาง", "สำนักปลัด"),  # misspelt organisation type
    ("กองการศึกษา ศาสนาและวัฒนธรรม อบต.สันกลาง", "กองการศึกษา ศาสนาและวัฒนธรรม"),
    ("หน่วยตรวจสอบภายใน องค์การบริหารส่วนตำบลสันกลาง", "หน่วยตรวจสอบภายใน"),
    ("กองสวัสดิการสังคม อบต.สันกลาง", "กองสวัสดิการสังคม"),
    ("สำานักงาน\nปลัด", "สำนักปลัด"),
    ("กอง\nสาธารณสุ\nขและสิ่ง\nแวดล้อม", "กองสาธารณสุขและสิ่งแวดล้อม"),
    ("กองการ\nศึกษา\nศาสนา\nและ\nวัฒนธรร\nม", "กองการศึกษา ศาสนาและวัฒนธรรม"),
    # other variants
    ("สำนักปลัดเทศบาล", "สำนักปลัด"),
    ("สำนักปลัดเทศบาลตำบลแม่สายมิตรภาพ", "สำนักปลัด"),
    ("สำนักงานปลัด อบต.", "สำนักปลัด"),
    ("กองการศึกษาฯ", "กองการศึกษา ศาสนาและวัฒนธรรม"),
    ("กองสาธารณสุขฯ", "กองสาธารณสุขและสิ่งแวดล้อม"),
    ("ทุกสำนัก / กอง", "ทุกสำนัก/กอง"),
    # several units, in the order written
    ("กองคลัง/กองช่าง", "กองคลัง, กองช่าง"),
    ("กองช่าง, กองคลัง และกองสาธารณสุขฯ", "กองช่าง, กองคลัง, กองสาธารณสุขและสิ่งแวดล้อม"),
    ("สำนักปลัด\nกองคลัง", "สำนักปลัด, กองคลัง"),
    ("1. สำนักปลัด 2. กองคลัง", "สำนักปลัด, กองคลัง"),
    ("กองช่าง อบต.สันกลางและกองคลัง อบต.สันกลาง", "กองช่าง, กองคลัง"),
    ("สำนักปลัด/สำนักงานปลัด", "สำนักปลัด"),  # the same unit twice → once
    # not a unit
    ("", None),
    ("-", None),
    ("หน่วยงาน รับผิดชอบ", None),  # a table header
    ("องค์การบริหารส่วนตำบลเมืองน้อย", None),  # only the organisation
    ("สำนัก,กอง ส่วนฝ่ายต่างๆ", None),  # seed 001 target cell
    ("คณะกรรมการหมู่บ้าน", None),
    ("สำนักปลัด ร่วมกับผู้นำชุมชน", None),  # partly unknown: no half guess
]


@pytest.mark.parametrize(("text", "want"), CASES)
def test_canonical_unit(text, want):
    name, score = canonical_unit(text)
    assert name == want
    assert (score == 100.0) if want else (score == 0.0)


def test_none():
    assert canonical_unit(None) == (None, 0.0)


@pytest.mark.parametrize(
    ("text", "want"),
    [("สำนักปลัค", "สำนักปลัด"), ("กองสวัสดิการสังคน", "กองสวัสดิการสังคม"), ("หน่วยตรวจสอบภายไน", "หน่วยตรวจสอบภายใน")],
)
def test_fuzzy_unit_has_score_below_100(text, want):
    name, score = canonical_unit(text)
    assert name == want
    assert UNIT_MIN <= score < 100


def test_gold_units_are_fixed_points(shared):
    """Every responsible_unit of the gold is canonical (maps to itself with score 100)."""
    seen = set()
    for path in sorted((shared / "corpus" / "gold").glob("*.gold.json")):
        for project in json.loads(path.read_text(encoding="utf-8"))["projects"]:
            unit = project.get("responsible_unit")
            if unit:
                seen.add(unit)
                assert canonical_unit(unit) == (unit, 100.0)
    assert len(seen) >= 9


def test_every_variant_maps_to_its_canonical():
    for u in units():
        assert canonical_unit(u.variant) == (u.canonical, 100.0), u


# --------------------------------------------------------------------------- properties

VARIANTS = [u for u in units()]
ORG_SUFFIXES = ["", " องค์การบริหารส่วนตำบลจอมประทัด", " อบต.สันกลาง", " เทศบาลตำบลวังไผ่", " ในองค์การบริหารส่วนตำบลโขมง"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=3),
    st.sampled_from(ORG_SUFFIXES),
    st.sampled_from(["/", ", ", "\n", " และ"]),
)
def test_lists_of_known_units(parts, suffix, sep):
    """Known units, each with an organisation name, joined by a separator → their canonicals."""
    if len(parts) > 1 and any(p.kind == "collective" for p in parts):
        return  # a collective phrase names all units; it is not listed with others
    text = sep.join(p.variant + suffix for p in parts)
    want: list[str] = []
    for p in parts:
        if p.canonical not in want:
            want.append(p.canonical)
    assert canonical_unit(text) == (", ".join(want), 100.0)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(["สำนัก", "กอง", "ปลัด", "คลัง", "งาน", "ทุก", "/", " ", "และ", "ฯ", "ช่าง", "อบต.", "(", ")"]),
            max_size=12,
        ).map("".join),
    )
)
def test_result_is_canonical_or_none(text):
    """Never a half match: None with score 0, or canonical names from units.csv only."""
    name, score = canonical_unit(text)
    if name is None:
        assert score == 0.0
    else:
        assert all(piece in canonical_names() for piece in name.split(", "))
        assert UNIT_MIN <= score <= 100
