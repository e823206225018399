"""The parser's output contract: ``parse/`` returns strings only (issue 13).

What :func:`prongsai.parse.structure.walk` and :func:`prongsai.parse.header.read_header`
hand to ``normalize/`` (:class:`Structure` with its :class:`Record` s, :class:`PlanHeader`)
holds text as written; every conversion (digits, years, quarters, kinds, the
organisation's registry entry) is a normaliser's. Checked twice: the declared field
types, and the values of real parser output (the committed DOCX/PDF plans and a
hand-made document with every kind of place a project is found in).

The only fields that are not text are structural facts, not values read from the
document; they are listed here, each with its exact type and the reason.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, Union

import pytest

from prongsai.extract import clean_document, read_document
from prongsai.model import Document, Problem, SourceRef, Table, TextLine
from prongsai.parse.header import PlanHeader, read_header
from prongsai.parse.record import Record
from prongsai.parse.structure import Structure, walk

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_patterns"

#: the parser's output types (a nested one is checked through the field that holds it)
OUTPUT_TYPES: tuple[type, ...] = (Structure, PlanHeader, Record)

#: (type, field) -> (its exact type, why it is not text)
STRUCTURAL: dict[tuple[str, str], tuple[Any, str]] = {
    ("Record", "ref"): (SourceRef, "where in the document the record was found"),
    ("Record", "problems"): (list[Problem], "the parser's diagnostics, not values"),
    ("Structure", "problems"): (list[Problem], "the parser's diagnostics, not values"),
    ("Structure", "dimension_texts"): (list[tuple[str, SourceRef]], "each label text with where it was found"),
    ("PlanHeader", "org_index"): (int, "which of the organisations named in org_line: a list position"),
}


def _text_type(tp: Any) -> bool:
    """Whether ``tp`` is text: ``str``, ``None`` in a union with it, or a container of text
    (list, tuple, set, dict), or a parser output type (checked on its own)."""
    if tp is str or tp is type(None):
        return True
    if tp in OUTPUT_TYPES:
        return True
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return str in args and all(_text_type(a) for a in args)
    if origin in (list, tuple, set, frozenset, dict):
        return bool(args) and all(a is Ellipsis or _text_type(a) for a in args)
    return False


def contract_violations(cls: type) -> list[str]:
    """The value fields of dataclass ``cls`` that are not text and not a listed exception."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        allowed = STRUCTURAL.get((cls.__name__, f.name))
        if allowed is not None:
            if tp != allowed[0]:
                out.append(f"{cls.__name__}.{f.name}: {tp} (listed as structural with type {allowed[0]})")
        elif not _text_type(tp):
            out.append(f"{cls.__name__}.{f.name}: {tp}")
    return out


@pytest.mark.parametrize("cls", OUTPUT_TYPES, ids=lambda c: c.__name__)
def test_every_value_field_of_the_parsers_output_is_text(cls: type) -> None:
    assert contract_violations(cls) == []


def test_the_contract_check_finds_a_number() -> None:
    @dataclasses.dataclass
    class Leaky:
        title: str
        dimension: int | None = None
        cells: list[tuple[int | None, str]] = dataclasses.field(default_factory=list)
        quarters: set[int] = dataclasses.field(default_factory=set)
        score: float = 1.0
        note: str | None = None
        marks: dict[str, str] = dataclasses.field(default_factory=dict)

    assert [v.split(":")[0] for v in contract_violations(Leaky)] == [
        "Leaky.dimension", "Leaky.cells", "Leaky.quarters", "Leaky.score"]


def test_every_listed_exception_is_a_field_of_an_output_type() -> None:
    fields = {(c.__name__, f.name) for c in OUTPUT_TYPES for f in dataclasses.fields(c)}
    assert set(STRUCTURAL) <= fields


# -- the values the parser returns ------------------------------------------------------------

def _values_not_text(obj: Any, path: str) -> list[str]:
    """Paths of the values under ``obj`` that are neither text nor a listed structural field."""
    if obj is None or isinstance(obj, str):
        return []
    if dataclasses.is_dataclass(obj) and isinstance(obj, OUTPUT_TYPES):
        out = []
        for f in dataclasses.fields(obj):
            if (type(obj).__name__, f.name) in STRUCTURAL:
                continue
            out.extend(_values_not_text(getattr(obj, f.name), f"{path}.{f.name}"))
        return out
    if isinstance(obj, dict):
        return [p for k, v in obj.items() for p in (*_values_not_text(k, f"{path}[key]"),
                                                     *_values_not_text(v, f"{path}[{k!r}]"))]
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [p for i, v in enumerate(obj) for p in _values_not_text(v, f"{path}[{i}]")]
    return [f"{path} = {obj!r} ({type(obj).__name__})"]


ANNUAL_TABLE = [
    ["ที่", "แผนงาน/โครงการ/กิจกรรม", "หน่วยนับ", "ปริมาณงาน", "งบประมาณ ปี 2567 (บาท)", "ไตรมาส 1", "ไตรมาส 2",
     "ต.ค.-ธ.ค.", "ก.ค.", "หน่วยงาน รับผิดชอบ"],
    ["1", "โครงการอบรมคุณธรรม", "ครั้ง", "2", "20,000", "✓", "", "", "/", "สำนักงานปลัด"],
    ["2", "1) มาตรการประกาศ 2) กิจกรรมเผยแพร่", "ฉบับ", "1", "-", "", "✓", "", "", "กองคลัง"],
]
MULTI_YEAR_TABLE = [
    ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "ปี 2561", "ปี 2562", "หมายเหตุ"],
    ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)", "งบประมาณ (บาท)", "หมายเหตุ"],
    ["มิติที่ 2 การบริหารราชการเพื่อป้องกันการทุจริต", "2.1.1 แสดงเจตจำนง", "โครงการปลูกป่า", "10,000", "-", "สป."],
]


def _hand_made() -> Document:
    lines = ["แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)", "เทศบาลตำบลบ้านแพง อำเภอบ้านแพง จังหวัดนครพนม",
             "มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต", "ภารกิจตามมิติ 1.1 การสร้างจิตสำนึก",
             "1. ชื่อโครงการ : โครงการอบรมคุณธรรม", "7. ระยะเวลาดำเนินการ", "ตุลาคม 2561 - กันยายน 2562",
             "8. งบประมาณดำเนินการ", "20,000 บาท", "9. ผู้รับผิดชอบโครงการ", "สำนักงานปลัด"]
    blocks: list[TextLine | Table] = [TextLine(t, SourceRef(line=i)) for i, t in enumerate(lines, 1)]
    blocks += [Table(ANNUAL_TABLE, SourceRef(page=2), row_refs=[SourceRef(page=2)] * 3),
               Table(MULTI_YEAR_TABLE, SourceRef(page=3), row_refs=[SourceRef(page=3)] * 3)]
    return clean_document(Document("hand.txt", "txt", blocks))


def _documents() -> list[tuple[str, Document]]:
    docs = [("hand-made", _hand_made())]
    for name in ("nacc_multi_item.docx", "nacc_awkward_grid.pdf"):
        docs.append((name, clean_document(read_document(FIXTURES / name))))
    return docs


@pytest.mark.parametrize("name,doc", _documents(), ids=lambda x: x if isinstance(x, str) else "")
def test_the_parser_returns_text_as_written(name: str, doc: Document) -> None:
    structure = walk(doc)
    header = read_header(doc, structure.dimension_texts, structure.mission_texts)
    assert structure.records  # the check is not vacuous: projects were found
    assert _values_not_text(structure, "structure") == []
    assert _values_not_text(header, "header") == []
    if name == "hand-made":  # every kind of value is there, as written
        recs = {r.title: r for r in structure.records if r.layout == "plan_table"}
        assert list(recs) == ["โครงการอบรมคุณธรรม", "มาตรการประกาศ", "กิจกรรมเผยแพร่", "โครงการปลูกป่า"]
        annual, multi = recs["โครงการอบรมคุณธรรม"], recs["โครงการปลูกป่า"]
        assert [r.dimension for r in structure.records] == ["1", "1", "1", "1", "2"]
        assert annual.quarter_marks == [("ไตรมาส 1", "✓"), ("ไตรมาส 2", ""), ("ต.ค.-ธ.ค.", ""), ("ก.ค.", "/")]
        assert recs["กิจกรรมเผยแพร่"].quarter_marks[1] == ("ไตรมาส 2", "✓")  # an item takes its row's marks
        assert annual.budget_cells == [("งบประมาณ ปี 2567 (บาท)", "20,000")]
        assert (multi.budget_cells, multi.year_headers) == ([("ปี 2561", "10,000"), ("ปี 2562", "-")],
                                                            ["ปี 2561", "ปี 2562"])
        assert (multi.dimension, multi.mission_code) == ("2", "2.1.1")
        assert header.period_text == "แผนปฏิบัติการป้องกันการทุจริต 4 ปี (พ.ศ. 2561 - 2564)"
        assert header.org_line == "เทศบาลตำบลบ้านแพง อำเภอบ้านแพง จังหวัดนครพนม"


def test_a_number_in_a_record_is_found() -> None:
    rec = Record("โครงการ", "plan_table", SourceRef(), budget_cells=[(2561, "10,000")])  # type: ignore[list-item]
    assert _values_not_text(rec, "rec") == ["rec.budget_cells[0][0] = 2561 (int)"]
