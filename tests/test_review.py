"""The review loop: decisions -> review.csv -> overrides -> the next run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prongsai.decisions import Overrides, OverridesError
from prongsai.extract import clean_document
from prongsai.extract.text import parse_text
from prongsai.parse import parse_plan

PLAN = "\n".join([
    "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2565",
    "องค์การบริหารส่วนตำบลโขมง",
    "มติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต",
    "1. ชื่อโครงการ : กิจรรมเผยแพร่ข้อมูล",
    "9. ผู้รับผิดชอบ",
    "ฝ่ายแผนงานและงบประมาณ",
])


def _parse(overrides: Overrides | None = None):
    doc = clean_document(parse_text(PLAN))
    base = {"plan_id": "0000000000a1", "source_path": "plan.txt", "source_format": "txt", "text_source": "text"}
    return parse_plan(doc, base["plan_id"], base, overrides)


def _decisions(res) -> dict[str, tuple[str, str]]:
    return {w["field"]: (w["raw_value"], w["chosen_value"]) for w in res.warnings if w["field"]}


def test_every_guess_is_a_structured_decision() -> None:
    res = _parse()
    d = _decisions(res)
    assert d["heading_word"] == ("มติ", "มิติ")
    assert d["kind"][1] == "activity"
    # an unknown unit is kept as written (issue 9), with an UNKNOWN_UNIT row to review
    assert d["responsible_unit"] == ("ฝ่ายแผนงานและงบประมาณ", "ฝ่ายแผนงานและงบประมาณ")
    assert [w["code"] for w in res.warnings if w["field"] == "responsible_unit"] == ["UNKNOWN_UNIT"]
    assert res.projects[0]["responsible_unit"] == "ฝ่ายแผนงานและงบประมาณ"
    # the district is not written: inferred from the registry, with an info row
    assert d["district"] == ("องค์การบริหารส่วนตำบลโขมง", "ท่าใหม่")
    inferred = [w for w in res.warnings if w["code"] == "INFERRED_VALUE"]
    assert inferred and all(w["severity"] == "info" for w in inferred)
    assert res.plan["district"] == "ท่าใหม่" and res.plan["org_code"] == "6220306"


def test_overrides_change_values_and_remove_their_warnings() -> None:
    o = Overrides()
    o.add("responsible_unit", "ฝ่ายแผนงานและงบประมาณ", "กองยุทธศาสตร์และงบประมาณ")
    o.add("kind", "กิจรรมเผยแพร่ข้อมูล", "measure")
    o.add("district", "องค์การบริหารส่วนตำบลโขมง", "-")
    res = _parse(o)
    p = res.projects[0]
    assert (p["responsible_unit"], p["kind"]) == ("กองยุทธศาสตร์และงบประมาณ", "measure")
    assert res.plan["district"] is None
    left = _decisions(res)
    assert "responsible_unit" not in left and "kind" not in left and "district" not in left
    assert "heading_word" in left  # not overruled: still reported


def test_rejecting_a_heading_word_keeps_the_line_as_text() -> None:
    o = Overrides()
    o.add("heading_word", "มติ", "-")
    res = _parse(o)
    assert res.projects[0]["dimension"] is None


def test_whitespace_insensitive_fallback() -> None:
    o = Overrides()
    o.add("responsible_unit", "ฝ่ายแผนงาน และ งบประมาณ", "กองคลัง")
    assert _parse(o).projects[0]["responsible_unit"] == "กองคลัง"


def test_malformed_overrides_file(tmp_path: Path) -> None:
    bad = tmp_path / "o.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(OverridesError, match="missing column"):
        Overrides.load(bad)
    with pytest.raises(OverridesError, match="cannot read"):
        Overrides.load(tmp_path / "missing.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(OverridesError):
        Overrides.load(binary)


def test_review_file_round_trip(tmp_path: Path) -> None:
    from prongsai.dataset import write_dataset
    from prongsai.review import build_review

    res = _parse()
    write_dataset(tmp_path, {"plans": [res.plan], "projects": res.projects, "warnings": res.warnings})
    review = build_review(tmp_path)
    assert list(review.columns)[-1] == "correct_value"
    assert set(review["field"]) >= {"heading_word", "kind", "responsible_unit", "district"}
    assert review["correct_value"].eq("").all()
    path = tmp_path / "review.csv"
    review.loc[review["field"] == "responsible_unit", "correct_value"] = "กองคลัง"
    review.to_csv(path, index=False, encoding="utf-8-sig")
    o = Overrides.load(path)
    assert len(o) == 1
    assert _parse(o).projects[0]["responsible_unit"] == "กองคลัง"
    assert pd.read_csv(path, encoding="utf-8-sig").shape[0] == len(review)


def test_review_and_overrides_end_to_end_through_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from prongsai.cli import app

    runner = CliRunner()
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "plan.txt").write_text(PLAN, encoding="utf-8")
    assert runner.invoke(app, ["run", str(inp), "--out", str(out), "-j", "1"]).exit_code == 0
    res = runner.invoke(app, ["review", str(out)])
    assert res.exit_code == 0 and "decision(s) to review" in res.output
    review = pd.read_csv(out / "review.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    review.loc[review["field"] == "responsible_unit", "correct_value"] = "กองคลัง"
    reviewed = tmp_path / "reviewed.csv"
    review.to_csv(reviewed, index=False, encoding="utf-8-sig")

    res = runner.invoke(app, ["run", str(inp), "--out", str(out), "-j", "1", "--overrides", str(reviewed)])
    assert res.exit_code == 0, res.output
    projects = pd.read_csv(out / "projects.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert projects.loc[0, "responsible_unit"] == "กองคลัง"
    warnings = pd.read_csv(out / "warnings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "responsible_unit" not in set(warnings["field"])
    assert "heading_word" in set(warnings["field"])


def test_malformed_overrides_is_a_usage_error(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from prongsai.cli import app

    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["run", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "o"), "--overrides", str(bad)])
    assert res.exit_code == 2 and "missing column" in res.output
    res = CliRunner().invoke(app, ["review", str(tmp_path / "nothing")])
    assert res.exit_code == 2
