"""Ruling lines of a PDF page from pdfium's page objects, and the table cells they make.

pdfplumber's table finder (lines strategy) needs the page's horizontal and vertical
*edges*: every straight line, the four sides of every rectangle and every axis-parallel
step of every other path. pdfplumber gets them by running pdfminer's interpreter over
the whole content stream (0.1-0.2 s a page on dense real pages); here they come from
pdfium's path objects (already parsed when the page was loaded, a few milliseconds),
built exactly as pdfminer builds its line, rect and curve objects
(:func:`page_edges`), and handed to pdfplumber's own grid geometry
(``pdfplumber.table.TableFinder``: snapping, joining, intersections, cells), which
is pure arithmetic and never opens the file. So the cells are pdfplumber's, without
pdfminer.

pdfminer's rules, followed here on each subpath (a path is split at every move-to):

* ``m l`` or ``m l h``: a line (its bounding box; horizontal when the two ends are at
  the same height, otherwise vertical, as pdfplumber classifies it);
* ``m l l l h`` / ``m l l l l`` closing on the start with axis-parallel sides (an ``l``
  back to the start before ``h`` is dropped first): a rectangle, four edges;
* anything else: a curve through the end points of its segments (a close adds the
  start point), an edge for each step between consecutive points.

Coordinates are top-down displayed page coordinates, the same as the characters'
(:func:`prongsai.extract.pdf.chars.page_matrix`).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.pdf.objects import Matrix, multiply, page_objects

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Point = tuple[float, float]
_PATHS = frozenset({pdfium_c.FPDF_PAGEOBJ_PATH})

def _subpaths(obj: Any, m: Matrix) -> Iterator[tuple[str, list[Point]]]:
    """pdfminer's view of a path: per subpath, the operator letters and the end point
    of each operator (a close ``h`` has the subpath's start point), in page space."""
    n = pdfium_c.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    shape: list[str] = []
    pts: list[Point] = []
    bezier = 0
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        p = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                yield "".join(shape), pts
            shape, pts, bezier = ["m"], [p], 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier < 3:  # two control points, then the end point of the curve operator
                continue
            bezier = 0
            shape.append("c")
            pts.append(p)
        else:
            shape.append("l")
            pts.append(p)
        if shape and pdfium_c.FPDFPathSegment_GetClose(seg):
            shape.append("h")
            pts.append(pts[0])
    if shape:
        yield "".join(shape), pts


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str | None, kind: str) -> dict[str, Any]:
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _shape_edges(shape: str, pts: list[Point], height: float) -> list[dict[str, Any]]:
    """The edges pdfplumber makes of one subpath (pdfminer's line/rect/curve rules)."""
    if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("ml", "mlh"):
        (xa, ya), (xb, yb) = pts[0], pts[1]
        top, bottom = height - max(ya, yb), height - min(ya, yb)
        return [_edge(min(xa, xb), max(xa, xb), top, bottom, "h" if top == bottom else "v", "line")]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = height - max(y0, y2), height - min(y0, y2)
            return [
                _edge(left, right, top, top, "h", "rect_edge"),
                _edge(left, right, bottom, bottom, "h", "rect_edge"),
                _edge(left, left, top, bottom, "v", "rect_edge"),
                _edge(right, right, top, bottom, "v", "rect_edge"),
            ]
    out = []
    for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
        orientation = "v" if xa == xb else ("h" if ya == yb else None)
        if orientation is not None:
            out.append(_edge(min(xa, xb), max(xa, xb), height - max(ya, yb), height - min(ya, yb), orientation, "curve_edge"))
    return out


def page_edges(page: pdfium.PdfPage, m: Matrix, height: float) -> list[dict[str, Any]]:
    """The horizontal and vertical edges of every path on the page, as pdfplumber's
    ``page.edges`` has them (diagonal steps of curves are left out: the table finder
    never uses them)."""
    out: list[dict[str, Any]] = []
    for obj, om in page_objects(page, _PATHS):
        for shape, pts in _subpaths(obj, multiply(om, m)):
            if shape.startswith("m") and len(pts) > 1:
                out.extend(_shape_edges(shape, pts, height))
    return out


class _EdgesPage:
    """What pdfplumber's ``TableFinder`` asks of a page: its edges (and its box)."""

    def __init__(self, edges: list[dict[str, Any]], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)


def table_cells(edges: list[dict[str, Any]], width: float, height: float, settings: dict[str, Any]) -> list[list[Box]]:
    """The cell boxes of each table the ruling ``edges`` make (pdfplumber's
    ``find_tables`` with ``settings``, lines strategy), without pdfminer."""
    if not any(e["orientation"] == "h" for e in edges) or not any(e["orientation"] == "v" for e in edges):
        return []  # a grid needs both
    from pdfplumber.table import TableFinder

    finder = TableFinder(_EdgesPage(edges, width, height), settings)  # type: ignore[arg-type]
    return [[(c[0], c[1], c[2], c[3]) for c in t.cells] for t in finder.tables]
