"""Memory over long files: pages packed beyond ``PdfSettings.resident_pages``
(:mod:`prongsai.extract.pdf.spool`) and pdfium opened again every
``PdfSettings.reopen_pages`` pages. Neither may change what is read."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from prongsai.extract.pdf import PdfSettings, diagnose_pdf, read_pdf
from prongsai.extract.pdf.page import read_page
from prongsai.extract.pdf.spool import PageSpool

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "corpus" / "real"
DEV = SHARED / "corpus" / "dev"
needs_corpus = pytest.mark.skipif(
    not REAL.is_dir() and not os.environ.get("CI"), reason="shared corpus not available"
)

#: everything packed, pdfium opened again before every page
PACKED = {"resident_pages": 0, "reopen_pages": 1}


def _pages(path: Path, indices: list[int]) -> list:  # type: ignore[type-arg]
    doc = pdfium.PdfDocument(str(path))
    try:
        return [read_page(doc, i, PdfSettings()) for i in indices]
    finally:
        doc.close()


@needs_corpus
def test_a_packed_page_comes_back_whole_with_its_text_flow_candidate() -> None:
    # pages of a real volume whose tone marks have no Unicode: each keeps a text-flow
    # candidate, laid out with tables, for the document-wide glyph inference
    pages = _pages(REAL / "budget-bill-2565-vol31-excerpt.pdf", [1, 2, 3])
    assert all(p.flow is not None and p.flow.cid_counts and p.tables for p in pages)
    spool = PageSpool(resident=1)
    for p in pages:
        spool.append(p)
    assert spool.packed == 2
    assert spool[0] is pages[0]  # resident: the object itself
    for i in (1, 2):
        back = spool[i]
        assert back == pages[i] and back is not pages[i]
        assert back.flow is not None and back.flow == pages[i].flow
        head = spool.head(i)
        # what the steps ask first is at hand, the content is not
        assert (head.number, head.diagnosis, head.flow_judged) == (pages[i].number, pages[i].diagnosis, False)
        assert head.lines == [] and head.tables == [] and head.boxes == []
        assert head.flow is not None and head.flow.page.lines == []
        assert head.flow.cid_counts == pages[i].flow.cid_counts
        assert head.flow.cid_lines == pages[i].flow.cid_lines and head.flow.cid_lines


@needs_corpus
def test_a_change_to_a_packed_page_is_kept_only_when_put_back() -> None:
    (page,) = _pages(REAL / "budget-bill-2565-vol31-excerpt.pdf", [3])
    spool = PageSpool(resident=0)
    spool.append(page)
    copy = spool[0]
    copy.lines = copy.lines[:1]
    assert len(spool[0].lines) == len(page.lines) > 1
    spool[0] = copy
    assert spool.packed == 1 and [ln.text for ln in spool[0].lines] == [page.lines[0].text]


@needs_corpus
@pytest.mark.parametrize(
    "path, settings",
    [
        (FIXTURES / "two_page_table.pdf", {}),
        (REAL / "budget-bill-2565-vol31-excerpt.pdf", {"ocr": False}),
        (REAL / "budget-bill-2565-vol13-excerpt.pdf", {"ocr": False, "text_flow": "pdfplumber"}),
        (DEV / "d6_hintang.pdf", {}),
    ],
)
def test_packing_and_reopening_change_nothing_read(path: Path, settings: dict[str, object]) -> None:
    held = read_pdf(str(path), PdfSettings(**settings))  # type: ignore[arg-type]
    packed = read_pdf(str(path), PdfSettings(**settings, **PACKED))  # type: ignore[arg-type]
    assert packed == held
    assert held.blocks
    assert diagnose_pdf(str(path), PdfSettings(**PACKED)) == diagnose_pdf(str(path))


@needs_corpus
def test_packed_pages_asked_for_by_number() -> None:
    path = str(REAL / "budget-bill-2565-vol31-excerpt.pdf")
    wanted = [2, 5, 6]
    held = read_pdf(path, PdfSettings(ocr=False), pages=wanted)
    assert read_pdf(path, PdfSettings(ocr=False, **PACKED), pages=wanted) == held  # type: ignore[arg-type]
    assert {b.ref.page for b in held.blocks} == set(wanted)


def test_pdfium_is_opened_again_every_n_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from prongsai.extract.pdf import reader

    opened: list[str] = []
    real_open = reader.open_pdf

    def spy(path: str) -> pdfium.PdfDocument:
        opened.append(path)
        return real_open(path)

    monkeypatch.setattr(reader, "open_pdf", spy)
    path = str(FIXTURES / "two_page_table.pdf")
    once = read_pdf(path, PdfSettings(reopen_pages=0))
    assert len(opened) == 1
    opened.clear()
    assert read_pdf(path, PdfSettings(reopen_pages=1)) == once
    assert len(opened) == 2


def test_every_page_field_is_either_packed_or_light() -> None:
    """A field added to PageData must be put on one side: packed with the content, or kept
    at hand because it is small and the steps ask it before unpacking."""
    from dataclasses import fields

    from prongsai.extract.pdf import spool
    from prongsai.extract.pdf.page import PageData

    light = {"number", "width", "height", "no_text", "drawn", "table_error", "controls", "diagnosis",
             "first_diagnosis", "source", "ocr_blocks", "flow", "flow_judged"}  # fmt: skip
    assert {f.name for f in fields(PageData)} == light | set(spool._CONTENT)
    assert not light & set(spool._CONTENT)
