"""Running a callable on many paths, each in isolation: executors, time-outs, progress.

This package knows nothing of plans: it runs ``fn(path, source_path)`` on every
:class:`Job` and yields an :class:`Outcome` per job (``ok`` with what ``fn`` returned,
or ``timeout``, ``crashed``, ``memory``, ``error``). Turning outcomes into results and
tables is the caller's business (:mod:`prongsai.runner`).

* :mod:`~prongsai.batch.worker` - one isolated worker process, the time-out policy;
* :mod:`~prongsai.batch.jobs` - :class:`Job`, :class:`ExecOptions`, defaults;
* :mod:`~prongsai.batch.local` - the ``process`` executor (worker processes here);
* :mod:`~prongsai.batch.dask` - the ``dask`` executor (tasks on a Dask cluster);
* :mod:`~prongsai.batch.progress` - the progress bar / log lines (:class:`Reporter`).

Outcomes come as jobs finish; the caller puts them back in input order, so results
do not depend on the executor or the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

from prongsai.batch.dask import SchedulerError, run_dask
from prongsai.batch.jobs import DEFAULT_TIMEOUT, EXECUTORS, ExecOptions, Job, default_max_memory_mb, default_workers
from prongsai.batch.local import run_local
from prongsai.batch.progress import FileReport, Reporter
from prongsai.batch.worker import WARM_ENV, Deadline, Expired, Outcome, Worker, signal_name

__all__ = [
    "DEFAULT_TIMEOUT", "EXECUTORS", "WARM_ENV", "Deadline", "ExecOptions", "Expired", "FileReport", "Job", "Outcome",
    "Reporter", "SchedulerError", "Worker", "default_max_memory_mb", "default_workers", "execute", "run_dask",
    "run_local", "signal_name",
]


def execute(jobs: Sequence[Job], fn: Callable[..., Any], executor: str,
            opts: ExecOptions) -> Generator[tuple[Job, Outcome], None, None]:
    """Run ``fn`` on every job with ``executor`` (one of :data:`EXECUTORS`); yields
    (job, outcome) as jobs finish. Close the iterator to stop the workers."""
    if executor == "process":
        return run_local(jobs, fn, opts)
    if executor == "dask":
        return run_dask(jobs, fn, opts)
    raise ValueError(f"unknown executor {executor!r}")
