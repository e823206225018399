"""OCR of the pages whose text layer is empty (a scan) or unusable, through an injected
OCR engine (the :mod:`prongsai.extract.ocr` module by default)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prongsai.diagnostics import WarningCode
from prongsai.extract.pdf.assemble import page_ranges
from prongsai.extract.pdf.page import PageData
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.spool import PageSpool
from prongsai.model import ExtractError, Problem, SourceRef

OCR_PACKAGES = "tesseract-ocr tesseract-ocr-tha"


@contextmanager
def _single_thread_omp() -> Iterator[None]:
    """Tesseract with more than one OpenMP thread is slower and erratic (research §6)."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old


def _needs_ocr(p: PageData) -> bool:
    d = p.diagnosis
    return d is not None and (d.status == "unusable" or (d.status == "empty" and (p.drawn or p.no_text)))


def ocr_pages(
    path: str, pages: PageSpool, settings: PdfSettings, problems: list[Problem], engine: Any = None
) -> None:
    """OCR the pages whose text is ``empty`` (a scan) or ``unusable``; their blocks replace the text.

    ``engine``: the OCR engine (see :func:`prongsai.extract.pdf.read_pdf`); None: the
    :mod:`prongsai.extract.ocr` module, imported only when a page needs OCR.
    """
    at = {pages.head(i).number: i for i in range(len(pages)) if _needs_ocr(pages.head(i))}
    need = [pages.head(i) for i in at.values()]
    unusable = [p.number for p in need if p.diagnosis is not None and p.diagnosis.status == "unusable"]
    if not need:
        return
    if not settings.ocr:
        if unusable:
            problems.append(_unusable_problem(unusable, "OCR is turned off"))
        return
    ocr: Any = engine
    if ocr is None:
        try:
            ocr = importlib.import_module("prongsai.extract.ocr")  # lazily: numpy, PIL
        except ImportError:
            ocr = None
    if ocr is None:
        problems.append(_ocr_unavailable([p.number for p in need], "the OCR module is not installed"))
        return
    ocr_settings = settings.ocr_settings if settings.ocr_settings is not None else ocr.OcrSettings()
    if not ocr.tesseract_available(ocr_settings):
        problems.append(_ocr_unavailable([p.number for p in need], ocr.MISSING_TESSERACT_MESSAGE))
        return
    done: list[int] = []
    confidence = words = 0.0
    page_confidences: list[float] = []
    with _single_thread_omp():
        for h in need:
            p = pages[at[h.number]]
            try:
                image = ocr.render_pdf_page(path, p.number - 1, ocr_settings.dpi, ocr_settings.max_page_pixels)
                try:
                    result = ocr.ocr_page(image, p.number, ocr_settings)
                except ExtractError as e:  # tesseract or its Thai data is missing after all
                    problems.append(_ocr_unavailable([q.number for q in need if q.number not in done], str(e)))
                    break
            except Exception as e:  # noqa: BLE001 - one page failing must not lose the document
                problems.append(
                    Problem(
                        WarningCode.OCR_FAILED,
                        "warning",
                        f"OCR of page {p.number} failed: {type(e).__name__}: {e}",
                        SourceRef(page=p.number),
                    )
                )
                continue
            problems.extend(result.problems)
            if not result.blocks and not p.no_text and p.lines:
                continue  # OCR read nothing where the text layer has something: keep that
            p.ocr_blocks = list(result.blocks)
            p.lines, p.in_table, p.tables = [], [], []
            p.source = "ocr"
            pages[at[p.number]] = p
            done.append(p.number)
            confidence += result.mean_confidence * result.n_words
            words += result.n_words
            page_confidences.append(result.mean_confidence)
    if done:
        mean = confidence / words if words else (sum(page_confidences) / len(page_confidences))
        lang = ocr_settings.languages
        problems.append(
            Problem(
                WarningCode.OCR_USED,
                "info",
                f"OCR (tesseract {lang}) on page{'s' if len(done) > 1 else ''} {page_ranges(done)}; "
                f"mean confidence {mean:.1f}",
                SourceRef(page=done[0]),
            )
        )
    left = [n for n in unusable if n not in done]
    if left:
        problems.append(_unusable_problem(left, "OCR failed or read nothing"))


def _ocr_unavailable(numbers: list[int], message: str) -> Problem:
    if "tesseract-ocr-tha" not in message:
        message += f" (install the Debian packages {OCR_PACKAGES})"
    return Problem(
        WarningCode.OCR_UNAVAILABLE,
        "error",
        f"page{'s' if len(numbers) > 1 else ''} {page_ranges(numbers)} need OCR, which is not available: {message}",
        SourceRef(page=numbers[0]),
    )


def _unusable_problem(numbers: list[int], why: str) -> Problem:
    return Problem(
        WarningCode.UNUSABLE_TEXT,
        "warning",
        f"the text layer of page{'s' if len(numbers) > 1 else ''} {page_ranges(numbers)} is broken "
        f"(most Thai words unreadable or glyphs without Unicode) and was kept as it is: {why}",
        SourceRef(page=numbers[0]),
    )

