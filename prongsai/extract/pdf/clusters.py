"""Characters of one visual line grouped into clusters (a base character with its combining
marks), marks drawn away from their character moved back over it, and the order test
(:func:`goes_back`) by which a line is put in x order (:func:`prongsai.extract.pdf.lines.build_lines`)."""

from __future__ import annotations

from collections.abc import Sequence

from prongsai.extract.pdf.chars import BASE, MARK, Char


def outside(base: Char, x: float) -> float:
    """How far ``x`` lies outside the base glyph's horizontal extent.

    >>> [outside(Char("ก", 10, 15, 0, 14, BASE), x) for x in (8, 12, 16)]
    [2, 0.0, 1]
    """
    return max(base.x0 - x, x - base.x1, 0.0)


def nearest(bases: list[list[Char]], x: float) -> list[Char]:
    """The base cluster whose first glyph is nearest to ``x`` (the first of equals)."""
    best, best_d = bases[0], -1.0
    for cl in bases:
        c = cl[0]
        d = c.x0 - x  # outside(c, x): max(c.x0 - x, x - c.x1, 0.0)
        if x - c.x1 > d:
            d = x - c.x1
        if d < 0.0:
            d = 0.0
        if best_d < 0 or d < best_d:
            best, best_d = cl, d
    return best


def mark_clusters(stream: Sequence[Char], h: float) -> tuple[list[list[Char]], bool]:
    """Group characters into a base character with its combining marks; a space is
    a cluster of its own. Returns the clusters and whether a mark was moved.

    A mark stays where pdfium put it (after the character before it) unless it is
    drawn far (more than a quarter of a line height) from that character and over another
    one of the line: broken text layers draw marks after the word or after a space
    (``ว ุ เคราะห ิ``), and only the positions tell where they belong. Correct
    PDFs never trigger this (every mark sits over the character before it).

    >>> def c(t, x, kind=BASE):
    ...     return Char(t, x, x + 5, 0, 14, kind)
    >>> cls, moved = mark_clusters([c("ว", 0), c("ก", 5), c("\u0e34", 0, MARK)], 8)
    >>> ["".join(ch.text for ch in cl) for cl in cls], moved  # SARA I drawn over WO WAEN
    (['วิ', 'ก'], True)
    """
    clusters: list[list[Char]] = []
    last_base: list[Char] | None = None
    lb_x0 = lb_x1 = 0.0  # the extent of the base character of ``last_base``
    near = 0.25 * h
    far: list[tuple[Char, list[Char]]] = []
    for c in stream:
        kind = c.kind
        if kind == MARK:
            if last_base is not None:
                cx = (c.x0 + c.x1) / 2
                d = lb_x0 - cx  # outside(base, cx), written out
                if cx - lb_x1 > d:
                    d = cx - lb_x1
                if d < 0.0:
                    d = 0.0
                if d <= near:
                    if clusters[-1] is last_base:
                        last_base.append(c)
                    else:
                        clusters.append([c])  # after a space: leave it to the text repair
                    continue
            holder = [c]
            clusters.append(holder)
            far.append((c, holder))
            continue
        cl = [c]
        clusters.append(cl)
        if kind == BASE:
            last_base, lb_x0, lb_x1 = cl, c.x0, c.x1
    moved = False
    if far:
        bases = [cl for cl in clusters if cl[0].kind == BASE]
        ext = [(cl[0].x0, cl[0].x1, (cl[0].x0 + cl[0].x1) / 2) for cl in bases]
        for m, holder in far:
            mx = (m.x0 + m.x1) / 2
            best, best_d = -1, 0.0
            for k, (x0, x1, cx) in enumerate(ext):
                if x0 - mx <= 0.5 and mx - x1 <= 0.5:  # outside(base, mx) <= 0.5
                    d = abs(cx - mx)
                    if best < 0 or d < best_d:  # the nearest over it (the first of equals)
                        best, best_d = k, d
            if best >= 0:
                bases[best].append(m)
                holder.clear()
                moved = True
        clusters = [cl for cl in clusters if cl]
    return clusters, moved


def goes_back(bases: list[list[Char]], tol: float) -> bool:
    """Does a base character start more than ``tol`` left of the one before it?

    >>> def cl(x):
    ...     return [Char("ก", x, x + 5, 0, 14, BASE)]
    >>> goes_back([cl(0), cl(5), cl(10)], 1.0), goes_back([cl(0), cl(10), cl(5)], 1.0)
    (False, True)
    """
    prev = bases[0][0].cx
    for cl in bases[1:]:
        cx = cl[0].cx
        if cx < prev - tol:
            return True
        prev = cx
    return False
