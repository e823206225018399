"""Page images as input (prongsai.extract.image): photographed and scanned pages, turned,
skewed, in JPEG (with an EXIF orientation tag), PNG and multi-page TIFF, and bad images.

The photographed-page fixture is made here from the committed upright scan
``fixtures/ocr_table.png`` (a ruled 3 x 3 Thai table with a merged cell and a tick):
turned by 90/180/270 degrees and skewed a little more. Every variant must give the same
table as the upright scan. Tests that run Tesseract skip when it (or its OSD data) is not
installed, except under ``CI=true``, where a missing Tesseract fails them.
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from ocr_fakes import FakeTesseract
from PIL import Image

from prongsai.extract import read_document, sniff_format
from prongsai.extract.image import page_dpi, pages, read_image
from prongsai.extract.ocr import OcrSettings, ocr_page, tesseract_available
from prongsai.extract.ocr.orientation import turned
from prongsai.model import ExtractError, Table
from prongsai.pipeline import process_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _has_osd() -> bool:
    if not tesseract_available():
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return {"tha", "osd"} <= set(out.split())


HAS_OCR = _has_osd()
needs_ocr = pytest.mark.skipif(not HAS_OCR and os.environ.get("CI") != "true",
                               reason="tesseract with tha and osd data is not installed")


@pytest.fixture(scope="module")
def upright() -> Image.Image:
    return Image.open(FIXTURES / "ocr_table.png").convert("L")


def photographed(page: Image.Image, turn: int) -> Image.Image:
    """The page skewed by another 0.6 degrees and lying turned by ``turn`` clockwise."""
    skewed = page.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=True)
    return turned(skewed, turn)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory, upright: Image.Image) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("photos")
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view": the pixels lie turned by 270
    out = {
        "exif.jpg": d / "exif.jpg",
        "upside-down.JPEG": d / "upside-down.JPEG",
        "on-its-side.png": d / "on-its-side.png",
        "pages.tiff": d / "pages.tiff",
    }
    photographed(upright, 270).save(out["exif.jpg"], quality=90, dpi=(200, 200), exif=exif.tobytes())
    photographed(upright, 180).save(out["upside-down.JPEG"], "JPEG", quality=90, dpi=(200, 200))
    photographed(upright, 90).save(out["on-its-side.png"], dpi=(200, 200))
    frames = [photographed(upright, t) for t in (0, 180, 270)]
    frames[0].save(out["pages.tiff"], save_all=True, append_images=frames[1:], dpi=(200, 200),
                   compression="tiff_lzw")
    return out


@pytest.fixture(scope="module")
def upright_table(upright: Image.Image) -> list[list[str]]:
    if not HAS_OCR:
        pytest.skip("tesseract is not installed") if os.environ.get("CI") != "true" else pytest.fail("no tesseract")
    [table] = [b for b in ocr_page(upright, 1).blocks if isinstance(b, Table)]
    return table.rows


def _tables(doc_blocks: list) -> list[list[list[str]]]:
    return [b.rows for b in doc_blocks if isinstance(b, Table)]


# --- with Tesseract: the same table as the upright scan -----------------------------------


@needs_ocr
@pytest.mark.parametrize("name, fmt, turned_note", [
    ("exif.jpg", "jpg", None),  # EXIF turns it; OSD has nothing left to do
    ("upside-down.JPEG", "jpeg", "page 1 (180°)"),
    ("on-its-side.png", "png", "page 1 (270°)"),
])
def test_photographed_page_gives_the_upright_table(photos: dict[str, Path], upright_table: list[list[str]],
                                                   name: str, fmt: str, turned_note: str | None) -> None:
    doc = read_document(photos[name])
    assert doc.format == fmt and doc.text_source == "ocr" and doc.n_pages == 1
    assert _tables(doc.blocks) == [upright_table]
    [used] = [p for p in doc.problems if p.code == "OCR_USED"]
    assert ("turned upright" in used.message) == (turned_note is not None)
    if turned_note:
        assert turned_note in used.message


@needs_ocr
def test_multi_page_tiff_pages(photos: dict[str, Path], upright_table: list[list[str]]) -> None:
    doc = read_document(photos["pages.tiff"])
    assert doc.format == "tiff" and doc.n_pages == 3
    assert _tables(doc.blocks) == [upright_table] * 3
    assert sorted({b.ref.page for b in doc.blocks}) == [1, 2, 3]


@needs_ocr
def test_upside_down_scanned_pdf_page(tmp_path: Path, upright: Image.Image, upright_table: list[list[str]]) -> None:
    """A scanned PDF page fed the wrong way goes through the same page reader."""
    pdf = tmp_path / "scan.pdf"
    photographed(upright, 180).convert("RGB").save(pdf, "PDF", resolution=200)
    doc = read_document(pdf)
    assert _tables(doc.blocks) == [upright_table]


@needs_ocr
def test_plans_row_of_an_image(photos: dict[str, Path]) -> None:
    res = process_file(photos["on-its-side.png"], "on-its-side.png")
    assert res.plan["source_format"] == "png" and res.plan["text_source"] == "ocr" and res.plan["n_pages"] == 1


# --- without Tesseract -------------------------------------------------------------------


def test_exif_orientation_is_applied(photos: dict[str, Path], upright: Image.Image) -> None:
    [page] = pages(str(photos["exif.jpg"]), OcrSettings().max_page_pixels)
    lying = Image.open(photos["exif.jpg"])
    assert lying.size[0] < lying.size[1]  # stored on its side
    assert page.size == lying.size[::-1] and page.size[0] > page.size[1] and page.mode == "L"
    assert page.info["dpi"] == (200.0, 200.0)


def test_tiff_frames_are_pages_and_the_fake_reads_them(photos: dict[str, Path]) -> None:
    fake = FakeTesseract(turn=0)
    doc = read_image(str(photos["pages.tiff"]), OcrSettings(), fake)
    assert doc.n_pages == 3 and doc.text_source == "ocr"
    assert sorted({b.ref.page for b in doc.blocks}) == [1, 2, 3]


def test_sniff_format_by_content(tmp_path: Path, photos: dict[str, Path]) -> None:
    assert sniff_format(photos["exif.jpg"]) == "jpg" and sniff_format(photos["pages.tiff"]) == "tiff"
    named_pdf = tmp_path / "photo.pdf"
    named_pdf.write_bytes(photos["on-its-side.png"].read_bytes())
    assert sniff_format(named_pdf) == "png"
    fake_png = tmp_path / "notes.png"
    fake_png.write_text("not an image", encoding="utf-8")
    with pytest.raises(ExtractError, match="not a PNG"):
        sniff_format(fake_png)


def test_page_dpi_believes_only_plausible_tags() -> None:
    assert page_dpi((2480, 3508), (300, 300)) == 300.0
    assert round(page_dpi((4000, 3000), (72, 72))) == round(4000 / 11.69)
    assert round(page_dpi((4000, 3000), (0, 0))) == round(4000 / 11.69)


def test_the_pixel_budget_scales_pages_down(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("L", (1200, 900), 255).save(big, dpi=(150, 150))
    [page] = pages(str(big), 300_000)
    assert page.size[0] * page.size[1] <= 300_000 and page.size[0] >= 600
    assert page.info["dpi"][0] == pytest.approx(150 * page.size[0] / 1200, rel=0.01)


def _png_header_only(path: Path, w: int, h: int) -> None:
    """A PNG that claims ``w`` x ``h`` pixels (its data is one empty row)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00"))
                     + chunk(b"IEND", b""))


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes((FIXTURES / "ocr_table.png").read_bytes()[:3000]), "damaged or truncated"),
    (lambda p: _png_header_only(p, 40_000, 40_000), "too large"),
    (lambda p: _png_header_only(p, 13_000, 13_000), "OCR pixel budget"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "not a readable image"),
])
def test_bad_images_are_clear_errors(tmp_path: Path, make, message: str) -> None:  # noqa: ANN001
    path = tmp_path / "bad.png"
    make(path)
    with pytest.raises(ExtractError, match=message):
        read_document(path)
    res = process_file(path, "bad.png")  # in a batch: one failed row, no crash
    assert res.plan["status"] == "failed" and res.warnings[0]["code"] == "UNREADABLE_FILE"
    assert message in res.warnings[0]["message"] and res.plan["source_format"] == "png"


def test_image_without_tesseract_is_an_ocr_unavailable_row(photos: dict[str, Path], tmp_path: Path) -> None:
    s = OcrSettings(tesseract_cmd=str(tmp_path / "no-tesseract"))
    doc = read_image(str(photos["on-its-side.png"]), s)
    assert doc.blocks == [] and [p.code for p in doc.problems] == ["OCR_UNAVAILABLE"]
    assert "tesseract-ocr-tha" in doc.problems[0].message


def test_black_and_white_scan_has_ink(tmp_path: Path, upright: Image.Image) -> None:
    """A bilevel TIFF (grey levels 0 and 255 only) is not read as a blank page."""
    path = tmp_path / "fax.tif"
    upright.point(lambda v: 255 if v > 128 else 0).convert("1").save(path, compression="group4", dpi=(200, 200))
    doc = read_image(str(path), OcrSettings(orient=False), FakeTesseract())
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert (len(table.rows), table.n_cols) == (3, 3) and table.spanned == {(2, 2)}
