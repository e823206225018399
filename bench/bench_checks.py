"""Benchmark of the audit checks on synthetic batches (default 1,000 and 10,000 plans of
20 projects; 1 % are copies of another organisation's plan with the names changed).

    .venv/bin/python bench/bench_checks.py [--plans 1000 10000] [--json FILE]

Prints, per batch size: the time of COPIED_PLAN (MinHash signatures + LSH + exact
verification), of all checks together (run_checks), the pairs verified, and how many of
the planted copies were found (and how many plans failed that are not copies or their
originals).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))

from synth_tables import synthetic_tables  # noqa: E402

from prongsai.checks import run_checks  # noqa: E402
from prongsai.checks.copied import copied_plans  # noqa: E402
from prongsai.checks.model import group_plans  # noqa: E402


def planted(tables: dict) -> set[tuple[str, str]]:
    """(copy, original) plan ids: plans whose first title equals another plan's after renaming."""
    by_plan: dict[str, list[str]] = {}
    for p in tables["projects"]:
        by_plan.setdefault(p["plan_id"], []).append(p.get("objectives") or "")
    seen: dict[str, str] = {}
    pairs = set()
    for pid, texts in by_plan.items():
        key = texts[0].rsplit(" ", 1)[0]  # the objectives without the organisation's name
        if key in seen:
            pairs.add((pid, seen[key]))
        else:
            seen[key] = pid
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = []
    for n in args.plans:
        t0 = time.perf_counter()
        tables = synthetic_tables(n)
        gen = time.perf_counter() - t0
        truth = planted(tables)
        grouped = group_plans(tables["plans"], tables["projects"], tables["budgets"], tables["warnings"])
        t0 = time.perf_counter()
        copied = copied_plans(grouped)
        t_copied = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = run_checks(tables["plans"], tables["projects"], tables["budgets"], tables["warnings"])
        t_all = time.perf_counter() - t0
        failed = {pid for pid, r in copied.items() if r.status == "fail"}
        involved = {a for a, _ in truth} | {b for _, b in truth}
        found = sum(1 for a, _ in truth if a in failed)
        res = {"plans": n, "projects": len(tables["projects"]), "generate_s": round(gen, 1),
               "copied_plan_s": round(t_copied, 2), "all_checks_s": round(t_all, 2), "check_rows": len(rows),
               "planted_copies": len(truth), "copies_found": found, "other_plans_failed": len(failed - involved)}
        results.append(res)
        print(json.dumps(res, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
