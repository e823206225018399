"""Formats read through LibreOffice (prongsai.extract.convert, prongsai.extract.office):
the same plan saved as .doc/.odt/.rtf (from our DOCX) and .xls/.ods (from our XLSX)
gives the same projects; a missing, failing or hanging converter gives a clear error
row, never a crash or a hung batch.

The test setup converts the fixtures with LibreOffice itself (``office_fixtures.lo_convert``).
Without LibreOffice those tests are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import process_gone
from office_fixtures import (
    DOCX_PROJECTS,
    XLSX_PROJECTS,
    copy_as,
    lo_convert,
    make_plan_docx,
    make_plan_xlsx,
    soffice_or_skip,
)

from prongsai.extract import SUFFIXES, sniff_format
from prongsai.extract import convert as convert_mod
from prongsai.pipeline import process_file

WORD = ("doc", "odt", "rtf")
SHEETS = ("xls", "ods")


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixtures: plan.docx, plan.xlsx and their LibreOffice conversions."""
    soffice_or_skip()
    d = tmp_path_factory.mktemp("office")
    files = {"docx": make_plan_docx(d / "plan.docx"), "xlsx": make_plan_xlsx(d / "book.xlsx")}
    for fmt in WORD:
        files[fmt] = lo_convert(files["docx"], fmt, d / "lo")
    for fmt in SHEETS:
        files[fmt] = lo_convert(files["xlsx"], fmt, d / "lo")
    return files


def summary(res) -> list[tuple[str, float, int]]:
    return [(p["title"], p["budget_thb"], p["dimension"]) for p in res.projects]


def test_docx_and_xlsx_fixtures_give_their_plans(office: dict[str, Path]) -> None:
    assert summary(process_file(office["docx"], "plan.docx")) == DOCX_PROJECTS
    assert summary(process_file(office["xlsx"], "book.xlsx")) == XLSX_PROJECTS


@pytest.mark.parametrize("fmt", WORD)
def test_word_processor_formats_give_the_same_plan_as_the_docx(office: dict[str, Path], fmt: str) -> None:
    want = process_file(office["docx"], "plan.docx")
    got = process_file(office[fmt], f"plan.{fmt}")
    assert (got.plan["source_format"], got.plan["status"]) == (fmt, "ok")
    assert summary(got) == summary(want) == DOCX_PROJECTS
    for key in ("org_name", "org_code", "plan_kind", "fy_start", "fy_end", "framework", "budget_total_thb"):
        assert got.plan[key] == want.plan[key], key
    assert [p["layout"] for p in got.projects] == [p["layout"] for p in want.projects]


@pytest.mark.parametrize("fmt", SHEETS)
def test_spreadsheet_formats_give_the_same_plan_as_the_xlsx(office: dict[str, Path], fmt: str) -> None:
    want = process_file(office["xlsx"], "book.xlsx")
    got = process_file(office[fmt], f"book.{fmt}")
    assert (got.plan["source_format"], got.plan["status"]) == (fmt, "ok")
    assert summary(got) == summary(want) == XLSX_PROJECTS
    for key in ("org_name", "plan_kind", "fy_start", "fy_end", "framework", "budget_total_thb"):
        assert got.plan[key] == want.plan[key], key
    # the hidden sheet and row are still hidden after the conversion
    assert any(w["code"] == "HIDDEN_SKIPPED" for w in got.warnings)
    assert [b["amount_thb"] for b in got.budgets] == [b["amount_thb"] for b in want.budgets]


def test_content_decides_and_the_name_refines(office: dict[str, Path], tmp_path: Path) -> None:
    # RTF saved with a .doc name (Word does this) is converted as RTF, reported as doc
    rtf_as_doc = copy_as(office["rtf"], tmp_path / "plan.doc")
    assert sniff_format(rtf_as_doc) == "doc"
    assert summary(process_file(rtf_as_doc, "plan.doc")) == DOCX_PROJECTS
    # a Word 97 file named .rtf is a doc; a workbook named .ods is an xls
    assert sniff_format(copy_as(office["doc"], tmp_path / "x.rtf")) == "doc"
    assert sniff_format(copy_as(office["xls"], tmp_path / "x.ods")) == "xls"
    assert sniff_format(copy_as(office["doc"], tmp_path / "x.dot")) == "dot"
    # a DOCX named .doc is read as the DOCX it is
    assert sniff_format(copy_as(office["docx"], tmp_path / "y.doc")) == "docx"


def test_word_web_page_saved_as_doc_is_converted(office: dict[str, Path], tmp_path: Path) -> None:
    p = tmp_path / "web.doc"
    p.write_text(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"></head><body>'
        "<p>แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2566</p>"
        "<p>องค์การบริหารส่วนตำบลหินตั้ง อำเภอบ้านไผ่ จังหวัดขอนแก่น</p><p>มิติที่ 1 การสร้างวัฒนธรรมสุจริต</p>"
        "<table border=1><tr><td>ที่</td><td>โครงการ/กิจกรรม</td><td>งบประมาณ (บาท)</td><td>หน่วยงานรับผิดชอบ</td></tr>"
        "<tr><td>1</td><td>โครงการอบรมคุณธรรม</td><td>10,000</td><td>สำนักปลัด</td></tr></table></body></html>",
        encoding="utf-8")
    res = process_file(p, "web.doc")
    assert (res.plan["source_format"], res.plan["status"], res.plan["fy_start"]) == ("doc", "ok", 2566)
    assert summary(res) == [("โครงการอบรมคุณธรรม", 10000.0, 1)]


def test_every_format_is_found_in_a_folder() -> None:
    for suffix in (".doc", ".rtf", ".odt", ".wpd", ".xlsx", ".xlsm", ".xls", ".ods"):
        assert suffix in SUFFIXES


# --------------------------------------------------------------------------- bad input


def test_corrupt_doc_is_a_clear_error_not_garbage_text(tmp_path: Path, office: dict[str, Path]) -> None:
    data = office["doc"].read_bytes()
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes(data[:8] + bytes(range(256)) * 16)  # an OLE signature, then junk
    cut = tmp_path / "cut.doc"
    cut.write_bytes(data[: len(data) // 2])
    for path in (damaged, cut):
        res = process_file(path, path.name)
        assert (res.plan["status"], res.plan["source_format"]) == ("failed", "doc")
        (w,) = res.warnings
        assert w["code"] == "CONVERSION_FAILED"
        assert "LibreOffice could not convert the .doc" in w["message"] and "damaged" in w["message"]


def test_text_named_doc_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "plan.doc"
    p.write_text("แผนปฏิบัติการป้องกันการทุจริต", encoding="utf-8")
    res = process_file(p, "plan.doc")
    assert res.plan["status"] == "failed"
    assert "named .doc but its content is not a DOC file" in res.warnings[0]["message"]


def _no_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("PRONGSAI_SOFFICE", raising=False)
    monkeypatch.setattr(convert_mod, "_KNOWN_PROGRAMS", ())


@pytest.mark.parametrize(("name", "magic", "package"), [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "libreoffice-writer-nogui"),
    ("old.rtf", b"{\\rtf1\\ansi ", "libreoffice-writer-nogui"),
    ("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "libreoffice-calc-nogui"),
])
def test_without_libreoffice_an_unsupported_format_row_names_the_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, magic: bytes, package: str) -> None:
    _no_libreoffice(monkeypatch, tmp_path)
    p = tmp_path / name
    p.write_bytes(magic + bytes(600))
    res = process_file(p, name)
    assert res.plan["status"] == "failed" and res.plan["source_format"] == name.split(".")[1]
    (w,) = res.warnings
    assert (w["code"], w["severity"]) == ("UNSUPPORTED_FORMAT", "error")
    assert f"apt-get install {package}" in w["message"]


def _fake_soffice(folder: Path, pid_file: Path) -> Path:
    """A 'soffice' that never finishes: it starts a child that sleeps and waits for it
    (as soffice does with soffice.bin), writing the child's pid to ``pid_file`` (atomically:
    the file exists only once it holds the pid)."""
    folder.mkdir(parents=True, exist_ok=True)
    fake = folder / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {pid_file}.tmp\nmv {pid_file}.tmp {pid_file}\nwait\n",
                    encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return fake


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@needs_proc
def test_hanging_conversion_is_stopped_with_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "child.pid"
    fake = _fake_soffice(tmp_path / "bin", pid_file)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PRONGSAI_CONVERT_TIMEOUT", "5")
    p = tmp_path / "plan.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    res = process_file(p, "plan.doc")
    assert (res.plan["status"], res.plan["source_format"]) == ("failed", "doc")
    (w,) = res.warnings
    assert w["code"] == "CONVERSION_TIMEOUT" and "longer than 5 s" in w["message"]
    assert process_gone(int(pid_file.read_text())), "the converter's child process was left running"


def _run_cli(inp: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    code = "from prongsai.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, "run", str(inp), "--out", str(out), "--workers", "1", *extra],
                          env=env, capture_output=True, text=True, timeout=600)


#: ``prongsai run`` whose batch time-out decision is an event instead of the clock: the file
#: has expired once the file named by the first argument exists ("": never)
_CLI_WITH_EVENT = """
import sys
from pathlib import Path

import prongsai.runner as runner

marker = sys.argv.pop(1)
run_batch = runner.run_batch


def expired(path, elapsed):
    return bool(marker) and Path(marker).exists()


runner.run_batch = lambda *a, **k: run_batch(*a, **dict(k, expired=expired))
from prongsai.cli import main

main()
"""


def _run_cli_expiring_on(marker: Path | None, inp: Path, out: Path, env: dict[str, str],
                         *extra: str) -> subprocess.CompletedProcess[str]:
    """:func:`_run_cli` with the batch's time-out decided by an event (``marker`` exists; None:
    never) rather than by how fast the machine is."""
    return subprocess.run([sys.executable, "-c", _CLI_WITH_EVENT, str(marker or ""), "run", str(inp), "--out",
                           str(out), "--workers", "1", *extra], env=env, capture_output=True, text=True, timeout=600)


def _plans(out: Path) -> dict[str, tuple[str, str]]:
    plans = pd.read_csv(out / "plans.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return {r.source_path: (r.source_format, r.status) for r in plans.itertuples()}


def test_cli_run_on_a_folder_of_office_files(office: dict[str, Path], tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    for fmt, path in office.items():
        copy_as(path, inp / f"{path.stem}.{fmt}")
    (inp / "damaged.doc").write_bytes(office["doc"].read_bytes()[:3000])
    (inp / "notzip.xlsx").write_text("ไม่ใช่ไฟล์ Excel", encoding="utf-8")
    res = _run_cli(inp, tmp_path / "out", dict(os.environ))
    assert res.returncode == 1, res.stderr  # some files failed, the rest were written
    assert _plans(tmp_path / "out") == {
        "plan.docx": ("docx", "ok"), "plan.doc": ("doc", "ok"), "plan.odt": ("odt", "ok"), "plan.rtf": ("rtf", "ok"),
        "book.xlsx": ("xlsx", "ok"), "book.xls": ("xls", "ok"), "book.ods": ("ods", "ok"),
        "damaged.doc": ("doc", "failed"), "notzip.xlsx": ("xlsx", "failed")}
    warnings = pd.read_csv(tmp_path / "out" / "warnings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    errors = warnings[warnings["severity"] == "error"]
    assert sorted(errors["code"]) == ["CONVERSION_FAILED", "UNREADABLE_FILE"]
    projects = pd.read_csv(tmp_path / "out" / "projects.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(projects) == 4 * len(DOCX_PROJECTS) + 3 * len(XLSX_PROJECTS)
    assert "not read" not in res.stdout + res.stderr


@needs_proc
def test_cli_hanging_converter_gives_error_rows_and_leaves_no_process(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "hang.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (inp / "plan.xlsx").write_bytes(make_plan_xlsx(tmp_path / "p.xlsx").read_bytes())
    pid_file = tmp_path / "child.pid"
    fake = _fake_soffice(tmp_path / "bin", pid_file)
    env = dict(os.environ, PATH=f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    # the conversion's own time-out comes first (the batch's never expires): a CONVERSION_TIMEOUT row
    res = _run_cli_expiring_on(None, inp, tmp_path / "out1", dict(env, PRONGSAI_CONVERT_TIMEOUT="2"),
                               "--timeout", "120")
    assert res.returncode == 1, res.stderr
    assert _plans(tmp_path / "out1") == {"hang.doc": ("doc", "failed"), "plan.xlsx": ("xlsx", "ok")}
    assert "CONVERSION_TIMEOUT" in res.stderr + res.stdout
    assert process_gone(int(pid_file.read_text()))
    # the batch's --timeout comes first: the worker is killed, and LibreOffice with it
    pid_file.unlink()
    only_hang = tmp_path / "in2"
    only_hang.mkdir()
    (only_hang / "hang.doc").write_bytes((inp / "hang.doc").read_bytes())
    # the batch's time-out expires once LibreOffice runs (its child wrote pid_file): never before it started
    res = _run_cli_expiring_on(pid_file, only_hang, tmp_path / "out2", dict(env, PRONGSAI_CONVERT_TIMEOUT="300"),
                               "--timeout", "8")
    assert res.returncode == 1, res.stderr
    warnings = pd.read_csv(tmp_path / "out2" / "warnings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(warnings[warnings["severity"] == "error"]["code"]) == ["TIMEOUT"]
    assert process_gone(int(pid_file.read_text())), "LibreOffice outlived its killed worker"


def test_folders_of_killed_conversions_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"prongsai-convert-{dead.pid}-abc"
    live = tmp_path / f"prongsai-convert-{os.getpid()}-def"
    other = tmp_path / "prongsai-convert-notapid"
    for d in (stale, live, other):
        (d / "profile").mkdir(parents=True)
    assert convert_mod.remove_stale_folders(str(tmp_path)) == 1
    assert not stale.exists() and live.exists() and other.exists()


def test_missing_or_hung_converter_results_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installing LibreOffice (or a calmer machine) must not be hidden by a cached failure."""
    from prongsai.cache import ResultCache

    _no_libreoffice(monkeypatch, tmp_path)
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    res = process_file(p, "old.doc")
    assert res.warnings[0]["code"] == "UNSUPPORTED_FORMAT"
    cache = ResultCache(tmp_path / "cache", "f" * 64)
    assert cache.put("a" * 64, "old.doc", res) is False
    assert cache.get("a" * 64, "old.doc") is None


# --------------------------------------------------------------------------- recognising formats


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("a.wpd", b"\xffWPC\x10\x00\x00\x00" + bytes(100), "wpd"),
    ("a.rtf", b"\xef\xbb\xbf {\\rtf1\\ansi}", "rtf"),
    ("a.doc", b"<!DOCTYPE html><html><body>plan</body></html>", "doc"),  # "save as web page" named .doc
    ("a.fodt", b'<?xml version="1.0"?><office:document office:mimetype="application/vnd.oasis.opendocument.text">',
     "fodt"),
    # an OLE file whose name says nothing: its stream names tell Word from Excel
    ("a.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "WordDocument".encode("utf-16-le"), "doc"),
    ("a.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "Workbook".encode("utf-16-le"), "xls"),
])
def test_office_formats_recognised_by_content(tmp_path: Path, name: str, content: bytes, fmt: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    assert sniff_format(p) == fmt


def test_zip_based_formats_recognised_by_their_members(tmp_path: Path) -> None:
    odt = _zip(tmp_path / "a.zip", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""})
    ods = _zip(tmp_path / "b.ott", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    xlsm = _zip(tmp_path / "c.xlsm", {"[Content_Types].xml": b"", "xl/workbook.xml": b""})
    docm = _zip(tmp_path / "d.docm", {"[Content_Types].xml": b"", "word/document.xml": b""})
    assert [sniff_format(p) for p in (odt, ods, xlsm, docm)] == ["odt", "ods", "xlsm", "docm"]
    # a damaged zip keeps its name's format, so that its own backend says what is wrong
    broken = tmp_path / "e.ods"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    assert sniff_format(broken) == "ods"


@needs_proc
def test_cli_memory_limit_counts_the_converter(tmp_path: Path) -> None:
    """LibreOffice's memory counts against the worker's --max-memory: a converter that grows
    past it has its worker killed (OUT_OF_MEMORY) instead of running on to its own time-out."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "big.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    pid_file = tmp_path / "child.pid"
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\nimport os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "block = bytearray(1200 * 2**20)\nfor i in range(0, len(block), 4096):\n    block[i] = 1\ntime.sleep(600)\n",
        encoding="utf-8")
    fake.chmod(0o755)
    # neither time-out can come first: the conversion's outlasts the fake, the batch's never expires
    env = dict(os.environ, PATH=f"{fake.parent}{os.pathsep}{os.environ['PATH']}", PRONGSAI_CONVERT_TIMEOUT="3600")
    res = _run_cli_expiring_on(None, inp, tmp_path / "out", env, "--max-memory", "700", "--timeout", "300")
    assert res.returncode == 1, res.stderr
    warnings = pd.read_csv(tmp_path / "out" / "warnings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(warnings["code"]) == ["OUT_OF_MEMORY"]
    assert process_gone(int(pid_file.read_text()))
