"""Organisation names: parse_org / find_orgs / lookup_org_code / complete_org."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.normalize.org import (
    Org,
    complete_org,
    find_orgs,
    lookup_org_code,
    normalize_district,
    normalize_province,
    parse_org,
    remove_org_mentions,
)
from prongsai.normalize.registry import lao_registry, org_types

SPEC_TYPES = {"pao", "city_mun", "town_mun", "subdistrict_mun", "sao", "bma", "pattaya"}
ORG_FIELDS = ("org_type", "org_name", "org_short_name", "district", "province", "org_code")
BY_CODE = {r.dla_code: r for r in lao_registry()}
PREFIX = {v.org_type: v.prefix for v in org_types() if v.kind == "full"}
ABBR = {v.org_type: v.variant for v in reversed(org_types()) if v.kind == "abbr"}


def fields(org: Org | None) -> dict[str, str | None]:
    assert org is not None
    return {k: getattr(org, k) for k in ORG_FIELDS}


# --------------------------------------------------------------------------- single texts

CASES = [
    # text, type, short name, district, province, code, exact (score 100)?
    ("อบต.เมืองน้อย อ.ธวัชบุรี จ.ร้อยเอ็ด", "sao", "เมืองน้อย", "ธวัชบุรี", "ร้อยเอ็ด", "6450511", True),
    (
        "เทศบาลตำบลแม่สายมิตรภาพ อำเภอแม่สาย จังหวัดเชียงราย",
        "subdistrict_mun",
        "แม่สายมิตรภาพ",
        "แม่สาย",
        "เชียงราย",
        "5570904",
        True,
    ),
    # misspelt type: อบต., but fuzzy; เมืองน้อย exists in ร้อยเอ็ด and ศรีสะเกษ → no code
    ("องค์กรบริหารส่วนตำบลเมืองน้อย", "sao", "เมืองน้อย", None, None, None, False),
    ("องค์กรบริหารส่วนตำบลเมืองน้อย จังหวัดศรีสะเกษ", "sao", "เมืองน้อย", None, "ศรีสะเกษ", "6330311", False),
    # template residue: the last named type is the one with a name
    (
        "สำนักงานเทศบาล/องค์การบริหารส่วนตำบลเมืองน้อย\n\nอำเภอธวัชบุรี จังหวัดร้อยเอ็ด",
        "sao",
        "เมืองน้อย",
        "ธวัชบุรี",
        "ร้อยเอ็ด",
        "6450511",
        True,
    ),
    # a ทต. and an อบต. of the same name in the same district: the type decides
    ("ทต.วังไผ่ อ.เมืองชุมพร จ.ชุมพร", "subdistrict_mun", "วังไผ่", "เมืองชุมพร", "ชุมพร", "5860105", True),
    ("อบต.วังไผ่ อ.เมืองชุมพร จ.ชุมพร", "sao", "วังไผ่", "เมืองชุมพร", "ชุมพร", "6860119", True),
    ("ท.ต.วังไผ่ อำเภอเมือง จังหวัดชุมพร", "subdistrict_mun", "วังไผ่", "เมืองชุมพร", "ชุมพร", "5860105", True),
    # everything glued, Thai digits elsewhere
    ("องค์การบริหารส่วนตำบลเมืองน้อยอำเภอธวัชบุรีจังหวัดร้อยเอ็ด ๒๕๖๖", "sao", "เมืองน้อย", "ธวัชบุรี", "ร้อยเอ็ด", "6450511", True),
    # misspelt province / district are corrected (fuzzy)
    ("อบต.เมืองน้อย อ.ธวัชบุรี จ.ร้อยเอ็ค", "sao", "เมืองน้อย", "ธวัชบุรี", "ร้อยเอ็ด", "6450511", False),
    ("องค์การบริหารส่วนตำบลหินตั้ง อำเภอบานไผ จังหวัดขอนแกน", "sao", "หินตั้ง", "บ้านไผ่", "ขอนแก่น", "6401006", False),
    # justified-text padding inside the prefix, a name broken by a space
    ("องค์การบริหาร      ส่วนตำบลจอมประทัด", "sao", "จอมประทัด", None, None, "6700903", True),
    ("องค์การบริหารส่วนตำบลเมือง น้อย อำเภอธวัชบุรี", "sao", "เมืองน้อย", "ธวัชบุรี", None, "6450511", True),
    # OCR typo in the name (seed 004): the registry name, fuzzily
    (
        "เทศบาลตำบลแม่สายมีตราชภาพ อำเภอแม่สาย จังหวัดเชียงราย",
        "subdistrict_mun",
        "แม่สายมิตรภาพ",
        "แม่สาย",
        "เชียงราย",
        "5570904",
        False,
    ),
    # a bare เทศบาล: the registry tells which kind
    ("เทศบาลแม่สายมิตรภาพ", "subdistrict_mun", "แม่สายมิตรภาพ", None, None, "5570904", True),
    # other types
    ("อบจ.ร้อยเอ็ด", "pao", "ร้อยเอ็ด", None, None, "2450101", True),
    ("เทศบาลนครขอนแก่น อำเภอเมืองขอนแก่น จังหวัดขอนแก่น", "city_mun", "ขอนแก่น", "เมืองขอนแก่น", "ขอนแก่น", "3400102", True),
    ("เมืองพัทยา อำเภอบางละมุง จังหวัดชลบุรี", "pattaya", "เมืองพัทยา", "บางละมุง", "ชลบุรี", "3200408", True),
    ("กรุงเทพมหานคร", "bma", "กรุงเทพมหานคร", None, "กรุงเทพมหานคร", None, True),
    # not in the registry: kept as written, no code
    ("องค์การบริหารส่วนตำบลทดสอบใหม่ อำเภอธวัชบุรี จังหวัดร้อยเอ็ด", "sao", "ทดสอบใหม่", "ธวัชบุรี", "ร้อยเอ็ด", None, True),
]


@pytest.mark.parametrize(("text", "org_type", "short", "district", "province", "code", "exact"), CASES)
def test_parse_org(text, org_type, short, district, province, code, exact):
    org = parse_org(text)
    assert org is not None
    assert (org.org_type, org.org_short_name, org.district, org.province, org.org_code) == (
        org_type,
        short,
        district,
        province,
        code,
    )
    assert org.org_name == (PREFIX[org_type] + short if org_type not in ("bma", "pattaya") else short)
    assert (org.score == 100) is exact
    assert 0 < org.score <= 100


def test_pao_code_is_the_registry_one():
    assert BY_CODE["2450101"].org_type == "pao" and BY_CODE["2450101"].name == "ร้อยเอ็ด"


@pytest.mark.parametrize("text", ["", "   ", "แผนปฏิบัติการป้องกันการทุจริต", "เทศบาล", "องค์การบริหารส่วนตำบล", "อบต./"])
def test_parse_org_nothing_named(text):
    assert parse_org(text) is None


# --------------------------------------------------------------------------- gold covers


def _cover(lines: list[str], limit: int = 12) -> str:
    """The lines before คำนำ/สารบัญ (the cover), else the first lines."""
    out = []
    for line in lines:
        word = line.strip().lstrip("#").strip()
        if word in ("คำนำ", "สารบัญ"):
            break
        if word:
            out.append(word)
    return "\n".join(out[:limit])


def _doc_lines(path: Path) -> list[str]:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".docx":
        import docx

        return [p.text for p in docx.Document(str(path)).paragraphs]
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return (pdf.pages[0].extract_text() or "").splitlines()


# d5 is a scanned PDF without a text layer; its cover as OCR reads it
OCR_COVERS = {
    "d5_huathanon.pdf": "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2564\nเทศบาลตำบลหัวถนน\nอำเภอพนัสนิคม จังหวัดชลบุรี"
}


def _gold_files(shared: Path) -> list[Path]:
    return sorted((shared / "corpus" / "gold").glob("*.gold.json"))


def test_every_gold_plan_org_from_its_cover(shared):
    checked = 0
    for gold_path in _gold_files(shared):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = gold["file"]
        want = {k: v for k, v in gold["plan"].items() if k in ORG_FIELDS}
        if not want:
            continue
        if name in OCR_COVERS:
            cover = OCR_COVERS[name]
        else:
            folder = "seeds" if (shared / "corpus" / "seeds" / name).exists() else "dev"
            cover = _cover(_doc_lines(shared / "corpus" / folder / name))
        got = fields(parse_org(cover))
        assert {k: got[k] for k in want} == want, name
        checked += 1
    assert checked >= 13


@pytest.mark.parametrize(
    ("seed", "short"),
    [
        ("000_6874384ac95607f1.txt", "โขมง"),
        ("001_599ad29879e9a44a.txt", "เมืองน้อย"),
        ("002_48a6fdefb7483585.txt", "จอมประทัด"),
        ("003_9e74e7192b9d8e87.txt", "วังไผ่"),
        ("004_09ee67815ca408b6.txt", "แม่สายมิตรภาพ"),
    ],
)
def test_find_orgs_vote_over_a_whole_seed(shared, seed, short):
    votes: Counter[tuple[str | None, str | None]] = Counter()
    for line in (shared / "corpus" / "seeds" / seed).read_text(encoding="utf-8").splitlines():
        for org in find_orgs(line):
            votes[(org.org_type, org.org_short_name)] += 1
            assert org.org_type in SPEC_TYPES
    (top, n), *rest = votes.most_common()
    assert top[1] == short
    assert all(m < n / 3 for _, m in rest)  # e.g. the stray ดงพระราม in 001


def test_find_orgs_in_running_text():
    text = "เพื่อแสดงเจตจำนงของผู้บริหารองค์การบริหารส่วนตำบลโขมงด้วยการจัดทำแผน ร่วมกับ อบต.จอมประทัด”"
    assert [(o.org_type, o.org_short_name, o.org_code) for o in find_orgs(text)] == [
        ("sao", "โขมง", "6220306"),
        ("sao", "จอมประทัด", "6700903"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "การจัดตั้งศูนย์ข้อมูลข่าวสาร เทคบາลตำบลแม่สายมิตรภาพ",  # Lao letter + ค for ศ (seed 004)
        "พนักงานเทศบาลและพนักงานจ้าง",  # เทศบาล that is no name
        "ผลการปฏิบัติราชการของเทศบาลเมืองเบรียบเทียบกับปีที่ผ่านมา",  # template residue, no such LAO
        "องค์การบริหารส่วนตำบลทุกแห่ง",
    ],
)
def test_find_orgs_no_garbage(text):
    for org in find_orgs(text):
        assert org.org_code is not None, org  # only a registry organisation may come out


def test_find_orgs_keeps_unregistered_org_with_its_places():
    (org,) = find_orgs("องค์การบริหารส่วนตำบลทดสอบใหม่ อำเภอธวัชบุรี จังหวัดร้อยเอ็ด")
    assert (org.org_short_name, org.district, org.org_code) == ("ทดสอบใหม่", "ธวัชบุรี", None)


# --------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("sao", "เมืองน้อย"), None),  # two provinces
        (("sao", "เมืองน้อย", None, "ร้อยเอ็ด"), "6450511"),
        (("sao", "เมืองน้อย", "ธวัชบุรี"), "6450511"),
        (("sao", "เมืองน้อย", None, "ร้อยเอ็ค"), "6450511"),  # misspelt province
        ((None, "วังไผ่", "เมืองชุมพร", "ชุมพร"), None),  # ทต. and อบต.
        (("subdistrict_mun", "วังไผ่", "เมือง", "ชุมพร"), "5860105"),
        (("sao", "โขมง"), "6220306"),
        (("sao", "โขมง", None, "เชียงใหม่"), None),  # contradicts the registry
        (("sao", None), None),
        (("bma", "กรุงเทพมหานคร"), None),
    ],
)
def test_lookup_org_code(args, code):
    assert lookup_org_code(*args) == code


def test_complete_org_fills_from_unique_candidate():
    org = complete_org(Org("sao", "องค์การบริหารส่วนตำบลจอมประทัด", "จอมประทัด", None, None, None, 100.0))
    assert (org.district, org.province, org.org_code) == ("วัดเพลง", "ราชบุรี", "6700903")


def test_complete_org_type_from_registry_and_truncated_district():
    # a district cut by a line break is not a registry district: it cannot filter, and is corrected
    org = complete_org(Org(None, None, "แม่สายมิตรภาพ", "แม่", "เชียงราย", None, 100.0))
    assert fields(org) == {
        "org_type": "subdistrict_mun",
        "org_name": "เทศบาลตำบลแม่สายมิตรภาพ",
        "org_short_name": "แม่สายมิตรภาพ",
        "district": "แม่สาย",
        "province": "เชียงราย",
        "org_code": "5570904",
    }


def test_complete_org_ambiguous_keeps_what_is_known():
    org = Org("sao", "องค์การบริหารส่วนตำบลเมืองน้อย", "เมืองน้อย", None, None, None, 100.0)
    assert complete_org(org) == org


def test_normalize_places():
    assert normalize_province("จ.เชียงราย".removeprefix("จ.")) == ("เชียงราย", 100.0)
    assert normalize_district("เมือง", "เชียงราย") == ("เมืองเชียงราย", 100.0)
    assert normalize_district(None) == (None, 0.0)


def test_remove_org_mentions():
    assert remove_org_mentions("กองคลัง องค์การบริหารส่วนตำบลสันกลาง อำเภอสันป่าตอง") == "กองคลัง"
    assert remove_org_mentions("สำนักปลัดเทศบาลตำบลแม่สายมิตรภาพ") == "สำนักปลัด"
    assert remove_org_mentions("กองช่าง") == "กองช่าง"


# --------------------------------------------------------------------------- properties

RECORDS = [r for r in lao_registry() if r.org_type != "pattaya"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RECORDS), st.booleans(), st.sampled_from([" ", "\n", "  ", ""]))
def test_registry_round_trip(record, abbreviated, sep):
    """Any registry LAO written with its type, district and province gets its own code."""
    if abbreviated:
        text = f"{ABBR[record.org_type]}{record.name} อ.{record.district}{sep}จ.{record.province}"
    else:
        text = f"{PREFIX[record.org_type]}{record.name}{sep}อำเภอ{record.district} จังหวัด{record.province}"
    org = parse_org(text)
    assert org is not None
    assert (org.org_type, org.org_short_name, org.org_code) == (record.org_type, record.name, record.dla_code)
    assert org.score == 100


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(RECORDS), st.sampled_from(["จึงได้จัดทำแผน", " ได้จัดทำแผน", "”", "\t"]))
def test_glued_running_text(record, tail):
    """A name glued to the next word is still found (names of 3+ characters)."""
    if len(record.name) < 3:
        return
    orgs = find_orgs(f"ผู้บริหาร{PREFIX[record.org_type]}{record.name}{tail}")
    assert [o.org_short_name for o in orgs] == [record.name]


# Thai-like text built from letters and the words the parser keys on
THAIISH = st.lists(
    st.sampled_from(
        list("กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะัาำิีึืุูเแโใไ่้๊๋์ ๑๒3.-/()\n")
        + ["อบต.", "ทต.", "เทศบาล", "องค์การบริหารส่วนตำบล", "อำเภอ", "จ.", "เมืองน้อย", "ตำบล", "ເທ"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), THAIISH))
def test_never_raises_and_codes_are_consistent(text):
    for org in [parse_org(text), *find_orgs(text)]:
        if org is None:
            continue
        assert org.org_type in SPEC_TYPES | {None}
        assert 0 <= org.score <= 100
        if org.org_code is not None:  # a code is only ever the registry's own record
            rec = BY_CODE[org.org_code]
            assert (rec.org_type, rec.name) == (org.org_type, org.org_short_name)
            assert org.org_name == PREFIX[rec.org_type] + rec.name
        if org.org_short_name is not None:
            assert org.org_short_name.strip() == org.org_short_name and org.org_short_name
            assert not re.search(r"\s", org.org_short_name)
    remove_org_mentions(text)


def test_place_names_come_from_geothai_and_match_the_dla_list() -> None:
    """One source of place names (normalize/geo.py, geothai); the DLA list names the same
    districts in every province it has LAOs in, so its codes can be filtered by them."""
    from prongsai.normalize import geo

    by_province: dict[str, set[str]] = {}
    for r in lao_registry():
        by_province.setdefault(r.province, set()).add(r.district)
    assert set(geo.sorted_provinces()) == set(by_province)
    for province, districts in by_province.items():
        assert set(geo.sorted_districts(province)) == districts == set(geo.districts(province)), province
    # Bangkok has no LAOs but the BMA: its เขต are not matched as districts of an LAO
    assert geo.sorted_districts("กรุงเทพมหานคร") == ()
    org = parse_org("กรุงเทพมหานคร เขตบางรัก")
    assert org is not None and (org.org_type, org.district, org.score) == ("bma", "บางรัก", 100.0)
