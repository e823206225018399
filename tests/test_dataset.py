"""The dataset of a run: one schema (prongsai/schema.py), its validation, the data
package, the DuckDB database, and byte-identical files as one plan."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from prongsai.dataset import merge_duplicates, write_dataset
from prongsai.diagnostics import PARTIAL_CODES, CheckCode, WarningCode, plan_status
from prongsai.output import SCHEMA, UnknownColumnError, frame
from prongsai.schema import ALL_TABLES, TABLES
from prongsai.validate import SchemaViolation, validate

REPO = Path(__file__).resolve().parents[1]
PID, PID2 = "0123456789ab", "ba9876543210"


def _plan(pid: str = PID, **kw) -> dict:
    row = {"plan_id": pid, "source_path": f"{pid}.txt", "source_format": "txt", "text_source": "text",
           "org_type": "sao", "org_name": "องค์การบริหารส่วนตำบลโขมง", "org_short_name": "โขมง",
           "district": "ท่าใหม่", "province": "จันทบุรี", "org_code": "6220306", "plan_kind": "multi_year",
           "fy_start": 2561, "fy_end": 2564, "framework": "2561", "n_projects": 1, "budget_total_thb": 8500.0,
           "status": "ok", "n_warnings": 1}
    return {**row, **kw}


def _project(pid: str = PID, seq: int = 1, **kw) -> dict:
    row = {"project_id": f"{pid}-{seq:03d}", "plan_id": pid, "seq": seq, "dimension": 1,
           "dimension_label": "การสร้างสังคมที่ไม่ทนต่อการทุจริต", "mission_code": "1.1", "dimension_2566": 1,
           "mission_code_2566": "1.1", "title": "โครงการอบรมคุณธรรม", "kind": "project", "budget_thb": 8500.0,
           "budget_status": "amount", "layout": "detail+plan_table", "source_ref": "line 3", "confidence": 0.9,
           "quarters": "1,2"}
    return {**row, **kw}


def _tables(**over) -> dict:
    t = {"plans": [_plan()], "projects": [_project()],
         "budgets": [{"project_id": f"{PID}-001", "fiscal_year": 2562, "amount_thb": 8500.0}],
         "warnings": [{"plan_id": PID, "project_id": f"{PID}-001", "code": "FUZZY_LABEL", "severity": "info",
                       "message": "มติ -> มิติ (score 90)", "source_ref": "line 3"}]}
    t.update(over)
    return t


# --------------------------------------------------------------------------- codes


def _emitted_codes() -> set[str]:
    """Every warning code the source writes (WarningCode.X, and literally: Problem("X"...), code="X", ...)."""
    patterns = [r"\bWarningCode\.([A-Za-z_0-9]+)\b(?!\()", r'Problem\(\s*"([^"]+)"',
                r'(?:_failed|failed_result)\((?![^"()]*WarningCode)[^"()]{0,80}"([^"]+)"',
                r'"code":\s*"([^"]+)"', r'\bcode\s*=\s*"([^"]+)"(?=\s*(?:[,)\n]|if\b))', r'\bcode\s*=\s*"[^"]+"\s+if\s[^\n]*?\selse\s+"([^"]+)"']
    found: set[str] = set()
    for py in (REPO / "prongsai").rglob("*.py"):
        if py.name == "diagnostics.py":
            continue
        text = py.read_text(encoding="utf-8")
        for pat in patterns:
            found.update(re.findall(pat, text))
    return found


def test_every_code_the_code_writes_is_declared_upper_snake() -> None:
    found = _emitted_codes()
    assert len(found) >= 20, found  # the scan itself works
    assert found <= set(WarningCode), found - set(WarningCode)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*", c) for c in WarningCode)


def test_codes_of_this_round_and_check_codes_are_warning_codes() -> None:
    assert {"DUPLICATE_FILE", "TOTAL_MISMATCH", "UNSUPPORTED_FORMAT", "DOCX_ALTCHUNK"} <= set(WarningCode)
    assert set(CheckCode) <= set(WarningCode)  # a failed check is also a warnings row with its code
    assert WarningCode.DUPLICATE_FILE.severity == "info" and WarningCode.UNSUPPORTED_FORMAT.severity == "error"
    assert PARTIAL_CODES <= set(WarningCode)


def test_plan_status_rules() -> None:
    assert plan_status(["FUZZY_LABEL", "OCR_USED"]) == "ok"
    assert plan_status(["FUZZY_LABEL", "OCR_FAILED"]) == "partial"


def test_readme_lists_every_warning_code_and_spec_codes_are_declared(shared: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`", readme))
    assert set(WarningCode) - listed == set()
    spec = (shared / "spec" / "SPEC.md").read_text(encoding="utf-8")
    in_spec = set(re.findall(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`", spec)) - {"UPPER_SNAKE"}
    assert len(in_spec) >= 10 and in_spec <= set(WarningCode), in_spec - set(WarningCode)


# --------------------------------------------------------------------------- schema, declared once


def test_output_columns_are_the_schema() -> None:
    assert SCHEMA["projects"] == {c.name: c.dtype for c in TABLES["projects"].columns}
    for t in ALL_TABLES:
        assert len(t.names) == len(set(t.names))
        for c in t.columns:
            assert c.en and c.th and re.search(r"[\u0e00-\u0e7f]", c.th), (t.name, c.name)
        for fk in t.foreign_keys:
            assert set(fk.ref_columns) <= set(TABLES[fk.table].names)


def test_valid_tables_pass() -> None:
    validate({n: frame(n, _tables().get(n, [])) for n in TABLES})


@pytest.mark.parametrize("table, row, why", [
    ("plans", _plan(org_type="อบต."), "org_type"),
    ("plans", _plan(status="done"), "status"),
    ("plans", _plan(framework="2570"), "framework"),
    ("plans", _plan(source_path=None), "source_path"),
    ("plans", _plan(plan_id="not-a-sha"), "plan_id"),
    ("projects", _project(layout="detail+table"), "layout"),
    ("projects", _project(budget_status="unknown"), "budget_status"),
    ("projects", _project(dimension=5), "dimension"),
    ("projects", _project(title=None), "title"),
    ("projects", _project(quarters="1,5"), "quarters"),
    ("warnings", {"plan_id": PID, "code": "docx_altchunk", "severity": "warning", "message": "x"}, "code"),
    ("warnings", {"plan_id": PID, "code": "OCR_USED", "severity": "fatal", "message": "x"}, "severity"),
])
def test_a_row_breaking_the_schema_fails_validation(table: str, row: dict, why: str) -> None:
    t = _tables(**{table: [row]})
    if table == "projects":
        t["budgets"] = []
        t["warnings"] = []
    with pytest.raises(SchemaViolation, match=why):
        validate({n: frame(n, t.get(n, [])) for n in TABLES})


def test_wrong_type_fails_and_unknown_column_is_never_dropped() -> None:
    with pytest.raises((ValueError, TypeError)):
        frame("plans", [_plan(n_projects="many")])
    with pytest.raises(UnknownColumnError, match="n_pagez"):
        frame("plans", [_plan(n_pagez=3)])


def test_missing_required_column_fails() -> None:
    frames = {n: frame(n, _tables().get(n, [])) for n in TABLES}
    frames["plans"] = frames["plans"].drop(columns=["status"])
    with pytest.raises(SchemaViolation, match="status"):
        validate(frames)


@pytest.mark.parametrize("over, why", [
    ({"projects": [_project(), _project()]}, "project_id"),  # duplicate primary key
    ({"projects": [_project(pid=PID2)], "budgets": [], "warnings": []}, "projects.plan_id"),
    ({"budgets": [{"project_id": f"{PID}-009", "fiscal_year": 2562, "amount_thb": 1.0}]}, "budgets.project_id"),
    ({"warnings": [{"plan_id": PID2, "code": "OCR_USED", "severity": "info", "message": "x"}]}, "warnings.plan_id"),
])
def test_broken_keys_fail_validation(over: dict, why: str) -> None:
    with pytest.raises(SchemaViolation, match=why):
        validate({n: frame(n, _tables(**over).get(n, [])) for n in TABLES})


def test_a_violation_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(SchemaViolation):
        write_dataset(tmp_path, _tables(plans=[_plan(status="done")]))
    assert [p.name for p in tmp_path.iterdir()] == []


# --------------------------------------------------------------------------- the output folder


def _frictionless_errors(folder: Path) -> list[str]:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(folder / "datapackage.json"))
    return [] if report.valid else [e.message for task in report.tasks for e in task.errors][:5] or ["invalid"]


def test_small_run_is_a_valid_package_with_database(tmp_path: Path) -> None:
    t = _tables(plans=[_plan(), _plan(PID2, source_path="b.txt", fy_start=2566, fy_end=2570, framework="2566",
                                      n_warnings=0)],
                projects=[_project(), _project(PID2, title="1. โครงการ อบรม คุณธรรม")])
    write_dataset(tmp_path, t)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([f"{n}.{e}" for n in TABLES for e in ("csv", "parquet")]
                           + ["datapackage.json", "prongsai.duckdb"])
    assert _frictionless_errors(tmp_path) == []
    d = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    plans = next(r for r in d["resources"] if r["name"] == "plans")
    assert plans["schema"]["primaryKey"] == ["plan_id"]
    assert "จังหวัด" in next(f for f in plans["schema"]["fields"] if f["name"] == "province")["description"]
    assert {"CC-BY-4.0", "MIT"} <= {lic["name"] for lic in d["licenses"]} and d["sources"]
    assert d["prongsai_version"] and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["created"])
    assert (tmp_path / "checks.csv").read_bytes() == "\ufeffplan_id,check,status,detail,source_ref\n".encode()
    con = duckdb.connect(str(tmp_path / "prongsai.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT plan_id_from, plan_id_to, link FROM plan_links").fetchall() == [
            (PID, PID2, "next_cycle")]
        assert con.execute("SELECT project_id_from, project_id_to FROM project_links").fetchall() == [
            (f"{PID}-001", f"{PID2}-001")]
        row = con.execute("SELECT dimension_label_2566, mission_label_2566, org_code FROM projects_2566 "
                          "WHERE project_id = ?", [f"{PID}-001"]).fetchone()
        assert row[0] == "การสร้างวัฒนธรรมสุจริต" and row[1].startswith("การเสริมสร้างจิตสำนึก") and row[2] == "6220306"
        assert con.execute("SELECT fiscal_year, amount_thb, org_type, province, district FROM budget_by_year"
                           ).fetchall() == [(2562, 8500.0, "sao", "จันทบุรี", "ท่าใหม่")]
        s = con.execute("SELECT n_projects, budget_thb, dimensions_covered, dimensions_in_framework, missions_covered "
                        "FROM plan_summary WHERE plan_id = ?", [PID]).fetchone()
        assert s == (1, 8500.0, 1, 4, 1)
        with pytest.raises(duckdb.Error):  # the keys are enforced by the database too
            con.execute("INSERT INTO projects (project_id, plan_id, seq, title, budget_status, layout, source_ref, "
                        "confidence) VALUES ('x', 'nowhere', 1, 't', 'none', 'detail', 'line 1', 1)")
    finally:
        con.close()


def test_a_broken_package_is_caught_by_frictionless(tmp_path: Path) -> None:
    """The package's own keys are checked by frictionless too (not only by our validation)."""
    write_dataset(tmp_path, _tables(), database=False)
    csv = tmp_path / "warnings.csv"
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace(PID, PID2), encoding="utf-8-sig")
    assert _frictionless_errors(tmp_path)


def test_tables_are_byte_identical_across_writes(tmp_path: Path) -> None:
    write_dataset(tmp_path / "a", _tables())
    write_dataset(tmp_path / "b", _tables())
    for n in TABLES:
        for ext in ("csv", "parquet"):
            assert (tmp_path / "a" / f"{n}.{ext}").read_bytes() == (tmp_path / "b" / f"{n}.{ext}").read_bytes()


# --------------------------------------------------------------------------- duplicates


def test_merge_duplicates_keeps_the_first_copy_and_names_the_others() -> None:
    t = _tables()
    dup = _tables()  # the same rows again, from a second path
    t["plans"] += [_plan(source_path="z/copy.txt"), _plan(source_path="y/copy2.txt")]
    for name in ("projects", "budgets", "warnings"):
        t[name] += dup[name] + dup[name]
    out = merge_duplicates(t)
    assert [p["source_path"] for p in out["plans"]] == [f"{PID}.txt"]
    assert len(out["projects"]) == 1 and len(out["budgets"]) == 1
    dups = [w for w in out["warnings"] if w["code"] == "DUPLICATE_FILE"]
    assert [w["severity"] for w in dups] == ["info", "info"]
    assert "z/copy.txt" in dups[0]["message"] and "y/copy2.txt" in dups[1]["message"]
    assert out["plans"][0]["n_warnings"] == 3 == len(out["warnings"])
    validate({n: frame(n, out.get(n, [])) for n in TABLES})


PLAN_TXT = """แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ – ๒๕๖๔)
องค์การบริหารส่วนตำบลโขมง อำเภอท่าใหม่ จังหวัดจันทบุรี
มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต
๑.๑ การสร้างจิตสำนึกและความตระหนักแก่บุคลากรทั้งข้าราชการการเมืองฝ่ายบริหาร ข้าราชการการเมืองฝ่ายสภาท้องถิ่น และฝ่ายประจำขององค์กรปกครองส่วนท้องถิ่น
{projects}
"""


def test_identical_files_in_a_batch_are_one_plan(tmp_path: Path) -> None:
    from prongsai.runner import run_batch

    inp = tmp_path / "in"
    (inp / "b").mkdir(parents=True)
    a = PLAN_TXT.format(projects="๑. โครงการอบรมคุณธรรมจริยธรรม งบประมาณ ๑๐,๐๐๐ บาท")
    other = PLAN_TXT.replace("๒๕๖๑ – ๒๕๖๔", "๒๕๖๒ – ๒๕๖๔").format(
        projects="๑. โครงการอบรมคุณธรรมจริยธรรมแก่พนักงาน งบประมาณ ๒๐,๐๐๐ บาท")
    (inp / "a.txt").write_text(a, encoding="utf-8")
    (inp / "b" / "a_copy.txt").write_text(a, encoding="utf-8")
    shutil.copy(inp / "a.txt", inp / "c_copy.txt")
    (inp / "d_revised.txt").write_text(other, encoding="utf-8")
    out = tmp_path / "out"
    files, failed = run_batch([inp], out, workers=1, use_cache=False)
    assert (files, failed) == (4, 0)
    plans = pd.read_csv(out / "plans.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(plans["source_path"]) == ["a.txt", "d_revised.txt"]
    assert plans["plan_id"].is_unique
    warnings = pd.read_csv(out / "warnings.csv", encoding="utf-8-sig", dtype=str)
    dup = warnings[warnings["code"] == "DUPLICATE_FILE"]
    assert len(dup) == 2 and set(dup["severity"]) == {"info"}
    assert any("b/a_copy.txt" in m for m in dup["message"]) and any("c_copy.txt" in m for m in dup["message"])
    projects = pd.read_csv(out / "projects.csv", encoding="utf-8-sig", dtype=str)
    assert projects["project_id"].is_unique
    assert _frictionless_errors(out) == []
