"""The batch layer: parallel workers, fault isolation, time-outs, atomic output, cache, Dask.

Every bad input is generated here, small, in tmp_path. Faults that no small file
can cause reliably (a segfault, a hang, a memory hog) are injected with a per-file
function (``process_fn``) that the worker processes import from this module.

No test races the clock: a hanging file signals (a marker file) before it sleeps, and
the time-out policy of these tests (:class:`HangSignalled`) expires a file only on that
signal, so a good file can never time out however loaded the machine is; a memory hog
sleeps after allocating, so only the memory check can stop it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import in_ci, shared_file
from typer.testing import CliRunner

from prongsai.batch import ExecOptions, Job, Reporter, run_local
from prongsai.cli import app
from prongsai.pipeline import process_file
from prongsai.runner import file_report, run_batch

runner = CliRunner()
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"

PLAN = """แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕
องค์การบริหารส่วนตำบลเมืองน้อย
อำเภอธวัชบุรี จังหวัดร้อยเอ็ด
มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต
1. ชื่อโครงการ : โครงการอบรมคุณธรรม{n}
7. ระยะเวลาดำเนินการ
ปีงบประมาณ ๒๕๖๕
8. งบประมาณดำเนินการ
{budget} บาท
9. ผู้รับผิดชอบ
สำนักงานปลัด องค์การบริหารส่วนตำบลเมืองน้อย
10. ตัวชี้วัด/ผลลัพธ์
ผู้เข้าร่วมร้อยละ 80
"""


def plan_text(n: int = 1, budget: str = "๘,๕๐๐") -> str:
    return PLAN.format(n=n, budget=budget)


# --------------------------------------------------------------------------- injected per-file functions
# (module level, so that the worker processes can import them by name)


#: how long an injected hang or hog sleeps: "forever" (the batch stops it long before; the
#: bound only keeps a broken executor from hanging the test run)
FOREVER = 600


def hang_marker(path: Path) -> Path:
    """The file a hanging job writes just before it sleeps: ``<input folder>/../signals/NAME.hanging``."""
    return path.parent.parent / "signals" / f"{path.name}.hanging"


@dataclass(frozen=True)
class HangSignalled:
    """Time-out policy of these tests: a file has expired once it has signalled that it hangs,
    whatever the clock says (picklable, for the dask executor)."""

    def __call__(self, path: str, elapsed: float) -> bool:
        return hang_marker(Path(path)).exists()


def faulty_process(path: Path, source_path: str):
    """process_file, except for files whose name asks for a fault."""
    name = path.stem
    if name.startswith("segv"):
        import ctypes

        ctypes.string_at(0)  # segmentation fault
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("memerr"):
        raise MemoryError
    if name.startswith("hang"):
        marker = hang_marker(path)
        marker.parent.mkdir(exist_ok=True)
        marker.touch()  # the event the time-out policy waits for
        time.sleep(FOREVER)
    if name.startswith("hog"):
        hog = b"x" * (700 << 20)  # touched pages: resident
        time.sleep(FOREVER)  # no time-out can beat the memory check (the policy never expires it)
        del hog
    if name.startswith("noisy"):
        print("Traceback (most recent call last): worker noise", file=sys.stderr, flush=True)
        print("worker noise on stdout", flush=True)
        raise ValueError("boom")
    return process_file(path, source_path)


def gated_process(path: Path, source_path: str):
    """process_file for plan0 and plan1; every other file blocks until the batch is killed.
    Records the worker's pid next to the input folder."""
    with open(path.parent.parent / "pids", "a") as fh:
        fh.write(f"{os.getpid()}\n")
    if path.stem not in ("plan0", "plan1"):
        time.sleep(FOREVER)
    return process_file(path, source_path)


def counting_process(path: Path, source_path: str):
    """process_file, counting calls in ``<input folder>/../calls``."""
    with open(path.parent.parent / "calls", "a", encoding="utf-8") as fh:
        fh.write(source_path + "\n")
    return process_file(path, source_path)


def warm_probe(path: Path, source_path: str) -> list[str]:
    """Which of the modules the warm-up loads were already in the worker before its first file,
    and whether the long-lived objects (dictionaries, trie) were frozen out of the collector."""
    import gc

    loaded = sorted(m for m in ("prongsai.pipeline", "prongsai.extract.pdf", "pythainlp.tokenize") if m in sys.modules)
    return [*loaded, f"frozen>100k={gc.get_freeze_count() > 100_000}"]


# --------------------------------------------------------------------------- bad-file makers


def _docx_parts(document_xml: bytes) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            b"</Types>"),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Target="word/document.xml" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            b"</Relationships>"),
        "word/document.xml": document_xml,
    }


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def make_zip_bomb(path: Path) -> Path:
    """A .docx whose word/document.xml is 4 MB of zeros (a few KB compressed) declaring
    that it unpacks to almost 4 GB."""
    write_zip(path, _docx_parts(b"\0" * (4 << 20)))
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            if data[pos + name_at: pos + name_at + len(name)] == name:
                data[pos + size_at: pos + size_at + 4] = (0xFFFFFFF0).to_bytes(4, "little")
            pos += 4
    path.write_bytes(bytes(data))
    assert path.stat().st_size < 64 * 1024
    return path


def make_billion_laughs(path: Path) -> Path:
    ents = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{ents}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    return write_zip(path, _docx_parts(xml.encode()))


def make_pdf(path: Path, pages: int = 1, password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for i in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, text=f"Annex page {i + 1}. Item {i * 7 % 13} of list {i % 5}: "
                       + " ".join(f"word{(i * 31 + k) % 97}" for k in range(40)))
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password, encryption_method="RC4")
    pdf.output(str(path))
    return path


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (a killed orphan waits for an init to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:  # no /proc (not Linux), or gone meanwhile
        return True


def _tables(out: Path) -> dict[str, bytes]:
    """The tables (CSV + Parquet): byte-identical between runs on the same files (SPEC);
    datapackage.json (the run's date) and prongsai.duckdb are not."""
    return {f.name: f.read_bytes() for f in sorted(out.iterdir()) if f.suffix in (".csv", ".parquet")}


def _files(out: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(out.iterdir()) if f.is_file()}


# --------------------------------------------------------------------------- bad inputs


def test_every_bad_input_fails_alone(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(plan_text(), encoding="utf-8")
    (inp / "thai_cp874.txt").write_bytes(plan_text(2).encode("cp874"))
    (inp / "zero.pdf").write_bytes(b"")
    pdf = make_pdf(tmp_path / "src.pdf", pages=3)
    (inp / "truncated.pdf").write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])
    (inp / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 16)
    make_pdf(inp / "encrypted.pdf", password="secret")
    (inp / "notzip.docx").write_bytes(b"this is not a zip archive")
    make_zip_bomb(inp / "bomb.docx")
    make_billion_laughs(inp / "laughs.docx")
    shutil.copy(FIXTURES / "two_page_table.pdf", inp / "really_a_pdf.docx")
    (inp / "shopping.txt").write_text("รายการซื้อของ\nนม 2 ขวด\nขนมปัง 1 ถุง\nไข่ไก่ 10 ฟอง\n", encoding="utf-8")

    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(inp), "--out", str(out), "--workers", "2"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    assert "11 file(s) processed, 8 failed" in res.output

    plans = _read(out, "plans").set_index("source_path")
    warnings = _read(out, "warnings")
    errors = warnings[warnings["severity"] == "error"].merge(
        plans.reset_index()[["plan_id", "source_path"]], on="plan_id").set_index("source_path")

    assert plans.loc["good.txt", "status"] == "ok"
    assert plans.loc["thai_cp874.txt", "status"] == "ok"  # TIS-620 / cp874 read by the fallback
    assert plans.loc["thai_cp874.txt", "org_code"] == "6450511"
    expected = {
        "zero.pdf": ("UNREADABLE_FILE", "empty"),
        "truncated.pdf": ("UNREADABLE_FILE", "not a valid PDF"),
        "corrupt.pdf": ("UNREADABLE_FILE", "not a valid PDF"),
        "encrypted.pdf": ("UNREADABLE_FILE", "encrypted"),
        "notzip.docx": ("UNREADABLE_FILE", "not a DOCX file"),
        "bomb.docx": ("UNREADABLE_FILE", "zip bomb"),
        "laughs.docx": ("UNREADABLE_FILE", "DOCTYPE"),
        "shopping.txt": ("NOT_A_PLAN", "does not look like an action plan"),
    }
    for name, (code, words) in expected.items():
        assert plans.loc[name, "status"] == "failed", name
        assert plans.loc[name, "n_projects"] == "0", name
        assert errors.loc[[name], "code"].tolist()[0] == code, name
        assert words in errors.loc[[name], "message"].tolist()[0], (name, errors.loc[[name], "message"].tolist())
    # the extension lies: read as the PDF it is
    assert plans.loc["really_a_pdf.docx", "source_format"] == "pdf"
    assert plans.loc["really_a_pdf.docx", "status"] != "failed"
    assert plans.loc["really_a_pdf.docx", "n_pages"] == "2"
    # not a plan: no invented projects, NO_PROJECTS kept beside NOT_A_PLAN
    shop_id = plans.loc["shopping.txt", "plan_id"]
    assert not (_read(out, "projects")["plan_id"] == shop_id).any()
    assert {"NOT_A_PLAN", "NO_PROJECTS"} <= set(warnings.loc[warnings["plan_id"] == shop_id, "code"])
    assert len(_read(out, "projects")) == 2 + int(plans.loc["really_a_pdf.docx", "n_projects"])


def test_large_pdf_is_read_with_bounded_memory(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "long.pdf", pages=500)
    assert pdf.stat().st_size < 2 << 20
    job = Job(0, str(pdf), "long.pdf")
    [(_, outcome)] = list(run_local([job], process_file, ExecOptions(workers=1, timeout=None, max_memory_mb=1500)))
    assert outcome.kind == "ok", outcome
    assert outcome.result.plan["n_pages"] == 500
    assert outcome.peak_rss_mb is not None and outcome.peak_rss_mb < 1000, outcome.peak_rss_mb


# --------------------------------------------------------------------------- worker faults


def test_dying_hanging_and_greedy_workers_take_only_their_file(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    for name in ("segv.txt", "exit.txt", "memerr.txt", "hang.txt", "hog.txt", "noisy.txt"):
        (inp / name).write_text(f"{name}\n", encoding="utf-8")  # distinct contents: distinct plan_ids
    for i in range(3):
        (inp / f"good{i}.txt").write_text(plan_text(i), encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([inp], out, workers=2, timeout=2, max_memory_mb=500, process_fn=faulty_process,
                        expired=HangSignalled())
    assert (summary.files, summary.failed) == (9, 6)
    plans = _read(out, "plans").set_index("source_path")
    warnings = _read(out, "warnings")
    errors = warnings[warnings["severity"] == "error"].merge(
        plans.reset_index()[["plan_id", "source_path"]], on="plan_id").set_index("source_path")
    for i in range(3):
        assert plans.loc[f"good{i}.txt", "status"] == "ok"

    def err(name: str) -> tuple[str, str]:
        assert plans.loc[name, "status"] == "failed"
        row = errors.loc[name]
        return row["code"], row["message"]

    assert err("segv.txt")[0] == "WORKER_CRASHED" and "SIGSEGV" in err("segv.txt")[1]
    assert err("exit.txt")[0] == "WORKER_CRASHED" and "exit status 3" in err("exit.txt")[1]
    assert err("memerr.txt")[0] == "OUT_OF_MEMORY"
    assert err("hang.txt")[0] == "TIMEOUT" and "2 s" in err("hang.txt")[1]
    assert err("hog.txt")[0] == "OUT_OF_MEMORY" and "500 MB" in err("hog.txt")[1]
    assert err("noisy.txt")[0] == "UNREADABLE_FILE" and "ValueError: boom" in err("noisy.txt")[1]
    # transient failures are not cached: they are tried again on the next run
    shutil.rmtree(tmp_path / "signals")
    again = run_batch([inp], out, workers=2, timeout=2, max_memory_mb=500, process_fn=faulty_process,
                      expired=HangSignalled())
    assert (again.cached, again.parsed) == (3, 6)  # only good0-2 came from the cache


def test_no_traceback_or_worker_output_reaches_the_terminal(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "noisy.txt").write_text("noisy\n", encoding="utf-8")
    (inp / "segv.txt").write_text("segv\n", encoding="utf-8")
    reporter = Reporter(stream=io.StringIO())
    run_batch([inp], tmp_path / "out", workers=1, process_fn=faulty_process, reporter=reporter)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "worker noise" not in captured.err + captured.out
    # with --log-file, what workers print goes to the log
    log = tmp_path / "batch.log"
    run_batch([inp], tmp_path / "out2", workers=1, process_fn=faulty_process,
              reporter=Reporter(stream=io.StringIO(), log_file=log))
    captured = capfd.readouterr()
    assert "worker noise" not in captured.err + captured.out
    text = log.read_text(encoding="utf-8")
    assert "worker noise" in text
    assert re.search(r"^\S+ \[1/2\] FAILED noisy.txt: UNREADABLE_FILE", text, re.M)


# --------------------------------------------------------------------------- CLI output


def test_cli_quiet_and_log_file(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(plan_text(), encoding="utf-8")
    log = tmp_path / "run.log"
    res = runner.invoke(app, ["run", str(inp), "--out", str(tmp_path / "out"), "--quiet", "--log-file", str(log)])
    assert res.exit_code == 0
    assert res.output == ""
    assert "[1/1] ok good.txt (1 projects, " in log.read_text(encoding="utf-8")
    (inp / "bad.docx").write_bytes(b"nope")
    res = runner.invoke(app, ["run", str(inp), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        "[2/2] FAILED bad.docx: UNREADABLE_FILE: file is named .docx but its content is not a DOCX file"]
    res = runner.invoke(app, ["run", str(inp), "--out", str(tmp_path / "out")])
    assert "[2/2] ok good.txt (1 projects, cached)" in res.output
    assert "2 file(s) processed (2 from the cache), 1 failed" in res.output


def test_progress_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    rep = Reporter(stream=stream, tty=True)
    rep.start(2, 2, 1, "process")
    from prongsai.parse import PlanResult

    rep.file_done("a.pdf", file_report(PlanResult({"status": "ok", "n_pages": 7, "n_projects": 3})), cached=False,
                  seconds=1.0)
    rep.file_done("b.pdf", file_report(PlanResult({"status": "failed"}, warnings=[
        {"severity": "error", "code": "UNREADABLE_FILE", "message": "broken"}])), cached=False, seconds=1.0)
    rep.close()
    text = stream.getvalue()
    assert "2/2" in text and "7 pages" in text and "1 failed" in text
    assert "FAILED b.pdf: UNREADABLE_FILE: broken" in text


@pytest.mark.parametrize("args, message", [
    (["--workers", "0"], "--workers"),
    (["--timeout", "0"], "--timeout"),
    (["--executor", "process", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler"),
    (["--executor", "threads"], ""),
])
def test_cli_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "p.txt").write_text(plan_text(), encoding="utf-8")
    res = runner.invoke(app, ["run", str(tmp_path / "p.txt"), "--out", str(tmp_path / "out"), *args])
    assert res.exit_code == 2
    assert message in res.output
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- atomic output


def test_killed_run_leaves_previous_tables_and_no_workers(tmp_path: Path) -> None:
    inp, out, log = tmp_path / "in", tmp_path / "out", tmp_path / "run.log"
    inp.mkdir()
    for i in range(8):
        (inp / f"plan{i}.txt").write_text(plan_text(i), encoding="utf-8")
    assert tuple(run_batch([inp], out, workers=1)) == (8, 0)
    before = _files(out)
    for i in range(8):  # new content: every file must be read again
        (inp / f"plan{i}.txt").write_text(plan_text(i, budget="๙,๐๐๐"), encoding="utf-8")
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        "from pathlib import Path\n"
        "from prongsai.batch import Reporter\n"
        "from prongsai.runner import run_batch\n"
        "from test_batch import gated_process\n"
        f"run_batch([Path({str(inp)!r})], Path({str(out)!r}), workers=2, process_fn=gated_process,\n"
        f"          reporter=Reporter(quiet=True, log_file=Path({str(log)!r})))\n"
    )
    env = dict(os.environ, PYTHAINLP_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    # plan0 and plan1 are done ("[2/8]"), the other six block: the batch cannot finish first
    deadline = time.monotonic() + 300  # only a bound on a broken batch, never reached otherwise
    while time.monotonic() < deadline:
        if log.exists() and "[2/8]" in log.read_text(encoding="utf-8"):
            break
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("the batch did not start")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert _files(out) == before  # the previous tables, package and database, untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".prongsai-")]
    pids = {int(x) for x in (tmp_path / "pids").read_text().split()}
    deadline = time.monotonic() + 60  # a bound on the wait, not a race: they die at once
    while pids and time.monotonic() < deadline:  # workers die with their batch
        pids = {pid for pid in pids if _running(pid)}
        time.sleep(0.1)
    assert not pids, f"orphan workers {pids}"
    # the next run finishes and uses what the killed one cached
    summary = run_batch([inp], out, workers=2)
    assert (summary.files, summary.failed) == (8, 0)
    assert _read(out, "projects")["budget_thb"].tolist() == ["9000.0"] * 8


# --------------------------------------------------------------------------- cache


def test_cache_rereads_only_changed_files_and_gives_identical_tables(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    calls = tmp_path / "calls"
    for i in range(4):
        (inp / f"plan{i}.txt").write_text(plan_text(i), encoding="utf-8")
    (inp / "empty.pdf").write_bytes(b"")

    def parsed() -> list[str]:
        names = calls.read_text(encoding="utf-8").split() if calls.exists() else []
        calls.unlink(missing_ok=True)
        return sorted(names)

    s = run_batch([inp], out, workers=2, process_fn=counting_process)
    assert (s.parsed, s.cached, s.failed) == (5, 0, 1)
    assert len(parsed()) == 5
    first = _tables(out)
    assert (out / ".cache").is_dir()

    s = run_batch([inp], out, workers=2, process_fn=counting_process)
    assert (s.parsed, s.cached) == (0, 5) and parsed() == []
    assert _tables(out) == first  # byte-identical from the cache

    (inp / "plan2.txt").write_text(plan_text(2, budget="๑๒,๐๐๐"), encoding="utf-8")
    s = run_batch([inp], out, workers=2, process_fn=counting_process)
    assert (s.parsed, s.cached) == (1, 4) and parsed() == ["plan2.txt"]
    cached_tables = _tables(out)
    fresh = tmp_path / "fresh"
    s = run_batch([inp], fresh, workers=1, use_cache=False, process_fn=counting_process)
    assert s.parsed == 5 and len(parsed()) == 5
    assert _tables(fresh) == cached_tables  # cached + re-read == all read afresh

    # --no-cache reads everything (and refreshes the cache)
    res = runner.invoke(app, ["run", str(inp), "--out", str(tmp_path / "cli"), "--no-cache", "--cache-dir",
                              str(tmp_path / "cc")])
    assert "5 file(s) processed, 1 failed" in res.output
    res = runner.invoke(app, ["run", str(inp), "--out", str(tmp_path / "cli"), "--cache-dir", str(tmp_path / "cc")])
    assert "(5 from the cache)" in res.output
    assert not (tmp_path / "cli" / ".cache").exists()

    # a damaged entry is a miss
    entry = next((out / ".cache").rglob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    s = run_batch([inp], out, workers=1, process_fn=counting_process)
    assert (s.parsed, s.cached) == (1, 4) and len(parsed()) == 1

    # a pipeline change (code, data, libraries) invalidates every entry
    import prongsai.runner as runner_module

    monkeypatch.setattr(runner_module, "pipeline_fingerprint", lambda: "f" * 64)
    s = run_batch([inp], out, workers=2, process_fn=counting_process)
    assert (s.parsed, s.cached) == (5, 0) and len(parsed()) == 5
    # only the 4 most recently used pipeline versions are kept
    for i, c in enumerate("abcd"):
        time.sleep(0.01)
        monkeypatch.setattr(runner_module, "pipeline_fingerprint", lambda c=c: c * 64)
        s = run_batch([inp], out, workers=1, process_fn=counting_process)
        assert s.parsed == 5
        assert len(list((out / ".cache").iterdir())) == min(4, i + 3)
    parsed()
    s = run_batch([inp], out, workers=1, process_fn=counting_process)  # "d" again: all cached
    assert (s.parsed, s.cached) == (0, 5) and parsed() == []


def test_fingerprint_covers_package_files() -> None:
    from prongsai.cache import pipeline_fingerprint

    fp = pipeline_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", fp)
    assert pipeline_fingerprint() == fp


def test_worker_code_does_not_import_the_table_libraries() -> None:
    """The fork server preloads prongsai.warmup (the pipeline) for every worker: pandas
    (and numpy, pyarrow, duckdb, pandera) are only for building tables in the main process, and importing
    them in the fork server would cost every batch start-up time and every worker memory."""
    from prongsai.runner import PRELOAD

    assert PRELOAD == ("prongsai.warmup",)
    code = ("import sys, prongsai.warmup; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'pandera') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHAINLP_OFFLINE": "1"})
    assert out.stdout.strip() == "[]"


def test_workers_start_warm(tmp_path: Path) -> None:
    """The fork server imports the runner's PRELOAD and runs the warm-up once; every
    worker forked from it has the pipeline and the PDF backend loaded before its first file.
    (In a fresh process: the first batch of a process starts its fork server.)"""
    (tmp_path / "a.txt").write_text(plan_text(), encoding="utf-8")
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        "from prongsai.batch import ExecOptions, Job, run_local\n"
        "from prongsai.runner import PRELOAD\n"
        "from test_batch import warm_probe\n"
        "if __name__ == '__main__':\n"
        f"    [(_, out)] = run_local([Job(0, {str(tmp_path / 'a.txt')!r}, 'a.txt')], warm_probe,\n"
        "                           ExecOptions(workers=1, timeout=None, preload=PRELOAD))\n"
        "    print(out.kind, out.result)\n"
    )
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHAINLP_OFFLINE": "1"})
    assert res.stdout.strip() == (
        "ok ['prongsai.extract.pdf', 'prongsai.pipeline', 'pythainlp.tokenize', 'frozen>100k=True']"
    ), res.stderr


# --------------------------------------------------------------------------- determinism


def test_one_and_two_workers_give_byte_identical_tables(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    dev = TESTS.parent.parent / "shared" / "corpus" / "dev"
    for name in ("d1_sanklang.docx", "d4_nonphueng.docx", "d3_sisuk.pdf"):
        if (dev / name).exists() or in_ci():  # under CI a missing corpus file fails, never shrinks the test
            shutil.copy(shared_file(dev / name), inp / name)
    shutil.copy(FIXTURES / "two_page_table.pdf", inp / "table.pdf")
    for i in range(4):
        (inp / f"plan{i}.txt").write_text(plan_text(i), encoding="utf-8")
    (inp / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    one, two = tmp_path / "one", tmp_path / "two"
    assert runner.invoke(app, ["run", str(inp), "-o", str(one), "-j", "1", "--no-cache"]).exit_code == 1
    assert runner.invoke(app, ["run", str(inp), "-o", str(two), "-j", "2", "--no-cache"]).exit_code == 1
    a, b = _tables(one), _tables(two)
    assert len(a) == 14 and a == b


# --------------------------------------------------------------------------- dask


def test_dask_executor_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    inp = tmp_path / "in"
    inp.mkdir()
    for i in range(3):
        (inp / f"plan{i}.txt").write_text(plan_text(i), encoding="utf-8")
    (inp / "empty.pdf").write_bytes(b"")
    (inp / "notzip.docx").write_bytes(b"nope")
    local = tmp_path / "local"
    run_batch([inp], local, workers=2, use_cache=False)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster:
        res = runner.invoke(app, ["run", str(inp), "--out", str(tmp_path / "dask"), "--executor", "dask",
                                  "--scheduler", cluster.scheduler_address])
        assert res.exit_code == 1, res.output
        assert "5 file(s) processed, 2 failed" in res.output
        assert _tables(tmp_path / "dask") == _tables(local)

        faults = tmp_path / "faults"
        faults.mkdir()
        for name in ("exit.txt", "hang.txt"):
            (faults / name).write_text(f"{name}\n", encoding="utf-8")
        (faults / "good.txt").write_text(plan_text(), encoding="utf-8")
        s = run_batch([faults], tmp_path / "dask2", executor="dask", scheduler=cluster.scheduler_address,
                      timeout=1.5, process_fn=faulty_process, expired=HangSignalled())
    assert (s.files, s.failed) == (3, 2)
    plans = _read(tmp_path / "dask2", "plans").set_index("source_path")
    warnings = _read(tmp_path / "dask2", "warnings").set_index("plan_id")
    assert warnings.loc[plans.loc["exit.txt", "plan_id"], "code"] == "WORKER_CRASHED"
    assert warnings.loc[plans.loc["hang.txt", "plan_id"], "code"] == "TIMEOUT"
    assert "1.5 s" in warnings.loc[plans.loc["hang.txt", "plan_id"], "message"]
    assert plans.loc["good.txt", "status"] == "ok"


def test_freeze_long_lived_collects_garbage_first() -> None:
    """What is frozen is what is alive: a garbage cycle made before the freeze is collected."""
    code = (
        "import gc, weakref\n"
        "from prongsai.warmup import freeze_long_lived\n"
        "class Node: pass\n"
        "a, b = Node(), Node(); a.other, b.other = b, a\n"
        "ref = weakref.ref(a); del a, b\n"
        "freeze_long_lived()\n"
        "print(ref() is None, gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHAINLP_OFFLINE": "1"})
    assert out.stdout.split() == ["True", "True"]
