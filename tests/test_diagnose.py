"""Tests for the per-page text diagnosis (prongsai.extract.diagnose) and what the PDF
backend does with it: the text path per page (pypdfium2 or pdfplumber) and the OCR hook."""

from __future__ import annotations

import os
import sys
import types
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, require_tesseract
from ocr_fakes import FakeOcrPage, FakeOcrSettings

from prongsai.extract.diagnose import DiagnosisSettings, diagnose_text, word_share
from prongsai.extract.pdf import PdfSettings, diagnose_pdf, read_pdf
from prongsai.model import Block, Problem, SourceRef, Table, TextLine
from prongsai.normalize.clean import clean_text

DEV = SHARED / "corpus" / "dev"
REAL = SHARED / "corpus" / "real"
needs_corpus = pytest.mark.skipif(not (DEV.is_dir() and REAL.is_dir()), reason="shared corpus not available")

GOOD = "แผนปฏิบัติการป้องกันการทุจริตของเทศบาลตำบล ประจำปีงบประมาณ พ.ศ. 2567 โครงการอบรมคุณธรรมจริยธรรมสำหรับผู้บริหาร"


# --- diagnose_text ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t ", "- 12 -", "หน้า 3"])
def test_empty(text: str) -> None:
    assert diagnose_text(text).status == "empty"


def test_good() -> None:
    d = diagnose_text(GOOD)
    assert d.status == "good", d.reason
    assert d.signals.word_share == 1.0
    assert d.signals.thai_tokens >= 10
    assert d.signals.defects == d.signals.unmapped == 0


def test_english_page_is_good() -> None:
    assert diagnose_text("Annual anti-corruption action plan, fiscal year 2024: 12 projects.").status == "good"


@pytest.mark.parametrize(
    ("defect", "signal"),
    [
        ("ประจาํปี", "split_sara_am"),  # NIKHAHIT + SARA AA
        ("ตำาบล", "split_sara_am"),  # doubled SARA AA (pdfminer)
        ("ป\uf70bองกัน", "pua"),  # legacy Windows PUA glyph
        ("สถานทีÉดำเนินการ", "tone_glyphs"),  # Latin-1 stand-in for MAI EK
        ("เพื ่อ", "marks_after_space"),
        ("วิิสััยทััศน์์", "doubled_marks"),
        ("ก\u0e48\u0e34น", "misordered_marks"),  # tone before an above vowel
        ("รายจา่ย", "misordered_marks"),  # tone after SARA AA
    ],
)
def test_repairable_defects(defect: str, signal: str) -> None:
    d = diagnose_text(f"{GOOD} {defect} {GOOD}")
    assert d.status == "repairable", d.reason
    assert getattr(d.signals, signal) >= 1
    assert d.signals.word_share >= 0.9  # the repair makes them words again


def test_canonical_order_variant_is_good() -> None:
    # tone mark before a below vowel (pdfium's /ActualText clusters): Unicode NFC reorders it
    d = diagnose_text(f"{GOOD} ดัชนีการรับร\u0e49\u0e39การทุจริต")
    assert d.status == "good", d.reason
    assert d.signals.misordered_marks == 0


def test_lookalikes_are_reported_not_held_against_the_page() -> None:
    d = diagnose_text(f"{GOOD} เทศบ\u0eb2ลตำบล")
    assert d.signals.lookalikes == 1
    assert d.status == "good"


def test_unmapped_glyphs_make_a_page_unusable() -> None:
    cids = " ".join(f"(cid:{n})(cid:{n + 1})(cid:{n + 2})" for n in range(3, 60, 3))
    d = diagnose_text(cids + " " + GOOD)
    assert d.status == "unusable" and d.signals.cids == 57
    assert diagnose_text(GOOD + "\x01\x02\x03" * 3).status == "unusable"
    assert diagnose_text(GOOD, controls=5).status == "unusable"  # dropped by the backend, still counted
    assert diagnose_text(GOOD + "\ufffd" * 4).signals.replacement == 4
    # one stray glyph is not enough
    assert diagnose_text(GOOD * 3 + " (cid:3)").status == "repairable"
    assert diagnose_text("ข้อความสั้น (cid:3)(cid:4)").status == "repairable"  # a rate needs a few glyphs


def test_latin1_stand_ins_are_unusable() -> None:
    # a Thai font without a Unicode map read as Windows-874 bytes
    d = diagnose_text("á¼¹»¯ÔºÑµÔ¡ÒÃ»éÍ§¡Ñ¹¡ÒÃ·Ø¨ÃÔµ ¢Í§à·ÈºÒÅµÓºÅ »ÃÐ¨Ó»Õ§º»ÃÐÁÒ³ 2567")
    assert d.status == "unusable", d.reason
    assert d.signals.latin1_letters > 20


def test_broken_words_are_unusable() -> None:
    # an OCR text layer spaced letter by letter (research D18)
    d = diagnose_text("ส ่ว น ท ี่ 2 แ ผ น ป ฏ ิ บ ั ต ิ ก า ร ป ้ อ ง ก ั น ก า ร ท ุ จ ร ิ ต ข อ ง เ ท ศ บ า ล ต ำ บ ล")
    assert d.status == "unusable", d.reason
    assert d.signals.word_share < 0.5


def test_settings_and_precomputed_repair() -> None:
    strict = DiagnosisSettings(good_word_share=1.01)
    assert diagnose_text(GOOD, strict).status == "repairable"
    assert diagnose_text("กขค", DiagnosisSettings(min_chars=2)).status != "empty"
    # ``repaired`` is used as the repaired text as given
    d = diagnose_text(GOOD, repaired="ดว้ยหอ้ง ดว้ยหอ้ง ดว้ยหอ้ง ดว้ยหอ้ง ดว้ยหอ้ง ดว้ยหอ้ง ดว้ยหอ้ง ดว้ยหอ้ง")
    assert d.signals.word_share == 0.0
    d = diagnose_text(GOOD)
    assert d.status == "good" and d.signals.word_share >= 0.9 and d.signals.cids == 0


# --- the corpus ---------------------------------------------------------------------------------


def _statuses(name: str, folder: Path = DEV) -> list[str]:
    return [r.status for r in diagnose_pdf(str(folder / name))]


@needs_corpus
@pytest.mark.parametrize("name", ["d2_banphaeng.pdf", "d3_sisuk.pdf", "seed004.pdf"])
def test_born_digital_pdfs_are_good_and_stay_on_pdfium(name: str) -> None:
    reports = diagnose_pdf(str(DEV / name))
    assert Counter(r.status for r in reports) == Counter(good=len(reports))
    assert {r.source for r in reports} == {"pdfium"}
    assert min(r.chosen.signals.word_share for r in reports) >= 0.93


@needs_corpus
def test_scanned_pdf_is_empty() -> None:
    assert _statuses("d5_huathanon.pdf") == ["empty"] * 12


@needs_corpus
def test_legacy_glyph_pdf_is_repairable() -> None:
    reports = diagnose_pdf(str(DEV / "d6_hintang.pdf"))
    counts = Counter(r.status for r in reports)
    # 30 pages with PUA glyphs; one short page without any, the last page blank
    assert counts == Counter(repairable=30, good=1, empty=1)
    assert sum(r.pdfium.signals.pua > 0 for r in reports) == 30
    assert all(r.chosen.signals.word_share >= 0.99 for r in reports if r.status == "repairable")
    assert {r.source for r in reports} == {"pdfium"}  # the stream order reads them no better


@needs_corpus
@pytest.mark.parametrize("name", ["budget-bill-2565-vol13-excerpt.pdf", "budget-bill-2565-vol31-excerpt.pdf"])
def test_real_broken_pdfs_are_not_good(name: str) -> None:
    reports = diagnose_pdf(str(REAL / name))
    assert len(reports) == 6
    assert [r.pdfium.status for r in reports] == ["repairable"] * 6
    # the content-stream order (marks where the font put them, cid glyphs mapped) wins
    assert [r.source for r in reports] == ["flow"] * 6
    for r in reports:
        assert r.chosen.signals.word_share >= r.pdfium.signals.word_share


# --- what `prongsai text` prints for the real broken PDFs ----------------------------------------


def _thai_counts(text: str) -> Counter[str]:
    # NFKD splits SARA AM into NIKHAHIT + SARA AA, as broken text layers write it
    return Counter(c for c in unicodedata.normalize("NFKD", text) if "\u0e01" <= c <= "\u0e4e")


def thai_retention(out: str, raw: str) -> float:
    """Share of the raw text layer's Thai characters (multiset, order-free) found in ``out``."""
    o, r = _thai_counts(out), _thai_counts(raw)
    return sum(min(o[c], n) for c, n in r.items()) / sum(r.values())


def dictionary_share(text: str) -> float:
    tokens, words = word_share(text)
    return words / tokens


@needs_corpus
@pytest.mark.parametrize("name", ["budget-bill-2565-vol13-excerpt.pdf", "budget-bill-2565-vol31-excerpt.pdf"])
def test_prongsai_text_reads_real_broken_pdfs(name: str) -> None:
    import pdfplumber
    import pypdfium2 as pdfium
    from typer.testing import CliRunner

    from prongsai.cli import app

    path = REAL / name
    result = CliRunner().invoke(app, ["text", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("\f") == 5  # six pages
    pdf = pdfium.PdfDocument(str(path))
    try:
        raw = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert dictionary_share(out) >= 0.95
    assert thai_retention(out, raw) >= 0.85
    # for comparison: pdfplumber's own text flow is far from it, even after the repair
    with pdfplumber.open(str(path)) as plumb:
        flow = "\n".join(p.extract_text(use_text_flow=True) or "" for p in plumb.pages)
    assert dictionary_share(flow) < 0.75
    assert dictionary_share(clean_text(flow)) < 0.85
    # and the pypdfium2 path alone is worse than the chosen one
    old = read_pdf(str(path), PdfSettings(text_fallback=False, ocr=False)).map_text(clean_text).plain_text()
    assert dictionary_share(out) > dictionary_share(old)


# --- the OCR hook ---------------------------------------------------------------------------------


def fake_ocr(
    *, available: bool = True, fail: set[int] | None = None, missing_data: bool = False, blank: bool = False
) -> Any:
    """An OCR engine with the API of prongsai.extract.ocr (injected into read_pdf), recording its calls."""
    mod: Any = types.SimpleNamespace()
    mod.MISSING_TESSERACT_MESSAGE = "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-tha)"
    mod.OcrSettings = FakeOcrSettings
    mod.calls = []
    mod.omp = []

    def tesseract_available(settings: Any = None) -> bool:
        return available

    def render_pdf_page(path: str, index: int, dpi: int, max_pixels: int | None = None) -> Any:
        from PIL import Image

        mod.calls.append((Path(path).name, index, dpi))
        return Image.new("L", (20, 20), 255)

    def ocr_page(image: Any, page_no: int, settings: Any = None) -> FakeOcrPage:
        from prongsai.model import ExtractError

        mod.omp.append(os.environ.get("OMP_THREAD_LIMIT"))
        if missing_data:
            raise ExtractError("tesseract has no Thai data: install tesseract-ocr-tha")
        if fail and page_no in fail:
            raise RuntimeError("tesseract crashed")
        if blank:
            return FakeOcrPage([], 0.0, 0)
        blocks: list[Block] = [
            TextLine(f"ข้อความจาก OCR หน้า {page_no}", SourceRef(page=page_no, line=1)),
            Table([["ที่", "โครงการ"], ["1", "โครงการอบรม"]], SourceRef(page=page_no, line=2)),
        ]
        return FakeOcrPage(blocks, 81.2, 10)

    mod.tesseract_available = tesseract_available
    mod.render_pdf_page = render_pdf_page
    mod.ocr_page = ocr_page
    return mod


def _make_pdf(path: Path, pages: list[str | None]) -> Path:
    """A PDF whose pages are Latin-1 text (a string) or a scan (None: one image, no text)."""
    fpdf = pytest.importorskip("fpdf")
    from PIL import Image, ImageDraw

    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=12)
    for content in pages:
        pdf.add_page()
        if content is None:
            img = Image.new("L", (400, 300), 255)
            ImageDraw.Draw(img).rectangle((40, 40, 360, 80), fill=0)
            pdf.image(img, x=20, y=20, w=150)
        else:
            pdf.multi_cell(170, 8, content)
    pdf.output(str(path))
    return path


ENGLISH = "Anti-corruption action plan of the municipality for the fiscal year 2024, with twelve projects."
ENGLISH2 = "Part two lists the projects, their budgets and the offices responsible for them, one by one."
LATIN1 = "á¼¹»¯ÔºÑµÔ¡ÒÃ»éÍ§¡Ñ¹¡ÒÃ·Ø¨ÃÔµ ¢Í§à·ÈºÒÅµÓºÅ »ÃÐ¨Ó»Õ§º»ÃÐÁÒ³ 2567 â¤Ã§¡ÒÃÍºÃÁ¤Ø³¸ÃÃÁ"


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_scanned_pages_are_ocred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_ocr()
    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    doc = read_pdf(str(_make_pdf(tmp_path / "scan.pdf", [None, None])), ocr=fake)
    assert fake.calls == [("scan.pdf", 0, 200), ("scan.pdf", 1, 200)]
    assert fake.omp == ["1", "1"]  # tesseract runs single-threaded ...
    assert os.environ["OMP_THREAD_LIMIT"] == "4"  # ... and the caller's setting comes back
    assert doc.text_source == "ocr"
    assert [b.ref.page for b in doc.blocks] == [1, 1, 2, 2]
    assert isinstance(doc.blocks[1], Table)
    (used,) = doc.problems
    assert (used.code, used.severity) == ("OCR_USED", "info")
    assert used.message == "OCR (tesseract tha+eng) on pages 1-2; mean confidence 81.2"


def test_mixed_document(tmp_path: Path) -> None:
    fake = fake_ocr()
    doc = read_pdf(str(_make_pdf(tmp_path / "mixed.pdf", [ENGLISH, None, ENGLISH2])), ocr=fake)
    assert [i for _, i, _ in fake.calls] == [1]
    assert doc.text_source == "mixed"
    assert [b.ref.page for b in doc.blocks] == [1, 2, 2, 3]
    assert doc.blocks[1].text == "ข้อความจาก OCR หน้า 2"  # type: ignore[union-attr]
    assert _codes(doc.problems) == ["OCR_USED"]
    assert "on page 2;" in doc.problems[0].message


def test_unusable_text_is_replaced_by_ocr(tmp_path: Path) -> None:
    path = _make_pdf(tmp_path / "latin1.pdf", [LATIN1, ENGLISH])
    assert [r.status for r in diagnose_pdf(str(path))] == ["unusable", "good"]
    fake = fake_ocr()
    doc = read_pdf(str(path), ocr=fake)
    assert [i for _, i, _ in fake.calls] == [0]
    assert doc.text_source == "mixed"
    assert not any("¼" in b.text for b in doc.blocks if isinstance(b, TextLine))
    # OCR turned off: the text is kept, with a warning
    doc = read_pdf(str(path), PdfSettings(ocr=False), ocr=fake)
    assert any("¼" in b.text for b in doc.blocks if isinstance(b, TextLine))
    (problem,) = doc.problems
    assert (problem.code, problem.severity) == ("UNUSABLE_TEXT", "warning")
    assert "page 1 " in problem.message and "OCR is turned off" in problem.message
    assert len(fake.calls) == 1


def test_unusable_text_is_kept_when_ocr_reads_nothing(tmp_path: Path) -> None:
    doc = read_pdf(str(_make_pdf(tmp_path / "latin1.pdf", [LATIN1, None])), ocr=fake_ocr(blank=True))
    assert any("¼" in b.text for b in doc.blocks if isinstance(b, TextLine))
    # OCR ran on the scan (page 2) and read nothing there either
    assert _codes(doc.problems) == ["OCR_USED", "UNUSABLE_TEXT", "NO_TEXT_LAYER"]
    assert "on page 2;" in doc.problems[0].message
    assert "page 1 " in doc.problems[1].message and "page 2" in doc.problems[2].message
    assert doc.text_source == "text"


def test_without_tesseract(tmp_path: Path) -> None:
    fake = fake_ocr(available=False)
    doc = read_pdf(str(_make_pdf(tmp_path / "scan.pdf", [ENGLISH, None, None])), ocr=fake)
    assert fake.calls == []
    assert doc.text_source == "text"
    assert _codes(doc.problems) == ["OCR_UNAVAILABLE", "NO_TEXT_LAYER"]
    unavailable, no_text = doc.problems
    assert unavailable.severity == "error"
    assert "pages 2-3" in unavailable.message and "tesseract-ocr tesseract-ocr-tha" in unavailable.message
    assert "pages 2-3" in no_text.message


def test_without_the_ocr_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "prongsai.extract.ocr", None)  # the default engine cannot be imported
    doc = read_pdf(str(_make_pdf(tmp_path / "scan.pdf", [None])))
    assert _codes(doc.problems) == ["OCR_UNAVAILABLE", "NO_TEXT_LAYER"]
    assert "tesseract-ocr tesseract-ocr-tha" in doc.problems[0].message


def test_missing_thai_data_found_while_running(tmp_path: Path) -> None:
    doc = read_pdf(str(_make_pdf(tmp_path / "scan.pdf", [None, None])), ocr=fake_ocr(missing_data=True))
    assert _codes(doc.problems) == ["OCR_UNAVAILABLE", "NO_TEXT_LAYER"]
    assert "pages 1-2" in doc.problems[0].message


def test_a_failing_page_does_not_stop_the_others(tmp_path: Path) -> None:
    doc = read_pdf(str(_make_pdf(tmp_path / "scan.pdf", [None, None])), ocr=fake_ocr(fail={1}))
    assert _codes(doc.problems) == ["OCR_FAILED", "OCR_USED", "NO_TEXT_LAYER"]
    assert "on page 2;" in doc.problems[1].message
    assert "page 1" in doc.problems[2].message
    assert doc.text_source == "ocr"


def test_ocr_can_be_turned_off(tmp_path: Path) -> None:
    fake = fake_ocr()
    doc = read_pdf(str(_make_pdf(tmp_path / "scan.pdf", [None])), PdfSettings(ocr=False), ocr=fake)
    assert fake.calls == [] and doc.blocks == []
    assert _codes(doc.problems) == ["NO_TEXT_LAYER"]


@needs_corpus
def test_real_ocr_on_one_scanned_page(tmp_path: Path) -> None:
    require_tesseract()
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(DEV / "d5_huathanon.pdf"))
    one = pdfium.PdfDocument.new()
    try:
        one.import_pages(src, [0])
        one.save(str(tmp_path / "cover.pdf"))
    finally:
        one.close()
        src.close()
    doc = read_pdf(str(tmp_path / "cover.pdf"))
    assert doc.text_source == "ocr"
    assert _codes(doc.problems)[-1] == "OCR_USED"
    text = clean_text(doc.plain_text()).replace(" ", "")
    assert "หัวถนน" in text
