"""prongsai.extract.pdf.rulings: the ruling edges of a page are pdfplumber's (lines,
rectangles, axis-parallel steps of other paths), and the cells they make are
pdfplumber's cells, on small PDFs drawn with fpdf2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fpdf  # fpdf2, a test dependency
import pdfplumber
import pypdfium2 as pdfium

from prongsai.extract.pdf.chars import page_matrix
from prongsai.extract.pdf.rulings import page_edges, table_cells

KEYS = ("object_type", "x0", "x1", "top", "bottom", "orientation")
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def draw(path: Path, shapes: list[tuple[str, Any]], width: float = 200, height: float = 100) -> Path:
    pdf = fpdf.FPDF(unit="pt", format=(width, height))
    pdf.add_page()
    for kind, args in shapes:
        {"line": pdf.line, "rect": pdf.rect, "polygon": lambda pts: pdf.polygon(pts, style="D")}[kind](*args)
    pdf.output(str(path))
    return path


def edges_of(path: Path) -> tuple[list[dict[str, Any]], float, float]:
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        m, width, height = page_matrix(page)
        return page_edges(page, m, height), width, height
    finally:
        doc.close()


def plumber_edges(path: Path) -> list[tuple[Any, ...]]:
    with pdfplumber.open(str(path)) as pdf:
        return [tuple(e[k] for k in KEYS) for e in pdf.pages[0].edges if e["orientation"] is not None]


def test_a_line_a_rectangle_and_a_triangle(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "shapes.pdf", [("line", (10, 20, 110, 20)), ("rect", (120, 10, 50, 30)),
                                         ("polygon", ([(10, 70), (60, 70), (10, 90)],))])
    edges, width, height = edges_of(pdf)
    got = [tuple(e[k] for k in KEYS) for e in edges]
    assert got == [
        ("line", 10.0, 110.0, 20.0, 20.0, "h"),
        ("rect_edge", 120.0, 170.0, 10.0, 10.0, "h"),
        ("rect_edge", 120.0, 170.0, 40.0, 40.0, "h"),
        ("rect_edge", 120.0, 120.0, 10.0, 40.0, "v"),
        ("rect_edge", 170.0, 170.0, 10.0, 40.0, "v"),
        ("curve_edge", 10.0, 60.0, 70.0, 70.0, "h"),  # the triangle's diagonal is left out
        ("curve_edge", 10.0, 10.0, 70.0, 90.0, "v"),
    ]
    assert got == plumber_edges(pdf)  # what pdfplumber (pdfminer) finds
    assert (width, height) == (200.0, 100.0)
    assert all(e["doctop"] == e["top"] and e["width"] == e["x1"] - e["x0"] and e["height"] == e["bottom"] - e["top"]
               for e in edges)


def test_a_vertical_line(tmp_path: Path) -> None:
    edges, _, _ = edges_of(draw(tmp_path / "v.pdf", [("line", (30, 5, 30, 95))]))
    assert [tuple(e[k] for k in KEYS) for e in edges] == [("line", 30.0, 30.0, 5.0, 95.0, "v")]


def test_a_ruled_grid_makes_pdfplumbers_cells(tmp_path: Path) -> None:
    shapes: list[tuple[str, Any]] = [("line", (10, y, 110, y)) for y in (20, 40, 60)]
    shapes += [("line", (x, 20, x, 60)) for x in (10, 60, 110)]
    pdf = draw(tmp_path / "grid.pdf", shapes)
    edges, width, height = edges_of(pdf)
    assert len(edges) == 6
    (cells,) = table_cells(edges, width, height, LINES)
    assert sorted(cells) == [(10.0, 20.0, 60.0, 40.0), (10.0, 40.0, 60.0, 60.0),
                             (60.0, 20.0, 110.0, 40.0), (60.0, 40.0, 110.0, 60.0)]
    with pdfplumber.open(str(pdf)) as doc:
        want = [sorted(tuple(c) for c in t.cells) for t in doc.pages[0].find_tables(LINES)]
    assert [sorted(cells)] == want


def test_no_grid_without_both_orientations(tmp_path: Path) -> None:
    edges, width, height = edges_of(draw(tmp_path / "h.pdf", [("line", (10, y, 110, y)) for y in (20, 40, 60)]))
    assert len(edges) == 3
    assert table_cells(edges, width, height, LINES) == []
    assert table_cells([], width, height, LINES) == []
