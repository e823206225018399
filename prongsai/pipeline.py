"""Command line and orchestration: ``prongsai run`` and ``prongsai text``.

Every input file is processed on its own (:func:`process_file`, run in an isolated
worker process by :mod:`prongsai.batch`): a file that cannot be read gets a
``failed`` plans row and an error warning, and the rest of the batch is still
written. Unchanged files are taken from the cache (:mod:`prongsai.cache`).
Exit status: 0 all files processed, 1 some file failed, 2 bad usage.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import typer  # noqa: E402

from prongsai import __version__  # noqa: E402
from prongsai.batch import (  # noqa: E402
    DEFAULT_TIMEOUT,
    WARM_ENV,
    ExecOptions,
    Job,
    Outcome,
    Reporter,
    SchedulerError,
    default_max_memory_mb,
    default_workers,
    execute,
    signal_name,
    warm_up,
)
from prongsai.cache import ResultCache, file_sha256, pipeline_fingerprint  # noqa: E402
from prongsai.dataset import write_dataset  # noqa: E402
from prongsai.decisions import Overrides, OverridesError  # noqa: E402
from prongsai.extract import SUFFIXES, clean_document, read_document, sniff_format  # noqa: E402
from prongsai.inputs import find_inputs  # noqa: E402
from prongsai.model import Document, ExtractError  # noqa: E402
from prongsai.output import TABLES  # noqa: E402
from prongsai.parse import PlanResult, parse_plan  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Thai anti-corruption action plans -> one clean dataset.")

DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUT = Path("data/clean")

#: a document with none of these words, no organisation and no project is not a plan
PLAN_WORDS = ("มิติ", "โครงการ", "แผนปฏิบัติการ", "ภารกิจ", "กิจกรรม", "มาตรการ")


def plan_id_of(path: Path) -> str:
    """First 12 hex digits of the SHA-256 of the file's bytes."""
    return file_sha256(path)[:12]


def _base_row(path: Path, source_path: str, plan_id: str) -> dict[str, Any]:
    try:
        fmt = sniff_format(path)  # a PDF named .docx is a pdf
    except (ExtractError, OSError):
        fmt = SUFFIXES.get(path.suffix.lower(), path.suffix.lower().lstrip(".") or "txt")
    return {"plan_id": plan_id, "source_path": source_path, "source_format": fmt, "n_pages": None,
            "text_source": "text"}


def _failed(base: dict[str, Any], code: str, message: str) -> PlanResult:
    plan = dict(base, n_projects=0, status="failed", n_warnings=1)
    warning = {"plan_id": base["plan_id"], "project_id": None, "code": code, "severity": "error",
               "message": message, "source_ref": None}
    return PlanResult(plan, warnings=[warning])


def failed_result(path: Path, source_path: str, code: str, message: str, plan_id: str | None = None) -> PlanResult:
    """The ``failed`` result of a file that could not be processed (one error warning)."""
    if plan_id is None:
        try:
            plan_id = plan_id_of(path)
        except OSError:
            plan_id = hashlib.sha256(source_path.encode()).hexdigest()[:12]
    return _failed(_base_row(path, source_path, plan_id), code, message)


#: problems that explain an empty text: the text is missing because OCR could not run
_NO_OCR_CODES = frozenset({"OCR_UNAVAILABLE", "OCR_FAILED"})


def _not_a_plan(doc: Document, res: PlanResult) -> str | None:
    """Why the document is not a plan, or None when it may be one: no project, no
    organisation and none of the plan words, or no text at all (blank pages, pictures
    only, a scan OCR read nothing from; not when OCR could not run: that is ``partial``)."""
    if res.projects or res.plan.get("org_name") or res.plan.get("org_type"):
        return None
    text = doc.plain_text()
    if not text.strip():
        if any(w.get("code") in _NO_OCR_CODES for w in res.warnings):
            return None
        return ("the document has no readable text (blank pages, pictures only, or a scan OCR could not read); "
                "nothing was taken from it")
    if any(w in text for w in PLAN_WORDS):
        return None
    words = ", ".join(PLAN_WORDS[:3])
    return (f"the document does not look like an action plan: no organisation, no project and none of "
            f"the words {words} (or its text could not be read correctly); nothing was taken from it")


def _mark_not_a_plan(res: PlanResult, why: str) -> PlanResult:
    res.warnings.insert(0, {
        "plan_id": res.plan["plan_id"], "project_id": None, "code": "NOT_A_PLAN", "severity": "error",
        "message": why, "source_ref": None})
    res.plan["status"] = "failed"
    res.plan["n_warnings"] = len(res.warnings)
    return res


def process_file(path: Path, source_path: str, overrides: Overrides | None = None) -> PlanResult:
    """Everything for one file; never raises. ``overrides`` are a reviewer's decisions."""
    try:
        plan_id = plan_id_of(path)
    except OSError as exc:
        plan_id = hashlib.sha256(source_path.encode()).hexdigest()[:12]
        return _failed(_base_row(path, source_path, plan_id), "UNREADABLE_FILE", f"cannot read file: {exc.strerror}")
    base = _base_row(path, source_path, plan_id)
    try:
        doc = read_document(path)
        base.update(source_format=doc.format, n_pages=doc.n_pages, text_source=doc.text_source)
    except ExtractError as exc:
        return _failed(base, "UNREADABLE_FILE", str(exc))
    except MemoryError:
        return _failed(base, "OUT_OF_MEMORY", "reading the file ran out of memory")
    except Exception as exc:  # noqa: BLE001 - a backend bug must not take the batch down
        return _failed(base, "UNREADABLE_FILE", f"cannot read file ({type(exc).__name__}: {exc})")
    try:
        cleaned = clean_document(doc)
        del doc
        res = parse_plan(cleaned, plan_id, base, overrides)
        why = _not_a_plan(cleaned, res)
        return _mark_not_a_plan(res, why) if why else res
    except MemoryError:
        return _failed(base, "OUT_OF_MEMORY", "parsing the file ran out of memory")
    except Exception as exc:  # noqa: BLE001
        return _failed(base, "PARSE_ERROR", f"the file was read but could not be parsed ({type(exc).__name__}: {exc})")


# --------------------------------------------------------------------------- the batch


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
        return failed_result(path, job.source_path, "TIMEOUT",
                             f"reading the file took longer than the {timeout:g} s limit (--timeout) and was "
                             "stopped; the file may make the reader hang", plan_id)
    if outcome.kind == "memory":
        if outcome.detail == "MemoryError":
            why = "reading the file ran out of memory (MemoryError)"
        else:
            limit = f" (limit {max_memory_mb:,.0f} MB, --max-memory)" if max_memory_mb else ""
            why = f"reading the file used too much memory: {outcome.detail}{limit}; it was stopped"
        return failed_result(path, job.source_path, "OUT_OF_MEMORY", why, plan_id)
    if outcome.kind == "crashed":
        return failed_result(path, job.source_path, "WORKER_CRASHED",
                             f"the worker process reading this file died ({outcome.detail}); the file may be "
                             "damaged in a way that crashes the reader", plan_id)
    return failed_result(path, job.source_path, "UNREADABLE_FILE", f"cannot process file ({outcome.detail})", plan_id)


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
) -> BatchSummary:
    """Process the inputs and write the tables.

    Files are read in worker processes (``executor`` ``process`` with ``workers``
    of them, default: the cores; or ``dask`` on the cluster at ``scheduler``), each
    under a ``timeout`` in seconds and ``max_memory_mb`` of resident memory (default:
    80 % of the machine's memory shared by the workers). Results of unchanged files
    come from the cache in ``cache_dir`` (default ``out/.cache``); ``use_cache=False``
    reads every file again (and refreshes the cache). ``process_fn`` is the per-file
    function (it must be importable by the workers).

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
    files = found.files
    fingerprint = pipeline_fingerprint()
    if process_fn is not process_file:  # a different per-file function has its own cache
        name = f"{getattr(process_fn, '__module__', '')}.{getattr(process_fn, '__qualname__', repr(process_fn))}"
        fingerprint = hashlib.sha256(f"{fingerprint}\0{name}".encode()).hexdigest()
    if overrides is not None and len(overrides) and process_fn is process_file:
        # the reviewer's decisions change the results: their own cache entries
        fingerprint = hashlib.sha256(f"{fingerprint}\0{overrides.digest()}".encode()).hexdigest()
        process_fn = functools.partial(process_file, overrides=overrides)
    cache = ResultCache(cache_dir or out / ".cache", fingerprint, read=use_cache)

    results: list[PlanResult | None] = [None] * len(files)
    shas: list[str | None] = [None] * len(files)
    hits: list[int] = []
    jobs: list[Job] = []
    for i, (path, source_path) in enumerate(files):
        try:
            shas[i] = file_sha256(path)
            size = path.stat().st_size
        except OSError:
            size = 0
        hit = cache.get(shas[i], source_path) if shas[i] else None
        if hit is not None:
            results[i] = hit
            hits.append(i)
        else:
            jobs.append(Job(i, os.path.abspath(path), source_path, size))

    reporter.start(len(files), len(jobs), workers, executor)
    try:
        if found.skipped:
            reporter.log(found.skipped_summary())
            for source_path, why in found.skipped:
                reporter.log(f"not read ({why}): {source_path}", show=False)
        for i in hits:
            reporter.file_done(files[i][1], results[i], cached=True, seconds=0.0)
        opts = ExecOptions(workers=workers, timeout=timeout, max_memory_mb=max_memory_mb,
                           max_tasks_per_worker=max_tasks_per_worker, log_path=reporter.log_path, scheduler=scheduler)
        with contextlib.closing(execute(jobs, process_fn, executor, opts)) as done:
            for job, outcome in done:
                sha = shas[job.index]
                res = outcome_result(job, outcome, sha[:12] if sha else None, timeout, max_memory_mb)
                if outcome.kind == "ok" and sha and res.plan.get("plan_id") == sha[:12]:
                    cache.put(sha, job.source_path, res)
                results[job.index] = res
                reporter.file_done(job.source_path, res, cached=False, seconds=outcome.seconds)
        final = [r for r in results if r is not None]
        write_dataset(out, assemble_tables(final))
        if use_cache:
            cache.prune()
    finally:
        reporter.close()
    c = reporter.c
    return BatchSummary(files=len(files), failed=sum(r.plan["status"] == "failed" for r in final), parsed=len(jobs),
                        cached=len(hits), pages=c.pages, seconds=time.perf_counter() - t0)


# --------------------------------------------------------------------------- commands


def _usage_error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


class Executor(StrEnum):
    process = "process"
    dask = "dask"


class _Terminated(Exception):
    pass


def _terminate(signum: int, frame: Any) -> None:
    raise _Terminated(signum)  # unwinds: workers are stopped, the tables are left as they were


@app.command()
def run(
    inputs: Annotated[list[Path] | None, typer.Argument(help="Files or folders (searched for .pdf .docx .txt .md).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the tables.")] = DEFAULT_OUT,
    workers: Annotated[int | None, typer.Option("--workers", "-j", help="Worker processes (default: the machine's cores).",
                                                show_default=False)] = None,
    executor: Annotated[Executor | None, typer.Option("--executor", help="process (this machine) or dask (a Dask cluster).",
                                                      show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786) or "
                                                  "scheduler file; implies --executor dask.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one file may take before it is stopped.")] = DEFAULT_TIMEOUT,
    max_memory: Annotated[float | None, typer.Option("--max-memory", help="MB of memory one worker may use before its file "
                                                     "is stopped (default: 80% of RAM / workers).", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Read every file again (the cache is refreshed).")] = False,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="Cache folder (default: OUT/.cache).",
                                                   show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but failed files (for cron).")] = False,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Append a time-stamped line per file to this file.")] = None,
    overrides: Annotated[Path | None, typer.Option("--overrides", help="A reviewed review.csv: its correct_value "
                                                   "decisions replace the pipeline's guesses.")] = None,
) -> None:
    """Read plan files and write the plans, projects, budgets and warnings tables."""
    inputs = inputs or [DEFAULT_INPUT]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        _usage_error(f"input not found: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        _usage_error(f"--out {out} exists and is not a folder")
    if workers is not None and workers < 1:
        _usage_error("--workers takes a number >= 1")
    if not timeout > 0:
        _usage_error("--timeout takes a number of seconds > 0")
    if max_memory is not None and max_memory <= 0:
        _usage_error("--max-memory takes a number of MB > 0")
    if executor is Executor.process and scheduler:
        _usage_error("--scheduler is for --executor dask")
    exe = (executor or (Executor.dask if scheduler else Executor.process)).value
    if log_file is not None and (log_file.is_dir() or not log_file.parent.is_dir()):
        _usage_error(f"--log-file {log_file}: not a file in an existing folder")
    if cache_dir is not None and cache_dir.exists() and not cache_dir.is_dir():
        _usage_error(f"--cache-dir {cache_dir} exists and is not a folder")
    reviewed: Overrides | None = None
    if overrides is not None:
        if not overrides.is_file():
            _usage_error(f"--overrides {overrides}: file not found")
        try:
            reviewed = Overrides.load(overrides)
        except OverridesError as exc:
            _usage_error(f"--overrides: {exc}")
    try:
        reporter = Reporter(quiet=quiet, log_file=log_file)
    except OSError as exc:
        _usage_error(f"--log-file {log_file}: {exc.strerror}")
        raise
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        summary = run_batch(inputs, out, workers=workers, executor=exe, scheduler=scheduler, timeout=timeout,
                            max_memory_mb=max_memory, use_cache=not no_cache, cache_dir=cache_dir, reporter=reporter,
                            overrides=reviewed)
    except SchedulerError as exc:
        _usage_error(str(exc))
        raise
    except _Terminated as exc:
        typer.echo(f"terminated ({signal_name(exc.args[0])}); the tables in {out}/ were left as they were", err=True)
        raise typer.Exit(128 + exc.args[0]) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted; the tables in {out}/ were left as they were", err=True)
        raise typer.Exit(130) from None
    except OSError as exc:
        typer.echo(f"Error: cannot write the tables to {out}/: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        reporter.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if not quiet:
        cached = f" ({summary.cached} from the cache)" if summary.cached else ""
        typer.echo(f"{summary.files} file(s) processed{cached}, {summary.failed} failed; tables written to {out}/")
    raise typer.Exit(1 if summary.failed else 0)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _page_range(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    try:
        a, _, b = spec.partition("-")
        lo, hi = int(a), int(b or a)
    except ValueError:
        _usage_error(f"--pages takes N or N-M, not {spec!r}")
        raise
    if lo < 1 or hi < lo:
        _usage_error(f"--pages takes N or N-M with 1 <= N <= M, not {spec!r}")
    return lo, hi


@app.command()
def text(
    file: Annotated[Path, typer.Argument(help="A plan file.")],
    pages: Annotated[str | None, typer.Option("--pages", help="Only these pages, e.g. 3 or 3-5.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="The backend's text, without Thai repair.")] = False,
) -> None:
    """Print the text the pipeline reads from FILE (pages separated by form feeds)."""
    if not file.is_file():
        _usage_error(f"file not found: {file}")
    rng = _page_range(pages)
    try:
        doc = read_document(file)
    except ExtractError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    if not raw:
        doc = clean_document(doc)
    from prongsai.model import TextLine

    out: list[str] = []
    page = None
    for b in doc.blocks:
        p = b.ref.page
        if rng and p is not None and not (rng[0] <= p <= rng[1]):
            continue
        if page is not None and p is not None and p != page:
            out.append("\f")
        page = p if p is not None else page
        if isinstance(b, TextLine):
            out.append(b.text)
        else:
            out.extend("\t".join(c.replace("\n", " ") for c in row) for row in b.rows)
    typer.echo("\n".join(out))


NORMALIZE_KINDS = ("text", "digits", "money", "years", "org", "unit", "dimension", "mission")


def normalize_one(kind: str, value: str, framework: str | None = None) -> dict[str, Any]:
    """One JSON object for ``prongsai normalize``, using exactly the pipeline's functions.

    >>> normalize_one("money", "๘,๕๐๐.-")
    {'budget_thb': 8500.0, 'budget_status': 'amount'}
    >>> normalize_one("years", "ปีงบประมาณ พ.ศ. ๒๕๖๒ – ๒๕๖๔")
    {'fy_start': 2562, 'fy_end': 2564}
    """
    from prongsai.normalize import labels, money, org, thai, units, years

    if kind == "text":
        return {"text": thai.clean_text(value)}
    if kind == "digits":
        return {"text": thai.thai_digits_to_arabic(value)}
    if kind == "money":
        amount, status = money.parse_money(value)
        return {"budget_thb": amount, "budget_status": status}
    if kind == "years":
        fy = years.parse_fiscal_years(value)
        return {"fy_start": fy[0] if fy else None, "fy_end": fy[1] if fy else None}
    if kind == "org":
        o = org.parse_org(value)
        if o is not None:
            o = org.complete_org(o)
        keys = ("org_type", "org_name", "org_short_name", "district", "province", "org_code", "score")
        return {k: getattr(o, k) if o else None for k in keys}
    if kind == "unit":
        name, score = units.canonical_unit(value)
        return {"responsible_unit": name, "score": score if name else None}
    if kind == "dimension":
        d = labels.match_dimension(value, framework)
        if d is None:
            return {"dimension": None, "dimension_label": None, "framework": framework, "score": None}
        fw = framework or d.framework
        label = labels.dimension_label(d.dimension, fw) if fw else None
        return {"dimension": d.dimension, "dimension_label": label, "framework": fw, "score": d.score}
    if kind == "mission":
        m = labels.match_mission(value, framework)
        if m is None:
            return {"mission_code": None, "mission_label": None, "dimension": None, "score": None}
        code, label, score = m
        return {"mission_code": code, "mission_label": label, "dimension": int(code.split(".")[0]), "score": score}
    raise ValueError(kind)


@app.command()
def normalize(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(NORMALIZE_KINDS)}.")],
    values: Annotated[list[str], typer.Argument(help="Texts to normalise.")],
    framework: Annotated[str | None, typer.Option("--framework", help="2561 or 2566 (dimension, mission).")] = None,
) -> None:
    """Print one JSON object per TEXT, as the pipeline would normalise it."""
    import json

    if kind not in NORMALIZE_KINDS:
        _usage_error(f"unknown KIND {kind!r}; use one of: {', '.join(NORMALIZE_KINDS)}")
    if framework is not None and framework not in ("2561", "2566"):
        _usage_error("--framework takes 2561 or 2566")
    for v in values:
        typer.echo(json.dumps(normalize_one(kind, v, framework), ensure_ascii=False))


@app.command()
def review(
    out_dir: Annotated[Path, typer.Argument(help="The output folder of a run.")] = DEFAULT_OUT,
) -> None:
    """Write OUT_DIR/review.csv: one row per distinct fuzzy or inferred decision, with an
    empty correct_value column to fill in and pass back with 'run --overrides'."""
    from prongsai.review import ReviewError, write_review

    if not out_dir.is_dir():
        _usage_error(f"{out_dir} is not a folder")
    try:
        path, n = write_review(out_dir)
    except ReviewError as exc:
        _usage_error(str(exc))
        raise
    typer.echo(f"{n} decision(s) to review written to {path}")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - no traceback on the terminal
        if os.environ.get("PRONGSAI_DEBUG"):
            raise
        typer.echo(f"Error: internal error ({type(exc).__name__}: {exc}); run with PRONGSAI_DEBUG=1 for details",
                   err=True)
        sys.exit(1)


if os.environ.get(WARM_ENV) == "1":  # in the fork server of the batch workers only (prongsai.batch)
    os.environ.pop(WARM_ENV, None)
    warm_up()

if __name__ == "__main__":
    main()
