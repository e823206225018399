"""Progress of a batch for people, and its log lines for machines."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class FileReport:
    """What the progress shows of one finished file: the caller's summary of its result.

    >>> FileReport("ok", found="3 projects", pages=7)
    FileReport(status='ok', found='3 projects', pages=7, failed=False, why='')
    """

    status: str  # the word shown, e.g. ``ok``
    found: str = ""  # what was found in the file, e.g. ``3 projects``
    pages: int = 0
    failed: bool = False
    why: str = ""  # a failure's reason, shown after ``FAILED``


@dataclass
class Counters:
    total: int = 0
    done: int = 0
    failed: int = 0
    parsed: int = 0
    cached: int = 0
    pages: int = 0
    started: float = field(default_factory=time.monotonic)


class Reporter:
    """Progress for people and log lines for machines.

    * on a terminal (and not ``quiet``): a rich progress bar on standard error
      (files, pages, failures, elapsed time, ETA), failures printed above it;
    * otherwise (and not ``quiet``): one plain line per file on standard error;
    * ``quiet``: only one line per failed file (cron mails what is printed);
    * ``silent``: nothing at all (the default of :func:`prongsai.runner.run_batch`);
    * ``log_file``: every line, time-stamped, whatever the terminal.
    """

    def __init__(self, *, quiet: bool = False, silent: bool = False, log_file: Path | None = None,
                 tty: bool | None = None, stream: TextIO | None = None) -> None:
        self.quiet = quiet or silent
        self.silent = silent
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.log_path = str(log_file) if log_file else None
        self._log: TextIO | None = open(log_file, "a", encoding="utf-8") if log_file else None  # noqa: SIM115
        self._progress: Any = None
        self._task: Any = None
        self.c = Counters()

    # -- lifecycle
    def start(self, total: int, to_parse: int, workers: int, executor: str) -> None:
        self.c = Counters(total=total)
        self.log(f"batch: {total} file(s), {total - to_parse} from the cache, {to_parse} to read "
                 f"({executor}, {workers} worker(s))", show=False)
        if self.tty and not self.quiet and total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(file=self.stream)
            self._progress = Progress(
                TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                TextColumn("{task.fields[pages]} pages"), TextColumn("[red]{task.fields[failed]} failed"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=console, transient=False, refresh_per_second=4,
            )
            self._progress.start()
            self._task = self._progress.add_task("reading", total=total, pages=0, failed=0)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self._log is not None:
            self._log.close()
            self._log = None

    # -- lines
    def log(self, line: str, *, show: bool = True, error: bool = False) -> None:
        if self._log is not None:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
            self._log.write(f"{stamp} {line}\n")
            self._log.flush()
        if not show or self.silent:
            return
        if self.quiet and not error:
            return
        if self._progress is not None:
            if error:
                self._progress.console.print(line, markup=False, highlight=False)
            return
        print(line, file=self.stream, flush=True)

    def file_done(self, source_path: str, report: FileReport, *, cached: bool, seconds: float) -> None:
        c = self.c
        c.done += 1
        c.failed += report.failed
        c.cached += cached
        c.parsed += not cached
        c.pages += report.pages
        width = len(str(c.total))
        head = f"[{c.done:>{width}}/{c.total}]"
        if report.failed:
            self.log(f"{head} FAILED {source_path}: {report.why or 'failed'}", error=True)
        else:
            details = [report.found] if report.found else []
            if report.pages:
                details.append(f"{report.pages} pages")
            details.append("cached" if cached else f"{seconds:.1f} s")
            self.log(f"{head} {report.status} {source_path} ({', '.join(details)})")
        if self._progress is not None:
            self._progress.update(self._task, advance=1, pages=c.pages, failed=c.failed)
