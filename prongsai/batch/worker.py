"""One isolated worker process: it runs a callable on one path at a time.

``fn(path, source_path)`` runs **in a worker process of its own**, never in the main
process, so that whatever a file does to its reader takes only that file down:

* a worker that dies (segfault, ``os._exit``, killed by the OOM killer) gives a
  ``crashed`` outcome and is replaced;
* a file that has had its time has its worker killed (``timeout``); the decision is a
  policy, ``expired(path, elapsed) -> bool`` (default :class:`Deadline`:
  ``elapsed >= timeout``), that a caller may replace, e.g. a test that decides on an
  event rather than the clock;
* a worker whose resident memory grows beyond ``max_rss_mb`` is killed (``memory``;
  Linux, or anywhere psutil is installed).

Workers are started with multiprocessing's ``forkserver`` method where available (the
modules named in ``preload`` imported once in the fork server, so a replacement starts
in a few milliseconds), else ``spawn``. Nothing a worker prints reaches the terminal:
its standard output and error go to the log file, or nowhere. This package knows
nothing of what ``fn`` does with a file: its return value is passed back as it is.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from prongsai.batch.procs import tree_rss_bytes

_POLL = 0.2  # seconds between memory/stop/time-out checks while a worker is busy


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- time-out policy

#: ``expired(path, elapsed_seconds) -> bool``: has this file had its time? Checked while the
#: worker is busy (every ``_POLL`` seconds); must be picklable for the dask executor.
Expired = Callable[[str, float], bool]


@dataclass(frozen=True)
class Deadline:
    """The default time-out policy: a file has expired after ``seconds`` of wall-clock time.

    >>> Deadline(2.0)("a.pdf", 1.9), Deadline(2.0)("a.pdf", 2.0)
    (False, True)
    """

    seconds: float

    def __call__(self, path: str, elapsed: float) -> bool:
        return elapsed >= self.seconds


def _policy(timeout: float | None, expired: Expired | None) -> Expired | None:
    """The policy in force: ``expired`` if given, else a :class:`Deadline` of ``timeout`` (None: never)."""
    if expired is not None:
        return expired
    return Deadline(timeout) if timeout else None


# --------------------------------------------------------------------------- outcomes


@dataclass
class Outcome:
    """What became of one file in a worker.

    ``kind``: ``ok`` (``result`` is what ``fn`` returned), ``timeout``, ``crashed``
    (``detail`` says how), ``memory`` (``detail`` is the resident size in MB, or
    ``MemoryError``) or ``error`` (an exception raised by ``fn``; ``detail``).
    """

    kind: str
    result: Any = None
    detail: str = ""
    seconds: float = 0.0
    peak_rss_mb: float | None = None  # the worker's peak resident memory so far


# --------------------------------------------------------------------------- the worker process


def _release_forkserver() -> None:
    """Close this worker's copy of the fork server's "alive" pipe.

    multiprocessing gives every process forked by the fork server the write end of that
    pipe, and the server only exits once every holder is gone. A worker busy with a
    hanging file would then keep the server alive after its batch was killed, and its
    parent-death signal (the server is its parent) would never come: an orphan. Without
    its copy, the server exits with the batch and takes its workers along."""
    try:
        from multiprocessing import forkserver

        server: Any = forkserver._forkserver  # private to CPython; absent elsewhere: nothing to do
        fd = server._forkserver_alive_fd
        if fd is not None:
            server._forkserver_alive_fd = None
            os.close(fd)
    except Exception:  # noqa: BLE001 - not started by a fork server, or another Python
        pass


def _worker_main(conn: Any, log_path: str | None) -> None:
    """Loop of a worker process: receive (fn, path, source_path), send back an Outcome."""
    _set_pdeathsig()
    _release_forkserver()
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
#: set in the environment of the fork server while it starts (and imports the ``preload``
#: modules): a preloaded module may then warm itself up, e.g. load its data once for every
#: worker forked from the server
WARM_ENV = "_PRONGSAI_WARM_FORKSERVER"


def mp_context(preload: Sequence[str] = ()) -> Any:
    """The multiprocessing context of the workers: ``forkserver`` where available, the
    modules in ``preload`` imported in the server (with :data:`WARM_ENV` set), else
    ``spawn``. One per process: the first call starts the server and its preload decides."""
    global _context
    with _context_lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            ctx: Any
            if "forkserver" in methods:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(list(preload))
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
                 max_tasks: int | None = None, preload: Sequence[str] = ()) -> None:
        self.log_path = log_path
        self.preload = tuple(preload)
        self.max_rss = max_rss_mb * 2**20 if max_rss_mb else None
        self.max_tasks = max_tasks
        self.proc: Any = None
        self.conn: Any = None
        self.tasks = 0

    def _start(self) -> None:
        ctx = mp_context(self.preload)
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
            stop: threading.Event | None = None, expired: Expired | None = None) -> Outcome:
        """Process one file in the worker process; never raises (except KeyboardInterrupt).
        The file is stopped (``timeout``) when ``expired(path, elapsed)`` says so, by
        default after ``timeout`` seconds."""
        t0 = time.perf_counter()
        policy = _policy(timeout, expired)
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
        started = time.monotonic()
        peak = 0
        while True:
            left = _POLL
            if isinstance(policy, Deadline):  # wake up at the deadline, not up to _POLL after it
                left = max(0.0, min(_POLL, policy.seconds - (time.monotonic() - started)))
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
            if policy is not None and policy(path, time.monotonic() - started):
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

