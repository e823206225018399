"""Running the per-file work of a batch: executors, isolation, time-outs, progress.

Every file is processed by ``process_fn(path, source_path) -> PlanResult``
(:func:`prongsai.pipeline.process_file`) **in a worker process of its own**, never
in the main process, so that whatever a file does to its reader takes only that
file down:

* a worker that dies (segfault, ``os._exit``, killed by the OOM killer) gives a
  ``WORKER_CRASHED`` failure and is replaced;
* a file that takes longer than ``timeout`` seconds has its worker killed
  (``TIMEOUT``);
* a worker whose resident memory (with the programs it started: LibreOffice,
  tesseract) grows beyond ``max_memory_mb`` is killed
  (``OUT_OF_MEMORY``; Linux, or anywhere psutil is installed); a ``MemoryError``
  inside the reader is caught by ``process_file`` itself.

Executors:

``process`` (default)
    ``workers`` long-lived worker processes on this machine (``forkserver``
    start method with the pipeline preloaded, so a replacement starts in a few
    milliseconds). Each is driven by a thread of the main process that sends it
    one file at a time through a pipe and waits on the pipe, the process and the
    clock. Files are dispatched largest first, which keeps both workers busy to the
    end of a batch.
``dask``
    every file is a task on a Dask distributed cluster (``pip install prongsai[dask]``).
    The task runs the file in an isolated child process of the Dask worker, with the
    same time-out and crash handling, when the Dask worker may have children
    (``DASK_DISTRIBUTED__WORKER__DAEMON=False``, or ``--no-nanny`` workers, or a
    thread-based ``LocalCluster``); otherwise it runs inside the Dask worker and
    Dask's own retry/``KilledWorker`` handling applies. Paths are sent, not
    contents: every Dask worker must see the input files at the same paths.

Results are collected by input order, so the tables are identical whatever the
executor and the number of workers. Nothing a worker prints reaches the
terminal: its standard output and error go to the log file, or nowhere.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from prongsai.procs import tree_rss_bytes

if TYPE_CHECKING:
    from prongsai.parse import PlanResult

log = logging.getLogger("prongsai.batch")

EXECUTORS = ("process", "dask")
DEFAULT_TIMEOUT = 600.0
_POLL = 0.2  # seconds between memory/stop checks while a worker is busy


# --------------------------------------------------------------------------- helpers


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_max_memory_mb(workers: int) -> int | None:
    """80 % of the machine's physical memory shared by the workers (None when unknown)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    return max(256, int(total * 0.8 / max(1, workers) / 2**20))


def rss_bytes(pid: int) -> int | None:
    """Resident memory of a process, or None when it cannot be measured."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except Exception:  # noqa: BLE001 - psutil missing or the process is gone
        return None


def signal_name(code: int) -> str:
    try:
        return signal.Signals(code).name
    except ValueError:
        return f"signal {code}"


def _set_pdeathsig() -> None:
    """Linux: kill this process when its parent dies (a killed batch leaves no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort
        pass


# --------------------------------------------------------------------------- outcomes


@dataclass
class Outcome:
    """What became of one file in a worker.

    ``kind``: ``ok`` (``result`` is the PlanResult), ``timeout``, ``crashed``
    (``detail`` says how), ``memory`` (``detail`` is the resident size in MB) or
    ``error`` (an exception outside ``process_fn``'s own handling; ``detail``).
    """

    kind: str
    result: PlanResult | None = None
    detail: str = ""
    seconds: float = 0.0
    peak_rss_mb: float | None = None  # the worker's peak resident memory so far


# --------------------------------------------------------------------------- the worker process


def _worker_main(conn: Any, log_path: str | None) -> None:
    """Loop of a worker process: receive (fn, path, source_path), send back an Outcome."""
    _set_pdeathsig()
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # its own process group: a kill takes its children (tesseract) too
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # nothing a worker (or a library in it) prints may reach the terminal
    try:
        target = os.open(log_path or os.devnull, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(target, 1)
        os.dup2(target, 2)
        os.close(target)
    except OSError:
        pass
    import resource

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        fn, path, source_path = msg
        t0 = time.perf_counter()
        try:
            out = Outcome("ok", fn(Path(path), source_path))
        except MemoryError:
            out = Outcome("memory", detail="MemoryError")
        except BaseException as exc:  # noqa: BLE001 - reported, the worker stays up
            out = Outcome("error", detail=f"{type(exc).__name__}: {exc}")
        out.seconds = time.perf_counter() - t0
        out.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        try:
            conn.send(out)
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable value in the result
            try:
                conn.send(Outcome("error", detail=f"result cannot be sent back: {type(exc).__name__}: {exc}",
                                  seconds=out.seconds))
            except Exception:  # noqa: BLE001
                return


_context_lock = threading.Lock()
_context: Any = None
#: set in the environment of the fork server only: :mod:`prongsai.pipeline` then calls :func:`warm_up`
WARM_ENV = "_PRONGSAI_WARM_FORKSERVER"

_WARM_PLAN = """แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕
องค์การบริหารส่วนตำบลเมืองน้อย อำเภอธวัชบุรี จังหวัดร้อยเอ็ด
มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต
1. ชื่อโครงการ : โครงการอบรมคุณธรรม
8. งบประมาณดำเนินการ ๘,๕๐๐ บาท
9. ผู้รับผิดชอบ สำนักปลัด
"""


def warm_up() -> None:
    """Run the pipeline once on a tiny plan so that its lazily loaded data (registry,
    vocabularies, dictionaries) is in memory; called in the fork server, so every worker
    forked from it starts warm and shares that memory. Never raises."""
    import tempfile

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # the fork server and its workers print nothing on the terminal
        os.dup2(devnull, 2)
        os.close(devnull)
        from prongsai.pipeline import process_file

        with tempfile.TemporaryDirectory(prefix="prongsai-warm-") as d:
            p = Path(d) / "warm.txt"
            p.write_text(_WARM_PLAN, encoding="utf-8")
            process_file(p, "warm.txt")
        import prongsai.extract.docx  # noqa: F401 - backends imported lazily by read_document
        import prongsai.extract.pdf  # noqa: F401
        from prongsai.extract import diagnose

        diagnose.word_share("โครงการอบรมคุณธรรม")  # the PDF page diagnosis's dictionary and tokenizer
    except Exception:  # noqa: BLE001 - only an optimisation
        pass


def _mp_context() -> Any:
    """forkserver (pipeline preloaded and warmed up) where available, else spawn."""
    global _context
    with _context_lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            if "forkserver" in methods:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["prongsai.pipeline"])
                from multiprocessing import forkserver

                os.environ[WARM_ENV] = "1"
                try:
                    forkserver.ensure_running()
                except Exception:  # noqa: BLE001 - started on the first Process.start() instead
                    pass
                finally:
                    os.environ.pop(WARM_ENV, None)
            else:
                ctx = multiprocessing.get_context("spawn")
            _context = ctx
        return _context


class Worker:
    """One isolated worker process, started on demand and replaced after a failure."""

    def __init__(self, *, log_path: str | None = None, max_rss_mb: float | None = None,
                 max_tasks: int | None = None) -> None:
        self.log_path = log_path
        self.max_rss = max_rss_mb * 2**20 if max_rss_mb else None
        self.max_tasks = max_tasks
        self.proc: Any = None
        self.conn: Any = None
        self.tasks = 0

    def _start(self) -> None:
        ctx = _mp_context()
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_worker_main, args=(child, self.log_path), daemon=True, name="prongsai-worker")
        proc.start()
        child.close()
        self.proc, self.conn, self.tasks = proc, parent, 0

    def stop(self, kill: bool = False) -> None:
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        if proc is None:
            return
        if not kill and proc.is_alive():
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
            proc.join(2)
        if kill:
            # the worker leads its own process group: this also stops what it started (tesseract)
            with contextlib.suppress(OSError):
                if proc.pid != os.getpgid(0):
                    os.killpg(proc.pid, signal.SIGKILL)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        with contextlib.suppress(OSError):
            conn.close()
        with contextlib.suppress(Exception):
            proc.close()

    def run(self, fn: Callable[..., Any], path: str, source_path: str, timeout: float | None,
            stop: threading.Event | None = None) -> Outcome:
        """Process one file in the worker process; never raises (except KeyboardInterrupt)."""
        t0 = time.perf_counter()
        for attempt in (1, 2):
            if self.proc is None:
                try:
                    self._start()
                except Exception as exc:  # noqa: BLE001 - e.g. the fork server is gone
                    self.proc = self.conn = None
                    return Outcome("crashed", detail=f"a worker process could not be started: {exc}")
            try:
                self.conn.send((fn, path, source_path))
                break
            except (OSError, EOFError, BrokenPipeError):  # died while idle: start a fresh one
                self.stop(kill=True)
                if attempt == 2:
                    return Outcome("crashed", detail="the worker process could not be started")
        deadline = time.monotonic() + timeout if timeout else None
        peak = 0
        while True:
            left = _POLL if deadline is None else max(0.0, min(_POLL, deadline - time.monotonic()))
            ready = wait([self.conn, self.proc.sentinel], timeout=left)
            if self.conn in ready or self.conn.poll():
                try:
                    out: Outcome = self.conn.recv()
                except (EOFError, OSError):
                    return self._crashed(t0)
                except Exception as exc:  # noqa: BLE001 - a result that cannot be unpickled here
                    self.stop(kill=True)
                    return Outcome("error", detail=f"result cannot be read: {type(exc).__name__}: {exc}",
                                   seconds=time.perf_counter() - t0)
                self.tasks += 1
                if out.kind != "ok" or (self.max_tasks and self.tasks >= self.max_tasks):
                    self.stop(kill=out.kind != "ok")  # a fresh process after any trouble
                return out
            if self.proc.sentinel in ready:
                return self._crashed(t0)
            if self.max_rss:
                rss = tree_rss_bytes(self.proc.pid) or rss_bytes(self.proc.pid) or 0  # with LibreOffice, tesseract
                peak = max(peak, rss)
                if rss > self.max_rss:
                    self.stop(kill=True)
                    return Outcome("memory", detail=f"{rss / 2**20:,.0f} MB", seconds=time.perf_counter() - t0,
                                   peak_rss_mb=peak / 2**20)
            if deadline is not None and time.monotonic() >= deadline:
                self.stop(kill=True)
                return Outcome("timeout", seconds=time.perf_counter() - t0)
            if stop is not None and stop.is_set():
                self.stop(kill=True)
                return Outcome("error", detail="interrupted", seconds=time.perf_counter() - t0)

    def _crashed(self, t0: float) -> Outcome:
        proc = self.proc
        proc.join(5)
        code = proc.exitcode
        self.stop(kill=True)
        if code is not None and code < 0:
            how = f"killed by {signal_name(-code)}"
        else:
            how = f"exit status {code}"
        return Outcome("crashed", detail=how, seconds=time.perf_counter() - t0)


# --------------------------------------------------------------------------- executors


@dataclass
class Job:
    """One file to process; ``index`` is its place in the input order."""

    index: int
    path: str
    source_path: str
    size: int = 0


@dataclass
class ExecOptions:
    workers: int = 1
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory_mb: float | None = None
    max_tasks_per_worker: int | None = None
    log_path: str | None = None
    scheduler: str | None = None  # dask only


def run_local(jobs: Sequence[Job], fn: Callable[..., Any], opts: ExecOptions) -> Iterator[tuple[Job, Outcome]]:
    """Process the jobs on ``opts.workers`` local worker processes; yields (job, outcome)
    as files finish. Closing the generator (or an exception in the consumer) stops and
    kills every worker."""
    if not jobs:
        return
    todo: queue.Queue[Job | None] = queue.Queue()
    for job in sorted(jobs, key=lambda j: (-j.size, j.index)):  # largest first: balanced finish
        todo.put(job)
    done: queue.Queue[tuple[Job, Outcome] | BaseException] = queue.Queue()
    stop = threading.Event()
    n = max(1, min(opts.workers, len(jobs)))
    _mp_context()  # start the fork server before any thread does
    workers = [Worker(log_path=opts.log_path, max_rss_mb=opts.max_memory_mb, max_tasks=opts.max_tasks_per_worker)
               for _ in range(n)]

    def drive(worker: Worker) -> None:
        try:
            while not stop.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                if job is None:
                    return
                out = worker.run(fn, job.path, job.source_path, opts.timeout, stop)
                if stop.is_set():
                    return
                done.put((job, out))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            done.put(exc)
        finally:
            worker.stop(kill=stop.is_set())

    threads = [threading.Thread(target=drive, args=(w,), name=f"prongsai-drive-{i}", daemon=True)
               for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    try:
        for _ in range(len(jobs)):
            while True:
                try:
                    item = done.get(timeout=0.5)
                    break
                except queue.Empty:
                    if not any(t.is_alive() for t in threads) and done.empty():
                        raise RuntimeError("all worker threads stopped before the batch was done") from None
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        for w in workers:
            w.stop(kill=True)


# ---- dask

_local = threading.local()


def _isolation_possible() -> bool:
    return not multiprocessing.current_process().daemon


def dask_task(fn: Callable[..., Any], path: str, source_path: str, timeout: float | None,
              max_memory_mb: float | None) -> Outcome:
    """The task run on a Dask worker for one file (see the module docstring)."""
    if not os.path.exists(path):
        import socket

        return Outcome("error", detail=f"file not found on Dask worker {socket.gethostname()} "
                                       "(the workers need the input files at the same paths)")
    if _isolation_possible():
        worker = getattr(_local, "worker", None)
        if worker is None:
            worker = _local.worker = Worker(max_rss_mb=max_memory_mb)
        return worker.run(fn, path, source_path, timeout)
    t0 = time.perf_counter()
    try:
        res = fn(Path(path), source_path)
    except MemoryError:
        return Outcome("memory", detail="MemoryError", seconds=time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001
        return Outcome("error", detail=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - t0)
    return Outcome("ok", res, seconds=time.perf_counter() - t0)


class SchedulerError(Exception):
    """The Dask scheduler cannot be reached or Dask is not installed."""


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A distributed Client: ``scheduler`` is an address (tcp://host:8786) or a scheduler
    file; None starts a LocalCluster of ``workers`` single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SchedulerError("the dask executor needs Dask: pip install 'prongsai[dask]'") from None
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
        elif os.path.isfile(scheduler):
            client = Client(scheduler_file=scheduler, timeout="10s")
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"cannot connect to the Dask scheduler {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_dask(jobs: Sequence[Job], fn: Callable[..., Any], opts: ExecOptions) -> Iterator[tuple[Job, Outcome]]:
    """Process the jobs as tasks on a Dask cluster; yields (job, outcome) as they finish."""
    if not jobs:
        return
    with dask_client(opts.scheduler, opts.workers) as client:
        from distributed import as_completed

        ordered = sorted(jobs, key=lambda j: (-j.size, j.index))
        futures = {}
        for job in ordered:
            fut = client.submit(dask_task, fn, job.path, job.source_path, opts.timeout, opts.max_memory_mb,
                                key=f"prongsai-{job.index}-{os.getpid()}-{time.time_ns()}", pure=False, retries=0)
            futures[fut.key] = (fut, job)
        try:
            for fut in as_completed([f for f, _ in futures.values()]):
                job = futures[fut.key][1]
                try:
                    out = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection, ...
                    kind = "crashed" if type(exc).__name__ == "KilledWorker" else "error"
                    out = Outcome(kind, detail=f"{type(exc).__name__}: {exc}")
                fut.release()
                yield job, out
        finally:
            client.cancel([f for f, _ in futures.values()])


def execute(jobs: Sequence[Job], fn: Callable[..., Any], executor: str,
            opts: ExecOptions) -> Iterator[tuple[Job, Outcome]]:
    if executor == "process":
        return run_local(jobs, fn, opts)
    if executor == "dask":
        return run_dask(jobs, fn, opts)
    raise ValueError(f"unknown executor {executor!r}")


# --------------------------------------------------------------------------- progress and log


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
    * ``silent``: nothing at all (the default of :func:`prongsai.pipeline.run_batch`);
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

    def file_done(self, source_path: str, result: PlanResult, *, cached: bool, seconds: float) -> None:
        c = self.c
        c.done += 1
        status = result.plan.get("status")
        failed = status == "failed"
        c.failed += failed
        c.cached += cached
        c.parsed += not cached
        c.pages += int(result.plan.get("n_pages") or 0)
        width = len(str(c.total))
        head = f"[{c.done:>{width}}/{c.total}]"
        if failed:
            err = next((w for w in result.warnings if w.get("severity") == "error"), None)
            why = f"{err['code']}: {err['message']}" if err else "failed"
            self.log(f"{head} FAILED {source_path}: {why}", error=True)
        else:
            n_pages = result.plan.get("n_pages")
            pages = f", {n_pages} pages" if n_pages else ""
            how = "cached" if cached else f"{seconds:.1f} s"
            self.log(f"{head} {status} {source_path} ({result.plan.get('n_projects') or 0} projects{pages}, {how})")
        if self._progress is not None:
            self._progress.update(self._task, advance=1, pages=c.pages, failed=c.failed)
