"""Process trees (Linux ``/proc``): what a worker process started, and its memory.

A file's reader may start programs of its own (LibreOffice for ``.doc``, Tesseract
for scans). The batch counts their memory against the worker's ``--max-memory``
(:func:`tree_rss_bytes`), and a converter that hangs is killed with everything it
started (:func:`descendants`).
"""

from __future__ import annotations

import os


def descendants(pid: int) -> list[int]:
    """Every process started by ``pid``, recursively ([] where there is no /proc).

    >>> descendants(-1)
    []
    """
    out: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except (OSError, ValueError):
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and every process it started (0 where there is no /proc).

    >>> tree_rss_bytes(os.getpid()) > 0 or not os.path.exists("/proc/self/statm")
    True
    """
    return sum(_rss(p) for p in [pid, *descendants(pid)])
