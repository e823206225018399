"""plan_links and project_links: the same organisation across plans, on plan pairs
written for the purpose (a renamed project, a split one, a dropped one, a new one)."""

from __future__ import annotations

from itertools import count

import pandas as pd

from prongsai.links import plan_links, project_links
from prongsai.output import frame

_ids = count(1)


def _plan(org: str | None = "6220306", fy: tuple[int | None, int | None] = (2561, 2564), name: str = "โขมง",
          province: str | None = "จันทบุรี", district: str | None = "ท่าใหม่", status: str = "ok",
          path: str | None = None) -> dict:
    pid = f"{next(_ids):012x}"
    return {"plan_id": pid, "source_path": path or f"{pid}.pdf", "org_code": org,
            "org_name": f"องค์การบริหารส่วนตำบล{name}", "district": district, "province": province,
            "fy_start": fy[0], "fy_end": fy[1], "status": status}


def _plans(*rows: dict) -> pd.DataFrame:
    return frame("plans", list(rows))


def _links(*rows: dict) -> set[tuple[str, str, str]]:
    return {(r["plan_id_from"], r["plan_id_to"], r["link"]) for r in plan_links(_plans(*rows))}


# --------------------------------------------------------------------------- plan_links


def test_an_organisations_plans_in_period_order() -> None:
    old, new, annual = _plan(fy=(2561, 2564)), _plan(fy=(2566, 2570)), _plan(fy=(2571, 2571))
    assert _links(new, annual, old) == {(old["plan_id"], new["plan_id"], "next_cycle"),
                                         (new["plan_id"], annual["plan_id"], "next_cycle")}


def test_same_period_plans_are_revisions_and_both_continue() -> None:
    a, b = _plan(path="a.pdf"), _plan(path="b_revised.docx")
    nxt = _plan(fy=(2566, 2570))
    assert _links(b, nxt, a) == {(a["plan_id"], b["plan_id"], "same_period"),
                                 (a["plan_id"], nxt["plan_id"], "next_cycle"),
                                 (b["plan_id"], nxt["plan_id"], "next_cycle")}


def test_without_org_code_the_name_and_place_link_and_pick_up_the_code() -> None:
    coded = _plan()
    uncoded = _plan(org=None, fy=(2566, 2570))  # same name, district, province: the same organisation
    elsewhere = _plan(org=None, fy=(2566, 2570), province="ตราด")  # same name in another province
    assert _links(coded, uncoded, elsewhere) == {(coded["plan_id"], uncoded["plan_id"], "next_cycle")}


def test_never_across_organisations_and_not_for_unknown_or_failed_plans() -> None:
    a = _plan(org="6220306")
    other = _plan(org="6220307", fy=(2566, 2570))
    no_year = _plan(fy=(None, None))
    failed = _plan(fy=(2566, 2570), status="failed")
    no_place = _plan(org=None, province=None, district=None, fy=(2566, 2570))
    assert _links(a, other, no_year, failed, no_place) == set()


# --------------------------------------------------------------------------- project_links

OLD_TEXT = "เพื่อให้ผู้บริหาร สมาชิกสภา และพนักงาน มีจิตสำนึกด้านคุณธรรม จริยธรรม และปฏิบัติงานด้วยความซื่อสัตย์"


def _projects(plan_id: str, rows: list[tuple[str, int | None, str | None]]) -> list[dict]:
    return [{"project_id": f"{plan_id}-{k:03d}", "plan_id": plan_id, "seq": k, "title": title,
             "dimension_2566": dim, "objectives": text, "budget_status": "none", "layout": "detail",
             "source_ref": "p.1", "confidence": 1.0}
            for k, (title, dim, text) in enumerate(rows, start=1)]


def test_renamed_split_dropped_and_new_projects() -> None:
    old, new = _plan(), _plan(fy=(2566, 2570))
    other_org = _plan(org="5200620", name="หัวถนน", fy=(2566, 2570))
    a = _projects(old["plan_id"], [
        ("โครงการอบรมคุณธรรมและจริยธรรมแก่ผู้บริหาร สมาชิกสภา และพนักงาน", 1, OLD_TEXT),  # renamed
        ("โครงการเผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง", 2, None),  # split in two
        ("มาตรการจัดการในกรณีได้ทราบหรือรับแจ้งหรือตรวจสอบพบการทุจริต", 4, None),  # dropped
        ("กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร", 1, None),  # kept, other dimension in the new plan
    ])
    b = _projects(new["plan_id"], [
        ("โครงการส่งเสริมการปลูกผักสวนครัวตามหลักเศรษฐกิจพอเพียง", 1, None),  # new
        ("1. โครงการฝึกอบรมส่งเสริมคุณธรรมจริยธรรมสำหรับผู้บริหาร สมาชิกสภาท้องถิ่น และพนักงาน", 1,
         OLD_TEXT.replace("มีจิตสำนึก", "มีความรู้และจิตสำนึก")),
        ("โครงการเผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง ทางบอร์ดประชาสัมพันธ์", 2, None),
        ("โครงการเผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง ทางเว็บไซต์", 2, None),
        ("กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร", 3, None),
    ])
    # another organisation's plan has the dropped project word for word: never linked
    c = _projects(other_org["plan_id"], [("มาตรการจัดการในกรณีได้ทราบหรือรับแจ้งหรือตรวจสอบพบการทุจริต", 4, None)])
    plans = _plans(old, new, other_org)
    links = plan_links(plans)
    assert [(r["plan_id_from"], r["plan_id_to"]) for r in links] == [(old["plan_id"], new["plan_id"])]
    rows = project_links(frame("projects", a + b + c), links)
    got = {(r["project_id_from"], r["project_id_to"]) for r in rows}
    pa_, pb = old["plan_id"], new["plan_id"]
    assert got == {(f"{pa_}-001", f"{pb}-002"),  # renamed: linked to its new name
                   (f"{pa_}-002", f"{pb}-004")}  # split: one half only (the closer title)
    assert all(75 <= r["score"] <= 100 for r in rows)
    # one-to-one: no project on either side twice
    assert len({f for f, _ in got}) == len(got) == len({t for _, t in got})


def test_identical_titles_link_best_first_one_to_one() -> None:
    old, new = _plan(), _plan(fy=(2566, 2570))
    title = "โครงการเสริมสร้างความโปร่งใสในการปฏิบัติราชการ"
    a = _projects(old["plan_id"], [(title, 2, None), (title + "ประจำปี", 2, None)])
    b = _projects(new["plan_id"], [(title, 2, None)])
    links = plan_links(_plans(old, new))
    rows = project_links(frame("projects", a + b), links)
    assert [(r["project_id_from"], r["project_id_to"], r["score"]) for r in rows] == [
        (f"{old['plan_id']}-001", f"{new['plan_id']}-001", 100.0)]


def test_unknown_dimension_still_matches_on_title() -> None:
    old, new = _plan(), _plan(fy=(2566, 2570))
    a = _projects(old["plan_id"], [("โครงการจัดทำแผนป้องกันการทุจริต", None, None)])
    b = _projects(new["plan_id"], [("โครงการจัดทำแผนปฏิบัติการป้องกันการทุจริต", 2, None)])
    rows = project_links(frame("projects", a + b), plan_links(_plans(old, new)))
    assert len(rows) == 1 and rows[0]["score"] >= 75
