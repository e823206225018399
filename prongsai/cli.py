"""The command line: ``prongsai run``, ``text``, ``normalize``, ``review``, ``version``.

Thin commands: they check options (bad usage: exit status 2 and a message that says
the fix), call the functions that do the work (:func:`prongsai.runner.run_batch`,
:func:`prongsai.text_dump.document_text`, :func:`prongsai.normalize_kinds.normalize_one`,
:func:`prongsai.review.write_review`) and print. ``run`` exits 0 when all files were
processed, 1 when some file failed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import typer  # noqa: E402

from prongsai import __version__  # noqa: E402
from prongsai.batch import DEFAULT_TIMEOUT, Reporter, SchedulerError, signal_name  # noqa: E402
from prongsai.decisions import Overrides, OverridesError  # noqa: E402
from prongsai.extract import clean_document, read_document  # noqa: E402
from prongsai.model import ExtractError  # noqa: E402
from prongsai.normalize_kinds import KINDS, normalize_one  # noqa: E402
from prongsai.runner import run_batch  # noqa: E402
from prongsai.text_dump import document_text  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Thai anti-corruption action plans -> one clean dataset.")

DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUT = Path("data/clean")


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


class Executor(StrEnum):
    process = "process"
    dask = "dask"


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
    report: Annotated[bool, typer.Option("--report", help="Also write OUT/report.html and OUT/report.xlsx "
                                         "(as 'prongsai report OUT').")] = False,
) -> None:
    """Read plan files and write the plans, projects, budgets and warnings tables."""
    inputs = inputs or [DEFAULT_INPUT]
    _check_paths(inputs, out, log_file, cache_dir)
    _check_limits(workers, timeout, max_memory)
    if executor is Executor.process and scheduler:
        _usage_error("--scheduler is for --executor dask")
    exe = (executor or (Executor.dask if scheduler else Executor.process)).value
    reviewed = _load_overrides(overrides)
    try:
        reporter = Reporter(quiet=quiet, log_file=log_file)
    except OSError as exc:
        _usage_error(f"--log-file {log_file}: {exc.strerror}")
    with _tables_left_as_they_were_on_stop(out), _closing(reporter):
        try:
            summary = run_batch(inputs, out, workers=workers, executor=exe, scheduler=scheduler, timeout=timeout,
                                max_memory_mb=max_memory, use_cache=not no_cache, cache_dir=cache_dir,
                                reporter=reporter, overrides=reviewed)
        except SchedulerError as exc:
            _usage_error(str(exc))
        except OSError as exc:
            typer.echo(f"Error: cannot write the tables to {out}/: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None
    if not quiet:
        cached = f" ({summary.cached} from the cache)" if summary.cached else ""
        typer.echo(f"{summary.files} file(s) processed{cached}, {summary.failed} failed; tables written to {out}/")
    if report:
        _write_report(out, quiet)
    raise typer.Exit(1 if summary.failed else 0)


def _write_report(out_dir: Path, quiet: bool = False) -> None:
    from prongsai.report import ReportError, write_report

    try:
        html, xlsx = write_report(out_dir)
    except ReportError as exc:
        _usage_error(str(exc))
    if not quiet:
        typer.echo(f"report written to {html} and {xlsx}")


@app.command("report")
def report_command(
    out_dir: Annotated[Path, typer.Argument(help="The output folder of a run.")] = DEFAULT_OUT,
) -> None:
    """Write OUT_DIR/report.html (self-contained, offline) and OUT_DIR/report.xlsx from the tables."""
    _write_report(out_dir)


def _check_paths(inputs: list[Path], out: Path, log_file: Path | None, cache_dir: Path | None) -> None:
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        _usage_error(f"input not found: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        _usage_error(f"--out {out} exists and is not a folder")
    if log_file is not None and (log_file.is_dir() or not log_file.parent.is_dir()):
        _usage_error(f"--log-file {log_file}: not a file in an existing folder")
    if cache_dir is not None and cache_dir.exists() and not cache_dir.is_dir():
        _usage_error(f"--cache-dir {cache_dir} exists and is not a folder")


def _check_limits(workers: int | None, timeout: float, max_memory: float | None) -> None:
    if workers is not None and workers < 1:
        _usage_error("--workers takes a number >= 1")
    if not timeout > 0:
        _usage_error("--timeout takes a number of seconds > 0")
    if max_memory is not None and max_memory <= 0:
        _usage_error("--max-memory takes a number of MB > 0")


def _load_overrides(path: Path | None) -> Overrides | None:
    if path is None:
        return None
    if not path.is_file():
        _usage_error(f"--overrides {path}: file not found")
    try:
        return Overrides.load(path)
    except OverridesError as exc:
        _usage_error(f"--overrides: {exc}")


@contextlib.contextmanager
def _closing(reporter: Reporter) -> Iterator[None]:
    try:
        yield
    finally:
        reporter.close()


class _Terminated(Exception):
    pass


def _terminate(signum: int, frame: Any) -> None:
    raise _Terminated(signum)  # unwinds: workers are stopped, the tables are left as they were


@contextlib.contextmanager
def _tables_left_as_they_were_on_stop(out: Path) -> Iterator[None]:
    """SIGTERM and Ctrl-C stop the batch (its workers too) and exit 128 + the signal: the
    tables are written atomically at the end, so the previous ones stay."""
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        yield
    except _Terminated as exc:
        typer.echo(f"terminated ({signal_name(exc.args[0])}); the tables in {out}/ were left as they were", err=True)
        raise typer.Exit(128 + exc.args[0]) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted; the tables in {out}/ were left as they were", err=True)
        raise typer.Exit(130) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


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
        doc = read_document(file, range(rng[0], rng[1] + 1) if rng else None)
    except ExtractError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    if not raw:
        doc = clean_document(doc)
    typer.echo(document_text(doc, rng))


@app.command()
def normalize(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    values: Annotated[list[str], typer.Argument(help="Texts to normalise.")],
    framework: Annotated[str | None, typer.Option("--framework", help="2561 or 2566 (dimension, mission).")] = None,
) -> None:
    """Print one JSON object per TEXT, as the pipeline would normalise it."""
    import json

    if kind not in KINDS:
        _usage_error(f"unknown KIND {kind!r}; use one of: {', '.join(KINDS)}")
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


if __name__ == "__main__":
    main()
