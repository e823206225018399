"""Connected components of a binary image (8-connected, run-length labelling)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Comp:
    """A connected piece of ink: its box (x0, y0, x1, y1 exclusive), pixel count and runs."""

    x0: int
    y0: int
    x1: int
    y1: int
    area: int
    runs: list[tuple[int, int, int]]  # (y, x_start, x_end exclusive)

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def components(mask: np.ndarray) -> list[Comp]:
    """8-connected components of a boolean image (run-length labelling)."""
    h, w = mask.shape
    if not mask.any():
        return []
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    ys, xs = np.nonzero(d == 1)
    _, xe = np.nonzero(d == -1)
    ry: list[int] = ys.tolist()
    rs: list[int] = xs.tolist()
    re_: list[int] = xe.tolist()
    n = len(rs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_start = np.searchsorted(ys, np.arange(h + 1)).tolist()
    for y in range(1, h):
        i, i1 = row_start[y - 1], row_start[y]
        j, j1 = row_start[y], row_start[y + 1]
        while i < i1 and j < j1:
            if rs[j] <= re_[i] and rs[i] <= re_[j]:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            if re_[i] < re_[j]:
                i += 1
            else:
                j += 1
    comps: dict[int, Comp] = {}
    for k in range(n):
        root = find(k)
        y, s, e = ry[k], rs[k], re_[k]
        c = comps.get(root)
        if c is None:
            comps[root] = Comp(s, y, e, y + 1, e - s, [(y, s, e)])
        else:
            c.x0, c.x1, c.y1 = min(c.x0, s), max(c.x1, e), max(c.y1, y + 1)
            c.area += e - s
            c.runs.append((y, s, e))
    return list(comps.values())
