"""Real pages of the 84-page budget volume: the pdfium text flow keeps the space glyphs
pdfium's text page leaves out (a space drawn as a text object of its own), and a page
whose only defect is mark glyphs without a Unicode map (U+FFFD inside Thai words) is
repaired, not OCR'd."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from prongsai.extract import clean_document
from prongsai.extract.diagnose import diagnose_text
from prongsai.extract.pdf import PdfSettings, diagnose_pdf, read_pdf
from prongsai.extract.pdf.chars import page_matrix
from prongsai.extract.pdf.flow import flow_chars
from prongsai.text_dump import document_text

VOL31 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "budget-bill-2565-vol31-full.pdf"
pytestmark = pytest.mark.skipif(not VOL31.is_file(), reason="shared corpus not available")


def _flow_text(page_no: int) -> str:
    doc = pdfium.PdfDocument(str(VOL31))
    try:
        page = doc[page_no - 1]
        textpage = page.get_textpage()
        m, _, height = page_matrix(page)
        text = "".join(o[0] for o in flow_chars(page, textpage, m, height))
        textpage.close()
        page.close()
        return text
    finally:
        doc.close()


def _text(page_no: int) -> str:
    doc = read_pdf(str(VOL31), PdfSettings(ocr=False), pages=[page_no])
    return " ".join(document_text(clean_document(doc)).split())


def test_space_object_at_a_cell_wrap_is_kept_in_the_flow() -> None:
    # page 46 draws the space after สภากาชาดไทย (end of a cell line) as its own text object
    assert "ไทย ไป" in _flow_text(46)


@pytest.mark.parametrize(
    ("page_no", "words"),
    [
        (46, "สภากาชาดไทย ไปช่วยเหลือ"),
        (20, "ความเข้าใจ และปฏิบัติ"),
        (6, "19 ถึง 32"),
        (76, "ในพระองค์ และการถวาย"),
    ],
)
def test_pages_read_from_the_flow_keep_their_spaces(page_no: int, words: str) -> None:
    report = diagnose_pdf(str(VOL31), PdfSettings(ocr=False), pages=[page_no])
    assert report[0].source == "flow"  # the page is read from the text flow
    assert words in _text(page_no)


def test_a_glyph_of_an_actualtext_span_is_no_space() -> None:
    # page 3: SARA AM is an /ActualText span over two glyph objects; the second one has no
    # character in the text page but draws a glyph, so no space is put after จำ
    text = _text(3)
    assert "ประจำปีงบประมาณ" in text
    assert "ประจำ ปี" not in text


def test_unmapped_mark_glyph_inside_thai_words_is_repairable() -> None:
    d = diagnose_text("ของหน่วยงานอื่่\ufffdนของรัฐ ความเชื่่\ufffdอมโยงยุทธศาสตร์ชาติ ประจ\ufffdาปีงบประมาณ 2565")
    assert (d.status, d.signals.thai_replacement, d.signals.replacement) == ("repairable", 3, 0)
    # U+FFFD outside Thai words is still a glyph nobody can map
    d = diagnose_text("ของหน่วยงานของรัฐ \ufffd\ufffd\ufffd ความเชื่อมโยง \ufffd\ufffd")
    assert (d.status, d.signals.replacement) == ("unusable", 5)


@pytest.mark.parametrize("page_no", [1, 5, 84])
def test_pages_with_unmapped_mark_glyphs_are_not_unusable(page_no: int) -> None:
    # these pages were OCR'd, which read the table of contents worse than the text layer
    (report,) = diagnose_pdf(str(VOL31), pages=[page_no])
    assert report.status == "repairable"
    assert report.chosen.signals.thai_replacement > 0


def test_table_of_contents_read_from_the_text_layer() -> None:
    text = _text(5)
    assert "1. งบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2565 ของหน่วยงานอื่นของรัฐ 1" in text
    assert "2. ความเชื่อมโยงยุทธศาสตร์ชาติ แผนแม่บทภายใต้ยุทธศาสตร์ชาติ" in text


def test_pdfplumber_is_never_opened_on_the_default_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages read from the text flow (with and without unmapped glyphs) get it from pdfium:
    pdfplumber is the opt-in ``text_flow="pdfplumber"`` only."""
    from prongsai.extract.pdf import textflow

    opened: list[int] = []
    monkeypatch.setattr(textflow.Plumber, "_page", lambda self, index: opened.append(index))
    pages = list(range(1, 31))
    report = diagnose_pdf(str(VOL31), PdfSettings(ocr=False), pages=pages)
    assert sum(r.source == "flow" for r in report) >= 20  # most of these pages take the text flow
    read_pdf(str(VOL31), PdfSettings(ocr=False), pages=pages)
    assert opened == []


def test_the_pdfplumber_text_flow_reads_what_pdfiums_does() -> None:
    """The opt-in pdfplumber text flow (pdfminer's glyphs) and pdfium's give the same text on
    pages whose fonts lack Unicode maps for tone marks (vol. 13: ``(cid:201)`` … glyphs)."""
    path = str(VOL31.with_name("budget-bill-2565-vol13-excerpt.pdf"))
    texts = [
        document_text(clean_document(read_pdf(path, PdfSettings(ocr=False, text_flow=flow))))
        for flow in ("pdfium", "pdfplumber")
    ]
    assert "ที่" in texts[0] and len(texts[0]) > 5000
    assert texts[0] == texts[1]
