"""Entry points of the PDF backend: :func:`read_pdf` and :func:`diagnose_pdf`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from prongsai.extract.diagnose import PageDiagnosis
from prongsai.extract.pdf.assemble import assemble
from prongsai.extract.pdf.ocr_pages import ocr_pages
from prongsai.extract.pdf.page import PageData, read_page
from prongsai.extract.pdf.settings import PdfSettings
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


def _read_pages(path: str, settings: PdfSettings, problems: list[Problem]) -> list[PageData]:
    """Every page read and diagnosed, with the better of the pypdfium2 and pdfplumber texts."""
    doc = open_pdf(path)
    plumber = Plumber(str(path), settings, problems)
    pages: list[PageData] = []
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise ExtractError("not a valid PDF (no pages)")
        for index in range(n_pages):
            try:
                pages.append(read_page(doc, index, settings))
            except pdfium.PdfiumError as e:
                problems.append(
                    Problem(
                        "PAGE_UNREADABLE", "warning", f"page {index + 1} cannot be read: {e}", SourceRef(page=index + 1)
                    )
                )
                pages.append(PageData(index + 1, 0.0, 0.0))
        if settings.text_fallback:
            text_fallback(pages, plumber, settings, problems)
    finally:
        plumber.close()
        doc.close()
    return pages


@dataclass(frozen=True)
class PageReport:
    """How one page's text was judged: ``pdfium`` is the diagnosis of the pypdfium2 text,
    ``chosen`` that of the text kept, which came from ``source`` (pdfium | pdfplumber)."""

    page: int
    source: str
    pdfium: PageDiagnosis
    chosen: PageDiagnosis

    @property
    def status(self) -> str:
        return self.chosen.status


def diagnose_pdf(path: str, settings: PdfSettings | None = None) -> list[PageReport]:
    """The diagnosis of every page of a PDF (no OCR is run).

    Raises :class:`~prongsai.model.ExtractError` like :func:`read_pdf`.
    """
    settings = settings or PdfSettings()
    pages = _read_pages(str(path), settings, [])
    empty = PageDiagnosis("empty", "page cannot be read")
    return [PageReport(p.number, p.source, p.first_diagnosis or empty, p.diagnosis or empty) for p in pages]


def read_pdf(path: str, settings: PdfSettings | None = None) -> Document:
    """Read a PDF into a :class:`~prongsai.model.Document`.

    Every page is diagnosed (:mod:`prongsai.extract.diagnose`); a page whose
    pypdfium2 text is not good is read with pdfplumber too and the better text is
    kept; pages left ``empty`` (scans) or ``unusable`` are OCR'd when tesseract is
    there (``settings.ocr``).

    Raises :class:`~prongsai.model.ExtractError` when the file cannot be read at
    all (missing, not a PDF, damaged, encrypted).
    """
    settings = settings or PdfSettings()
    problems: list[Problem] = []
    pages = _read_pages(str(path), settings, problems)
    ocr_pages(str(path), pages, settings, problems)
    return assemble(str(path), pages, settings, problems)
