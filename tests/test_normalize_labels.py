"""NACC labels: match_dimension, match_mission, to_2566, kind_of."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.normalize.labels import (
    DimensionMatch,
    dimension_label,
    kind_of,
    match_dimension,
    match_kind,
    match_mission,
    mission_label,
    to_2566,
)
from prongsai.normalize.registry import crosswalk, kinds, taxonomy

OLD = {n: dimension_label(n, "2561") for n in range(1, 5)}
NEW = {n: dimension_label(n, "2566") for n in range(1, 5)}

# --------------------------------------------------------------------------- dimensions

DIMENSION_CASES = [
    # heading as written in the seeds, number, framework, exact?
    ("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", 1, "2561", True),
    ("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต ประกอบด้วย", 1, "2561", True),
    ("มิติที่ 1 การสร้างสังคมที่ไม่เห็นต่อการทุจริต", 1, "2561", False),  # seed 004's typo
    ("มิติที่ 2 การบริหารราชการ เพื่อป้องกันการทุจริต", 2, "2561", True),
    ("มิติที่ 4 การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการขององค์กรปกครองส่วนท้องถิ่น", 4, "2561", True),
    ("มิติที่ 4 การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการขององค์กรปกครองส่วน ท้องถิ่น ประกอบด้วย", 4, "2561", True),
    ("มิติ ๑ การสร้างวัฒนธรรมสุจริต", 1, "2566", True),
    ("# มิติ๒.การบริหารราชการด้วยความโปร่งใส", 2, "2566", True),
    ("มิติ๒การบริหารราชการด้วยความโปร่งใส", 2, "2566", True),
    ("มติ๒การบริหารราชการด้วยความโปร่งใส", 2, "2566", False),  # heading word misspelt
    ("มติ ๒.การบริหารราชการด้วยความโปร่งใส", 2, "2566", False),
    ("มิต 4 การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น", 4, "2566", False),
    ("มิติที 2 การบริหารราชการด้วยความโปร่งใส", 2, "2566", False),
    ("มติ ๔ การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น", 4, "2566", False),
]


@pytest.mark.parametrize(("text", "num", "framework", "exact"), DIMENSION_CASES)
def test_match_dimension(text, num, framework, exact):
    m = match_dimension(text)
    assert m is not None
    assert (m.dimension, m.framework) == (num, framework)
    assert m.label == dimension_label(num, framework)
    assert (m.score == 100) is exact
    assert m.score >= 80


def test_dimension_3_label_is_shared():
    m = match_dimension("มติ ๓. การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน")
    assert m == DimensionMatch(3, OLD[3], None, m.score)
    assert OLD[3] == NEW[3] and 80 <= m.score < 100


def test_dimension_label_matching_no_framework():
    m = match_dimension("มิติที่ 1 ยุทธศาสตร์การพัฒนาเมืองน่าอยู่")
    assert m is not None and (m.dimension, m.framework) == (1, None) and m.score < 80


def test_dimension_without_label_and_with_framework():
    assert match_dimension("มิติที่ ๒") == DimensionMatch(2, "", None, 100.0)
    assert match_dimension("มติที่ 2", framework="2561") == DimensionMatch(
        2, OLD[2], "2561", match_dimension("มติที่ 2").score
    )
    m = match_dimension("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", framework="2566")
    assert (m.label, m.framework) == (NEW[1], "2566") and m.score < 80  # the label says otherwise


@pytest.mark.parametrize(
    "text",
    [
        "ภารกิจตามมิติ 2.1 การเปิดเผยข้อมูลสาธารณะ",  # a mission, not a dimension
        "มิติ\tการกิจกรรมมิติ",  # seed 004 table header, no number
        "มิติที่ 5 อื่น ๆ",
        "มิติที่ 12",
        "2.1 การแสดงเจตจำนง",
        "ยุทธศาสตร์ที่ 1 สร้างสังคมที่ไม่ทนต่อการทุจริต",
        "",
    ],
)
def test_not_a_dimension_heading(text):
    assert match_dimension(text) is None


def test_dimension_labels_of_both_frameworks():
    assert OLD[2] == "การบริหารราชการเพื่อป้องกันการทุจริต"
    assert NEW[4] == "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น"
    assert dimension_label(1, "2570") is None


# --------------------------------------------------------------------------- missions

MISSION_CASES = [
    ("ภารกิจตามมิติ ๒.๑ การเปิดเผยข้อมูลสาธารณะขององค์กรปกครองส่วนท้องถิ่น", None, "2.1", "2566", True),
    ("ภารกิจตามมติ ๒.๓ มาตรการลดการใช้ดุลพินิจในการปฏิบัติงาน", None, "2.3", "2566", False),
    ("การกิจตามมติ ๔.๒ มาตรการจัดการเรื่องร้องเรียนการทุจริต", None, "4.2", "2566", False),
    (" ภารกิจตามมิติ ๔.๒ มาตรการจัดการเรื่องร้องเรียนการทุจริต", None, "4.2", "2566", True),
    ("ภารกิจตามมติ ๓.๒ การรับฟังความคิดเห็นการรับและตอบสนองเรื่องร้องเรียนร้องทุกข์ของประชาชน", None, "3.2", "2566", False),
    (
        "2.2.1 สร้างความโปร่งใสในการบริหารงานบุคคลให้เป็นไปตามหลักคุณธรรม ทั้งในเรื่องการบรรจุแต่งตั้ง โยกย้าย โอน เลื่อนตำแหน่ง/เงินเดือน และการมอบหมายงาน",
        None,
        "2.2.1",
        "2561",
        True,
    ),
    ("2.3 มาตรการการใช้ดุลยพินิจและใช้อำนาจหน้าที่ให้เป็นไป", None, "2.3", "2561", True),  # cut by a line break
    (
        "[image: ผลการค้นหารูปภาพสำหรับ กรอบลายไทย]2.4.3 ยกย่องเชิดชูเกียรติที่ดำรงตนตามหลักปรัชญาของเศรษฐกิจพอเพียง",
        None,
        "2.4.3",
        "2561",
        False,
    ),
    ("2.4 การเข้าซุกเกียรติแก่น่วยงาน/บุคคลในการดำเนินกิจการ การประพฤติปฏิบัติตนให้เป็นที่ประจักษ์", None, "2.4", "2561", False),
    ("ภารกิจตามมิติ 1.1", "2566", "1.1", "2566", True),
]


@pytest.mark.parametrize(("text", "framework", "code", "label_fw", "exact"), MISSION_CASES)
def test_match_mission(text, framework, code, label_fw, exact):
    got = match_mission(text, framework)
    assert got is not None
    assert got[:2] == (code, mission_label(code, label_fw))
    assert (got[2] == 100) is exact


@pytest.mark.parametrize(
    "text",
    [
        "4.1 ประกาศเจตจำนงการต่อต้านการทุจริตของผู้บริหาร อย่างน้อย 1 ฉบับ",  # seed 000 target item
        "3.1 เพื่อเป็นการลดขั้นตอนการให้บริการประชาชนให้ได้รับความสะดวก รวดเร็ว",  # seed 002 objective
        "6.2 ประชุมหน่วยงาน/บุคคลที่เกี่ยวข้อง",
        "10.1 ผลผลิต",
        "2.1",
        "มิติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต",
        "",
    ],
)
def test_not_a_mission_heading(text):
    assert match_mission(text) is None


def test_mission_prefix_with_unknown_code_or_label():
    assert match_mission("ภารกิจตามมิติ 2.4 ส่งเสริมอะไรสักอย่าง") == ("2.4", None, 100.0)  # not in the 2566 list
    assert match_mission("ภารกิจตามมิติ ๓.๓") == ("3.3", mission_label("3.3", "2561"), 100.0)  # only 2561 has 3.3
    assert match_mission("ภารกิจตามมิติ 2.1") == ("2.1", None, 100.0)  # both frameworks, labels differ


# --------------------------------------------------------------------------- crosswalk


@pytest.mark.parametrize(
    ("args", "want"),
    [
        (("2566", 2, "2.1"), (2, "2.1")),
        (("2566", 3, None), (3, None)),
        (("2561", 1, "1.1.2"), (1, "1.1")),
        (("2561", 2, "2.5"), (4, "4.2")),
        (("2561", 2, "2.5.1"), (2, "2.3")),
        (("2561", 3, "3.1"), (2, "2.1")),
        (("2561", 3, "3.3"), (3, "3.1")),
        (("2561", 2, "2.4"), (1, None)),
        (("2561", 2, "2.4.3"), (1, "1.2.2")),
        (("2561", 4, None), (4, None)),
        (("2561", 2, "2.7"), (2, None)),  # unmapped mission
        (("2561", None, "4.2.1"), (2, "2.2")),
        (("2561", None, None), (None, None)),
        ((None, 2, "2.1"), (None, None)),
    ],
)
def test_to_2566(args, want):
    assert to_2566(*args) == want


def test_crosswalk_targets_are_2566_codes():
    """Every mapped old mission lands on a code of the 2566 taxonomy (or a dimension)."""
    _, missions = crosswalk()
    new = taxonomy("2566")
    for old, target in missions.items():
        dim, code = to_2566("2561", int(old.split(".")[0]), old)
        assert dim is not None and str(dim) in new
        if "." in target:
            assert code == target and code in new, (old, target)
        else:  # the target is a dimension: no mission code
            assert code is None, (old, target)


# --------------------------------------------------------------------------- kind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("โครงการฝึกอบรมและศึกษาดูงาน", "project"),
        ("กิจกรรม “ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหารองค์การบริหารส่วนตำบลโขมง”", "activity"),
        ("กิจรรมการเผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง", "activity"),  # misspelt
        ("มาตรการ การแสดงเจตจำนงทางการเมือง", "measure"),
        ("มาตรการ“ส่งเสริมการปฏิบัติงานตามประมวลจริยธรรม”", "measure"),
        ("๑) โครงการเยาวชนจิตอาสา", "project"),
        ("มาตรฐานการยกระดับการปฏิบัติหน้าที่", None),  # มาตรฐาน is not มาตรการ
        ("ยกย่องเชิดชูเกียรติหน่วยงาน/บุคคล", None),
        ("การจัดตั้งศูนย์ข้อมูลข่าวสาร เทคบາลตำบลแม่สายมิตรภาพ", None),
        ("การจัดทำและพัฒนาเว็บไซต์", None),
        ("โครงสร้างพื้นฐาน", None),
        ("กิจการสภา", None),
        ("", None),
    ],
)
def test_kind_of(title, kind):
    assert kind_of(title) == kind


def test_kind_of_every_gold_title(shared):
    n = 0
    for path in sorted((shared / "corpus" / "gold").glob("*.gold.json")):
        for project in json.loads(path.read_text(encoding="utf-8"))["projects"]:
            assert kind_of(project["title"]) == project.get("kind"), project["title"]
            n += 1
    assert n > 200


def test_match_kind_scores():
    assert match_kind("โครงการ ก") == ("project", 100.0)
    kind, score = match_kind("กิจรรมการเผยแพร่")
    assert kind == "activity" and 85 <= score < 100


# --------------------------------------------------------------------------- properties

DIGITS = {str(i): "๐๑๒๓๔๕๖๗๘๙"[i] for i in range(10)}


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["มิติที่", "มิติ", "มติ", "มิต", "มิติที", "มติที่"]),
    st.integers(1, 4),
    st.booleans(),
    st.sampled_from(["", " ", ". ", "."]),
    st.sampled_from(["2561", "2566"]),
)
def test_any_dimension_heading(word, num, thai_digit, sep, framework):
    label = dimension_label(num, framework)
    digit = DIGITS[str(num)] if thai_digit else str(num)
    m = match_dimension(f"{word}{' ' if sep == '' and not thai_digit else ''}{digit}{sep}{label}")
    assert m is not None and m.dimension == num
    other = "2566" if framework == "2561" else "2561"
    assert m.framework == (None if dimension_label(num, other) == label else framework)
    assert m.label == label
    assert (m.score == 100) is (word in ("มิติ", "มิติที่"))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(["มิติ", "มติ", "ที่", " ", "1", "๒", ".", "2.1", "การ", "ภารกิจตาม", "โครงการ", "กิจ", "รรม"]),
            max_size=10,
        ).map("".join),
    )
)
def test_matchers_never_raise_and_return_canonical(text):
    m = match_dimension(text)
    if m is not None:
        assert 1 <= m.dimension <= 4 and 0 <= m.score <= 100
        if m.framework is not None:
            assert m.label == dimension_label(m.dimension, m.framework)
    mm = match_mission(text)
    if mm is not None:
        code, label, score = mm
        assert code.replace(".", "").isdigit() and 0 <= score <= 100
        assert label is None or label in {mission_label(code, "2561"), mission_label(code, "2566")}
    k = kind_of(text)
    assert k is None or k in set(kinds().values())


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(kinds())), st.text(alphabet="กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะาิีเแโ“” ", max_size=30))
def test_kind_word_then_anything(word, rest):
    assert kind_of(word + rest) == kinds()[word]
