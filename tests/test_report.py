"""The report: report.xlsx read back with openpyxl, report.html opened in headless Chromium."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prongsai.checks import apply_checks
from prongsai.cli import app
from prongsai.dataset import write_dataset
from prongsai.output import SCHEMA
from prongsai.report import ReportError, write_report

runner = CliRunner()
CHROMIUM = Path("/usr/bin/chromium")
PROVINCES = ["ร้อยเอ็ด", "เชียงใหม่", "ขอนแก่น", "ชลบุรี"]
N_PLANS = 64  # more than one page of the plan list (50)


def _plan(i: int) -> dict[str, Any]:
    pid = f"{i:012x}"
    status = "failed" if i == 3 else "ok"
    return {"plan_id": pid, "source_path": f"แผน/{i:03d}.pdf", "source_format": "pdf", "n_pages": 10,
            "text_source": "text", "org_type": "sao" if i % 2 else "subdistrict_mun",
            "org_name": f"องค์การบริหารส่วนตำบลทดสอบ{i:03d}", "org_short_name": f"ทดสอบ{i:03d}",
            "district": "เมือง", "province": PROVINCES[i % 4], "org_code": None, "plan_kind": "multi_year",
            "fy_start": 2566, "fy_end": 2570, "framework": "2566", "status": status}


def batch_tables(n_plans: int = N_PLANS) -> dict[str, list[dict[str, Any]]]:
    """A batch of hand-made plans: plan 1 has a project outside its period and one without
    budget; plan 3 is a failed file."""
    plans, projects, budgets, warnings = [], [], [], []
    for i in range(1, n_plans + 1):
        p = _plan(i)
        plans.append(p)
        if p["status"] == "failed":
            warnings.append({"plan_id": p["plan_id"], "code": "UNREADABLE_FILE", "severity": "error",
                             "message": "cannot read file"})
            continue
        for seq in range(1, 5 + i % 3):
            project_id = f"{p['plan_id']}-{seq:03d}"
            dim = (seq - 1) % 4 + 1
            fy = 2561 if (i == 1 and seq == 2) else 2566 + seq % 3
            amount = None if (i == 1 and seq == 3) else 10000.0 * seq + i
            projects.append({
                "project_id": project_id, "plan_id": p["plan_id"], "seq": seq, "dimension": dim,
                "mission_code": f"{dim}.1", "title": f"โครงการส่งเสริมคุณธรรมที่ {seq} ของแผน {i}",
                "kind": "project", "fy_start": fy, "fy_end": fy, "budget_thb": amount,
                "budget_status": "amount" if amount is not None else "unspecified",
                "responsible_unit": "สำนักปลัด", "layout": "plan_table", "source_ref": f"p.{seq + 2}",
                "confidence": 0.9})
            if amount is not None:
                budgets.append({"project_id": project_id, "fiscal_year": fy, "amount_thb": amount})
        n = [x for x in projects if x["plan_id"] == p["plan_id"]]
        p["n_projects"] = len(n)
        p["budget_total_thb"] = sum(x["budget_thb"] or 0 for x in n)
    for p in plans:
        p.setdefault("n_projects", 0)
        p.setdefault("budget_total_thb", None)
    return apply_checks({"plans": plans, "projects": projects, "budgets": budgets, "warnings": warnings})


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_dataset(out, batch_tables())
    write_report(out)
    return out


# --------------------------------------------------------------------------- XLSX


def test_xlsx_sheets_are_the_tables_with_frozen_filtered_headers(report_dir: Path) -> None:
    import openpyxl
    import pandas as pd

    wb = openpyxl.load_workbook(report_dir / "report.xlsx")
    assert wb.sheetnames == ["Plans", "Projects", "Budgets", "Checks", "Warnings"]
    for sheet, table in zip(wb.sheetnames, ("plans", "projects", "budgets", "checks", "warnings"), strict=True):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        assert header == list(SCHEMA[table]), sheet
        n = len(pd.read_parquet(report_dir / f"{table}.parquet"))
        assert ws.max_row == n + 1, sheet
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{n + 1}"
        assert ws["A1"].font.b and ws["A1"].font.name == "Tahoma" and ws["A2"].font.name == "Tahoma"
        assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width >= len(h)
                   for i, h in enumerate(header, start=1))


def test_xlsx_numbers_are_numbers_with_thousands_separators(report_dir: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(report_dir / "report.xlsx")
    ws = wb["Projects"]
    header = [c.value for c in ws[1]]
    budget = ws.cell(row=2, column=header.index("budget_thb") + 1)
    assert isinstance(budget.value, int | float) and budget.value == 10001  # a number, not text
    assert budget.number_format == "#,##0.00"
    year = ws.cell(row=2, column=header.index("fy_start") + 1)
    assert isinstance(year.value, int) and year.number_format == "0"
    title = ws.cell(row=2, column=header.index("title") + 1)
    assert title.value == "โครงการส่งเสริมคุณธรรมที่ 1 ของแผน 1"
    plans = wb["Plans"]
    ph = [c.value for c in plans[1]]
    n = plans.cell(row=2, column=ph.index("n_projects") + 1)
    assert isinstance(n.value, int) and n.number_format == "#,##0"
    empty = [r for r in plans.iter_rows(min_row=2, values_only=True) if r[ph.index("status")] == "failed"]
    assert len(empty) == 1 and empty[0][ph.index("budget_total_thb")] is None
    checks = wb["Checks"]
    statuses = {r[2] for r in checks.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"pass", "fail", "not_applicable"}


# --------------------------------------------------------------------------- the HTML file


def test_html_is_one_self_contained_file(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", html, flags=re.DOTALL)  # the elements, not the code
    assert markup.count("<script") == N_PLANS + 3
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup, re.IGNORECASE) is None
    assert "default-src 'none'" in html  # the browser refuses any request
    assert "@font-face" in html and "data:font/ttf;base64," in html
    assert html.count('type="application/json" id="plan-') == N_PLANS
    assert "องค์การบริหารส่วนตำบลทดสอบ001" in html


def test_report_of_a_folder_without_checks_computes_them(tmp_path: Path) -> None:
    tables = batch_tables(6)
    write_dataset(tmp_path, tables)
    for ext in ("csv", "parquet"):
        (tmp_path / f"checks.{ext}").unlink()
    for ext in ("parquet",):  # the CSV tables alone are enough
        for name in ("plans", "projects", "budgets", "warnings"):
            (tmp_path / f"{name}.{ext}").unlink()
    write_report(tmp_path)
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "report.xlsx")["Checks"]
    assert ws.max_row == 6 * 9 + 1


def test_report_errors_say_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="prongsai run"):
        write_report(tmp_path)
    res = runner.invoke(app, ["report", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "prongsai run" in res.output


PLAN_TEXT = """แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕
องค์การบริหารส่วนตำบลเมืองน้อย
อำเภอธวัชบุรี จังหวัดร้อยเอ็ด
มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต
1. ชื่อโครงการ : โครงการอบรมคุณธรรม
7. ระยะเวลาดำเนินการ
ปีงบประมาณ ๒๕๖๕
8. งบประมาณดำเนินการ
๘,๕๐๐ บาท
9. ผู้รับผิดชอบ
สำนักงานปลัด
"""


def test_run_with_report_writes_both_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "--report"])
    assert res.exit_code == 0, res.output
    assert (out / "report.html").stat().st_size > 500_000 and (out / "report.xlsx").is_file()
    import pandas as pd

    checks = pd.read_csv(out / "checks.csv", encoding="utf-8-sig")
    assert list(checks.columns) == ["plan_id", "check", "status", "detail", "source_ref"] and len(checks) == 9
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 0 and "report.html" in res.output


# --------------------------------------------------------------------------- in a real browser


def _browser() -> Any:
    """playwright's sync API and Debian's Chromium; under CI=true both must be there."""
    if os.environ.get("CI") == "true":
        assert CHROMIUM.exists(), "Chromium is not installed: run 'make system-deps' (Debian package chromium)"
        from playwright import sync_api

        return sync_api
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed (Debian package chromium; 'make system-deps')")
    return pytest.importorskip("playwright.sync_api")


ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def test_report_in_headless_chromium(report_dir: Path) -> None:
    sync_api = _browser()
    from PIL import Image

    url = (report_dir / "report.html").as_uri()
    problems: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
                    else None)
            page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']")
            page.wait_for_function("document.querySelectorAll('#overview .chart[data-drawn]').length === 6")
            # overview charts drawn by Vega: marks in SVG
            for name in ("plans_by_status", "plans_by_org_type", "plans_by_province", "warnings_by_code",
                         "failed_checks_by_code", "budget_by_dimension_year"):
                marks = page.locator(f"#chart-{name} svg .mark-rect path").count()
                assert marks > 0, name
            assert page.locator("#chart-plans_by_province svg .mark-rect path").count() == 4
            # Thai text in the chart axes
            assert "ร้อยเอ็ด" in page.locator("#chart-plans_by_province svg").first.text_content()

            # the plan list: paginated, filtered, sorted
            rows = page.locator("#plan-table tbody tr")
            assert rows.count() == 50
            page.click("#plan-next")
            assert rows.count() == N_PLANS - 50
            page.fill("#plan-filter", "ขอนแก่น")
            assert rows.count() == N_PLANS // 4
            assert all("ขอนแก่น" in t for t in page.locator("#plan-table tbody tr td:nth-child(2)").all_inner_texts())
            page.fill("#plan-filter", "")
            page.click("#plan-table th[data-key='budget_total_thb']")
            first = [float(t.replace(",", "") or "nan") for t in
                     page.locator("#plan-table tbody tr td:nth-child(6)").all_inner_texts()[:5]]
            assert first == sorted(first)
            page.click("#plan-table th[data-key='budget_total_thb']")
            assert page.locator("#plan-table th[data-key='budget_total_thb']").get_attribute("aria-sort") == "descending"
            top = page.locator("#plan-table tbody tr td:nth-child(6)").first.inner_text()
            assert top == f"{10000 * (1 + 2 + 3 + 4 + 5 + 6) + 6 * 62:,}"  # plan 62: the last with 6 projects

            # one plan's section: scorecard, projects, charts, findings linked to their place
            page.goto(url + "#plan=000000000001")
            page.wait_for_function("document.querySelectorAll('#plan .chart[data-drawn]').length === 2")
            assert page.locator("#scorecard tbody tr").count() == 9
            failed = page.locator("#scorecard tbody tr[data-status='fail']")
            assert [failed.nth(k).get_attribute("data-check") for k in range(failed.count())] == [
                "MISSION_NOT_COVERED", "PERIOD_MISMATCH", "COPIED_PLAN"]
            assert page.locator("#plan-chart-year svg .mark-rect path").count() == 3  # 2561, 2567, 2568
            projects = page.locator("#project-table tbody tr")
            assert projects.count() == 5
            page.fill("#project-filter", "ที่ 4")
            assert projects.count() == 1
            page.fill("#project-filter", "")
            page.dispatch_event("#project-filter", "input")
            page.click("#project-table th[data-key='budget_thb']")
            page.click("#project-table th[data-key='budget_thb']")
            assert page.locator("#project-table tbody tr td:nth-child(8)").first.inner_text() == "50,001"
            period = page.locator("#scorecard tr[data-check='PERIOD_MISMATCH']")
            assert "fail" in period.inner_text() and "2561" in period.inner_text()
            period.locator("a.ref").click()
            page.wait_for_selector("#project-000000000001-002.hit")

            png = page.screenshot(full_page=False)
        finally:
            browser.close()
    assert problems == []
    assert requests == [url]  # the file itself, nothing else
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50  # not a blank page
    commonest = max(colours)[0] / (img.width * img.height)
    assert commonest < 0.9
