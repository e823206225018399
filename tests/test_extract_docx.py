"""Tests for the DOCX backend (prongsai.extract.docx)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SHARED, shared_file
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from prongsai.extract import docx_package
from prongsai.extract.docx import read_docx
from prongsai.model import Document, ExtractError, SourceRef, Table, TextLine

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

CORPUS = SHARED / "corpus" / "dev"


# --------------------------------------------------------------------------- helpers


def p(text: str = "", ppr: str = "") -> str:
    runs = f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>" if text else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


def tc(text: str = "", tcpr: str = "", inner: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{tcpr}</w:tcPr>' if tcpr else ''}{p(text) if text or not inner else ''}{inner}</w:tc>"


def tr(*cells: str, trpr: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{''.join(cells)}</w:tr>"


def tbl(*rows: str, ncols: int = 3) -> str:
    grid = "".join("<w:gridCol w:w='1000'/>" for _ in range(ncols))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def make_docx(path: Path, body_xml: str, doc: docx.document.Document | None = None) -> Path:
    """Save a DOCX whose body is ``body_xml`` (raw WordprocessingML), keeping the final sectPr."""
    doc = doc or docx.Document()
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    frag = parse_xml(f"<w:body {NS}>{body_xml}</w:body>")
    for i, child in enumerate(list(frag)):
        body.insert(i, child)
    doc.save(str(path))
    return path


def rezip(src: Path, dst: Path, replace: dict[str, bytes | None]) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) some members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    zout.writestr(info.filename, replace[info.filename])
            else:
                zout.writestr(info, zin.read(info.filename))
    return dst


def read(tmp_path: Path, body_xml: str, doc: docx.document.Document | None = None) -> Document:
    return read_docx(str(make_docx(tmp_path / "t.docx", body_xml, doc)))


def tables(d: Document) -> list[Table]:
    return [b for b in d.blocks if isinstance(b, Table)]


def lines(d: Document) -> list[TextLine]:
    return [b for b in d.blocks if isinstance(b, TextLine)]


# --------------------------------------------------------------------------- tables


def test_vertical_and_horizontal_merges(tmp_path: Path) -> None:
    body = tbl(
        tr(tc("Header AB", "<w:gridSpan w:val='2'/>"), tc("C")),
        tr(tc("merged", "<w:vMerge w:val='restart'/>"), tc("x1"), tc("y1")),
        tr(tc("", "<w:vMerge/>"), tc("x2"), tc("y2")),
        tr(tc("", "<w:vMerge w:val='continue'/>"), tc("x3"), tc("y3")),
    )
    d = read(tmp_path, body)
    assert d.format == "docx" and d.n_pages is None
    (t,) = tables(d)
    assert t.rows == [
        ["Header AB", "Header AB", "C"],
        ["merged", "x1", "y1"],
        ["merged", "x2", "y2"],
        ["merged", "x3", "y3"],
    ]
    assert t.spanned == {(0, 1), (2, 0), (3, 0)}


def test_merged_block_spanning_rows_and_columns(tmp_path: Path) -> None:
    span2 = "<w:gridSpan w:val='2'/>"
    body = tbl(
        tr(tc("big", span2 + "<w:vMerge w:val='restart'/>"), tc("r0")),
        tr(tc("", span2 + "<w:vMerge/>"), tc("r1")),
    )
    (t,) = tables(read(tmp_path, body))
    assert t.rows == [["big", "big", "r0"], ["big", "big", "r1"]]
    assert t.spanned == {(0, 1), (1, 0), (1, 1)}


def test_legacy_hmerge(tmp_path: Path) -> None:
    body = tbl(
        tr(tc("wide", "<w:hMerge w:val='restart'/>"), tc("", "<w:hMerge/>"), tc("c")),
        tr(tc("a"), tc("b"), tc("c2")),
    )
    (t,) = tables(read(tmp_path, body))
    assert t.rows == [["wide", "wide", "c"], ["a", "b", "c2"]]
    assert t.spanned == {(0, 1)}


def test_grid_before_and_after_pad_rows(tmp_path: Path) -> None:
    body = tbl(
        tr(tc("a"), tc("b"), tc("c")),
        tr(tc("mid"), trpr="<w:gridBefore w:val='1'/><w:gridAfter w:val='1'/>"),
        tr(tc("end"), trpr="<w:gridBefore w:val='2'/>"),
    )
    (t,) = tables(read(tmp_path, body))
    assert t.rows == [["a", "b", "c"], ["", "mid", ""], ["", "", "end"]]
    assert t.spanned == set()


def test_cell_paragraphs_joined_and_no_repeats_from_row_cells(tmp_path: Path) -> None:
    cell = "<w:tc>" + p("line one") + p() + p("line two") + "</w:tc>"
    (t,) = tables(read(tmp_path, tbl(tr(cell, tc("x"), tc("y")))))
    assert t.rows == [["line one\nline two", "x", "y"]]


def test_nested_table_follows_outer_table(tmp_path: Path) -> None:
    inner = tbl(tr(tc("n1"), tc("n2")), ncols=2)
    outer = tbl(tr(tc(inner="<w:p><w:r><w:t>own text</w:t></w:r></w:p>" + inner + p("after")), tc("right")), ncols=2)
    d = read(tmp_path, p("before") + outer + p("tail"))
    kinds = [type(b).__name__ for b in d.blocks]
    assert kinds == ["TextLine", "Table", "Table", "TextLine"]
    t_outer, t_inner = tables(d)
    assert t_outer.rows == [["own text\nafter", "right"]]
    assert t_inner.rows == [["n1", "n2"]]
    assert "n1" not in t_outer.rows[0][0]


def test_paragraphs_and_tables_interleaved_in_order(tmp_path: Path) -> None:
    body = p("one") + tbl(tr(tc("T1"), tc(), tc())) + p("two") + tbl(tr(tc("T2"), tc(), tc())) + p("three")
    d = read(tmp_path, body)
    flat = [b.text if isinstance(b, TextLine) else b.rows[0][0] for b in d.blocks]
    assert flat == ["one", "T1", "two", "T2", "three"]


def test_content_controls_are_read(tmp_path: Path) -> None:
    block_sdt = (
        f"<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>{p('in block sdt')}</w:sdtContent></w:sdt>"
    )
    inline_sdt = (
        "<w:p><w:r><w:t xml:space='preserve'>name: </w:t></w:r>"
        "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>Sanklang</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    )
    row_sdt = tbl(f"<w:sdt><w:sdtContent>{tr(tc('row in sdt'), tc(), tc())}</w:sdtContent></w:sdt>")
    d = read(tmp_path, block_sdt + inline_sdt + row_sdt)
    assert [t.text for t in lines(d)] == ["in block sdt", "name: Sanklang"]
    assert tables(d)[0].rows[0][0] == "row in sdt"


# --------------------------------------------------------------------------- paragraphs


def test_soft_line_break_splits_paragraph(tmp_path: Path) -> None:
    body = "<w:p><w:r><w:t>first</w:t><w:br/><w:t>second</w:t></w:r></w:p>" + p() + p("third")
    d = read(tmp_path, body)
    ls = lines(d)
    assert [t.text for t in ls] == ["first", "second", "third"]
    assert ls[0].ref == ls[1].ref == SourceRef(line=1)  # same paragraph; no page info at all
    assert ls[2].ref == SourceRef(line=3)  # empty paragraph 2 is skipped but counted


def test_soft_break_in_cell_becomes_newline(tmp_path: Path) -> None:
    cell = "<w:tc><w:p><w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r></w:p></w:tc>"
    (t,) = tables(read(tmp_path, tbl(tr(cell), ncols=1)))
    assert t.rows == [["a\nb"]]


def test_tab_becomes_space_and_deleted_text_dropped(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>"
        "<w:del w:id='1' w:author='x'><w:r><w:delText>gone</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='x'><w:r><w:t>+new</w:t></w:r></w:ins></w:p>"
    )
    assert [t.text for t in lines(read(tmp_path, body))] == ["a b+new"]


def test_style_name(tmp_path: Path) -> None:
    d = read(tmp_path, p("Title", "<w:pStyle w:val='Heading1'/>") + p("body"))
    assert [(t.text, t.style) for t in lines(d)] == [("Title", "Heading 1"), ("body", "Normal")]


def test_text_box_read_once_after_anchor(tmp_path: Path) -> None:
    box = "<w:txbxContent>" + p("Cover title") + p("Year 2567") + "</w:txbxContent>"
    run = (
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor><a:graphic>"
        "<a:graphicData uri='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'>"
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = p("before") + f"<w:p><w:r><w:t>anchor</w:t></w:r>{run}</w:p>" + p("after")
    d = read(tmp_path, body)
    assert [t.text for t in lines(d)] == ["before", "anchor", "Cover title", "Year 2567", "after"]


def test_altchunk_reported(tmp_path: Path) -> None:
    d = read(
        tmp_path,
        p("x")
        + "<w:altChunk xmlns:r='http://schemas.openxmlformats.org/officeDocument/2006/relationships' r:id='rIdX'/>",
    )
    assert [pr.code for pr in d.problems] == ["DOCX_ALTCHUNK"]


# --------------------------------------------------------------------------- pages


def test_page_break_gives_page_2(tmp_path: Path) -> None:
    body = (
        p("page one")
        + "<w:p><w:r><w:t>still one</w:t><w:br w:type='page'/><w:t>now two</w:t></w:r></w:p>"
        + p("also two")
        + tbl(tr(tc("cell"), tc(), tc()), tr(tc("cell2"), tc(), tc()))
    )
    d = read(tmp_path, body)
    assert [(t.text, t.ref.page) for t in lines(d)] == [
        ("page one", 1),
        ("still one", 1),
        ("now two", 2),
        ("also two", 2),
    ]
    assert lines(d)[2].ref == SourceRef(page=2, line=2)
    (t,) = tables(d)
    assert t.ref.page == 2 and [r.page for r in t.row_refs] == [2, 2]
    assert [r.line for r in t.row_refs] == [4, 7]  # paragraph ordinals count every cell paragraph


def test_table_rows_split_over_pages(tmp_path: Path) -> None:
    row2 = "<w:tr><w:tc><w:p><w:r><w:lastRenderedPageBreak/><w:t>r2</w:t></w:r></w:p></w:tc></w:tr>"
    body = p("intro") + tbl(tr(tc("r1")), row2, tr(tc("r3")), ncols=1)
    (t,) = tables(read(tmp_path, body))
    assert [r.page for r in t.row_refs] == [1, 2, 2]
    assert t.ref.page == 1


def test_page_break_before_direct_and_from_style(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.styles["Heading 1"].paragraph_format.page_break_before = True
    derived = doc.styles.add_style("Chapter", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = doc.styles["Heading 1"]
    body = (
        p("first", "<w:pStyle w:val='Heading1'/>")  # at document start: no blank page
        + p("one")
        + p("direct", "<w:pageBreakBefore/>")
        + p("heading", "<w:pStyle w:val='Heading1'/>")
        + p("derived", "<w:pStyle w:val='Chapter'/>")
        + p("switched off", "<w:pStyle w:val='Heading1'/><w:pageBreakBefore w:val='0'/>")
    )
    d = read(tmp_path, body, doc)
    assert [(t.text, t.ref.page) for t in lines(d)] == [
        ("first", 1),
        ("one", 1),
        ("direct", 2),
        ("heading", 3),
        ("derived", 4),
        ("switched off", 4),
    ]


def test_section_breaks(tmp_path: Path) -> None:
    # A section's w:type says how *that* section starts, so the break after "a" comes from the next sectPr.
    cont = "<w:sectPr><w:type w:val='continuous'/></w:sectPr>"
    body = p("a", "<w:sectPr/>") + p("b", cont) + p("c", "<w:sectPr><w:type w:val='nextPage'/></w:sectPr>") + p("d")
    d = read(tmp_path, body)
    assert [(t.text, t.ref.page) for t in lines(d)] == [("a", 1), ("b", 1), ("c", 2), ("d", 3)]


def test_rendered_page_break_not_double_counted(tmp_path: Path) -> None:
    body = (
        p("one")
        + "<w:p><w:r><w:br w:type='page'/></w:r></w:p>"
        + "<w:p><w:r><w:lastRenderedPageBreak/><w:t>two</w:t></w:r></w:p>"
        + p("two more")
        + "<w:p><w:r><w:t>flows </w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t>over</w:t></w:r></w:p>"
        + p("three")
    )
    d = read(tmp_path, body)
    assert [(t.text, t.ref.page) for t in lines(d)] == [
        ("one", 1),
        ("two", 2),
        ("two more", 2),
        ("flows over", 2),  # a line keeps the page it starts on
        ("three", 3),
    ]


def test_no_page_information_gives_line_refs_only(tmp_path: Path) -> None:
    d = read(tmp_path, p("a") + tbl(tr(tc("x"), tc(), tc())) + p("b"))
    assert [t.ref for t in lines(d)] == [SourceRef(line=1), SourceRef(line=5)]  # 3 cell paragraphs in between
    (t,) = tables(d)
    assert t.ref == SourceRef(line=2) and t.row_refs == [SourceRef(line=2)]


# --------------------------------------------------------------------------- bad input


def test_text_file_renamed_docx(tmp_path: Path) -> None:
    f = tmp_path / "plan.docx"
    f.write_text("แผนปฏิบัติการ ... just text\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="not a valid DOCX file: not a zip archive"):
        read_docx(str(f))


def test_old_doc_or_encrypted_file(tmp_path: Path) -> None:
    f = tmp_path / "old.docx"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ExtractError, match=r"\.doc"):
        read_docx(str(f))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="cannot read file"):
        read_docx(str(tmp_path / "nope.docx"))


def test_zip_without_document_xml(tmp_path: Path) -> None:
    f = tmp_path / "x.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ExtractError, match="word/document.xml is missing"):
        read_docx(str(f))


def test_docx_with_document_xml_removed(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", p("x"))
    bad = rezip(good, tmp_path / "bad.docx", {"word/document.xml": None})
    with pytest.raises(ExtractError, match="word/document.xml is missing"):
        read_docx(str(bad))


def test_doctype_entity_refused(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", p("x"))
    with zipfile.ZipFile(good) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    decl_end = xml.index("?>") + 2
    bomb = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    xml = xml[:decl_end] + bomb + xml[decl_end:].replace(">x<", ">&b;<")
    bad = rezip(good, tmp_path / "bad.docx", {"word/document.xml": xml.encode("utf-8")})
    with pytest.raises(ExtractError, match="DOCTYPE"):
        read_docx(str(bad))


def test_corrupt_xml(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", p("x"))
    with zipfile.ZipFile(good) as z:
        xml = z.read("word/document.xml")
    bad = rezip(good, tmp_path / "bad.docx", {"word/document.xml": xml[: len(xml) // 2]})
    with pytest.raises(ExtractError, match="not a valid DOCX file: corrupt XML"):
        read_docx(str(bad))


def test_declared_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = make_docx(tmp_path / "t.docx", p("x" * 5000))
    monkeypatch.setattr(docx_package, "MAX_XML_PART_BYTES", 1000)
    with pytest.raises(ExtractError, match="zip bomb"):
        read_docx(str(f))


# --------------------------------------------------------------------------- corpus


def _corpus(name: str) -> Path:
    return shared_file(CORPUS / name)


def test_corpus_d4_project_tables() -> None:
    d = read_docx(str(_corpus("d4_nonphueng.docx")))
    ts = tables(d)
    assert len(ts) >= 16
    for t in ts:
        assert len(t.rows) == 4 and t.n_cols == 7
        assert t.rows[0][0] == t.rows[1][0] == t.rows[2][0] == "โครงการ/กิจกรรม"
        assert t.rows[0][1] == t.rows[0][2] == "งบประมาณ"
        assert t.rows[2][1] == "เป้าหมาย"
        assert (1, 0) in t.spanned and (3, 0) not in t.spanned
        data = t.rows[3]
        assert data[0].startswith(("โครงการ", "กิจกรรม", "มาตรการ")) and data[0] != data[1]
    assert ts[0].rows[3][2] == "๖๔,๐๐๐ บาท"
    assert max(t.ref.page or 0 for t in ts) > 1


def test_corpus_d1_pages() -> None:
    d = read_docx(str(_corpus("d1_sanklang.docx")))
    pages = {b.ref.page for b in d.blocks}
    assert None not in pages and max(pages) > 1  # type: ignore[type-var]
    assert any("โครงการศึกษาดูงานเพื่อเพิ่มประสิทธิภาพการปฏิบัติงานของบุคลากร" in t.text for t in lines(d))


def test_corpus_seed002_prose() -> None:
    d = read_docx(str(_corpus("seed002.docx")))
    text = d.plain_text()
    assert "องค์การบริหารส่วนตำบลจอมประทัด" in text
    assert len(lines(d)) > 300
