"""A batch of plan files to the four tables: :func:`run_batch`.

Every input file is processed on its own (:func:`prongsai.pipeline.process_file`, run in
an isolated worker process by :mod:`prongsai.batch`): what became of a file in its
worker (an :class:`~prongsai.batch.Outcome`) is turned into its PlanResult here, a
file that could not be processed getting a ``failed`` plans row and an error warning
(``TIMEOUT``, ``OUT_OF_MEMORY``, ``WORKER_CRASHED``, ``UNREADABLE_FILE``), and the rest
of the batch is still written. Unchanged files are taken from the cache
(:mod:`prongsai.cache`). Results are put back in input order, so the tables are
identical whatever the executor and the number of workers.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prongsai.batch import (
    DEFAULT_TIMEOUT,
    ExecOptions,
    Expired,
    FileReport,
    Job,
    Outcome,
    Reporter,
    default_max_memory_mb,
    default_workers,
    execute,
)
from prongsai.cache import ResultCache, file_sha256, pipeline_fingerprint
from prongsai.dataset import write_dataset
from prongsai.decisions import Overrides
from prongsai.diagnostics import WarningCode
from prongsai.inputs import Inputs, find_inputs
from prongsai.output import TABLES
from prongsai.parse import PlanResult
from prongsai.pipeline import failed_result, process_file

#: imported once by the fork server of the local workers: it warms the pipeline up
PRELOAD = ("prongsai.warmup",)


@dataclass
class BatchSummary:
    """What a batch did. Unpacks as ``files, failed = run_batch(...)``."""

    files: int = 0
    failed: int = 0
    parsed: int = 0  # files read by a worker
    cached: int = 0  # files taken from the cache
    pages: int = 0
    seconds: float = 0.0

    def __iter__(self) -> Iterator[int]:  # (files, failed), the historical return value
        return iter((self.files, self.failed))


def outcome_result(job: Job, outcome: Outcome, plan_id: str | None, timeout: float | None,
                   max_memory_mb: float | None) -> PlanResult:
    """The PlanResult of a finished job: the worker's, or a ``failed`` one saying what happened."""
    if outcome.kind == "ok" and isinstance(outcome.result, PlanResult):
        return outcome.result
    path = Path(job.path)
    if outcome.kind == "timeout":
        limit = f"{timeout:g} s" if timeout else "time"
        return failed_result(path, job.source_path, WarningCode.TIMEOUT,
                             f"reading the file took longer than the {limit} limit (--timeout) and was "
                             "stopped; the file may make the reader hang", plan_id)
    if outcome.kind == "memory":
        if outcome.detail == "MemoryError":
            why = "reading the file ran out of memory (MemoryError)"
        else:
            limit = f" (limit {max_memory_mb:,.0f} MB, --max-memory)" if max_memory_mb else ""
            why = f"reading the file used too much memory: {outcome.detail}{limit}; it was stopped"
        return failed_result(path, job.source_path, WarningCode.OUT_OF_MEMORY, why, plan_id)
    if outcome.kind == "crashed":
        return failed_result(path, job.source_path, WarningCode.WORKER_CRASHED,
                             f"the worker process reading this file died ({outcome.detail}); the file may be "
                             "damaged in a way that crashes the reader", plan_id)
    return failed_result(path, job.source_path, WarningCode.UNREADABLE_FILE, f"cannot process file ({outcome.detail})", plan_id)


def file_report(res: PlanResult) -> FileReport:
    """What the progress shows of one file's result: its status, projects and pages, or
    the first error of a failed file.

    >>> file_report(PlanResult({"status": "ok", "n_projects": 3, "n_pages": 7}))
    FileReport(status='ok', found='3 projects', pages=7, failed=False, why='')
    >>> file_report(PlanResult({"status": "failed"}, warnings=[
    ...     {"severity": "error", "code": "UNREADABLE_FILE", "message": "broken"}])).why
    'UNREADABLE_FILE: broken'
    """
    status = res.plan.get("status")
    failed = status == "failed"
    why = ""
    if failed:
        err = next((w for w in res.warnings if w.get("severity") == "error"), None)
        why = f"{err['code']}: {err['message']}" if err else "failed"
    return FileReport(status=str(status), found=f"{res.plan.get('n_projects') or 0} projects",
                      pages=int(res.plan.get("n_pages") or 0), failed=failed, why=why)


def assemble_tables(results: list[PlanResult]) -> dict[str, list[dict[str, Any]]]:
    """The four tables from per-file results, in input order (plans sorted by source_path)."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for res in results:
        tables["plans"].append(res.plan)
        tables["projects"].extend(res.projects)
        tables["budgets"].extend(res.budgets)
        tables["warnings"].extend(res.warnings)
    tables["plans"].sort(key=lambda r: (r["source_path"], r["plan_id"]))
    return tables


# --------------------------------------------------------------------------- the steps of a batch


def _per_file(process_fn: Callable[[Path, str], PlanResult],
              overrides: Overrides | None) -> tuple[Callable[..., PlanResult], str]:
    """The function the workers run and the cache fingerprint of its results."""
    fingerprint = pipeline_fingerprint()
    if process_fn is not process_file:  # a different per-file function has its own cache
        name = f"{getattr(process_fn, '__module__', '')}.{getattr(process_fn, '__qualname__', repr(process_fn))}"
        fingerprint = hashlib.sha256(f"{fingerprint}\0{name}".encode()).hexdigest()
    if overrides is not None and len(overrides) and process_fn is process_file:
        # the reviewer's decisions change the results: their own cache entries
        fingerprint = hashlib.sha256(f"{fingerprint}\0{overrides.digest()}".encode()).hexdigest()
        return functools.partial(process_file, overrides=overrides), fingerprint
    return process_fn, fingerprint


@dataclass
class _Plan:
    """The files of a batch: results so far (cache hits), content hashes, jobs to run."""

    files: list[tuple[Path, str]]
    results: list[PlanResult | None]
    shas: list[str | None]
    hits: list[tuple[int, PlanResult]] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)


def _plan(files: list[tuple[Path, str]], cache: ResultCache) -> _Plan:
    """Take what the cache has; every other file becomes a job."""
    plan = _Plan(files, [None] * len(files), [None] * len(files))
    for i, (path, source_path) in enumerate(files):
        sha: str | None = None
        try:
            sha = plan.shas[i] = file_sha256(path)
            size = path.stat().st_size
        except OSError:
            size = 0
        hit = cache.get(sha, source_path) if sha else None
        if hit is not None:
            plan.results[i] = hit
            plan.hits.append((i, hit))
        else:
            plan.jobs.append(Job(i, os.path.abspath(path), source_path, size))
    return plan


def _report_known(reporter: Reporter, found: Inputs, plan: _Plan) -> None:
    """Report the inputs that are not read and the files the cache answered."""
    if found.skipped:
        reporter.log(found.skipped_summary())
        for source_path, why in found.skipped:
            reporter.log(f"not read ({why}): {source_path}", show=False)
    for i, hit in plan.hits:
        reporter.file_done(plan.files[i][1], file_report(hit), cached=True, seconds=0.0)


def _run_jobs(plan: _Plan, fn: Callable[..., PlanResult], executor: str, opts: ExecOptions, cache: ResultCache,
              reporter: Reporter) -> None:
    """Run the jobs; each outcome becomes its file's result in ``plan.results`` (and the
    cache's, when it is the file's own result)."""
    with contextlib.closing(execute(plan.jobs, fn, executor, opts)) as done:
        for job, outcome in done:
            sha = plan.shas[job.index]
            res = outcome_result(job, outcome, sha[:12] if sha else None, opts.timeout, opts.max_memory_mb)
            if outcome.kind == "ok" and sha and res.plan.get("plan_id") == sha[:12]:
                cache.put(sha, job.source_path, res)
            plan.results[job.index] = res
            reporter.file_done(job.source_path, file_report(res), cached=False, seconds=outcome.seconds)


def _write_tables(out: Path, results: list[PlanResult | None]) -> list[PlanResult]:
    """The tables of the results, with the audit checks, written to ``out``; the results."""
    final = [r for r in results if r is not None]
    from prongsai.checks import apply_checks  # the audit checks: batch-level, in the main process

    write_dataset(out, apply_checks(assemble_tables(final)))
    return final


def run_batch(
    inputs: list[Path],
    out: Path,
    *,
    workers: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: float | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    reporter: Reporter | None = None,
    process_fn: Callable[[Path, str], PlanResult] = process_file,
    max_tasks_per_worker: int | None = None,
    overrides: Overrides | None = None,
    expired: Expired | None = None,
) -> BatchSummary:
    """Process the inputs and write the tables.

    Files are read in worker processes (``executor`` ``process`` with ``workers``
    of them, default: the cores; or ``dask`` on the cluster at ``scheduler``), each
    under a ``timeout`` in seconds and ``max_memory_mb`` of resident memory (default:
    80 % of the machine's memory shared by the workers); ``expired(path, elapsed)``
    replaces the ``timeout`` decision (:data:`prongsai.batch.Expired`; the messages
    still name ``timeout``). Results of unchanged files come from the cache in
    ``cache_dir`` (default ``out/.cache``); ``use_cache=False`` reads every file again
    (and refreshes the cache). ``process_fn`` is the per-file function (it must be
    importable by the workers).

    Raises :class:`prongsai.batch.SchedulerError` when the Dask cluster cannot be used.
    Scripts that call this must guard their top level with ``if __name__ == "__main__":``
    (the workers are started with multiprocessing's ``forkserver`` method).
    """
    t0 = time.perf_counter()
    reporter = reporter or Reporter(silent=True)
    workers = workers or default_workers()
    if max_memory_mb is None and executor == "process":
        max_memory_mb = default_max_memory_mb(workers)
    found = find_inputs(inputs)
    fn, fingerprint = _per_file(process_fn, overrides)
    cache = ResultCache(cache_dir or out / ".cache", fingerprint, read=use_cache)
    plan = _plan(found.files, cache)

    reporter.start(len(plan.files), len(plan.jobs), workers, executor)
    try:
        _report_known(reporter, found, plan)
        opts = ExecOptions(workers=workers, timeout=timeout, max_memory_mb=max_memory_mb,
                           max_tasks_per_worker=max_tasks_per_worker, log_path=reporter.log_path, scheduler=scheduler,
                           expired=expired, preload=PRELOAD)
        _run_jobs(plan, fn, executor, opts, cache, reporter)
        final = _write_tables(out, plan.results)
        if use_cache:
            cache.prune()
    finally:
        reporter.close()
    return BatchSummary(files=len(plan.files), failed=sum(r.plan["status"] == "failed" for r in final),
                        parsed=len(plan.jobs), cached=len(plan.hits), pages=reporter.c.pages,
                        seconds=time.perf_counter() - t0)
