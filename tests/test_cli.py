"""The command line: exit codes, messages, outputs, determinism, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from prongsai.cli import app

runner = CliRunner()

PLAN = """แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕
องค์การบริหารส่วนตำบลเมืองน้อย
อำเภอธวัชบุรี จังหวัดร้อยเอ็ด
มติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต
1. ชื่อโครงการ : โครงการอบรมคุณธรรม
7. ระยะเวลาดำเนินการ
ปีงบประมาณ ๒๕๖๕
8. งบประมาณดำเนินการ
๘,๕๐๐ บาท
9. ผู้รับผิดชอบ
สำนักงานปลัด องค์การบริหารส่วนตำบลเมืองน้อย
10. ตังชี้วัด/ผลลัพธ์
ผู้เข้าร่วมร้อยละ 80
"""


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_run_writes_four_tables_csv_and_parquet(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.txt").write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 file(s) processed, 0 failed" in res.output
    for name in ("plans", "projects", "budgets", "warnings"):
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        assert (out / f"{name}.parquet").exists()
    plans = _read(out, "plans")
    assert plans.loc[0, "source_path"] == "plan.txt"
    assert plans.loc[0, "org_code"] == "6450511"
    assert plans.loc[0, "plan_kind"] == "annual"
    projects = _read(out, "projects")
    row = projects.iloc[0]
    assert (row["title"], row["dimension"], row["budget_thb"], row["budget_status"]) == (
        "โครงการอบรมคุณธรรม", "1", "8500.0", "amount")
    assert row["responsible_unit"] == "สำนักปลัด"
    assert row["project_id"] == f"{plans.loc[0, 'plan_id']}-001"
    warnings = _read(out, "warnings")
    assert "FUZZY_LABEL" in set(warnings["code"])  # มติ and ตังชี้วัด were read fuzzily


def test_rerun_is_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    assert runner.invoke(app, ["run", str(tmp_path / "plan.txt"), "--out", str(a)]).exit_code == 0
    assert runner.invoke(app, ["run", str(tmp_path / "plan.txt"), "--out", str(b)]).exit_code == 0
    tables = [f for f in sorted(a.iterdir()) if f.suffix in (".csv", ".parquet")]  # (a/.cache: the cache)
    assert len(tables) == 14
    for f in tables:
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name
    # the package differs only by the run's date (prongsai.duckdb is a database file, not a table)
    pa, pb = (json.loads((d / "datapackage.json").read_text(encoding="utf-8")) for d in (a, b))
    assert {k: v for k, v in pa.items() if k != "created"} == {k: v for k, v in pb.items() if k != "created"}


def test_bad_file_is_recorded_and_batch_goes_on(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(PLAN, encoding="utf-8")
    (inp / "empty.pdf").write_bytes(b"")
    (inp / "broken.docx").write_bytes(b"this is not a zip archive")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(inp), "--out", str(out)])
    assert res.exit_code == 1
    assert "3 file(s) processed, 2 failed" in res.output
    plans = _read(out, "plans").set_index("source_path")
    assert plans.loc["good.txt", "status"] == "ok"
    assert plans.loc["empty.pdf", "status"] == "failed"
    assert plans.loc["broken.docx", "status"] == "failed"
    warnings = _read(out, "warnings")
    errors = warnings[warnings["severity"] == "error"]
    assert set(errors["code"]) == {"UNREADABLE_FILE"}
    assert any("empty" in m for m in errors["message"])
    assert len(_read(out, "projects")) == 1


def test_missing_input_is_usage_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "input not found" in res.output
    assert not (tmp_path / "out").exists()


def test_unknown_option_is_usage_error() -> None:
    assert runner.invoke(app, ["run", "--frobnicate"]).exit_code == 2


def test_text_command_prints_repaired_text(tmp_path: Path) -> None:
    f = tmp_path / "p.txt"
    f.write_text("ตำาบล ๑๒๓\n", encoding="utf-8")
    res = runner.invoke(app, ["text", str(f)])
    assert res.exit_code == 0
    assert res.output.strip() == "ตำบล 123"
    raw = runner.invoke(app, ["text", str(f), "--raw"])
    assert raw.output.strip() == "ตำาบล ๑๒๓"


def test_text_command_bad_pages(tmp_path: Path) -> None:
    f = tmp_path / "p.txt"
    f.write_text("x\n", encoding="utf-8")
    res = runner.invoke(app, ["text", str(f), "--pages", "5-3"])
    assert res.exit_code == 2
    assert "--pages" in res.output


def test_normalize_command_prints_one_json_per_text() -> None:
    import json

    res = runner.invoke(app, ["normalize", "money", "๘,๕๐๐.-", "ไม่ใช้งบประมาณ"])
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert lines == [{"budget_thb": 8500.0, "budget_status": "amount"}, {"budget_thb": 0.0, "budget_status": "none"}]
    org = json.loads(runner.invoke(app, ["normalize", "org", "อบต.เมืองน้อย อ.ธวัชบุรี จ.ร้อยเอ็ด"]).output)
    assert (org["org_type"], org["org_code"], org["district"]) == ("sao", "6450511", "ธวัชบุรี")
    dim = json.loads(runner.invoke(app, ["normalize", "dimension", "--framework", "2561", "มิติที่ 2"]).output)
    assert (dim["dimension"], dim["framework"]) == (2, "2561")
    assert dim["dimension_label"] == "การบริหารราชการเพื่อป้องกันการทุจริต"


def test_normalize_command_usage_errors() -> None:
    res = runner.invoke(app, ["normalize", "bogus", "x"])
    assert res.exit_code == 2 and "unknown KIND" in res.output
    assert runner.invoke(app, ["normalize", "dimension", "--framework", "2570", "x"]).exit_code == 2


def _blank_pdf(path: Path) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.save(str(path))
    pdf.close()
    return path


def test_documents_without_text_are_not_plans(tmp_path: Path) -> None:
    """A blank PDF or a text file of whitespace gives nothing: failed with NOT_A_PLAN."""
    inp = tmp_path / "in"
    inp.mkdir()
    _blank_pdf(inp / "blank.pdf")
    (inp / "spaces.txt").write_text(" \n\t\n\u00a0\n", encoding="utf-8")
    (inp / "plan.txt").write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(inp), "--out", str(out)])
    assert res.exit_code == 1, res.output
    plans = _read(out, "plans").set_index("source_path")
    assert dict(plans["status"]) == {"blank.pdf": "failed", "plan.txt": "ok", "spaces.txt": "failed"}
    warnings = _read(out, "warnings")
    empty = warnings[warnings["plan_id"].isin(plans.loc[["blank.pdf", "spaces.txt"], "plan_id"])]
    assert set(empty.loc[empty["severity"] == "error", "code"]) == {"NOT_A_PLAN"}
    assert all("no readable text" in m for m in empty.loc[empty["code"] == "NOT_A_PLAN", "message"])
    assert _read(out, "projects")["plan_id"].eq(plans.loc["plan.txt", "plan_id"]).all()


def test_scan_without_ocr_is_partial_not_a_non_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No text because OCR could not run is the machine's fault, not the document's."""
    from PIL import Image

    from prongsai.extract import ocr
    from prongsai.pipeline import process_file

    scan = tmp_path / "scan.pdf"
    Image.new("L", (850, 1100), 255).save(scan, "PDF", resolution=100)  # one page, an image and no text
    monkeypatch.setattr(ocr, "tesseract_available", lambda settings=None: False)
    res = process_file(scan, "scan.pdf")
    codes = [w["code"] for w in res.warnings]
    assert res.plan["status"] == "partial" and "OCR_UNAVAILABLE" in codes and "NOT_A_PLAN" not in codes
