"""Benchmark of the report on a synthetic batch (default 1,000 plans of 20 projects):
time to write report.html and report.xlsx, their sizes, and how long headless Chromium
(Debian's /usr/bin/chromium, through playwright) takes to open report.html until the
overview charts are drawn, and to open one plan's section.

    .venv/bin/python bench/bench_report.py [--plans 1000] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))

from synth_tables import synthetic_tables  # noqa: E402

from prongsai.checks import apply_checks  # noqa: E402
from prongsai.dataset import write_dataset  # noqa: E402
from prongsai.report import write_report  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def open_times(html: Path, plan_id: str, repeat: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    loads, plans = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                t0 = time.perf_counter()
                page.goto(html.as_uri())
                page.wait_for_function("document.querySelectorAll('#overview .chart[data-drawn]').length === 6",
                                       timeout=120_000)
                loads.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                page.evaluate(f"location.hash = 'plan={plan_id}'")
                page.wait_for_function("document.querySelectorAll('#plan .chart[data-drawn]').length === 2")
                plans.append(time.perf_counter() - t0)
                page.close()
        finally:
            browser.close()
    return loads, plans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    tables = apply_checks(synthetic_tables(args.plans))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_dataset(out, tables)
        t0 = time.perf_counter()
        html, xlsx = write_report(out)
        write_s = time.perf_counter() - t0
        loads, plans = open_times(html, tables["plans"][args.plans // 2]["plan_id"], args.repeat)
        res = {"plans": args.plans, "projects": len(tables["projects"]), "write_report_s": round(write_s, 1),
               "html_mb": round(html.stat().st_size / 1e6, 1), "xlsx_mb": round(xlsx.stat().st_size / 1e6, 1),
               "open_to_charts_s": [round(x, 2) for x in loads], "open_plan_s": [round(x, 2) for x in plans]}
    print(json.dumps(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
