"""prongsai.cache: hits, misses, what is never cached, corrupt entries, pruning."""

from __future__ import annotations

import os
from pathlib import Path

from prongsai.cache import ResultCache, file_sha256
from prongsai.parse import PlanResult

FP_A = "a" * 64
FP_B = "b" * 64


def _result(code: str = "FUZZY_LABEL") -> PlanResult:
    return PlanResult(
        plan={"plan_id": "p1", "org_name": "อบต.ทดสอบ", "status": "ok"},
        projects=[{"project_id": "p1-001", "title": "โครงการอบรม", "budget_thb": 1500.0}],
        budgets=[{"project_id": "p1-001", "fiscal_year": 2567, "amount_thb": 1500.0}],
        warnings=[{"plan_id": "p1", "project_id": None, "code": code, "severity": "info", "message": "m"}],
    )


def _plan_file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "plan.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_hit_returns_the_stored_result(tmp_path: Path) -> None:
    f = _plan_file(tmp_path, "แผนปฏิบัติการ")
    cache = ResultCache(tmp_path / "cache", FP_A)
    sha = file_sha256(f)
    assert cache.put(sha, "plan.txt", _result())
    got = cache.get(sha, "plan.txt")
    assert got is not None
    want = _result()
    assert (got.plan, got.projects, got.budgets, got.warnings) == (
        want.plan, want.projects, want.budgets, want.warnings)


def test_miss_after_the_file_changes(tmp_path: Path) -> None:
    f = _plan_file(tmp_path, "แผนปฏิบัติการ ๒๕๖๗")
    cache = ResultCache(tmp_path / "cache", FP_A)
    assert cache.put(file_sha256(f), "plan.txt", _result())
    f.write_text("แผนปฏิบัติการ ๒๕๖๘", encoding="utf-8")
    assert cache.get(file_sha256(f), "plan.txt") is None
    assert cache.get(file_sha256(f), "other/plan.txt") is None  # the path is part of the key too


def test_miss_after_the_pipeline_fingerprint_changes(tmp_path: Path) -> None:
    sha = file_sha256(_plan_file(tmp_path, "x"))
    assert ResultCache(tmp_path / "cache", FP_A).put(sha, "plan.txt", _result())
    assert ResultCache(tmp_path / "cache", FP_A).get(sha, "plan.txt") is not None
    assert ResultCache(tmp_path / "cache", FP_B).get(sha, "plan.txt") is None


def test_transient_failures_are_not_cached(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache", FP_A)
    for i, code in enumerate(["TIMEOUT", "WORKER_CRASHED", "OUT_OF_MEMORY", "UNSUPPORTED_FORMAT",
                              "CONVERSION_TIMEOUT"]):
        sha = f"{i:064x}"
        assert cache.put(sha, "plan.txt", _result(code)) is False
        assert cache.get(sha, "plan.txt") is None
    # a failure of the file itself is cached
    assert cache.put("f" * 64, "plan.txt", _result("UNREADABLE_FILE")) is True
    assert cache.get("f" * 64, "plan.txt") is not None


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache", FP_A)
    sha = "c" * 64
    assert cache.put(sha, "plan.txt", _result())
    entry = cache._path(cache.key(sha, "plan.txt"))
    assert entry.is_file()
    for broken in (b'{"format": 1, "sha256": "cc', b"\xff\xfe not json", b"[]",
                   b'{"format": 1, "sha256": "' + sha.encode() + b'", "source_path": "plan.txt"}'):
        entry.write_bytes(broken)
        assert cache.get(sha, "plan.txt") is None
    # and put() replaces it again
    assert cache.put(sha, "plan.txt", _result())
    assert cache.get(sha, "plan.txt") is not None


def test_read_false_never_hits_but_still_writes(tmp_path: Path) -> None:
    sha = "d" * 64
    assert ResultCache(tmp_path / "cache", FP_A, read=False).put(sha, "plan.txt", _result())
    assert ResultCache(tmp_path / "cache", FP_A, read=False).get(sha, "plan.txt") is None
    assert ResultCache(tmp_path / "cache", FP_A).get(sha, "plan.txt") is not None


def test_prune_keeps_the_most_recently_used_fingerprints(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    fps = [f"{i:x}" * 64 for i in range(1, 6)]  # 11..., 22..., ...
    for age, fp in enumerate(fps):
        c = ResultCache(root, fp)
        assert c.put("e" * 64, "plan.txt", _result())
        old = 1_000_000 + 1000 * age  # fps[0] oldest, fps[4] newest
        os.utime(c.dir, (old, old))
    other = root / "not-a-fingerprint"
    other.mkdir()
    current = ResultCache(root, fps[0])  # the oldest is used now: it stays
    current.prune(keep=3)
    left = sorted(d.name for d in root.iterdir())
    assert left == sorted([fps[0][:16], fps[4][:16], fps[3][:16], "not-a-fingerprint"])
    assert current.get("e" * 64, "plan.txt") is not None
