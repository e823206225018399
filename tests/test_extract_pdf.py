"""Tests for the born-digital PDF backend (prongsai.extract.pdf)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from prongsai.extract.pdf import PdfSettings, infer_cid_map, read_pdf
from prongsai.extract.pdf.chars import BASE, BREAK, MARK, Char, Glyph, char_kind, glyph_of, plumber_chars
from prongsai.extract.pdf.lines import build_lines
from prongsai.model import Document, ExtractError, Table, TextLine
from prongsai.normalize.thai import repair_thai

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "corpus" / "dev"
GOLD = SHARED / "corpus" / "gold"


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def lines(doc: Document) -> list[TextLine]:
    return [b for b in doc.blocks if isinstance(b, TextLine)]


def nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


def norm(s: str) -> str:
    """Comparable text: no whitespace, and the two fixes the shared repair makes on these
    files (tone mark before a below/above vowel from /ActualText clusters, doubled SARA AA)."""
    s = re.sub(r"([\u0e48-\u0e4c])([\u0e31\u0e34-\u0e3a\u0e47])", r"\2\1", nows(s))
    return s.replace("\u0e33\u0e32", "\u0e33")


# --- the generated two-page fixture ----------------------------------------------------


@pytest.fixture(scope="module")
def two_page() -> Document:
    return read_pdf(str(FIXTURES / "two_page_table.pdf"))


def test_fixture_document(two_page: Document) -> None:
    assert two_page.format == "pdf"
    assert two_page.n_pages == 2
    assert two_page.problems == []
    kinds = [type(b).__name__ for b in two_page.blocks]
    assert kinds == ["TextLine", "TextLine", "Table", "TextLine"]  # one table over both pages


def test_fixture_running_header_dropped_and_wrap_joined(two_page: Document) -> None:
    texts = [ln.text for ln in lines(two_page)]
    assert not any("เทศบาลตำบลทดสอบ 1" in t or "เทศบาลตำบลทดสอบ 2" in t for t in texts)
    assert texts[0] == "ส่วนที่ 2 แผนปฏิบัติการป้องกันการทุจริต"
    # the first paragraph line fills the text width: joined without a space (Thai-Thai)
    assert texts[1] == ("เทศบาลตำบลทดสอบได้จัดทำแผนปฏิบัติการป้องกันการทุจริตเพื่อใช้เป็นกรอบแนวทางในการดำเนินงานของทุกกองและทุกสำนัก")
    assert texts[2] == "ผู้จัดทำแผน กองยุทธศาสตร์และงบประมาณ"


def test_fixture_refs(two_page: Document) -> None:
    refs = [(b.ref.page, b.ref.line) for b in two_page.blocks]
    # line numbers count the visual lines of the page from the top (running header = line 1)
    assert refs == [(1, 2), (1, 3), (1, 4), (2, 6)]


def test_fixture_table_joined_over_pages(two_page: Document) -> None:
    (table,) = tables(two_page)
    assert table.rows == [
        ["มิติ", "โครงการ/กิจกรรม", "งบประมาณ (บาท)", "หมายเหตุ"],
        ["มิติที่ 1", "(1) โครงการฝึกอบรมคุณธรรมจริยธรรมสำหรับผู้บริหาร", "50,000", ""],
        ["มิติที่ 1", "(2) มาตรการส่งเสริมจริยธรรม", "-", "ไม่ใช้งบประมาณ"],
        ["มิติที่ 1", "(3) กิจกรรมรณรงค์ต้านทุจริต", "12,000", "1) อบรม\n2) ประชุม"],
        ["มิติที่ 1", "(4) โครงการเยาวชนจิตอาสา", "18,000", ""],
        ["มิติที่ 1", "(5) กิจกรรมโตไปไม่โกง", "-", ""],
        ["รวม 5 โครงการ", "รวม 5 โครงการ", "80,000", ""],
    ]
    # the header row repeated on page 2 is dropped
    assert sum(row[0] == "มิติ" for row in table.rows) == 1
    assert [r.page for r in table.row_refs] == [1, 1, 1, 1, 2, 2, 2]
    assert table.ref.page == 1
    # the มิติ cell merged down over rows 1-3 goes on (empty) on page 2; รวม spans two columns
    assert table.spanned == {(2, 0), (3, 0), (4, 0), (5, 0), (6, 1)}


def test_settings_can_turn_tables_off() -> None:
    doc = read_pdf(str(FIXTURES / "two_page_table.pdf"), PdfSettings(detect_tables=False))
    assert tables(doc) == []
    assert any("(1) โครงการฝึกอบรมคุณธรรม" in ln.text for ln in lines(doc))


# --- broken input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"hello, this is not a PDF at all\n", "not a valid PDF"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer garbage\n%%EOF\n", "not a valid PDF"),
    ],
)
def test_corrupt_files_raise_extract_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(ExtractError, match=message):
        read_pdf(str(path))


def test_truncated_pdf_raises_or_reads(tmp_path: Path) -> None:
    data = (FIXTURES / "two_page_table.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        doc = read_pdf(str(path))  # pdfium may repair it; it must not crash either way
    except ExtractError:
        return
    assert doc.format == "pdf"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="not found"):
        read_pdf(str(tmp_path / "nope.pdf"))


def test_encrypted_pdf(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    path = tmp_path / "encrypted.pdf"
    pdf.output(str(path))
    with pytest.raises(ExtractError, match="encrypted"):
        read_pdf(str(path))


# --- line building ---------------------------------------------------------------------------


def _word(text: str, x: float, baseline: float, w: float = 6.0) -> list[Char]:
    out: list[Char] = []
    for ch in text:
        kind = char_kind(ch)
        if kind == MARK:  # drawn over the previous character
            out.append(Char(ch, x - w, x - 1, baseline - 16, baseline - 12, MARK))
            continue
        out.append(Char(ch, x, x + w, baseline - 12, baseline + 4, kind))
        x += w
    return out


def test_mark_at_line_start_goes_to_previous_line() -> None:
    # pdfium quirk: "ร\r\nู้การ" - the below vowel and tone land after the line break
    chars = _word("รับร", 0, 100)  # ends at x=18
    chars.append(Char("\r", 18, 18, 88, 104, BREAK))
    chars.append(Char("\n", 18, 18, 88, 104, BREAK))
    chars += [Char("\u0e39", 12, 17, 104, 108, MARK), Char("\u0e49", 12, 17, 84, 88, MARK)]
    chars += _word("การ", 18, 100)
    (line,) = build_lines(chars)
    assert line.text == "รับร\u0e39\u0e49การ"


def test_marks_drawn_far_away_are_put_back_by_position() -> None:
    # a broken text layer: the marks of a word come after it, after a space
    chars = _word("วเคราะห", 0, 100)
    sara_i = Char("\u0e34", 1, 5, 84, 88, MARK)  # drawn over ว
    chars += [Char(" ", 42, 42, 88, 104, 2), sara_i, Char(" ", 42, 42, 88, 104, 2)]
    (line,) = build_lines(chars)
    assert line.text == "วิเคราะห"


def test_lines_are_grouped_by_baseline() -> None:
    chars = _word("บรรทัดแรก", 0, 100) + _word("บรรทัดสอง", 0, 130)
    assert [ln.text for ln in build_lines(chars)] == ["บรรทัดแรก", "บรรทัดสอง"]
    assert all(c.kind == BASE for c in _word("abc", 0, 0))


# --- the corpus (skipped when /work/shared is absent) ----------------------------------------------

needs_corpus = pytest.mark.skipif(not DEV.is_dir(), reason="shared corpus not available")


def _gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def d2() -> Document:
    if not DEV.is_dir():
        pytest.skip("shared corpus not available")
    return read_pdf(str(DEV / "d2_banphaeng.pdf"))


def _amount(cell: str) -> float:
    cell = nows(cell)
    return 0.0 if cell in ("", "-") else float(cell.replace(",", ""))


@needs_corpus
def test_d2_one_plan_table(d2: Document) -> None:
    plan = [t for t in tables(d2) if t.n_cols == 8]
    assert len(plan) == 1, "the plan table over pages 5-17 is one table"
    table = plan[0]
    projects = [r for r in table.rows if re.match(r"\(\d+\)", r[2])]
    assert len(projects) >= 30
    assert [int(re.match(r"\((\d+)\)", r[2]).group(1)) for r in projects] == list(range(1, 31))
    # the header (2 rows) appears once although every page repeats it
    assert sum(r[0] == "มิติ" for r in table.rows) == 2
    # the merged มิติ / ภารกิจ cells are on every project row
    for r in projects:
        assert re.match(r"มิ?ติที่ [1-4] ", r[0]), r
        assert re.match(r"\d\.\d\.\d ", r[1]), r
    assert {r.page for r in table.row_refs} == set(range(5, 18))


@needs_corpus
def test_d2_titles_and_budgets(d2: Document) -> None:
    table = next(t for t in tables(d2) if t.n_cols == 8)
    meta = _gold("d2_banphaeng.pdf")["meta"]["projects"]
    cells = [norm(r[2]) for r in table.rows]
    whole = sum(any(norm(p["title"]) in c for c in cells) for p in meta)
    assert whole >= 27  # the other 3 rows are split by a page break (continuation rows)
    for p in meta:
        row = next(r for r in table.rows if norm(r[2]).find(norm(p["title"])[:20]) > 0)
        years = p.get("budget_by_year") or {}
        assert [_amount(c) for c in row[3:7]] == [years.get(str(y), 0.0) for y in range(2561, 2565)], p["title"]


@needs_corpus
def test_d2_prose_and_headers(d2: Document) -> None:
    texts = [ln.text for ln in lines(d2)]
    assert not any(t.startswith("แผนปฏิบัติการป้องกันการทุจริต เทศบาลตำบลบ้านแพง") for t in texts)
    # a wrapped paragraph becomes one line; the mark pdfium put after a line break is back
    para = next(t for t in texts if t.startswith("ยุทธศาสตร์ชาติว่าด้วยการป้องกัน"))
    assert "ดัชนีการรับรู้การทุจริต" in norm(para)
    assert para.endswith("พฤติกรรมแตกต่างจากที่เป็นอยู่ในปัจจุบัน")
    # headings stay on their own line (the space the font put after the tone mark is left to
    # the Thai repair, which is not the extractor's job)
    assert "3. เป้ าหมาย" in texts
    assert repair_thai("3. เป้ าหมาย") == "3. เป้าหมาย"


@needs_corpus
def test_d3_tables() -> None:
    doc = read_pdf(str(DEV / "d3_sisuk.pdf"))
    plan = [t for t in tables(doc) if t.n_cols == 12]
    rows = [r for t in plan for r in t.rows if re.fullmatch(r"\d+", r[0])]
    assert len(rows) == len(_gold("d3_sisuk.pdf")["projects"]) == 28
    titles = {norm(r[1]) for r in rows}
    for p in _gold("d3_sisuk.pdf")["projects"]:
        assert norm(p["title"]) in titles
    assert all(nows(r[2]) for r in rows)  # หน่วยนับ


@needs_corpus
def test_seed004_tables() -> None:
    doc = read_pdf(str(DEV / "seed004.pdf"))
    plan = [t for t in tables(doc) if t.n_cols == 12]
    assert len(plan) == 4  # one per มิติ, each joined over its pages
    numbered = [r for t in plan for r in t.rows if re.fullmatch(r"\d+", r[0])]
    assert len(numbered) == 30
    for t in plan:  # repeated 2-row headers are dropped, also where two tables touch
        assert sum(r[0] == "ที่" for r in t.rows) == 2


@needs_corpus
def test_d5_scanned_without_ocr() -> None:
    doc = read_pdf(str(DEV / "d5_huathanon.pdf"), PdfSettings(ocr=False))
    assert doc.n_pages == 12
    assert doc.blocks == []
    assert doc.text_source == "text"
    (problem,) = doc.problems
    assert problem.code == "NO_TEXT_LAYER"
    assert problem.severity == "warning"
    assert "1-12" in problem.message


@needs_corpus
def test_d6_legacy_glyphs_pass_through() -> None:
    doc = read_pdf(str(DEV / "d6_hintang.pdf"))
    texts = [ln.text for ln in lines(doc)]
    assert tables(doc) == []
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)  # page numbers dropped
    assert any("\uf70b" in t for t in texts)  # no Thai repair here
    assert sum("ชื่อโครงการ/กิจกรรม/มาตรการ" in t for t in texts) >= 12


# --- the pdfplumber text path (content-stream order) ------------------------------------------


def _plumber_word(text: str, x: float, top: float = 0.0, w: float = 4.0, h: float = 10.0) -> list[Glyph]:
    """pdfplumber-like characters: marks have zero width at the pen position."""
    out: list[Glyph] = []
    for ch in text:
        if char_kind(ch) == MARK:
            out.append(glyph_of(dict(text=ch, x0=x, x1=x, top=top, bottom=top + h, size=h)))
            continue
        out.append(glyph_of(dict(text=ch, x0=x, x1=x + w, top=top, bottom=top + h, size=h)))
        x += w
    return out


def test_plumber_chars_keep_stream_order_of_marks() -> None:
    # a broken font draws the tone mark of ด้วย over ว: the stream order is right,
    # the geometry is not
    objs = _plumber_word("ด", 0) + [glyph_of(dict(text="\u0e49", x0=8.0, x1=8.0, top=0, bottom=10, size=10))]
    objs += _plumber_word("วย", 4)
    chars = plumber_chars(objs)
    assert [ln.text for ln in build_lines(chars, reorder=False)] == ["ด้วย"]
    assert [ln.text for ln in build_lines(chars)] == ["ดว้ย"]  # pdfium's geometric rule would move it


def test_plumber_chars_spaces_cids_and_controls() -> None:
    objs = _plumber_word("ที", 0) + [glyph_of(dict(text="(cid:201)", x0=8, x1=8, top=0, bottom=10, size=10))]
    objs += [glyph_of(dict(text="\x03", x0=8, x1=9, top=0, bottom=10, size=10))]  # an unmapped glyph: dropped
    objs += _plumber_word("สุด", 20)  # 12 pt after the last letter: a space
    text = "".join(c.text for c in plumber_chars(objs, {"(cid:201)": "\u0e48"}))
    assert text == "ที่ สุด"
    unmapped = "".join(c.text for c in plumber_chars(objs))
    assert unmapped == "ที(cid:201) สุด"
    (line,) = build_lines(plumber_chars(objs), reorder=False)
    assert line.text == "ที(cid:201) สุด"


def test_infer_cid_map_needs_a_clear_winner() -> None:
    def page(*words: str) -> list[Glyph]:
        out: list[Glyph] = []
        x = 0.0
        for word in words:
            for part in word.split("|"):
                w = 0.0 if part.startswith("(cid:") or char_kind(part) == MARK else 5.0
                out.append(glyph_of(dict(text=part, x0=x, x1=x + w, top=0, bottom=14, size=14)))
                x += w
            x += 10  # a gap between words
        return out

    tone = ["ท|ี|(cid:201)|ด|ิ|น", "เ|ค|ร|ื|(cid:201)|อ|ง", "ท|ี|(cid:201)|ส|ุ|ด", "แ|ม|(cid:201)|น|้|ำ"]
    assert infer_cid_map([page(*tone)]) == {"(cid:201)": "\u0e48"}
    # seen too rarely: left alone
    assert infer_cid_map([page(*tone[:2])]) == {}
    # a glyph with a width that never makes a word: left alone
    junk = ["(cid:77)|(cid:78)|(cid:79)"] * 4
    assert infer_cid_map([page(*junk)]) == {}
    # a zero-width glyph not after Thai letters is not a Thai mark
    latin = ["a|(cid:90)|b", "c|(cid:90)|d", "e|(cid:90)|f"]
    assert infer_cid_map([page(*latin)]) == {}


@needs_corpus
def test_real_broken_pdf_reads_through_pdfplumber() -> None:
    path = SHARED / "corpus" / "real" / "budget-bill-2565-vol13-excerpt.pdf"
    doc = read_pdf(str(path), PdfSettings(ocr=False))
    mapped = [p for p in doc.problems if p.code == "GLYPHS_MAPPED"]
    assert len(mapped) == 1
    assert "(cid:201) as U+0E48" in mapped[0].message and "(cid:202) as U+0E49" in mapped[0].message
    text = nows(doc.plain_text())
    # words pypdfium2 reads with the tone mark moved past the next consonant
    for word in ("ด้วย", "ห้อง", "ข้อมูล", "ให้บริการ"):
        assert word in text, word
    for broken in ("ดว้ย", "หอ้ง", "ขอ้มูล"):
        assert broken not in text, broken
    # the pypdfium2 path alone still has them
    old = nows(read_pdf(str(path), PdfSettings(text_fallback=False, ocr=False)).plain_text())
    assert "ดว้ย" in old


@needs_corpus
@pytest.mark.parametrize("flow", ["pdfium", "pdfplumber"])
def test_real_broken_pdf_reads_through_either_text_flow(flow: str) -> None:
    """The text flow from pdfium (default) maps the same glyphs as pdfplumber's."""
    path = SHARED / "corpus" / "real" / "budget-bill-2565-vol31-excerpt.pdf"
    doc = read_pdf(str(path), PdfSettings(ocr=False, text_flow=flow))
    (mapped,) = [p for p in doc.problems if p.code == "GLYPHS_MAPPED"]
    assert "(cid:201) as U+0E48" in mapped.message and "(cid:202) as U+0E49" in mapped.message
    text = nows(doc.plain_text())
    for word in ("รวมทั้งสิ้น", "ค่าใช้จ่าย"):
        assert word in text, word


@needs_corpus
def test_pdfium_text_flow_has_pdfminers_glyph_order() -> None:
    """pdfium's characters sorted by their text object's stream position are the glyphs
    pdfminer reads, in the same order and at the same advance boxes (spaces aside; the
    unmapped glyphs as (cid:NNN))."""
    import pdfplumber
    import pypdfium2 as pdfium

    from prongsai.extract.pdf.chars import page_matrix
    from prongsai.extract.pdf.flow import flow_chars

    path = str(SHARED / "corpus" / "real" / "budget-bill-2565-vol13-excerpt.pdf")
    doc = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pl:
        for index in (0, 2, 4):
            page = doc[index]
            m, _, height = page_matrix(page)
            mine = [c for c in flow_chars(page, page.get_textpage(), m, height) if c[0] != " "]
            theirs = [glyph_of(c) for c in pl.pages[index].chars if c["text"] != " "]
            assert [c[0] for c in mine] == [c[0] for c in theirs]
            assert any(c[0].startswith("(cid:") for c in mine)
            for (_, a_x0, a_x1, *_), (_, b_x0, b_x1, *_) in zip(mine, theirs, strict=True):
                assert a_x0 == pytest.approx(b_x0, abs=0.1) and a_x1 == pytest.approx(b_x1, abs=0.1)
    doc.close()


def test_only_the_pages_asked_for_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """`read_pdf(pages=...)` (and `prongsai text --pages`) loads no other page."""
    from prongsai.extract.pdf import reader

    loaded: list[int] = []
    real = reader.read_page

    def spy(doc, index, settings):  # type: ignore[no-untyped-def]
        loaded.append(index)
        return real(doc, index, settings)

    monkeypatch.setattr(reader, "read_page", spy)
    path = str(FIXTURES / "two_page_table.pdf")
    whole = read_pdf(path)
    assert loaded == [0, 1]
    loaded.clear()
    doc = read_pdf(path, pages=[2])
    assert loaded == [1]
    assert doc.n_pages == 2 and {b.ref.page for b in doc.blocks} == {2}
    assert {b.ref.page for b in whole.blocks} == {1, 2}
    loaded.clear()
    assert read_pdf(path, pages=[5]).blocks == [] and loaded == []


def test_table_detection_failure_is_a_warning_not_a_lost_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from prongsai.extract.pdf import page as page_module

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("bad path data")

    monkeypatch.setattr(page_module, "table_cells", broken)
    doc = read_pdf(str(FIXTURES / "two_page_table.pdf"))
    failed = [p for p in doc.problems if p.code == "TABLE_DETECTION_FAILED"]
    assert [p.ref.page for p in failed if p.ref] == [1, 2]
    assert "ValueError: bad path data" in failed[0].message
    assert tables(doc) == [] and len(lines(doc)) >= 5  # the text is still read


def test_cid_tone_glyphs_are_handed_on_as_pdfium_codes() -> None:
    """pdfplumber's (cid:201)..(cid:205) leave the PDF backend as the Latin-1 codes pdfium
    reports for the same glyphs; the Thai repair maps those next to Thai (vol31 line)."""
    from prongsai.extract.pdf.chars import cid_tones_as_codes

    raw = "รวมทง(cid:202)ัส(cid:202)นิ ทเ(cid:201)ีป็น"
    assert cid_tones_as_codes(raw) == "รวมทงÊัสÊนิ ทเÉีป็น"
    assert repair_thai(cid_tones_as_codes(raw)) == "รวมทงั้ส้นิ ที่เป็น"
    assert cid_tones_as_codes("(cid:200)(cid:206)(cid:2010)") == "(cid:200)(cid:206)(cid:2010)"


def test_a_hyphen_at_a_line_end_is_kept(tmp_path: Path) -> None:
    """pdfium takes a hyphen ending a line for a soft hyphen (its code becomes 0x02 and the
    line break goes); in Thai plans it is real (รับ-จ่าย written over two lines), so it
    stays a hyphen."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    from prongsai.extract.pdf.chars import page_chars, page_matrix

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.text(20, 30, "the receipt-")
    pdf.text(20, 37, "payment book")
    path = tmp_path / "hyphen.pdf"
    pdf.output(str(path))
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        m, _, height = page_matrix(page)
        chars, controls = page_chars(page.get_textpage(), m, height)
    finally:
        doc.close()
    assert "".join(c.text for c in chars) == "the receipt-payment book"
    assert controls == 0
