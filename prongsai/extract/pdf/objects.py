"""The page objects of a PDF page in content-stream order, from pdfium.

Form XObjects are entered where they are drawn (depth first, as a PDF interpreter runs
them), each object with its matrix to page space.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention: p' = p x m x n).

    >>> multiply((2, 0, 0, 2, 1, 1), (1, 0, 0, 1, 10, 0))
    (2, 0, 0, 2, 11, 1)
    """
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def object_matrix(obj: Any) -> Matrix:
    """A page object's own matrix (to its parent: the page, or the form XObject drawing it)."""
    fm = pdfium_c.FS_MATRIX()
    if pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
        return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
    return IDENTITY


def page_objects(page: pdfium.PdfPage, kinds: frozenset[int]) -> Iterator[tuple[Any, Matrix]]:
    """Every object of one of ``kinds`` (``FPDF_PAGEOBJ_*``) drawn on the page, in
    content-stream order, with its matrix to page space."""

    def walk(holder: Any, outer: Matrix, is_form: bool) -> Iterator[tuple[Any, Matrix]]:
        count = pdfium_c.FPDFFormObj_CountObjects(holder) if is_form else pdfium_c.FPDFPage_CountObjects(holder)
        for i in range(count):
            obj = pdfium_c.FPDFFormObj_GetObject(holder, i) if is_form else pdfium_c.FPDFPage_GetObject(holder, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind in kinds:
                yield obj, multiply(object_matrix(obj), outer)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                yield from walk(obj, multiply(object_matrix(obj), outer), True)

    yield from walk(page.raw, IDENTITY, False)
