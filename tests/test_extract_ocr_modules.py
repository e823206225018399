"""Unit tests for the modules of the OCR engine (prongsai.extract.ocr.*), without Tesseract:
the page reader gets a fake Tesseract runner (tests/ocr_fakes.py) injected."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from ocr_fakes import FakeTesseract
from PIL import Image, ImageDraw

from prongsai.extract.ocr import TICK, OcrSettings, TesseractCli, ocr_page
from prongsai.extract.ocr.cells import mark_shape, text_lines
from prongsai.extract.ocr.components import Comp, components
from prongsai.extract.ocr.grid import cluster, open_1d, runs
from prongsai.extract.ocr.image import binarise, box_sum, estimate_skew, otsu, reduce_any
from prongsai.extract.ocr.orientation import turned
from prongsai.extract.ocr.page import Job, run_jobs
from prongsai.extract.ocr.tesseract import mark_spaces, parse_osd, parse_tsv, split_pages
from prongsai.extract.ocr.words import join_lines, vote
from prongsai.model import Table

FIXTURES = Path(__file__).resolve().parent / "fixtures"
masks = arrays(np.bool_, st.tuples(st.integers(1, 24), st.integers(1, 24)))


@pytest.fixture(scope="module")
def table_page() -> Image.Image:
    return Image.open(FIXTURES / "ocr_table.png").convert("L")


# --- image -------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(masks, st.integers(1, 3))
def test_box_sum_is_the_window_count(mask: np.ndarray, r: int) -> None:
    h, w = mask.shape
    want = np.array([[mask[max(0, y - r): y + r + 1, max(0, x - r): x + r + 1].sum() for x in range(w)]
                     for y in range(h)])
    assert (box_sum(mask, r) == want).all()


@settings(max_examples=40, deadline=None)
@given(masks, st.integers(1, 4))
def test_reduce_any_marks_blocks_with_ink(mask: np.ndarray, f: int) -> None:
    h, w = mask.shape
    got = reduce_any(mask, f)
    assert got.shape == (h // f, w // f)
    for y in range(h // f):
        for x in range(w // f):
            assert got[y, x] == mask[y * f:(y + 1) * f, x * f:(x + 1) * f].any()


def test_otsu_splits_two_grey_levels() -> None:
    gray = np.full((20, 20), 230, dtype=np.uint8)
    gray[5:10, :] = 20
    assert 20 <= otsu(gray) < 230
    raw, ink = binarise(gray, OcrSettings())
    assert raw.sum() == 100 and (ink == raw).all()  # a solid bar is no speck


def test_despeckle_drops_lone_pixels() -> None:
    gray = np.full((40, 40), 255, dtype=np.uint8)
    gray[20:24, 5:35] = 0  # a stroke
    gray[5, 5] = 0  # a speck
    raw, ink = binarise(gray, OcrSettings())
    assert raw[5, 5] and not ink[5, 5] and ink[20:24, 5:35].all()


def test_estimate_skew_levels_rotated_lines() -> None:
    img = Image.new("L", (800, 600), 255)
    d = ImageDraw.Draw(img)
    for y in range(60, 560, 40):
        d.line([(50, y), (750, y)], fill=0, width=3)
    rotated = np.asarray(img.rotate(1.2, resample=Image.Resampling.BICUBIC, fillcolor=255)) < 128
    assert estimate_skew(rotated) == pytest.approx(-1.2, abs=0.05)


# --- grid --------------------------------------------------------------------------------


def _naive_open(mask: np.ndarray, length: int) -> np.ndarray:
    out = np.zeros_like(mask)
    for y, row in enumerate(mask):
        x = 0
        while x < len(row):
            if row[x]:
                e = x
                while e < len(row) and row[e]:
                    e += 1
                if e - x >= length:
                    out[y, x:e] = True
                x = e
            else:
                x += 1
    return out


@settings(max_examples=60, deadline=None)
@given(masks, st.integers(2, 6))
def test_open_1d_keeps_the_long_runs(mask: np.ndarray, length: int) -> None:
    assert (open_1d(mask, length, 1) == _naive_open(mask, length)).all()
    assert (open_1d(mask, length, 0) == _naive_open(mask.T, length).T).all()


def test_runs_and_cluster() -> None:
    assert runs(np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype=bool)) == [(1, 3), (4, 5), (7, 8)]
    assert runs(np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype=bool), max_gap=1) == [(1, 5), (7, 8)]
    assert cluster([10, 11, 30, 12, 31], 2) == [11.0, 30.5]


# --- components --------------------------------------------------------------------------


def test_components_are_eight_connected() -> None:
    mask = np.zeros((6, 8), dtype=bool)
    mask[0, 0] = mask[1, 1] = mask[2, 2] = True  # a diagonal: one piece
    mask[4:6, 5:8] = True
    found = sorted((c.x0, c.y0, c.x1, c.y1, c.area) for c in components(mask))
    assert found == [(0, 0, 3, 3, 3), (5, 4, 8, 6, 6)]
    assert components(np.zeros((3, 3), dtype=bool)) == []


# --- cells -------------------------------------------------------------------------------


def _comp(mask: np.ndarray, x: int = 0, y: int = 0) -> Comp:
    [c] = components(mask)
    c.runs = [(ry + y, s + x, e + x) for ry, s, e in c.runs]
    c.x0, c.x1, c.y0, c.y1 = c.x0 + x, c.x1 + x, c.y0 + y, c.y1 + y
    return c


def test_mark_shape_tick_dash_digit() -> None:
    img = Image.new("1", (40, 40), 0)
    ImageDraw.Draw(img).line([(4, 22), (14, 34), (36, 6)], fill=1, width=3)
    assert mark_shape([_comp(np.asarray(img))], 200) == "tick"
    bar = np.zeros((10, 30), dtype=bool)
    bar[4:7, 2:26] = True
    assert mark_shape([_comp(bar)], 200) == "dash"
    one = np.zeros((40, 12), dtype=bool)
    one[2:38, 4:8] = True  # a digit 1: tall and thin
    assert mark_shape([_comp(one)], 200) is None


def test_text_lines_keep_marks_with_their_line_and_count_them() -> None:
    def box(x: int, y: int, w: int, h: int) -> Comp:
        return Comp(x, y, x + w, y + h, w * h, [(yy, x, x + w) for yy in range(y, y + h)])

    line1 = [box(x, 20, 10, 20) for x in (0, 15, 30, 45)] + [box(17, 12, 5, 5), box(32, 10, 5, 6)]  # marks above
    line2 = [box(x, 80, 10, 20) for x in (0, 15, 30)] + [box(2, 102, 5, 4)]  # a mark below
    got = text_lines(line1 + line2)
    assert [(len(comps), n, sides) for comps, n, _, sides in got] == [(6, 4, (2, 0)), (4, 3, (0, 1))]


# --- tesseract ---------------------------------------------------------------------------

TSV_HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def test_split_pages_and_spacing() -> None:
    rows = [TSV_HEAD, "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t95\tก", "5\t1\t1\t1\t1\t2\t12\t0\t9\t9\t93\tข",
            "5\t1\t1\t1\t1\t3\t40\t0\t9\t9\t91\tค", "4\t2\t1\t1\t1\t0\t0\t0\t9\t9\t-1\t",
            "5\t2\t1\t1\t1\t1\t0\t0\t9\t9\t-1\t7"]
    pages = split_pages("\n".join(rows), "กข ค\n\f7\n\f", 2)
    assert [[(w.text, w.space_before) for w in ws] for ws in pages] == [
        [("ก", False), ("ข", False), ("ค", True)], [("7", False)]]
    assert pages[1][0].conf == 0.0  # Tesseract's -1 is no confidence
    assert [n for n, _ in parse_tsv("\n".join(rows))] == [1, 1, 1, 2]


def test_mark_spaces_out_of_step_guesses_from_the_gap() -> None:
    [(_, a), (_, b)] = parse_tsv(TSV_HEAD + "\n5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tx\n5\t1\t1\t1\t1\t2\t30\t0\t10\t10\t90\ty")
    mark_spaces([a, b], "")  # no text output at all
    assert b.space_before


def test_parse_osd() -> None:
    assert parse_osd("Orientation in degrees: 180\nRotate: 180\nOrientation confidence: 12.5\n") == (180, 12.5)
    assert parse_osd("Rotate: 45\n") == (0, 0.0)


def _script(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "fake-tesseract"
    exe.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


def test_cli_orientation_reads_osd_output(tmp_path: Path) -> None:
    cmd = _script(tmp_path, 'echo "Page number: 0"; echo "Rotate: 270"; echo "Orientation confidence: 8.20"')
    assert TesseractCli(OcrSettings(tesseract_cmd=cmd)).orientation(Image.new("L", (9, 9), 255), 200) == (270, 8.2)
    failing = _script(tmp_path, 'echo "Too few characters. Skipping this page" >&2; exit 1')
    assert TesseractCli(OcrSettings(tesseract_cmd=failing)).orientation(Image.new("L", (9, 9)), 200) == (0, 0.0)
    crashing = _script(tmp_path, "kill -SEGV $$")
    assert TesseractCli(OcrSettings(tesseract_cmd=crashing)).orientation(Image.new("L", (9, 9)), 200) == (0, 0.0)


# --- words -------------------------------------------------------------------------------


def test_join_lines_and_vote() -> None:
    assert join_lines(["งบประมาณ", "(บาท)"]) == "งบประมาณ (บาท)"
    assert join_lines(["แผนงาน/", "โครงการ"]) == "แผนงาน/โครงการ"
    assert vote([("", 0.0), ("", 0.0)]) == ""
    assert vote([("12", 84.0), ("l2", 85.0), ("12", 84.0)]) == "12"  # agreement adds a little


# --- page (with the injected fake) -------------------------------------------------------


def test_run_jobs_makes_one_call_per_language_set() -> None:
    fake = FakeTesseract()
    im = Image.new("L", (5, 5), 255)
    jobs = [Job([im, im], 7, 300, "tha+eng"), Job([im] * 3, 7, 300, "tha", [(0, 0, 0)] * 3),
            Job([im], 7, 300, "tha+eng", [(1, 0, 0)]), Job([], 7, 300, "eng")]
    results = run_jobs(jobs, fake)
    assert sorted(fake.reads) == [(3, 7, 300, "tha"), (3, 7, 300, "tha+eng")]
    assert [len(r) for r in results] == [2, 3, 1, 0]


def test_page_with_a_fake_tesseract(table_page: Image.Image) -> None:
    fake = FakeTesseract(text="ก")
    page = ocr_page(table_page, 2, OcrSettings(orient=False), tesseract=fake)
    [table] = [b for b in page.blocks if isinstance(b, Table)]
    assert (len(table.rows), table.n_cols) == (3, 3) and table.spanned == {(2, 2)}
    assert table.rows[1][2] == TICK  # the tick shape, and the reading is a mark's at most
    assert table.rows[0][1] == "ก" and table.rows[2][1] == table.rows[2][2] == "ก"  # one line: one reading
    assert page.mean_confidence == 90.0 and page.rotation == 0
    assert {langs for _, _, _, langs in fake.reads} <= {"tha", "tha+eng"} and len(fake.reads) == 2


def test_missing_tesseract_from_the_runner(table_page: Image.Image) -> None:
    from prongsai.model import ExtractError

    with pytest.raises(ExtractError, match="tesseract-ocr-tha"):
        ocr_page(table_page, 1, tesseract=FakeTesseract(installed=False))


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_is_turned_back(table_page: Image.Image, turn: int) -> None:
    """The page lies turned by ``turn`` clockwise; OSD (the fake) says so; the grid comes
    out as on the upright page."""
    lying = turned(table_page, (360 - turn) % 360)
    fake = FakeTesseract(turn=turn)
    page = ocr_page(lying, 1, OcrSettings(), tesseract=fake)
    assert page.rotation == turn and fake.osd_sizes == [lying.size]
    [table] = [b for b in page.blocks if isinstance(b, Table)]
    assert (len(table.rows), table.n_cols) == (3, 3) and table.spanned == {(2, 2)} and table.rows[1][2] == TICK


def test_unsure_osd_leaves_the_page_as_it_is(table_page: Image.Image) -> None:
    fake = FakeTesseract(turn=180, turn_conf=0.3)
    page = ocr_page(turned(table_page, 180), 1, OcrSettings(min_orientation_conf=1.0), tesseract=fake)
    assert page.rotation == 0 and len(fake.osd_sizes) == 1


def test_turned_is_lossless(table_page: Image.Image) -> None:
    a = np.asarray(table_page)
    assert (np.asarray(turned(turned(table_page, 90), 270)) == a).all()
    assert np.asarray(turned(table_page, 90)).shape == a.shape[::-1]
