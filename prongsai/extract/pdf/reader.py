"""Entry points of the PDF backend: :func:`read_pdf` and :func:`diagnose_pdf`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from prongsai.diagnostics import WarningCode
from prongsai.extract.diagnose import PageDiagnosis
from prongsai.extract.pdf.assemble import assemble
from prongsai.extract.pdf.chars import cid_tones_as_codes
from prongsai.extract.pdf.ocr_pages import ocr_pages
from prongsai.extract.pdf.page import PageData, read_page
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.spool import PageSpool
from prongsai.extract.pdf.textflow import Plumber, text_fallback
from prongsai.model import Document, ExtractError, Problem, SourceRef

# --- opening -------------------------------------------------------------------------

_PDFIUM_ERRORS = {
    2: "cannot open PDF: file cannot be read",
    3: "not a valid PDF (damaged file or not a PDF)",
    4: "cannot open PDF: file is encrypted (password required)",
    5: "cannot open PDF: unsupported encryption or security handler",
    6: "not a valid PDF (page tree damaged)",
}


def open_pdf(path: str) -> pdfium.PdfDocument:
    p = Path(path)
    if not p.is_file():
        raise ExtractError(f"cannot open PDF: file not found ({p.name})")
    try:
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as e:
        raise ExtractError(f"cannot open PDF: {e.strerror or e}") from None
    if not head:
        raise ExtractError("not a valid PDF (empty file)")
    if b"%PDF-" not in head:
        raise ExtractError("not a valid PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        raise ExtractError(_PDFIUM_ERRORS.get(code or 0, f"not a valid PDF ({e})")) from None
    except Exception as e:  # noqa: BLE001 - nothing from pdfium may escape
        raise ExtractError(f"not a valid PDF ({e})") from None
    return doc


# --- entry points -------------------------------------------------------------------------------


def page_indices(pages: Iterable[int] | None, n_pages: int) -> list[int]:
    """0-based indices of the 1-based page numbers asked for that exist (all pages: None).

    >>> page_indices(range(3, 6), 4), page_indices(None, 3), page_indices([9], 4)
    ([2, 3], [0, 1, 2], [])
    """
    if pages is None:
        return list(range(n_pages))
    return sorted({n - 1 for n in pages if 1 <= n <= n_pages})


def _read_pages(
    path: str, settings: PdfSettings, problems: list[Problem], pages_wanted: Iterable[int] | None = None
) -> tuple[PageSpool, int]:
    """The pages asked for (all: None) read and diagnosed, with the better of the pdfium
    text and the text flow; and the document's number of pages. Pages not asked for are
    never loaded. pdfium keeps what it parsed (fonts, objects) until its document is
    closed: it is opened again every ``settings.reopen_pages`` pages."""
    doc = open_pdf(path)
    plumber = Plumber(str(path), settings, problems)
    pages = PageSpool(settings.resident_pages)
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise ExtractError("not a valid PDF (no pages)")
        for k, index in enumerate(page_indices(pages_wanted, n_pages)):
            if k and settings.reopen_pages and k % settings.reopen_pages == 0:
                doc.close()
                doc = open_pdf(path)
            pages.append(_read_page(doc, index, settings, problems))
        if settings.text_fallback:
            text_fallback(pages, plumber, settings, problems)
    finally:
        plumber.close()
        doc.close()
    return pages, n_pages


def _read_page(doc: pdfium.PdfDocument, index: int, settings: PdfSettings, problems: list[Problem]) -> PageData:
    """Page ``index`` read (:func:`read_page`); a page pdfium cannot read is an empty page and a warning."""
    try:
        page = read_page(doc, index, settings)
    except pdfium.PdfiumError as e:
        problems.append(
            Problem(WarningCode.PAGE_UNREADABLE, "warning", f"page {index + 1} cannot be read: {e}", SourceRef(page=index + 1))
        )
        return PageData(index + 1, 0.0, 0.0)
    if page.table_error:
        problems.append(
            Problem(
                WarningCode.TABLE_DETECTION_FAILED,
                "warning",
                f"tables on page {index + 1} not detected: {page.table_error}",
                SourceRef(page=index + 1),
            )
        )
    return page


@dataclass(frozen=True)
class PageReport:
    """How one page's text was judged: ``pdfium`` is the diagnosis of the pypdfium2 text,
    ``chosen`` that of the text kept, which came from ``source`` (pdfium | flow: the
    glyphs in content-stream order, :mod:`prongsai.extract.pdf.textflow`)."""

    page: int
    source: str
    pdfium: PageDiagnosis
    chosen: PageDiagnosis

    @property
    def status(self) -> str:
        return self.chosen.status


def diagnose_pdf(
    path: str, settings: PdfSettings | None = None, *, pages: Iterable[int] | None = None
) -> list[PageReport]:
    """The diagnosis of every page of a PDF, or of the 1-based ``pages`` (no OCR is run).

    Raises :class:`~prongsai.model.ExtractError` like :func:`read_pdf`.
    """
    settings = settings or PdfSettings()
    read, _ = _read_pages(str(path), settings, [], pages)
    empty = PageDiagnosis("empty", "page cannot be read")
    heads = [read.head(i) for i in range(len(read))]
    return [PageReport(p.number, p.source, p.first_diagnosis or empty, p.diagnosis or empty) for p in heads]


def read_pdf(
    path: str, settings: PdfSettings | None = None, *, pages: Iterable[int] | None = None, ocr: Any = None
) -> Document:
    """Read a PDF into a :class:`~prongsai.model.Document`.

    Every page is diagnosed (:mod:`prongsai.extract.diagnose`); a page whose
    pypdfium2 text is not good is read again in content-stream order and the better
    text is kept; pages left ``empty`` (scans) or ``unusable`` are OCR'd when tesseract is
    there (``settings.ocr``).

    ``pages``: only these 1-based page numbers are opened and read (running headers
    are then recognised among those pages only); ``Document.n_pages`` stays the
    document's number of pages.

    ``ocr``: the OCR engine, any object with ``OcrSettings``, ``ocr_page``,
    ``tesseract_available``, ``render_pdf_page`` and ``MISSING_TESSERACT_MESSAGE``
    (default: the :mod:`prongsai.extract.ocr` module, imported when a page needs it).

    Raises :class:`~prongsai.model.ExtractError` when the file cannot be read at
    all (missing, not a PDF, damaged, encrypted).
    """
    settings = settings or PdfSettings()
    problems: list[Problem] = []
    read, n_pages = _read_pages(str(path), settings, problems, pages)
    ocr_pages(str(path), read, settings, problems, ocr)
    doc = assemble(str(path), read, settings, problems).map_text(cid_tones_as_codes)
    doc.n_pages = n_pages
    return doc
