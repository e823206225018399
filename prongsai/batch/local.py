"""The ``process`` executor: long-lived worker processes on this machine.

``workers`` worker processes, each driven by a thread of the main process that sends it
one job at a time through a pipe and waits on the pipe, the process and the time-out
policy (:mod:`prongsai.batch.worker`). Jobs are dispatched largest first, which keeps
every worker busy to the end of a batch.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Sequence
from typing import Any

from prongsai.batch.jobs import ExecOptions, Job
from prongsai.batch.worker import Outcome, Worker, mp_context


def run_local(jobs: Sequence[Job], fn: Callable[..., Any], opts: ExecOptions) -> Generator[tuple[Job, Outcome], None, None]:
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
    mp_context(opts.preload)  # start the fork server before any thread does
    workers = [Worker(log_path=opts.log_path, max_rss_mb=opts.max_memory_mb, max_tasks=opts.max_tasks_per_worker,
                      preload=opts.preload) for _ in range(n)]

    def drive(worker: Worker) -> None:
        try:
            while not stop.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                if job is None:
                    return
                out = worker.run(fn, job.path, job.source_path, opts.timeout, stop, opts.expired)
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

