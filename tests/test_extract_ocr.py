"""Tests for the OCR engine (prongsai.extract.ocr).

The fixture ``fixtures/ocr_table.png`` (made by ``fixtures/make_ocr_fixture.py``) is a
title line over a 3 x 3 ruled Thai table, rotated by 0.5 degrees and specked like a
scan: row 1 has a hand-drawn tick in its quarter cell, row 2 a cell merged over the
last two columns. Tests that run Tesseract skip when it is not installed; the
geometry (deskew, ruling grid, merged cells, tick shape) is tested without it.
"""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED, needs_tesseract, shared_file
from PIL import Image
from rapidfuzz import fuzz

from prongsai.extract.ocr import (
    MISSING_TESSERACT_MESSAGE,
    TICK,
    OcrSettings,
    estimate_skew,
    ocr_page,
    render_pdf_page,
    tesseract_available,
)
from prongsai.extract.ocr.cells import cells_of
from prongsai.extract.ocr.grid import find_grids
from prongsai.extract.ocr.image import binarise, widen
from prongsai.model import ExtractError, SourceRef, Table, TextLine
from prongsai.normalize.clean import clean_text, squash

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _fixture_cells() -> dict[tuple[int, int], str]:
    """The cell texts the fixture generator drew (one source of truth)."""
    import importlib.util

    path = Path(__file__).parent / "fixtures" / "make_ocr_fixture.py"
    spec = importlib.util.spec_from_file_location("make_ocr_fixture", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.CELLS

TABLE_PNG = FIXTURES / "ocr_table.png"
D5 = SHARED / "corpus" / "dev" / "d5_huathanon.pdf"


def similar(got: str, want: str) -> float:
    return fuzz.ratio(squash(got), squash(want))


def tables(blocks: list[TextLine | Table]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


@pytest.fixture(scope="module")
def fixture_image() -> Image.Image:
    return Image.open(TABLE_PNG)


def deskewed_ink(image: Image.Image) -> tuple[np.ndarray, np.ndarray, float]:
    gray = np.asarray(image.convert("L"))
    skew = estimate_skew(gray < 128)
    gray = np.asarray(image.convert("L").rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255))
    raw, ink = binarise(gray, OcrSettings())
    return raw, ink, skew


# --- without Tesseract -----------------------------------------------------------------


def test_missing_tesseract_message(tmp_path: Path, fixture_image: Image.Image) -> None:
    settings = OcrSettings(tesseract_cmd=str(tmp_path / "no-such-tesseract"))
    assert not tesseract_available(settings)
    with pytest.raises(ExtractError) as err:
        ocr_page(fixture_image, 1, settings)
    assert str(err.value) == MISSING_TESSERACT_MESSAGE
    assert "tesseract-ocr tesseract-ocr-tha" in MISSING_TESSERACT_MESSAGE


def _fake_tesseract(tmp_path: Path, script: str) -> str:
    exe = tmp_path / "fake-tesseract"
    exe.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


def test_tesseract_crash_gives_empty_page(tmp_path: Path, fixture_image: Image.Image) -> None:
    cmd = _fake_tesseract(tmp_path, "echo 'Segmentation fault' >&2; exit 139")
    page = ocr_page(fixture_image, 4, OcrSettings(tesseract_cmd=cmd))
    assert page.blocks == [] and page.mean_confidence == 0.0 and page.n_words == 0
    assert [p.code for p in page.problems] == ["OCR_FAILED"]
    assert "Segmentation fault" in page.problems[0].message and page.problems[0].ref == SourceRef(page=4)


def test_missing_thai_data_is_an_extract_error(tmp_path: Path, fixture_image: Image.Image) -> None:
    cmd = _fake_tesseract(tmp_path, "echo \"Failed loading language 'tha'\" >&2; exit 1")
    with pytest.raises(ExtractError, match="tesseract-ocr-tha"):
        ocr_page(fixture_image, 1, OcrSettings(tesseract_cmd=cmd))


def test_blank_page_needs_no_ocr(tmp_path: Path) -> None:
    cmd = _fake_tesseract(tmp_path, "exit 1")  # never called
    page = ocr_page(Image.new("L", (800, 1100), 255), 2, OcrSettings(tesseract_cmd=cmd))
    assert page.blocks == [] and page.problems == []


def test_deskew_finds_the_rotation(fixture_image: Image.Image) -> None:
    _, _, skew = deskewed_ink(fixture_image)
    assert skew == pytest.approx(-0.5, abs=0.1)  # the fixture was rotated by +0.5 degrees


def test_ruling_grid_and_merged_cell(fixture_image: Image.Image) -> None:
    raw, _, _ = deskewed_ink(fixture_image)
    grids, _ = find_grids(raw, 200, OcrSettings())
    assert len(grids) == 1
    g = grids[0]
    assert (len(g.ys) - 1, len(g.xs) - 1) == (3, 3)
    # the only missing separator: row 2, between columns 1 and 2
    merged = {origin: cells for origin, cells in g.regions.items() if len(cells) > 1}
    assert merged == {(2, 1): [(2, 1), (2, 2)]}


def test_tick_is_recognised_from_pixels(fixture_image: Image.Image) -> None:
    raw, ink, _ = deskewed_ink(fixture_image)
    grids, lines = find_grids(raw, 200, OcrSettings())
    cells = {c.origin: c for c in cells_of(grids[0], np.asarray(fixture_image), ink, widen(lines, 2), 200)}
    assert cells[(1, 2)].shape == "tick"
    assert cells[(1, 0)].shape is None  # the digit 1 is no tick
    assert all(cells[k].shape is None for k in [(0, 0), (0, 1), (0, 2), (1, 1), (2, 0), (2, 1)])


def test_render_pdf_page() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(FIXTURES / "two_page_table.pdf"))
    w, h = pdf[1].get_size()
    pdf.close()
    image = render_pdf_page(str(FIXTURES / "two_page_table.pdf"), 1, 144)
    assert image.mode == "RGB" and image.info["dpi"] == (144, 144)
    assert abs(image.width - 2 * w) <= 1 and abs(image.height - 2 * h) <= 1
    with pytest.raises(ExtractError):
        render_pdf_page(str(FIXTURES / "two_page_table.pdf"), 5, 72)


def test_poster_sized_page_is_rendered_within_the_pixel_budget(tmp_path: Path) -> None:
    """A page box of 200 x 200 inches (PDF's largest) would be 1.6 billion pixels at 200 dpi."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14400, 14400)
    pdf.save(str(tmp_path / "poster.pdf"))
    pdf.close()
    image = render_pdf_page(str(tmp_path / "poster.pdf"), 0, 200, max_pixels=4_000_000)
    assert image.width * image.height <= 4_000_000 and image.width >= 1990
    assert image.info["dpi"][0] == pytest.approx(10.0)


# --- with Tesseract ----------------------------------------------------------------------


@needs_tesseract
def test_fixture_page(fixture_image: Image.Image) -> None:
    page = ocr_page(fixture_image, 3)
    assert page.n_words > 0 and page.mean_confidence > 50
    assert [type(b).__name__ for b in page.blocks] == ["TextLine", "Table"]
    title, table = page.blocks
    assert isinstance(title, TextLine) and isinstance(table, Table)
    assert similar(clean_text(title.text), "แผนปฏิบัติการป้องกันการทุจริต ประจำปี 2564") >= 80
    assert title.ref == SourceRef(page=3, line=1)
    # grid, merged cell, tick
    assert (len(table.rows), table.n_cols) == (3, 3)
    assert table.spanned == {(2, 2)}
    assert table.rows[2][1] == table.rows[2][2]
    assert table.rows[1][2] == TICK
    assert table.ref == SourceRef(page=3, line=2)
    assert table.row_refs == [SourceRef(page=3, line=k) for k in (2, 3, 4)]
    # Thai cell text
    for (r, c), text in _fixture_cells().items():
        assert similar(clean_text(table.rows[r][c]), text) >= 80, (r, c, table.rows[r][c])


@needs_tesseract
def test_page_mode_still_gives_the_grid(fixture_image: Image.Image) -> None:
    page = ocr_page(fixture_image, 1, OcrSettings(mode="page"))
    table = tables(page.blocks)[0]
    assert (len(table.rows), table.n_cols) == (3, 3) and table.spanned == {(2, 2)}


@needs_tesseract
def test_d5_table_page_has_header_rows() -> None:
    from prongsai.parse.tables import analyse_header

    page = ocr_page(render_pdf_page(str(shared_file(D5)), 4, 200), 5)  # page 5: the first plan table
    assert abs(page.skew) > 0.2  # the scan is rotated
    texts = [clean_text(b.text) for b in page.blocks if isinstance(b, TextLine)]
    assert any(squash(t).startswith("มิติที่1") for t in texts)
    [table] = tables(page.blocks)
    assert table.n_cols == 12 and len(table.rows) == 5
    header = [clean_text(c) for c in table.rows[0]]
    assert similar(header[0], "ที่") == 100
    assert similar(header[1], "แผนงาน/โครงการ/กิจกรรม") >= 90
    assert similar(header[4], "งบประมาณ (บาท)") >= 90
    assert [squash(clean_text(c)) for c in table.rows[1][7:11]] == ["ไตรมาส1", "ไตรมาส2", "ไตรมาส3", "ไตรมาส4"]
    cm = analyse_header(Table([[clean_text(c) for c in row] for row in table.rows], table.ref,
                              spanned=set(table.spanned)))
    assert cm is not None and cm.header_rows == 2
    assert {"seq", "title", "unit", "quantity", "budget", "indicators", "outcomes", "responsible"} <= set(
        cm.roles.values())
    assert cm.quarters == {7: 1, 8: 2, 9: 3, 10: 4}
    # the first project: title, budget and its quarter-2 tick
    row = [clean_text(c) for c in table.rows[2]]
    assert similar(row[1], "โครงการฝึกอบรมเสริมสร้างคุณธรรมจริยธรรมและธรรมาภิบาลสำหรับผู้บริหาร สมาชิกสภา และพนักงาน") >= 90
    assert row[4] == "65,000"
    assert row[7:11] == ["", TICK, "", ""]
