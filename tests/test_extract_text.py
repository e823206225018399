"""The text/Markdown backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.extract import read_document, sniff_format
from prongsai.extract.text import parse_text, read_text
from prongsai.model import ExtractError, Table, TextLine


def test_tab_rows_make_a_table_and_indentation_does_not() -> None:
    doc = parse_text("หัวเรื่อง\n\tย่อหน้าเยื้อง\nที่\tโครงการ\tงบประมาณ\n1\tโครงการ ก\t5,000")
    assert [type(b).__name__ for b in doc.blocks] == ["TextLine", "TextLine", "Table"]
    assert doc.blocks[1].text == "ย่อหน้าเยื้อง"
    table = doc.blocks[2]
    assert table.rows == [["ที่", "โครงการ", "งบประมาณ"], ["1", "โครงการ ก", "5,000"]]
    assert [r.line for r in table.row_refs] == [3, 4]


def test_p_fragments_are_cell_line_breaks_and_continuation_rows_join() -> None:
    text = "ชื่อ\tงบ\nมาตรการแสดงเจตนารมณ์ใน\tไม่ได้ใช้\n\n<p>การนำหลักคุณธรรม</p>\t<p>งบประมาณ</p>\n---\t--\n"
    doc = parse_text(text)
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.rows[1] == ["มาตรการแสดงเจตนารมณ์ใน\nการนำหลักคุณธรรม", "ไม่ได้ใช้\nงบประมาณ"]
    assert len(table.rows) == 2  # the separator row is skipped


def test_superscripts_images_and_markdown_headings() -> None:
    doc = parse_text("## ๒. วัตถุประสงค์\n[image: กรอบลายไทย]2.4.2 ยกย่อง\nจำนวนคน ^{โครงการ} เป้าหมาย")
    texts = [b.text for b in doc.blocks if isinstance(b, TextLine)]
    assert texts[0] == "๒. วัตถุประสงค์"
    assert texts[1] == "2.4.2 ยกย่อง"
    assert "^{" not in texts[2] and "โครงการ" in texts[2]


def test_last_line_without_newline_is_read() -> None:
    doc = parse_text("ที่\tโครงการ\n1\tก\n2\tข")
    assert doc.blocks[-1].rows[-1] == ["2", "ข"]


def test_tis620_text_file(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_bytes("มิติที่ 1 การสร้างสังคม".encode("cp874"))
    assert read_text(str(f)).blocks[0].text == "มิติที่ 1 การสร้างสังคม"


def test_markdown_format(tmp_path: Path) -> None:
    f = tmp_path / "plan.md"
    f.write_text("# แผนปฏิบัติการ\n", encoding="utf-8")
    doc = read_document(f)
    assert doc.format == "md" and doc.blocks[0].text == "แผนปฏิบัติการ"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "empty"),
    ("fake.pdf", b"hello", "not a PDF"),
    ("fake.docx", b"hello", "not a DOCX"),
])
def test_sniffing_bad_files(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(ExtractError, match=message):
        sniff_format(f)


def test_a_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    f = tmp_path / "lies.docx"
    f.write_bytes(b"%PDF-1.4\n")
    assert sniff_format(f) == "pdf"


PLAN_LINE = "มิติที่ 1 การสร้างสังคม งบประมาณ ๘,๕๐๐ บาท"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "utf-8"])
def test_unicode_text_files_of_windows_editors(tmp_path: Path, encoding: str) -> None:
    """Notepad saves "Unicode" as UTF-16 with a byte-order mark; others save it without."""
    f = tmp_path / "plan.txt"
    f.write_bytes(f"{PLAN_LINE}\n{PLAN_LINE}\n".encode(encoding))
    assert [b.text for b in read_text(str(f)).blocks] == [PLAN_LINE, PLAN_LINE]


def test_broken_utf16_text_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_bytes(b"\xff\xfe" + "ไทย".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate at the end
    with pytest.raises(ExtractError, match="UTF-16 byte-order mark"):
        read_text(str(f))


def test_random_bytes_are_not_text(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ExtractError, match="neither UTF-8, UTF-16 nor TIS-620"):
        read_text(str(f))


def test_pdf_with_junk_before_its_header(tmp_path: Path) -> None:
    f = tmp_path / "plan.pdf"
    f.write_bytes(b"\r\n\xef\xbb\xbf\n%PDF-1.4\n")
    assert sniff_format(f) == "pdf"
    note = tmp_path / "note.txt"  # a text that merely mentions the header is still text
    note.write_bytes(b"the file starts with %PDF-1.7\n")
    assert sniff_format(note) == "txt"
