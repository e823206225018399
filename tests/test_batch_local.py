"""prongsai.batch.local (the ``process`` executor) and prongsai.batch.jobs (jobs, options,
defaults), with a small per-file function the workers import from this module.

No test races the clock: a hanging job writes "hanging" into its file before it sleeps,
and the time-out policy expires a job only on that event."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import process_gone

from prongsai.batch import jobs as jobs_mod
from prongsai.batch.jobs import DEFAULT_TIMEOUT, ExecOptions, Job, default_max_memory_mb, default_workers
from prongsai.batch.local import run_local

FOREVER = 600


def echo(path: Path, source_path: str) -> tuple[str, int]:
    """(source_path, the worker's pid); ``hang*`` signals and sleeps, ``boom*`` raises."""
    if source_path.startswith("hang"):
        path.write_text("hanging", encoding="utf-8")
        time.sleep(FOREVER)
    if source_path.startswith("boom"):
        raise ValueError(f"boom in {source_path}")
    return source_path, os.getpid()


def signalled(path: str, elapsed: float) -> bool:
    """The time-out policy: the job said it hangs."""
    return Path(path).read_text(encoding="utf-8") == "hanging"


def make_jobs(tmp_path: Path, names_sizes: list[tuple[str, int]]) -> list[Job]:
    out = []
    for i, (name, size) in enumerate(names_sizes):
        p = tmp_path / name
        p.write_text("", encoding="utf-8")
        out.append(Job(i, str(p), name, size))
    return out


def test_no_jobs_yield_nothing() -> None:
    assert list(run_local([], echo, ExecOptions())) == []


def test_one_worker_takes_the_largest_jobs_first_in_one_process(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path, [("a", 5), ("b", 50), ("c", 50), ("d", 1)])
    done = list(run_local(jobs, echo, ExecOptions(workers=1, timeout=None)))
    assert [(job.index, out.kind, out.result[0]) for job, out in done] == [
        (1, "ok", "b"), (2, "ok", "c"), (0, "ok", "a"), (3, "ok", "d")]
    assert len({out.result[1] for _, out in done}) == 1
    assert os.getpid() not in {out.result[1] for _, out in done}


def test_max_tasks_per_worker_gives_each_job_a_fresh_process(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path, [("a", 3), ("b", 2), ("c", 1)])
    done = list(run_local(jobs, echo, ExecOptions(workers=1, timeout=None, max_tasks_per_worker=1)))
    assert [out.result[0] for _, out in done] == ["a", "b", "c"]
    assert len({out.result[1] for _, out in done}) == 3


def test_a_raising_and_a_hanging_job_take_only_their_file(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path, [("boom.txt", 3), ("hang.txt", 2), ("good.txt", 1)])
    done = {job.source_path: out for job, out in run_local(
        jobs, echo, ExecOptions(workers=1, timeout=None, expired=signalled))}
    assert (done["boom.txt"].kind, done["boom.txt"].detail) == ("error", "ValueError: boom in boom.txt")
    assert (done["hang.txt"].kind, done["hang.txt"].result) == ("timeout", None)
    assert (done["good.txt"].kind, done["good.txt"].result[0]) == ("ok", "good.txt")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_closing_the_generator_stops_the_workers(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path, [("first", 2), ("hang", 1)])
    gen = run_local(jobs, echo, ExecOptions(workers=1, timeout=None))
    job, out = next(gen)
    assert (job.source_path, out.kind) == ("first", "ok")
    gen.close()  # the worker is busy with "hang" forever: it is killed
    assert process_gone(out.result[1])


def test_jobs_and_options_defaults() -> None:
    assert Job(3, "/in/a.pdf", "a.pdf") == Job(3, "/in/a.pdf", "a.pdf", 0)
    o = ExecOptions()
    assert (o.workers, o.timeout, o.max_memory_mb, o.max_tasks_per_worker, o.log_path, o.scheduler, o.expired,
            o.preload) == (1, DEFAULT_TIMEOUT, None, None, None, None, None, ())
    assert DEFAULT_TIMEOUT == 600.0


def test_default_workers_are_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    assert default_workers() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert default_workers() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert default_workers() == 1


def test_default_memory_is_80_percent_shared_by_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 4 * 2**30 // 4096}  # 4 GiB
    monkeypatch.setattr(jobs_mod.os, "sysconf", lambda name: values[name])
    assert default_max_memory_mb(1) == 3276  # int(4096 MB * 0.8)
    assert default_max_memory_mb(2) == 1638
    assert default_max_memory_mb(0) == 3276  # at least one worker
    assert default_max_memory_mb(64) == 256  # never below 256 MB

    def unknown(name: str) -> int:
        raise ValueError(name)

    monkeypatch.setattr(jobs_mod.os, "sysconf", unknown)
    assert default_max_memory_mb(2) is None
