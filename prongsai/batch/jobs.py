"""What a batch is made of: the jobs (one path each) and the executor options."""

from __future__ import annotations

import os
from dataclasses import dataclass

from prongsai.batch.worker import Expired

EXECUTORS = ("process", "dask")
DEFAULT_TIMEOUT = 600.0


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



@dataclass
class Job:
    """One file to process; ``index`` is its place in the input order."""

    index: int
    path: str
    source_path: str
    size: int = 0


@dataclass
class ExecOptions:
    """How to run the jobs of a batch (both executors)."""

    workers: int = 1
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory_mb: float | None = None
    max_tasks_per_worker: int | None = None
    log_path: str | None = None
    scheduler: str | None = None  # dask only
    #: the time-out decision (:data:`prongsai.batch.worker.Expired`); None: a ``Deadline`` of ``timeout``
    expired: Expired | None = None
    #: modules the fork server of the local workers imports once (see ``worker.mp_context``)
    preload: tuple[str, ...] = ()
