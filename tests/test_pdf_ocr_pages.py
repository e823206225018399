"""prongsai.extract.pdf.ocr_pages: which pages are OCR'd, what replaces their text, and the
problems written, with an injected OCR engine (no Tesseract, no PDF)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from ocr_fakes import FakeOcrPage, FakeOcrSettings

from prongsai.extract.diagnose import PageDiagnosis
from prongsai.extract.pdf.ocr_pages import OCR_PACKAGES, ocr_pages
from prongsai.extract.pdf.page import PageData
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.spool import PageSpool
from prongsai.model import ExtractError, Problem, SourceRef, TextLine


@dataclass
class FakeEngine:
    """The OCR engine's surface ocr_pages uses; ``reads`` page number -> what OCR reads
    (an exception is raised), ``calls`` the pages rendered and read, in order."""

    reads: dict[int, Any] = field(default_factory=dict)
    installed: bool = True
    MISSING_TESSERACT_MESSAGE: str = "no tesseract here"
    calls: list[tuple[str, int, int, int]] = field(default_factory=list)
    omp: list[str | None] = field(default_factory=list)

    OcrSettings = FakeOcrSettings

    def tesseract_available(self, settings: FakeOcrSettings) -> bool:
        return self.installed

    def render_pdf_page(self, path: str, index: int, dpi: int, max_pixels: int) -> int:
        self.calls.append(("render", index, dpi, max_pixels))
        read = self.reads.get(index + 1)
        if isinstance(read, RuntimeError):
            raise read
        return index + 1

    def ocr_page(self, image: int, number: int, settings: FakeOcrSettings) -> FakeOcrPage:
        self.calls.append(("ocr", image, number, settings.dpi))
        self.omp.append(os.environ.get("OMP_THREAD_LIMIT"))
        read = self.reads[number]
        if isinstance(read, ExtractError):
            raise read
        return read


def page(number: int, status: str, *, no_text: bool = False, drawn: bool = False, lines: list[Any] | None = None
         ) -> PageData:
    p = PageData(number, 595.0, 842.0, no_text=no_text, drawn=drawn, diagnosis=PageDiagnosis(status, "test"))
    p.lines = lines if lines is not None else []
    p.in_table = [False] * len(p.lines)
    return p


def words(text: str, conf: float, n: int) -> FakeOcrPage:
    return FakeOcrPage([TextLine(text, SourceRef(page=1))], conf, n)


def run(pages: list[PageData], engine: FakeEngine | None, settings: PdfSettings | None = None) -> list[tuple[str, str, str, Any]]:
    problems: list[Problem] = []
    ocr_pages("plan.pdf", PageSpool.of(pages), settings or PdfSettings(), problems, engine)
    return [(p.code, p.severity, p.message, p.ref.page if p.ref else None) for p in problems]


def test_pages_with_good_text_or_nothing_drawn_are_not_read() -> None:
    engine = FakeEngine()
    pages = [page(1, "good"), page(2, "repairable"), page(3, "empty"), PageData(4, 1.0, 1.0)]
    assert run(pages, engine) == []
    assert engine.calls == []


def test_scans_and_unusable_pages_are_read_and_replace_the_text_layer() -> None:
    engine = FakeEngine(reads={1: words("หนึ่ง", 80.0, 3), 3: words("สาม", 60.0, 1)})
    old = ["a line of the broken text layer"]
    pages = [page(1, "empty", no_text=True), page(2, "good", lines=["kept"]), page(3, "unusable", lines=old)]
    assert run(pages, engine) == [
        ("OCR_USED", "info", "OCR (tesseract tha+eng) on pages 1, 3; mean confidence 75.0", 1)]  # (80*3 + 60) / 4
    assert engine.calls == [("render", 0, 200, 36_000_000), ("ocr", 1, 1, 200), ("render", 2, 200, 36_000_000), ("ocr", 3, 3, 200)]
    assert [(p.source, [b.text for b in p.ocr_blocks or []], p.lines) for p in pages] == [
        ("ocr", ["หนึ่ง"], []), ("pdfium", [], ["kept"]), ("ocr", ["สาม"], [])]
    assert pages[2].in_table == [] and pages[2].tables == []


def test_tesseract_runs_with_one_thread_and_the_setting_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    engine = FakeEngine(reads={1: words("ก", 90.0, 1)})
    run([page(1, "empty", drawn=True)], engine)
    assert engine.omp == ["1"] and os.environ["OMP_THREAD_LIMIT"] == "4"
    monkeypatch.delenv("OMP_THREAD_LIMIT")
    run([page(1, "empty", drawn=True)], engine)
    assert "OMP_THREAD_LIMIT" not in os.environ


def test_ocr_turned_off_reports_only_the_unusable_pages() -> None:
    engine = FakeEngine()
    pages = [page(1, "empty", no_text=True), page(2, "unusable"), page(3, "unusable")]
    assert run(pages, engine, PdfSettings(ocr=False)) == [
        ("UNUSABLE_TEXT", "warning", "the text layer of pages 2-3 is broken (most Thai words unreadable or glyphs "
         "without Unicode) and was kept as it is: OCR is turned off", 2)]
    assert run(pages[:1], engine, PdfSettings(ocr=False)) == []
    assert engine.calls == []


def test_missing_tesseract_names_the_pages_and_the_packages() -> None:
    engine = FakeEngine(installed=False)
    assert run([page(1, "empty", no_text=True), page(2, "empty", no_text=True), page(4, "unusable")], engine) == [
        ("OCR_UNAVAILABLE", "error", f"pages 1-2, 4 need OCR, which is not available: no tesseract here "
         f"(install the Debian packages {OCR_PACKAGES})", 1)]
    engine = FakeEngine(installed=False, MISSING_TESSERACT_MESSAGE="apt-get install tesseract-ocr-tha")
    assert run([page(5, "empty", no_text=True)], engine) == [
        ("OCR_UNAVAILABLE", "error", "page 5 need OCR, which is not available: apt-get install tesseract-ocr-tha", 5)]


def test_a_page_that_fails_costs_only_that_page() -> None:
    engine = FakeEngine(reads={1: RuntimeError("bad image"), 2: words("สอง", 70.0, 2)})
    pages = [page(1, "unusable"), page(2, "empty", no_text=True)]
    assert run(pages, engine) == [
        ("OCR_FAILED", "warning", "OCR of page 1 failed: RuntimeError: bad image", 1),
        ("OCR_USED", "info", "OCR (tesseract tha+eng) on page 2; mean confidence 70.0", 2),
        ("UNUSABLE_TEXT", "warning", "the text layer of page 1 is broken (most Thai words unreadable or glyphs "
         "without Unicode) and was kept as it is: OCR failed or read nothing", 1)]


def test_tesseract_missing_after_all_stops_at_the_pages_left() -> None:
    engine = FakeEngine(reads={1: words("ก", 50.0, 0), 2: ExtractError("Thai data missing"), 3: words("ค", 90.0, 5)})
    pages = [page(n, "empty", no_text=True) for n in (1, 2, 3)]
    assert run(pages, engine) == [
        ("OCR_UNAVAILABLE", "error", f"pages 2-3 need OCR, which is not available: Thai data missing "
         f"(install the Debian packages {OCR_PACKAGES})", 2),
        ("OCR_USED", "info", "OCR (tesseract tha+eng) on page 1; mean confidence 50.0", 1)]  # no words: page mean
    assert [c for c in engine.calls if c[0] == "ocr"] == [("ocr", 1, 1, 200), ("ocr", 2, 2, 200)]


def test_ocr_reading_nothing_keeps_a_text_layer_and_passes_on_ocr_problems() -> None:
    note = Problem("OCR_FAILED", "warning", "page 1: a cell failed", SourceRef(page=1))
    engine = FakeEngine(reads={1: FakeOcrPage([], 0.0, 0, [note])})
    pages = [page(1, "unusable", lines=["garbled"])]
    assert run(pages, engine) == [
        ("OCR_FAILED", "warning", "page 1: a cell failed", 1),
        ("UNUSABLE_TEXT", "warning", "the text layer of page 1 is broken (most Thai words unreadable or glyphs "
         "without Unicode) and was kept as it is: OCR failed or read nothing", 1)]
    assert (pages[0].source, pages[0].lines, pages[0].ocr_blocks) == ("pdfium", ["garbled"], None)


def test_the_pdf_settings_ocr_settings_win_over_the_engine_default() -> None:
    engine = FakeEngine(reads={1: words("ก", 90.0, 1)})
    run([page(1, "empty", no_text=True)], engine, PdfSettings(ocr_settings=FakeOcrSettings(dpi=300, languages="tha")))
    assert engine.calls == [("render", 0, 300, 36_000_000), ("ocr", 1, 1, 300)]


def test_packed_pages_asked_for_by_number_get_their_own_reading() -> None:
    """Pages 3 and 5 of a file read alone, packed (not held as objects): OCR goes to page 5."""
    engine = FakeEngine(reads={5: words("ห้า", 70.0, 2)})
    spool = PageSpool(resident=0)
    for p in (page(3, "good", lines=["สาม"]), page(5, "empty", no_text=True)):
        spool.append(p)
    problems: list[Problem] = []
    ocr_pages("plan.pdf", spool, PdfSettings(), problems, engine)
    assert [(p.number, p.source, [b.text for b in p.ocr_blocks or []], p.lines) for p in spool] == [
        (3, "pdfium", [], ["สาม"]), (5, "ocr", ["ห้า"], [])]
    assert engine.calls == [("render", 4, 200, 36_000_000), ("ocr", 5, 5, 200)]
