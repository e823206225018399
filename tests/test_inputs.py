"""Finding the input files: what is read, under which name, and what is passed over."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_cli import PLAN
from typer.testing import CliRunner

from prongsai.cli import app
from prongsai.inputs import BROKEN_LINK, HIDDEN, OTHER_TYPE, find_inputs, printable_name

runner = CliRunner()

#: a Thai file name as a Windows archive stores it (TIS-620), which is not UTF-8
THAI_CP874 = "แผนทุจริต".encode("cp874") + b".txt"

needs_bytes_names = pytest.mark.skipif(sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8",
                                       reason="file names as raw bytes need a POSIX UTF-8 file system")


def _folder(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    (inp / "plan.txt").write_text(PLAN, encoding="utf-8")
    (inp / "sub" / "PLAN2.TXT").write_text(PLAN + "\n", encoding="utf-8")  # other bytes: a plan of its own
    (inp / "deck.pptx").write_bytes(b"PK\x03\x04" + bytes(100))
    (inp / "sub" / "photo.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic")
    (inp / "~$plan.docx").write_bytes(b"lock")
    (inp / "._plan.pdf").write_bytes(b"\x00\x05\x16\x07")
    (inp / ".git").mkdir()
    (inp / ".git" / "notes.md").write_text("not a plan", encoding="utf-8")
    (inp / "gone.pdf").symlink_to(inp / "nowhere.pdf")
    return inp


def test_folder_search_reads_plans_and_counts_what_it_passes_over(tmp_path: Path) -> None:
    found = find_inputs([_folder(tmp_path)])
    assert [s for _, s in found.files] == ["plan.txt", "sub/PLAN2.TXT"]
    assert sorted(found.skipped) == [("._plan.pdf", HIDDEN), ("deck.pptx", OTHER_TYPE), ("gone.pdf", BROKEN_LINK),
                                     ("sub/photo.HEIC", OTHER_TYPE), ("~$plan.docx", HIDDEN)]
    line = found.skipped_summary()
    assert line == "not read: 2 file(s) of other types (.heic 1, .pptx 1), 2 hidden or lock file(s), 1 broken link(s)"


def test_page_images_are_read(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.JPEG", "c.png", "d.tif", "e.TIFF"):
        (tmp_path / name).write_bytes(b"\xff\xd8\xff")
    found = find_inputs([tmp_path])
    assert [s for _, s in found.files] == ["a.jpg", "b.JPEG", "c.png", "d.tif", "e.TIFF"] and found.skipped == []


def test_a_file_named_on_the_command_line_is_always_read(tmp_path: Path) -> None:
    f = tmp_path / "~$odd name.doc"
    f.write_text(PLAN, encoding="utf-8")
    found = find_inputs([f])
    assert found.files == [(f, f.as_posix())] and found.skipped == []
    assert find_inputs([tmp_path]).skipped_summary().startswith("not read: 1 hidden or lock file(s)")


def test_cli_reports_what_it_did_not_read(tmp_path: Path) -> None:
    inp = _folder(tmp_path)
    out, log = tmp_path / "out", tmp_path / "run.log"
    res = runner.invoke(app, ["run", str(inp), "--out", str(out), "--log-file", str(log)])
    assert res.exit_code == 0, res.output
    assert "not read: 2 file(s) of other types" in res.output
    assert "not read (other type): sub/photo.HEIC" in log.read_text(encoding="utf-8")
    plans = pd.read_csv(out / "plans.csv", encoding="utf-8-sig", dtype=str)
    assert list(plans["source_path"]) == ["plan.txt", "sub/PLAN2.TXT"]
    quiet = runner.invoke(app, ["run", str(inp), "--out", str(out), "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_printable_name_keeps_utf8_and_decodes_thai_code_page() -> None:
    assert printable_name("ก/ข.pdf") == "ก/ข.pdf"
    mixed = "แผน".encode() + b"/" + THAI_CP874  # a UTF-8 folder holding a TIS-620 file name
    assert printable_name(os.fsdecode(mixed)) == "แผน/แผนทุจริต.txt"
    assert printable_name(os.fsdecode(b"x\x80\xff.pdf")) == "x\\x80\\xff.pdf"  # 0x80, 0xFF are not cp874 letters
    for name in (os.fsdecode(THAI_CP874), os.fsdecode(b"\xc0\xc1\xf5\xf8"), "ok.txt"):
        printable_name(name).encode("utf-8")  # always writable


@needs_bytes_names
def test_file_name_that_is_not_utf8_does_not_break_the_tables(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(PLAN, encoding="utf-8")
    with open(os.fsencode(inp) + b"/" + THAI_CP874, "wb") as fh:
        fh.write(PLAN.encode("cp874"))
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(inp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    plans = pd.read_csv(out / "plans.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(plans["source_path"]) == ["good.txt", "แผนทุจริต.txt"]
    assert set(plans["status"]) == {"ok"}
