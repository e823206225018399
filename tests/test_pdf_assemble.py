"""prongsai.extract.pdf.assemble on hand-built pages (no PDF): running headers and footers
dropped, wrapped lines joined into paragraphs, list markers and centred headings kept apart,
SourceRefs, the no-text-layer problem and ``page_ranges``.

Every page is A4 (595 x 842 pt); body lines are 16 pt high, 24 pt apart, set between
x = 72 and x = 523 (the margins the module measures from them).
"""

from __future__ import annotations

import copy

import pytest

from prongsai.diagnostics import WarningCode
from prongsai.extract.pdf.assemble import assemble, page_ranges
from prongsai.extract.pdf.lines import Line
from prongsai.extract.pdf.page import PageData
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.spool import PageSpool
from prongsai.model import Problem, SourceRef, TextLine

W, H = 595.0, 842.0
LEFT, RIGHT = 72.0, 523.0
LH = 16.0  # line height


def line(text: str, top: float, x0: float = LEFT, x1: float = RIGHT, **kw) -> Line:
    return Line(text, x0, x1, top, top + LH, **kw)


def page(number: int, lines: list[Line], **kw) -> PageData:
    return PageData(number, W, H, lines=lines, in_table=[False] * len(lines), **kw)


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def run(pages: list[PageData], settings: PdfSettings | None = None):
    """Assemble the pages held as objects, and again with every page packed: the two agree."""
    problems: list[Problem] = []
    packed = PageSpool(resident=0)
    for p in copy.deepcopy(pages):
        packed.append(p)
    assert packed.packed == len(pages)
    doc = assemble("plan.pdf", PageSpool.of(pages), settings or PdfSettings(), problems)
    assert assemble("plan.pdf", packed, settings or PdfSettings(), list(problems[:0])) == doc
    return doc, problems


# --- running headers and footers -----------------------------------------------------------

HEADER = "แผนปฏิบัติการป้องกันการทุจริต องค์การบริหารส่วนตำบลหนองบัว"


def _paged(n: int) -> list[PageData]:
    """n pages, each with the running header, one full-width body line and a footer ``หน้า N``."""
    return [
        page(
            k,
            [
                line(HEADER, 30, x1=400),
                line(f"เนื้อหาหน้าที่ {k}", 300),
                line(f"หน้า {k}", 800, x0=280, x1=315),
            ],
        )
        for k in range(1, n + 1)
    ]


def test_running_header_and_page_number_on_every_page_are_dropped() -> None:
    doc, problems = run(_paged(3))
    assert texts(doc) == ["เนื้อหาหน้าที่ 1", "เนื้อหาหน้าที่ 2", "เนื้อหาหน้าที่ 3"]
    assert problems == []


def test_a_line_in_the_header_zone_on_one_page_only_is_kept() -> None:
    pages = _paged(3)
    # a title under the header of page 2, in the top 15 % of the page, on no other page
    # (it ends 143 pt before the right margin: not wrapped into the body line)
    pages[1].lines.insert(1, line("ประกาศองค์การบริหารส่วนตำบลหนองบัว", 60, x1=380))
    pages[1].in_table.insert(1, False)
    doc, _ = run(pages)
    assert texts(doc) == [
        "เนื้อหาหน้าที่ 1",
        "ประกาศองค์การบริหารส่วนตำบลหนองบัว",
        "เนื้อหาหน้าที่ 2",
        "เนื้อหาหน้าที่ 3",
    ]


def test_a_two_line_header_and_a_two_line_footer_are_dropped() -> None:
    pages = [
        page(
            k,
            [
                line(HEADER, 30, x1=400),
                line("อำเภอเมือง จังหวัดขอนแก่น", 54, x1=300),
                line(f"เนื้อหาหน้าที่ {k}", 300),
                line("งานนิติการ สำนักปลัด", 776, x1=250),
                line(f"หน้า {k} จาก 3", 800, x0=280, x1=340),
            ],
        )
        for k in (1, 2, 3)
    ]
    doc, _ = run(pages)
    assert texts(doc) == ["เนื้อหาหน้าที่ 1", "เนื้อหาหน้าที่ 2", "เนื้อหาหน้าที่ 3"]


@pytest.mark.parametrize(("top", "kept"), [(110.0, False), (112.0, True)])
def test_the_header_zone_is_the_top_15_percent_of_the_page(top: float, kept: bool) -> None:
    # the zone ends at 0.15 * 842 = 126.3 pt: a line whose bottom is at 126 is in it, at 128 not
    pages = [page(k, [line("รายงานประจำปี", top, x1=250), line(f"เนื้อหา {k}", 300)]) for k in (1, 2, 3)]
    doc, _ = run(pages)
    expected = [[f"เนื้อหา {k}"] for k in (1, 2, 3)]
    if kept:
        expected = [["รายงานประจำปี", *e] for e in expected]
    assert texts(doc) == [t for e in expected for t in e]


def test_a_line_repeated_on_every_page_outside_the_header_zone_is_kept() -> None:
    pages = [page(k, [line("สรุปผลการดำเนินงาน", 400, x1=250)]) for k in (1, 2, 3)]
    doc, _ = run(pages)
    assert texts(doc) == ["สรุปผลการดำเนินงาน"] * 3


def test_a_header_on_fewer_than_half_of_the_pages_is_kept() -> None:
    # on 2 of 5 pages: need = max(2, ceil(0.5 * 5)) = 3 pages
    pages = [page(k, [line(f"เนื้อหา {k}", 300)]) for k in range(1, 6)]
    for p in pages[:2]:
        p.lines.insert(0, line("ส่วนที่ 2 บัญชีโครงการ", 30, x1=300))
        p.in_table.insert(0, False)
    doc, _ = run(pages)
    assert texts(doc) == [
        "ส่วนที่ 2 บัญชีโครงการ",
        "เนื้อหา 1",
        "ส่วนที่ 2 บัญชีโครงการ",
        "เนื้อหา 2",
        "เนื้อหา 3",
        "เนื้อหา 4",
        "เนื้อหา 5",
    ]


def test_a_bare_page_number_is_dropped_even_on_one_page() -> None:
    pages = [
        page(1, [line("เนื้อหา", 300, x1=200), line("- 7 -", 800, x0=285, x1=310)]),
        page(2, [line("เนื้อหาต่อ", 300, x1=200)]),
    ]
    doc, _ = run(pages)
    assert texts(doc) == ["เนื้อหา", "เนื้อหาต่อ"]


def test_the_header_match_ignores_digits_and_spaces() -> None:
    # "แผนปี 2566 ฉบับที่ 1" / "แผนปี  2566 ฉบับที่ 2": the same header once digits are #
    pages = [
        page(k, [line(f"แผนปี {' ' * k}2566 ฉบับที่ {k}", 30, x1=300), line(f"ข้อความ {k}", 300, x1=200)]) for k in (1, 2)
    ]
    doc, _ = run(pages)
    assert texts(doc) == ["ข้อความ 1", "ข้อความ 2"]


# --- paragraphs ------------------------------------------------------------------------


def _two_lines(first: Line, second_text: str, **kw) -> list[str]:
    """The blocks of one page whose body is ``first`` then ``second_text`` 24 pt below it,
    starting at the left margin (x1 = 300)."""
    doc, _ = run([page(1, [first, line(second_text, first.top + 24, x1=300, **kw)])])
    return texts(doc)


def test_thai_wrapped_lines_are_joined_without_a_space() -> None:
    first = line("การจัดทำแผนปฏิบัติการป้องกันการ", 200)  # ends at the right margin
    assert _two_lines(first, "ทุจริตขององค์กรปกครองส่วนท้องถิ่น") == ["การจัดทำแผนปฏิบัติการป้องกันการทุจริตขององค์กรปกครองส่วนท้องถิ่น"]


def test_a_line_wrapped_at_a_trailing_space_is_joined_with_one_space() -> None:
    first = line("โครงการส่งเสริมคุณธรรม", 200, trailing_space=True)
    assert _two_lines(first, "จริยธรรมของผู้บริหาร") == ["โครงการส่งเสริมคุณธรรม จริยธรรมของผู้บริหาร"]


@pytest.mark.parametrize("second", ["1. โครงการอบรมคุณธรรม", "- กิจกรรมเผยแพร่ข้อมูล", "มิติที่ 1 การสร้างสังคม"])
def test_a_line_starting_with_a_list_marker_starts_a_new_block(second: str) -> None:
    first = line("การจัดทำแผนปฏิบัติการป้องกันการ", 200)
    assert _two_lines(first, second) == ["การจัดทำแผนปฏิบัติการป้องกันการ", second]


def test_a_short_line_is_not_joined_with_the_next() -> None:
    # ends 223 pt before the right margin: the next line's first word would have fitted
    lines = [line("วัตถุประสงค์", 200, x1=300), line("เพื่อส่งเสริมความโปร่งใส", 224)]
    doc, _ = run([page(1, lines)])
    assert texts(doc) == ["วัตถุประสงค์", "เพื่อส่งเสริมความโปร่งใส"]


def test_a_centred_line_is_never_joined_but_the_same_gap_off_centre_is() -> None:
    # both end 50 pt before the margin; the next line's first word is 100 pt wide (cannot fit)
    centred = line("ยุทธศาสตร์การพัฒนา", 200, x0=LEFT + 50, x1=RIGHT - 50)
    off_centre = line("ยุทธศาสตร์การพัฒนา", 200, x1=RIGHT - 50)
    nxt = "ด้านการบริหารจัดการ"
    # the margins come from the body lines: add one full-width line far below to fix them
    below = line("ข้อความเต็มบรรทัดที่ท้ายหน้า", 600)

    def blocks(first: Line) -> list[str]:
        doc, _ = run([page(1, [first, line(nxt, 224, x1=300, head_width=100), below])])
        return texts(doc)

    assert blocks(centred) == ["ยุทธศาสตร์การพัฒนา", nxt, "ข้อความเต็มบรรทัดที่ท้ายหน้า"]
    assert blocks(off_centre) == ["ยุทธศาสตร์การพัฒนา" + nxt, "ข้อความเต็มบรรทัดที่ท้ายหน้า"]


def test_lines_are_not_joined_across_a_page_break() -> None:
    pages = [
        page(1, [line("ข้อความยาวจนถึงขอบขวาของหน้าแรกและตัดคำที่", 300)]),
        page(2, [line("ต่อจากหน้าก่อน", 300, x1=250)]),
    ]
    doc, _ = run(pages)
    assert texts(doc) == ["ข้อความยาวจนถึงขอบขวาของหน้าแรกและตัดคำที่", "ต่อจากหน้าก่อน"]


# --- the Document --------------------------------------------------------------------


def test_blocks_carry_their_page_and_first_line_numbers() -> None:
    pages = _paged(2)
    # page 2: a paragraph of two wrapped lines (line indexes 1 and 2) after the header (index 0)
    pages[1].lines[1:2] = [line("การจัดทำแผนปฏิบัติการป้องกันการ", 300), line("ทุจริตประจำปี", 324, x1=200)]
    pages[1].in_table = [False] * len(pages[1].lines)
    doc, _ = run(pages)
    assert doc.blocks == [
        TextLine("เนื้อหาหน้าที่ 1", SourceRef(page=1, line=2)),
        TextLine("การจัดทำแผนปฏิบัติการป้องกันการทุจริตประจำปี", SourceRef(page=2, line=2)),
    ]
    assert (doc.path, doc.format, doc.n_pages, doc.text_source) == ("plan.pdf", "pdf", 2, "text")


def test_lines_are_read_top_to_bottom_whatever_their_order_in_the_page() -> None:
    # "บน" ends far from the right margin (523, set by "ล่าง"): two blocks
    p = page(4, [line("ล่าง", 500), line("บน", 300, x1=150)])
    doc, _ = run([p])
    assert doc.blocks == [TextLine("บน", SourceRef(page=4, line=2)), TextLine("ล่าง", SourceRef(page=4, line=1))]


def test_an_empty_page_list_is_an_empty_document() -> None:
    doc, problems = run([])
    assert (doc.blocks, doc.n_pages, doc.text_source, doc.problems, problems) == ([], 0, "text", [], [])


def test_pages_without_a_text_layer_are_reported_as_ranges() -> None:
    pages = [
        page(1, [line("หน้าแรก", 300, x1=200)]),
        PageData(2, W, H, no_text=True),
        PageData(3, W, H, no_text=True),
        page(4, [line("หน้าสุดท้าย", 300, x1=200)]),
        PageData(5, W, H, no_text=True),
    ]
    doc, problems = run(pages)
    assert texts(doc) == ["หน้าแรก", "หน้าสุดท้าย"]
    assert problems == [
        Problem(
            WarningCode.NO_TEXT_LAYER,
            "warning",
            "3 of 5 pages have no text layer (scanned?) and were not read: pages 2-3, 5",
            SourceRef(page=2),
        )
    ]
    assert doc.problems is problems


def test_one_page_without_a_text_layer_says_page() -> None:
    _, problems = run([page(1, [line("ก", 300, x1=100)]), PageData(2, W, H, no_text=True)])
    assert [p.message for p in problems] == ["1 of 2 pages have no text layer (scanned?) and were not read: page 2"]


# --- page_ranges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nums", "expected"),
    [
        ([1, 2, 3, 5, 7, 8], "1-3, 5, 7-8"),
        ([4], "4"),
        ([2, 3], "2-3"),
        ([1, 3, 5], "1, 3, 5"),
        ([10, 11, 12, 13], "10-13"),
    ],
)
def test_page_ranges(nums: list[int], expected: str) -> None:
    assert page_ranges(nums) == expected


def test_with_ten_body_lines_one_line_sticking_out_does_not_move_the_right_margin() -> None:
    # 11 numbered items end at 523, the first sticks out to 560; the margin is the 90th
    # percentile of the line ends (523), so the last item's wrapped line joins it
    items = [line(f"{k}. รายการที่ {k} ของแผน", 100 + 24 * k) for k in range(11)]
    items[0].x1 = 560.0
    lines = [*items, line("ต่อท้ายรายการ", 100 + 24 * 11, x1=300)]
    doc, _ = run([page(1, lines)])
    assert texts(doc) == [f"{k}. รายการที่ {k} ของแผน" for k in range(10)] + ["10. รายการที่ 10 ของแผนต่อท้ายรายการ"]


def test_with_fewer_than_ten_body_lines_the_widest_line_sets_the_right_margin() -> None:
    lines = [line("0. รายการที่กว้างเกินขอบ", 100, x1=560), line("1. รายการ", 124), line("ต่อท้าย", 148, x1=300)]
    doc, _ = run([page(1, lines)])
    assert texts(doc) == ["0. รายการที่กว้างเกินขอบ", "1. รายการ", "ต่อท้าย"]


# --- OCR pages -----------------------------------------------------------------------


def test_ocr_blocks_replace_the_page_and_set_the_text_source() -> None:
    ocr = [TextLine("อ่านด้วย OCR", SourceRef(page=2, line=1))]
    scanned = PageData(2, W, H, no_text=True, ocr_blocks=ocr)
    doc, problems = run([scanned])
    assert (doc.blocks, doc.text_source, problems) == (ocr, "ocr", [])
    doc, problems = run([page(1, [line("ข้อความ", 300, x1=200)]), PageData(2, W, H, no_text=True, ocr_blocks=ocr)])
    assert (texts(doc), doc.text_source, problems) == (["ข้อความ", "อ่านด้วย OCR"], "mixed", [])
