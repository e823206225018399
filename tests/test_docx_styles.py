"""prongsai.extract.docx_styles: paragraph style names and pageBreakBefore inherited
through basedOn, on documents built with python-docx."""

from __future__ import annotations

from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE

from prongsai.extract.docx_styles import StyleInfo, style_map


def test_page_break_before_is_inherited_through_based_on() -> None:
    d = docx.Document()
    chapter = d.styles.add_style("Chapter", WD_STYLE_TYPE.PARAGRAPH)
    chapter.paragraph_format.page_break_before = True
    section = d.styles.add_style("Section", WD_STYLE_TYPE.PARAGRAPH)
    section.base_style = chapter
    loose = d.styles.add_style("Loose", WD_STYLE_TYPE.PARAGRAPH)
    loose.base_style = section
    loose.paragraph_format.page_break_before = False  # its own setting wins over the base's
    d.styles.add_style("Stress", WD_STYLE_TYPE.CHARACTER)
    styles, default = style_map(d)
    assert styles["Chapter"] == StyleInfo("Chapter", True)
    assert styles["Section"] == StyleInfo("Section", True)
    assert styles["Loose"] == StyleInfo("Loose", False)
    assert default == styles["Normal"] == StyleInfo("Normal", False)
    assert "Stress" not in styles  # character styles are not paragraph styles
    assert all(isinstance(k, str) and k for k in styles)


def test_a_based_on_cycle_stops() -> None:
    d = docx.Document()
    a = d.styles.add_style("A", WD_STYLE_TYPE.PARAGRAPH)
    b = d.styles.add_style("B", WD_STYLE_TYPE.PARAGRAPH)
    a.base_style = b
    b.base_style = a
    styles, _ = style_map(d)
    assert (styles["A"], styles["B"]) == (StyleInfo("A", False), StyleInfo("B", False))


class _Broken:
    @property
    def styles(self) -> Any:
        raise ValueError("damaged styles part")


class _OddStyle:
    type = WD_STYLE_TYPE.PARAGRAPH
    style_id = "Odd"

    @property
    def name(self) -> str:
        raise KeyError("no name")


class _Styles(list):
    def default(self, kind: Any) -> Any:
        return None


def test_a_damaged_styles_part_gives_no_hints() -> None:
    assert style_map(_Broken()) == ({}, None)


def test_one_odd_style_is_left_out_and_the_rest_kept() -> None:
    d = docx.Document()
    good = d.styles["Heading 1"]

    class Doc:
        styles = _Styles([_OddStyle(), good])

    styles, default = style_map(Doc())
    assert list(styles) == ["Heading1"] and default is None
    assert styles["Heading1"].name == "Heading 1"
