"""Benchmark: building the output folder (validation, CSV + Parquet, datapackage.json,
prongsai.duckdb, plan and project links) for a large generated batch.

Run by hand (not in CI; about a minute on 2 cores):

    .venv/bin/python bench/bench_dataset.py [--plans 10000] [--projects-per-plan 50] [--steps] [--out DIR] [--json FILE]

The tables are generated, not parsed: ``--plans`` plans of ``--plans / 2``
organisations (two plan cycles each, 2561-2564 and 2566-2570, so every organisation
has a ``next_cycle`` link and its projects are matched), ``--projects-per-plan``
projects per plan with Thai titles and section texts (the next cycle keeps most
titles, renames some, drops and adds others), 2 budget rows per project and a few
warnings per plan. Reported: the seconds of :func:`prongsai.dataset.write_dataset`
(whole and by step; wall-clock and CPU time, since the machine is shared: CPU time
counts every thread of the process, DuckDB's included) and the process's peak
resident memory (``ru_maxrss``), with the memory the generated tables themselves take.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

WORDS = ("ส่งเสริม", "คุณธรรม", "จริยธรรม", "อบรม", "ความโปร่งใส", "การมีส่วนร่วม", "ประชาชน", "พนักงาน",
         "ผู้บริหาร", "เปิดเผยข้อมูล", "จัดซื้อจัดจ้าง", "ร้องเรียน", "ตรวจสอบ", "เด็กและเยาวชน", "เศรษฐกิจพอเพียง",
         "สมาชิกสภา", "ป้องกันการทุจริต", "ประกาศเจตจำนง", "ลดขั้นตอน", "บริการ", "ข้อบัญญัติ", "ควบคุมภายใน")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phrases(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    idx = rng.integers(0, len(WORDS), size=(n, k))
    words = np.array(WORDS, dtype=object)
    return np.array(["".join(row) for row in words[idx]], dtype=object)


def generate(n_plans: int, per_plan: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n_orgs = n_plans // 2
    org = np.arange(n_plans) % n_orgs
    cycle = np.arange(n_plans) // n_orgs  # 0: 2561-2564, 1: 2566-2570
    plan_id = np.array([f"{i:012x}" for i in range(n_plans)], dtype=object)
    plans = pd.DataFrame({
        "plan_id": plan_id, "source_path": [f"plans/{i:06d}.pdf" for i in range(n_plans)],
        "source_format": "pdf", "n_pages": 60, "text_source": "text", "org_type": "sao",
        "org_name": [f"องค์การบริหารส่วนตำบลทดสอบ{o}" for o in org], "org_short_name": [f"ทดสอบ{o}" for o in org],
        "district": "เมือง", "province": "ขอนแก่น", "org_code": [f"6{o:06d}" for o in org],
        "plan_kind": "multi_year", "fy_start": np.where(cycle == 0, 2561, 2566), "fy_end": np.where(cycle == 0, 2564, 2570),
        "framework": np.where(cycle == 0, "2561", "2566"), "n_projects": per_plan, "budget_total_thb": 0.0,
        "status": "ok", "n_warnings": 3,
    })
    n = n_plans * per_plan
    p_of = np.repeat(np.arange(n_plans), per_plan)
    seq = np.tile(np.arange(1, per_plan + 1), n_plans)
    # titles: the same per (organisation, seq) in both cycles, except renamed / new ones in cycle 1
    base_titles = _phrases(rng, n_orgs * per_plan, 4)
    titles = base_titles[org[p_of] * per_plan + seq - 1].copy()
    fresh = (cycle[p_of] == 1) & (rng.random(n) < 0.15)
    titles[fresh] = _phrases(rng, int(fresh.sum()), 4)
    renamed = (cycle[p_of] == 1) & ~fresh & (rng.random(n) < 0.2)
    titles[renamed] = titles[renamed] + "ประจำปี"
    dim = (seq - 1) % 4 + 1
    budget = rng.integers(0, 200, size=n) * 1000.0
    project_id = np.array([f"{plan_id[p]}-{s:03d}" for p, s in zip(p_of, seq, strict=True)], dtype=object)
    texts = pd.array(_phrases(rng, n, 12), dtype="string")
    projects = pd.DataFrame({
        "project_id": project_id, "plan_id": plan_id[p_of], "seq": seq, "dimension": dim,
        "dimension_label": "การสร้างวัฒนธรรมสุจริต", "mission_code": [f"{d}.1" for d in dim],
        "dimension_2566": dim, "mission_code_2566": [f"{d}.1" for d in dim],
        "title": ["โครงการ" + t for t in titles], "kind": "project", "objectives": texts,
        "targets": "ผู้บริหาร สมาชิกสภา และพนักงาน", "area": "องค์การบริหารส่วนตำบล", "method": texts,
        "indicators": "ร้อยละ 80", "outcomes": "บุคลากรมีคุณธรรม", "rationale": texts,
        "period_text": "ตุลาคม - กันยายน", "fy_start": plans["fy_start"].to_numpy()[p_of],
        "fy_end": plans["fy_end"].to_numpy()[p_of], "budget_thb": budget,
        "budget_status": np.where(budget > 0, "amount", "none"), "responsible_unit": "สำนักปลัด",
        "unit": None, "quantity": None, "quarters": "1,2,3,4", "layout": "detail+plan_table",
        "source_ref": [f"p.{s}" for s in seq], "confidence": 0.9,
    })
    budgets = pd.DataFrame({
        "project_id": np.repeat(project_id, 2),
        "fiscal_year": np.repeat(projects["fy_start"].to_numpy(), 2) + np.tile([0, 1], n),
        "amount_thb": np.repeat(budget / 2, 2),
    })
    warnings = pd.DataFrame({
        "plan_id": np.repeat(plan_id, 3), "project_id": None,
        "code": np.tile(["FUZZY_LABEL", "INFERRED_VALUE", "MISSING_SECTION"], n_plans),
        "severity": "info", "message": "มติ -> มิติ (score 90)", "source_ref": "p.3",
    })
    return {name: _lean(df) for name, df in
            {"plans": plans, "projects": projects, "budgets": budgets, "warnings": warnings}.items()}


def _lean(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Arrow strings (as the pipeline's tables are held), not Python objects."""
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].astype("string")
    return df


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=10_000)
    ap.add_argument("--projects-per-plan", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--steps", action="store_true", help="time each step again, one by one")
    args = ap.parse_args()

    from prongsai import dataset, links, package, validate
    from prongsai.database import build_database
    from prongsai.output import frame, write_csv, write_parquet

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    tables = generate(args.plans, args.projects_per_plan)
    gen_s = time.perf_counter() - t0
    rss_tables = _rss_mb()
    out = args.out or Path(tempfile.mkdtemp(prefix="prongsai-bench-"))
    steps: dict[str, float] = {}
    cpu: dict[str, float] = {}

    # the whole call, as a run makes it
    t, c = time.perf_counter(), time.process_time()
    frames = dataset.write_dataset(out, tables)
    total, total_cpu = time.perf_counter() - t, time.process_time() - c
    peak_call = _rss_mb()
    if args.steps:  # the same steps again, one by one (into a scratch folder), to see where the time goes
        scratch = Path(tempfile.mkdtemp(prefix="prongsai-bench-steps-"))
        t, c = time.perf_counter(), time.process_time()
        base = {n: frame(n, tables.get(n, [])) for n in ("plans", "projects", "budgets", "warnings", "checks")}
        steps["frames"], cpu["frames"] = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        pl = links.plan_links(base["plans"])
        steps["plan_links"], cpu["plan_links"] = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        links.project_links(base["projects"], pl)
        steps["project_links"], cpu["project_links"] = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        validate.validate(frames)
        steps["validate"], cpu["validate"] = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        for n, df in frames.items():
            write_csv(df, scratch / f"{n}.csv")
            write_parquet(df, scratch / f"{n}.parquet")
        steps["csv+parquet"], cpu["csv+parquet"] = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        package.write_descriptor(scratch)
        steps["datapackage.json"], cpu["datapackage.json"] = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        build_database(scratch / "prongsai.duckdb", scratch)
        steps["duckdb"], cpu["duckdb"] = time.perf_counter() - t, time.process_time() - c
        shutil.rmtree(scratch, ignore_errors=True)

    result = {
        "plans": len(frames["plans"]), "projects": len(frames["projects"]), "budgets": len(frames["budgets"]),
        "warnings": len(frames["warnings"]), "plan_links": len(frames["plan_links"]), "project_links": len(frames["project_links"]),
        "generate_s": round(gen_s, 1), "write_dataset_s": round(total, 1), "write_dataset_cpu_s": round(total_cpu, 1),
        "steps_s": {k: round(v, 1) for k, v in steps.items()},
        "steps_cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "load_average_1min": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
        "rss_start_mb": round(rss0), "rss_after_generating_mb": round(rss_tables), "peak_rss_write_dataset_mb": round(peak_call),
        "peak_rss_with_step_rerun_mb": round(_rss_mb()),
        "output_mb": round(sum(f.stat().st_size for f in out.iterdir() if f.is_file()) / 2**20),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
