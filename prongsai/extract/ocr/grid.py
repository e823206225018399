"""Tables drawn with ruling lines: the lines, the grid they make, its merged cells.

Long horizontal and vertical runs of ink (a morphological opening with a line element,
done with cumulative sums in numpy) are the ruling lines. Lines that cross each other
form a table; their distinct positions form its grid. A grid boundary whose separator
is not drawn makes the two grid cells one merged cell (:attr:`Grid.regions`). Vertical
lines running past the last horizontal one (a table cut by the page end) close the grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from prongsai.extract.ocr.settings import OcrSettings


def open_1d(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Morphological opening with a ``length``-pixel line along ``axis``: the ink
    pixels that lie on a straight run at least ``length`` long."""
    a = ink if axis == 1 else ink.T
    h, w = a.shape
    if w < length or length < 2:
        return np.zeros_like(ink)
    # every run of ink along the axis, as (start, end) in the flattened rows padded with
    # a blank pixel at either end; the runs at least ``length`` long are kept whole
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = a
    d = np.diff(padded.ravel())
    starts = np.flatnonzero(d == 1) + 1
    ends = np.flatnonzero(d == -1) + 1
    long_ = (ends - starts) >= length
    marks = np.zeros(padded.size + 1, dtype=np.int8)
    marks[starts[long_]] = 1
    marks[ends[long_]] = -1
    out = np.cumsum(marks[:-1], dtype=np.int8).reshape(h, w + 2)[:, 1:-1] > 0
    return out if axis == 1 else out.T


def runs(flags: np.ndarray, max_gap: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the True runs in a 1-D array (end exclusive), joining runs
    separated by at most ``max_gap`` False values."""
    idx = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    runs = [(int(s), int(e)) for s, e in zip(idx[::2], idx[1::2], strict=True)]
    merged: list[tuple[int, int]] = []
    for s, e in runs:
        if merged and s - merged[-1][1] <= max_gap:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


@dataclass
class Seg:
    pos: float  # y of a horizontal line, x of a vertical one
    a: int  # start along the line
    b: int  # end along the line


def segments(mask: np.ndarray, axis: int, length: int, gap: int) -> list[Seg]:
    """Line segments of an opened mask: horizontal ones (axis=1) as y + x-range."""
    m = mask if axis == 1 else mask.T
    prof = m.any(axis=1)
    segs: list[Seg] = []
    for s, e in runs(np.asarray(prof), max_gap=1):
        band = m[s:e]
        for a, b in runs(np.asarray(band.any(axis=0)), max_gap=gap):
            if b - a < length:
                continue
            rows = band[:, a:b].sum(axis=1)
            pos = float(np.average(np.arange(s, e), weights=rows)) if rows.sum() else (s + e) / 2
            segs.append(Seg(pos, a, b))
    return segs


def cluster(values: Sequence[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(g)) for g in out]


@dataclass
class Grid:
    xs: list[int]
    ys: list[int]
    #: merged cells: origin (r, c) -> list of covered (r, c)
    regions: dict[tuple[int, int], list[tuple[int, int]]]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


class UnionFind:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.p[max(a, b)] = min(a, b)


def find_grids(ink: np.ndarray, dpi: int, settings: OcrSettings) -> tuple[list[Grid], np.ndarray]:
    """Tables drawn with ruling lines, and the mask of all ruling pixels."""
    h, w = ink.shape
    length = max(20, round(settings.min_line_inch * dpi))
    # tolerate a one-pixel step of a slightly slanted line
    hband = ink.copy()
    hband[1:] |= ink[:-1]
    vband = ink.copy()
    vband[:, 1:] |= ink[:, :-1]
    hmask = open_1d(hband, length, axis=1) & ink
    vmask = open_1d(vband, length, axis=0) & ink
    gap = max(3, length // 8)
    hsegs = segments(hmask, 1, length, gap)
    vsegs = segments(vmask, 0, length, gap)
    lines = hmask | vmask
    if not hsegs or not vsegs:
        return [], lines
    tol = max(6, length // 6)
    uf = UnionFind(len(hsegs) + len(vsegs))
    for i, hs in enumerate(hsegs):
        for j, vs in enumerate(vsegs):
            if hs.a - tol <= vs.pos <= hs.b + tol and vs.a - tol <= hs.pos <= vs.b + tol:
                uf.union(i, len(hsegs) + j)
    comps: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, hs in enumerate(hsegs):
        comps.setdefault(uf.find(i), ([], []))[0].append(hs)
    for j, vs in enumerate(vsegs):
        comps.setdefault(uf.find(len(hsegs) + j), ([], []))[1].append(vs)
    grids: list[Grid] = []
    min_cell = max(8, length // 4)
    for hs_list, vs_list in comps.values():
        if not hs_list or not vs_list:
            continue
        ys = cluster([s.pos for s in hs_list], tol / 2)
        xs = cluster([s.pos for s in vs_list], tol / 2)
        # a table cut by the page edge: lines running past the outermost cross line close it
        if max(s.b for s in vs_list) > ys[-1] + min_cell:
            ys.append(float(max(s.b for s in vs_list)))
        if min(s.a for s in vs_list) < ys[0] - min_cell:
            ys.insert(0, float(min(s.a for s in vs_list)))
        if max(s.b for s in hs_list) > xs[-1] + min_cell:
            xs.append(float(max(s.b for s in hs_list)))
        if min(s.a for s in hs_list) < xs[0] - min_cell:
            xs.insert(0, float(min(s.a for s in hs_list)))
        if len(ys) < 2 or len(xs) < 2:
            continue
        if len(ys) == 2 and len(xs) == 2:
            continue  # a lone frame (a boxed title) is not a table
        xi = [round(x) for x in xs]
        yi = [round(y) for y in ys]
        grids.append(Grid(xi, yi, merge_cells(ink, xi, yi, settings)))
    grids.sort(key=lambda g: g.ys[0])
    return grids, lines


def drawn(ink: np.ndarray, pos: int, a: int, b: int, axis: int, cover: float) -> bool:
    """Is a separator drawn at ``pos`` between ``a`` and ``b`` (vertical when axis=0)?"""
    m = max(3, (b - a) // 12)
    a, b = a + m, b - m
    if b <= a:
        return True
    t = 4
    if axis == 0:
        band = ink[a:b, max(0, pos - t): pos + t + 1].any(axis=1)
    else:
        band = ink[max(0, pos - t): pos + t + 1, a:b].any(axis=0)
    return bool(band.size) and float(band.mean()) >= cover


def merge_cells(ink: np.ndarray, xs: list[int], ys: list[int],
                 settings: OcrSettings) -> dict[tuple[int, int], list[tuple[int, int]]]:
    nr, nc = len(ys) - 1, len(xs) - 1
    uf = UnionFind(nr * nc)
    cov = settings.min_separator_cover
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not drawn(ink, xs[c + 1], ys[r], ys[r + 1], 0, cov):
                uf.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not drawn(ink, ys[r + 1], xs[c], xs[c + 1], 1, cov):
                uf.union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(uf.find(r * nc + c), []).append((r, c))
    return {min(cells): sorted(cells) for cells in groups.values()}
