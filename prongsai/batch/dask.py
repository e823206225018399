"""The ``dask`` executor: every job is a task on a Dask distributed cluster.

Needs ``pip install prongsai[dask]``. The task runs the job in an isolated child process
of the Dask worker (:class:`prongsai.batch.worker.Worker`), with the same time-out and
crash handling, when the Dask worker may have children
(``DASK_DISTRIBUTED__WORKER__DAEMON=False``, or ``--no-nanny`` workers, or a thread-based
``LocalCluster``); otherwise it runs inside the Dask worker and Dask's own
retry/``KilledWorker`` handling applies. Paths are sent, not contents: every Dask worker
must see the input files at the same paths.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

from prongsai.batch.jobs import ExecOptions, Job
from prongsai.batch.worker import Expired, Outcome, Worker

_local = threading.local()


def _isolation_possible() -> bool:
    return not multiprocessing.current_process().daemon


def dask_task(fn: Callable[..., Any], path: str, source_path: str, timeout: float | None,
              max_memory_mb: float | None, expired: Expired | None = None, preload: Sequence[str] = ()) -> Outcome:
    """The task run on a Dask worker for one file (see the module docstring)."""
    if not os.path.exists(path):
        import socket

        return Outcome("error", detail=f"file not found on Dask worker {socket.gethostname()} "
                                       "(the workers need the input files at the same paths)")
    if _isolation_possible():
        worker = getattr(_local, "worker", None)
        if worker is None:
            worker = _local.worker = Worker(max_rss_mb=max_memory_mb, preload=preload)
        return worker.run(fn, path, source_path, timeout, expired=expired)
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


def run_dask(jobs: Sequence[Job], fn: Callable[..., Any], opts: ExecOptions) -> Generator[tuple[Job, Outcome], None, None]:
    """Process the jobs as tasks on a Dask cluster; yields (job, outcome) as they finish."""
    if not jobs:
        return
    with dask_client(opts.scheduler, opts.workers) as client:
        from distributed import as_completed

        ordered = sorted(jobs, key=lambda j: (-j.size, j.index))
        futures: dict[Any, tuple[Any, Job]] = {}
        for job in ordered:
            fut = client.submit(dask_task, fn, job.path, job.source_path, opts.timeout, opts.max_memory_mb,
                                opts.expired, opts.preload, key=f"prongsai-{job.index}-{os.getpid()}-{time.time_ns()}",
                                pure=False, retries=0)
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

