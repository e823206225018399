"""Stacked items and figures in PDF table cells: one line each, with the top of each line
(``Table.line_tops``), so the parser can pair an item with the figure beside it.

The PDF is drawn with fpdf2 and a Thai TrueType font (``fc-list :lang=th``; the Makefile
installs fonts-thai-tlwg-ttf): one plan row whose project cell stacks three items (the
first one wrapped onto a second line) and whose year cells stack one right-aligned figure
per item (``30,000`` / ``20,000`` / ``-``), drawn beside the first line of each item.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prongsai.extract.pdf import read_pdf
from prongsai.model import Table

fpdf = pytest.importorskip("fpdf")

SIZE, LEAD, PAD = 14.0, 20.0, 4.0
ITEMS = [  # the lines of each item of the project cell
    ["1) โครงการฝึกอบรมคุณธรรม", "จริยธรรมสำหรับผู้บริหาร"],
    ["2) โครงการปลูกต้นไม้"],
    ["3) มาตรการตรวจสอบพัสดุ"],
]
YEARS = [["30,000", "20,000", "-"], ["125,000", "2,500.50", "10,000"]]


def thai_font() -> Path:
    try:
        out = subprocess.run(["fc-list", ":lang=th", "file"], capture_output=True, text=True, check=False).stdout
    except OSError:
        out = ""
    fonts = sorted(p.strip().rstrip(":") for p in out.splitlines() if p.strip().rstrip(":").endswith(".ttf"))
    if not fonts:
        pytest.fail("no Thai TrueType font (fc-list :lang=th): run `make system-deps` (fonts-thai-tlwg-ttf)")
    regular = [f for f in fonts if "Bold" not in f and "Oblique" not in f]
    return Path((regular or fonts)[0])


def make_pdf(path: Path) -> list[float]:
    """Draw the table; return the baseline of each item's first line."""
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.add_font("thai", "", str(thai_font()))
    pdf.set_font("thai", size=SIZE)
    item_w = pdf.get_string_width(ITEMS[0][0]) + 2 * PAD  # the first line fills its cell: a wrap
    widths = [item_w, 70.0, 70.0]
    left, top = 40.0, 100.0
    xs = [left, left + widths[0], left + widths[0] + widths[1], left + sum(widths)]
    header_h = LEAD + 2 * PAD
    n_lines = sum(len(it) for it in ITEMS)
    body_h = n_lines * LEAD + 2 * PAD
    pdf.set_line_width(0.5)
    for y in (top, top + header_h, top + header_h + body_h):
        pdf.line(xs[0], y, xs[-1], y)
    for x in xs:
        pdf.line(x, top, x, top + header_h + body_h)
    for i, label in enumerate(["โครงการ", "ปี 2566", "ปี 2567"]):
        pdf.text(xs[i] + PAD, top + PAD + SIZE, label)
    baselines = []
    y = top + header_h + PAD + SIZE
    for item in ITEMS:
        baselines.append(y)
        for line in item:
            pdf.text(xs[0] + PAD, y, line)
            y += LEAD
    for col, figures in enumerate(YEARS, start=1):
        for base, figure in zip(baselines, figures, strict=True):
            pdf.text(xs[col + 1] - PAD - pdf.get_string_width(figure), base, figure)
    pdf.output(str(path))
    return baselines


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Table, list[float]]:
    path = tmp_path_factory.mktemp("tops") / "stacked.pdf"
    baselines = make_pdf(path)
    (t,) = [b for b in read_pdf(str(path)).blocks if isinstance(b, Table)]
    return t, baselines


def test_stacked_figures_stay_on_separate_lines(table: tuple[Table, list[float]]) -> None:
    t, _ = table
    assert t.rows[0] == ["โครงการ", "ปี 2566", "ปี 2567"]
    project, y1, y2 = t.rows[1]
    assert project.split("\n") == [
        "1) โครงการฝึกอบรมคุณธรรมจริยธรรมสำหรับผู้บริหาร",  # the wrapped line is joined ...
        "2) โครงการปลูกต้นไม้",  # ... the items are not
        "3) มาตรการตรวจสอบพัสดุ",
    ]
    assert y1 == "30,000\n20,000\n-"
    assert y2 == "125,000\n2,500.50\n10,000"


def test_line_tops_pair_items_with_their_figures(table: tuple[Table, list[float]]) -> None:
    t, baselines = table
    for r, row in enumerate(t.rows):
        for c, text in enumerate(row):
            assert len(t.line_tops[(r, c)]) == len(text.split("\n")), (r, c)
    item_tops = t.line_tops[(1, 0)]
    for c in (1, 2):
        figure_tops = t.line_tops[(1, c)]
        assert figure_tops == pytest.approx(item_tops, abs=1.0)
    # each top lies one line height above the baseline it was drawn on (points from the page top)
    for top, base in zip(item_tops, baselines, strict=True):
        assert base - SIZE <= top < base
    assert item_tops == sorted(item_tops) and item_tops[1] - item_tops[0] == pytest.approx(2 * LEAD, abs=0.5)
