"""Audit checks on small hand-made tables: pass, fail and not_applicable for each check."""

from __future__ import annotations

from typing import Any

from prongsai.checks import CHECKS, CopySettings, apply_checks, run_checks
from prongsai.checks.copied import signatures
from prongsai.checks.model import group_plans

SAO = {"org_type": "sao", "org_name": "องค์การบริหารส่วนตำบลเมืองน้อย", "org_short_name": "เมืองน้อย",
       "district": "ธวัชบุรี", "province": "ร้อยเอ็ด", "org_code": "6450511"}


def plan(plan_id: str = "p1", **kw: Any) -> dict[str, Any]:
    row = {"plan_id": plan_id, "source_path": f"{plan_id}.pdf", **SAO, "plan_kind": "multi_year", "fy_start": 2566,
           "fy_end": 2570, "framework": "2566", "n_projects": None, "budget_total_thb": None, "status": "ok"}
    row.update(kw)
    return row


def project(seq: int, plan_id: str = "p1", **kw: Any) -> dict[str, Any]:
    row = {"project_id": f"{plan_id}-{seq:03d}", "plan_id": plan_id, "seq": seq, "dimension": 1,
           "mission_code": "1.1", "title": f"โครงการที่ {seq}", "budget_thb": 10000.0, "budget_status": "amount",
           "fy_start": 2566, "fy_end": 2566, "layout": "plan_table", "source_ref": f"p.{seq}"}
    row.update(kw)
    return row


def check(name: str, plans: list[dict], projects: list[dict], budgets: list[dict] | None = None,
          warnings: list[dict] | None = None, plan_id: str = "p1", **kw: Any) -> dict[str, Any]:
    rows = run_checks(plans, projects, budgets or [], warnings or [], **kw)
    (row,) = [r for r in rows if r["plan_id"] == plan_id and r["check"] == name]
    return row


def full_2566(plan_id: str = "p1") -> list[dict[str, Any]]:
    """One project under every required mission of the 2566 framework."""
    codes = ["1.1", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2"]
    return [project(i, plan_id, dimension=int(c[0]), mission_code=c + ".1" if i == 1 else c)
            for i, c in enumerate(codes, start=1)]


# --------------------------------------------------------------------------- the table


def test_one_row_per_plan_and_check_in_spec_order() -> None:
    rows = run_checks([plan("a"), plan("b", status="failed")], [project(1, "a")], [], [])
    assert [(r["plan_id"], r["check"]) for r in rows] == [(p, c) for p in ("a", "b") for c in CHECKS]
    assert set(rows[0]) == {"plan_id", "check", "status", "detail", "source_ref"}
    # plan a (one budgeted plan-table project under 1.1, no per-year rows, no detail sheet): each check decides
    assert [r["status"] for r in rows if r["plan_id"] == "a"] == [
        "fail", "pass", "not_applicable", "pass", "not_applicable", "not_applicable", "pass", "not_applicable", "pass"]
    # a plan without projects has nothing to check
    assert {r["status"] for r in rows if r["plan_id"] == "b"} == {"not_applicable"}


def test_dataframes_are_accepted_with_their_missing_values() -> None:
    import pandas as pd
    plans = pd.DataFrame([plan(fy_start=None, fy_end=None)]).astype({"fy_start": "Int64", "fy_end": "Int64"})
    projects = pd.DataFrame(full_2566())
    rows = run_checks(plans, projects, pd.DataFrame(columns=["project_id", "fiscal_year", "amount_thb"]),
                      pd.DataFrame(columns=["plan_id", "code"]))
    by = {r["check"]: r["status"] for r in rows}
    assert by["PERIOD_MISMATCH"] == "not_applicable"
    assert by["MISSION_NOT_COVERED"] == "pass"


# --------------------------------------------------------------------------- MISSION_NOT_COVERED


def test_mission_not_covered() -> None:
    assert check("MISSION_NOT_COVERED", [plan()], full_2566())["status"] == "pass"
    r = check("MISSION_NOT_COVERED", [plan()], full_2566()[:-2])  # no 4.1, 4.2: dimension 4 is empty
    assert r["status"] == "fail"
    assert "มิติ 4" in r["detail"] and "4.1, 4.2" in r["detail"] and "dimension 4" in r["detail"]
    # low-confidence missions of the 2566 taxonomy (1.2, 1.3, 4.3, 4.4) are not required
    assert "1.2" not in r["detail"]
    assert check("MISSION_NOT_COVERED", [plan(framework=None)], full_2566())["status"] == "not_applicable"
    assert check("MISSION_NOT_COVERED", [plan()], [])["status"] == "not_applicable"


def test_mission_not_covered_by_dimension_only_when_the_plan_gives_no_missions() -> None:
    projects = [project(i, dimension=d, mission_code=None) for i, d in enumerate((1, 2, 3, 4), start=1)]
    r = check("MISSION_NOT_COVERED", [plan(framework="2561")], projects)
    assert r["status"] == "pass" and "dimensions only" in r["detail"]
    r = check("MISSION_NOT_COVERED", [plan(framework="2561")], projects[:3])
    assert r["status"] == "fail" and "dimension 4" in r["detail"] and "mission 4" not in r["detail"]


# --------------------------------------------------------------------------- TOTAL_MISMATCH


def test_total_mismatch() -> None:
    projects = [project(1), project(2)]
    assert check("TOTAL_MISMATCH", [plan(n_projects=2, budget_total_thb=20000.0)], projects)["status"] == "pass"
    printed = {"plan_id": "p1", "project_id": None, "code": "TOTAL_MISMATCH", "severity": "warning",
               "message": "มิติ 1: รวม 16 โครงการ printed, 15 found", "source_ref": "p.12"}
    r = check("TOTAL_MISMATCH", [plan()], projects, warnings=[printed])
    assert r["status"] == "fail" and "16 โครงการ" in r["detail"] and r["source_ref"] == "p.12"
    r = check("TOTAL_MISMATCH", [plan(budget_total_thb=25000.0)], projects)
    assert r["status"] == "fail" and "25,000" in r["detail"] and "20,000" in r["detail"]
    assert check("TOTAL_MISMATCH", [plan()], [])["status"] == "not_applicable"


# --------------------------------------------------------------------------- BUDGET_MISMATCH


def test_budget_mismatch() -> None:
    projects = [project(1, budget_thb=30000.0), project(2, budget_thb=5000.0)]
    ok = [{"project_id": "p1-001", "fiscal_year": y, "amount_thb": 10000.0} for y in (2566, 2567, 2568)]
    assert check("BUDGET_MISMATCH", [plan()], projects, ok)["status"] == "pass"
    bad = ok + [{"project_id": "p1-002", "fiscal_year": 2566, "amount_thb": 4000.0}]
    r = check("BUDGET_MISMATCH", [plan()], projects, bad)
    assert r["status"] == "fail" and "4,000" in r["detail"] and "5,000" in r["detail"]
    assert r["source_ref"] == "p.2"
    sheet = {"plan_id": "p1", "project_id": "p1-001", "code": "BUDGET_MISMATCH", "severity": "warning",
             "message": "budget 30,000 in one place, 20,000 in another; kept the first", "source_ref": "p.40"}
    r = check("BUDGET_MISMATCH", [plan()], projects, ok, [sheet])
    assert r["status"] == "fail" and r["source_ref"] == "p.40"
    assert check("BUDGET_MISMATCH", [plan()], projects)["status"] == "not_applicable"  # no per-year figures


# --------------------------------------------------------------------------- PERIOD_MISMATCH


def test_period_mismatch() -> None:
    assert check("PERIOD_MISMATCH", [plan()], [project(1), project(2, fy_end=2570)])["status"] == "pass"
    projects = [project(1), project(2, fy_start=2561, fy_end=2564)]
    r = check("PERIOD_MISMATCH", [plan()], projects)
    assert r["status"] == "fail" and "2561, 2564" in r["detail"] and "2566-2570" in r["detail"]
    assert r["source_ref"] == "p.2"
    late = [{"project_id": "p1-001", "fiscal_year": 2571, "amount_thb": 1.0}]
    assert check("PERIOD_MISMATCH", [plan()], [project(1)], late)["status"] == "fail"
    assert check("PERIOD_MISMATCH", [plan(fy_start=None)], projects)["status"] == "not_applicable"


# --------------------------------------------------------------------------- MISSING_SECTION


def test_missing_section() -> None:
    complete = {"layout": "detail", "objectives": "เพื่อ…", "indicators": "ร้อยละ 80", "responsible_unit": "กองคลัง",
                "period_text": "ปีงบประมาณ 2566"}
    projects = [project(1, **complete), project(2, **complete)]
    assert check("MISSING_SECTION", [plan()], projects)["status"] == "pass"
    projects[1] = project(2, **{**complete, "indicators": None, "period_text": None, "fy_start": None},
                          budget_status="unspecified", budget_thb=None)
    r = check("MISSING_SECTION", [plan()], projects)
    assert r["status"] == "fail" and r["source_ref"] == "p.2"
    assert "ตัวชี้วัด 1 โครงการ" in r["detail"] and "indicators in 1" in r["detail"] and "budget in 1" in r["detail"]
    assert "objectives" not in r["detail"]
    # fy_start alone is a period (from the budget years)
    projects[1] = project(2, **{**complete, "period_text": None})
    assert check("MISSING_SECTION", [plan()], projects)["status"] == "pass"
    # table rows have no detail sheet to check
    assert check("MISSING_SECTION", [plan()], [project(1)])["status"] == "not_applicable"


# --------------------------------------------------------------------------- DUPLICATE_PROJECT


def test_duplicate_project() -> None:
    a = project(1, title="โครงการอบรมคุณธรรม จริยธรรม")
    same = project(2, title="อบรม “คุณธรรมจริยธรรม”")  # same project, same figures: the same row twice
    assert check("DUPLICATE_PROJECT", [plan()], [a, same])["status"] == "pass"
    other = project(2, title="อบรม “คุณธรรมจริยธรรม”", budget_thb=15000.0)
    r = check("DUPLICATE_PROJECT", [plan()], [a, project(3, title="กิจกรรมอื่น"), other])
    assert r["status"] == "fail" and "10,000 / 15,000" in r["detail"] and r["source_ref"] == "p.2"
    assert check("DUPLICATE_PROJECT", [plan()], [a])["status"] == "not_applicable"


# --------------------------------------------------------------------------- NO_BUDGETED_PROJECT


def test_no_budgeted_project() -> None:
    none = project(1, budget_status="none", budget_thb=0.0)
    assert check("NO_BUDGETED_PROJECT", [plan()], [none, project(2)])["status"] == "pass"
    r = check("NO_BUDGETED_PROJECT", [plan()], [none, project(2, budget_status="unspecified", budget_thb=None)])
    assert r["status"] == "fail" and "2 projects" in r["detail"]
    assert check("NO_BUDGETED_PROJECT", [plan()], [])["status"] == "not_applicable"


# --------------------------------------------------------------------------- OTHER_ORG_NAMED


def test_other_org_named() -> None:
    own = project(1, objectives="เพื่อให้บุคลากรขององค์การบริหารส่วนตำบลเมืองน้อยมีคุณธรรม")
    usual = project(2, area="ที่ว่าการอำเภอธวัชบุรี จังหวัดร้อยเอ็ด สำนักงาน ป.ป.ช. และองค์การบริหารส่วนจังหวัดร้อยเอ็ด",
                    method="จัดอบรมร่วมกับเทศบาลตำบลธวัชบุรี")
    assert check("OTHER_ORG_NAMED", [plan()], [own, usual])["status"] == "pass"
    leftover = project(3, objectives="เพื่อให้พนักงานเทศบาลตำบลแม่สายมิตรภาพมีความรู้", source_ref="p.31")
    r = check("OTHER_ORG_NAMED", [plan()], [own, usual, leftover])
    assert r["status"] == "fail" and "เทศบาลตำบลแม่สายมิตรภาพ" in r["detail"] and r["source_ref"] == "p.31"
    # the same name under another type is the organisation itself (an อบต. that became a เทศบาล)
    renamed = project(3, objectives="บุคลากรเทศบาลตำบลเมืองน้อย")
    assert check("OTHER_ORG_NAMED", [plan()], [own, renamed])["status"] == "pass"
    assert check("OTHER_ORG_NAMED", [plan(org_short_name=None, org_name=None)], [leftover])["status"] == "not_applicable"


# --------------------------------------------------------------------------- COPIED_PLAN


MODEL_TITLES = ["โครงการเสริมสร้างคุณธรรม จริยธรรม", "มาตรการจัดทำแผนการจัดซื้อจัดจ้าง", "กิจกรรมเผยแพร่ข้อมูลข่าวสาร",
                "โครงการอบรมให้ความรู้ด้านระเบียบกฎหมาย"]
#: each organisation's own wording (what it writes in its detail sheets)
WORDING = {
    "a": ["ส่งเสริมให้บุคลากรของ{org} มีจิตสำนึกในการปฏิบัติงานด้วยความซื่อสัตย์ ครั้งที่ {i}",
          "จัดทำคู่มือการปฏิบัติงานและเผยแพร่ผ่านเว็บไซต์ของ{org} ฉบับที่ {i}",
          "ประชาชนในเขต{org} ร้อยละ {i}0 พึงพอใจต่อการให้บริการ"],
    "b": ["เพื่อปลูกฝังค่านิยมสุจริตแก่คณะผู้บริหารและสมาชิกสภา{org} รุ่นที่ {i}",
          "ประชุมชี้แจงหัวหน้าส่วนราชการทุกกองเดือนละครั้ง รอบที่ {i}",
          "ไม่มีเรื่องร้องเรียนเกี่ยวกับการทุจริตตลอดปีงบประมาณ ข้อ {i}"],
    "c": ["เยาวชนในชุมชนริมทะเลได้เรียนรู้การต่อต้านการทุจริตผ่านค่าย {i} วัน",
          "ติดตั้งกล่องรับความคิดเห็นที่ท่าเรือและตลาดสด จุดที่ {i}",
          "ชาวประมงรู้ช่องทางแจ้งเบาะแสเพิ่มขึ้นร้อยละ {i}5"],
}


def detailed(plan_id: str, org: str, wording: str, n: int = 6) -> list[dict[str, Any]]:
    """Projects with model titles and texts of the organisation's own ``wording``."""
    out = []
    for i in range(1, n + 1):
        text = [s.format(org=org, i=i) for s in WORDING[wording]]
        out.append(project(i, plan_id, title=MODEL_TITLES[i % len(MODEL_TITLES)],
                           objectives=text[0], method=text[1], outcomes=text[2]))
    return out


def _three_orgs(copy_from_a: int) -> tuple[list[dict], list[dict]]:
    plans = [plan("a"), plan("b", org_name="องค์การบริหารส่วนตำบลโขมง", org_short_name="โขมง", org_code="1",
                             district="ท่าใหม่", province="จันทบุรี"),
             plan("c", org_name="เทศบาลตำบลวังไผ่", org_short_name="วังไผ่", org_code="2", org_type="subdistrict_mun",
                  district="เมืองชุมพร", province="ชุมพร")]
    a = detailed("a", "องค์การบริหารส่วนตำบลเมืองน้อย", "a")
    # b copies a's first texts, changing only the names; the rest are its own
    b = [dict(p, plan_id="b", project_id=f"b-{p['seq']:03d}",
              objectives=p["objectives"].replace("เมืองน้อย", "โขมง"), method=p["method"].replace("เมืองน้อย", "โขมง"),
              outcomes=p["outcomes"].replace("เมืองน้อย", "โขมง")) for p in a[:copy_from_a]]
    b += detailed("b", "องค์การบริหารส่วนตำบลโขมง", "b")[copy_from_a:]
    # c uses the same model titles, with texts of its own
    c = detailed("c", "เทศบาลตำบลวังไผ่", "c")
    return plans, a + b + c


def test_copied_plan_fails_for_a_copy_with_only_the_names_changed() -> None:
    plans, projects = _three_orgs(copy_from_a=5)  # 5 of 6 texts copied
    r = check("COPIED_PLAN", plans, projects, plan_id="b")
    assert r["status"] == "fail"
    assert "5 of 6" in r["detail"] and "83%" in r["detail"] and "เมืองน้อย" in r["detail"] and "plan_id a" in r["detail"]
    assert r["source_ref"] == "p.1"
    assert check("COPIED_PLAN", plans, projects, plan_id="a")["status"] == "fail"  # the other plan is named too
    assert check("COPIED_PLAN", plans, projects, plan_id="c")["status"] == "pass"  # model titles alone


def test_copied_plan_passes_when_a_plan_shares_less_than_most() -> None:
    plans, projects = _three_orgs(copy_from_a=3)  # half
    r = check("COPIED_PLAN", plans, projects, plan_id="b")
    assert r["status"] == "pass" and "50%" in r["detail"]


def test_copied_plan_same_organisation_and_lonely_plans_are_not_applicable() -> None:
    plans, projects = _three_orgs(copy_from_a=6)
    plans[1].update(org_code=plans[0]["org_code"])  # a revision of the same organisation's plan
    assert check("COPIED_PLAN", plans, projects, plan_id="b")["status"] == "pass"
    only = [p for p in projects if p["plan_id"] == "a"]
    assert check("COPIED_PLAN", [plans[0]], only, plan_id="a")["status"] == "not_applicable"
    few = [p for p in projects if p["plan_id"] != "a" or p["seq"] <= 2]
    assert check("COPIED_PLAN", plans, few, plan_id="a")["status"] == "not_applicable"


def test_template_text_shared_by_many_plans_proposes_no_pair() -> None:
    """A text in more plans than max_bucket is template wording, not evidence of a copy."""
    settings = CopySettings(max_bucket=3)
    plans, projects = [], []
    for k, org in enumerate(["ก", "ข", "ค", "ง", "จ"]):
        pid = f"t{k}"
        plans.append(plan(pid, org_name=f"องค์การบริหารส่วนตำบลหนอง{org}", org_short_name=f"หนอง{org}", org_code=str(k)))
        projects += [project(i, pid, title=t) for i, t in enumerate(MODEL_TITLES, start=1)]
    assert check("COPIED_PLAN", plans, projects, plan_id="t0", copy_settings=settings)["status"] == "pass"
    assert check("COPIED_PLAN", plans[:3], projects[:12], plan_id="t0")["status"] == "fail"


def test_signatures_of_equal_texts_are_equal_and_of_near_texts_mostly() -> None:
    base = "ส่งเสริมให้บุคลากรมีจิตสำนึกในการปฏิบัติงานด้วยความซื่อสัตย์สุจริตและจัดทำคู่มือการปฏิบัติงาน" * 3
    near = base.replace("คู่มือ", "แนวทาง", 1)
    far = "จัดซื้อจัดจ้างอย่างโปร่งใสเปิดเผยข้อมูลต่อสาธารณะทุกไตรมาสผ่านเว็บไซต์และบอร์ดประชาสัมพันธ์" * 3
    sig = signatures([base, base, near, far, "สั้น", ""])
    assert (sig[0] == sig[1]).all()
    assert (sig[0] == sig[2]).sum() >= 20 > (sig[0] == sig[3]).sum()
    assert (sig[4] != sig[5]).any()


# --------------------------------------------------------------------------- into the tables


def test_apply_checks_adds_the_table_and_a_warning_per_failed_check() -> None:
    printed = {"plan_id": "p1", "project_id": None, "code": "TOTAL_MISMATCH", "severity": "warning",
               "message": "รวม 3 โครงการ, found 2", "source_ref": "p.9"}
    tables = {"plans": [plan(n_warnings=1)], "projects": [project(1, budget_status="none", budget_thb=0.0)],
              "budgets": [], "warnings": [printed]}
    out = apply_checks(tables)
    assert len(out["checks"]) == len(CHECKS)
    failed = {r["check"] for r in out["checks"] if r["status"] == "fail"}
    assert {"NO_BUDGETED_PROJECT", "TOTAL_MISMATCH", "MISSION_NOT_COVERED"} <= failed
    codes = [w["code"] for w in out["warnings"]]
    # the parser's TOTAL_MISMATCH row already says it: not repeated
    assert codes.count("TOTAL_MISMATCH") == 1
    added = [w for w in out["warnings"] if w["code"] == "NO_BUDGETED_PROJECT"]
    assert added == [{"plan_id": "p1", "project_id": "p1-001", "code": "NO_BUDGETED_PROJECT", "severity": "warning",
                      "message": next(r["detail"] for r in out["checks"] if r["check"] == "NO_BUDGETED_PROJECT"),
                      "source_ref": "p.1"}]
    assert {c for c in codes if c != "TOTAL_MISMATCH"} == failed - {"TOTAL_MISMATCH"}
    assert out["plans"][0]["n_warnings"] == len(out["warnings"])


def test_group_plans_ignores_rows_of_unknown_plans() -> None:
    (pl,) = group_plans([plan()], [project(2), project(1), project(1, "zz")],
                        [{"project_id": "p1-001", "fiscal_year": 2566, "amount_thb": 1.0},
                         {"project_id": "zz-001", "fiscal_year": 2566, "amount_thb": 1.0}],
                        [{"plan_id": "zz", "code": "X"}])
    assert [p["seq"] for p in pl.projects] == [1, 2]
    assert list(pl.budgets) == ["p1-001"] and pl.warnings == []
