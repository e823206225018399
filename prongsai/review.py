"""``prongsai review``: the run's fuzzy and inferred decisions as one file to review.

``review.csv`` has one row per distinct decision (field, raw text, chosen value),
with its lowest score, how many warning rows it stands for, where it was first
seen, and an empty ``correct_value`` column. A reviewer fills ``correct_value``
(``-`` rejects the guess) and passes the file back with
``prongsai run ... --overrides review.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REVIEW_COLUMNS = ["field", "raw_value", "chosen_value", "score", "n_rows", "n_plans", "first_seen", "code",
                  "correct_value"]


class ReviewError(ValueError):
    """The output folder holds no tables to review."""


def build_review(out_dir: Path) -> pd.DataFrame:
    """The review table of the run written to ``out_dir``."""
    wpath, ppath = out_dir / "warnings.csv", out_dir / "plans.csv"
    if not wpath.is_file() or not ppath.is_file():
        raise ReviewError(f"{out_dir} holds no warnings.csv/plans.csv; run 'prongsai run ... --out {out_dir}' first")
    w = pd.read_csv(wpath, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    plans = pd.read_csv(ppath, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if "field" not in w.columns:
        raise ReviewError(f"{wpath} has no decision columns (written by an older prongsai); run again")
    where = dict(zip(plans["plan_id"], plans["source_path"], strict=False))
    w = w[w["field"] != ""]
    rows = []
    for (fld, raw, chosen), g in w.groupby(["field", "raw_value", "chosen_value"], sort=True):
        first = g.iloc[0]
        scores = pd.to_numeric(g["score"], errors="coerce")
        rows.append({
            "field": fld, "raw_value": raw, "chosen_value": chosen,
            "score": float(scores.min()) if scores.notna().any() else None,
            "n_rows": len(g), "n_plans": g["plan_id"].nunique(),
            "first_seen": f"{where.get(first['plan_id'], first['plan_id'])} {first['source_ref']}".strip(),
            "code": first["code"], "correct_value": "",
        })
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def write_review(out_dir: Path, path: Path | None = None) -> tuple[Path, int]:
    """Write ``review.csv`` (UTF-8 with BOM) into ``out_dir``; returns (path, rows)."""
    df = build_review(out_dir)
    target = path or out_dir / "review.csv"
    df.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\n")
    return target, len(df)
