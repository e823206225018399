"""Benchmark: ``prongsai run`` on a generated corpus of plan files.

Run by hand (not in CI; about 10 minutes on 2 cores):

    .venv/bin/python bench/bench_batch.py [--copies 30] [--corpus DIR] [--json results.json]

The corpus is made from the DOCX and born-digital PDF plans of
``../shared/corpus/dev`` (d1, d2, d3, d4, d6, seed002, seed004), ``--copies``
variants of each (default 30: 210 files) with small content changes so that every
file has its own hash: a DOCX variant gets one extra paragraph at the end of its
body; a PDF variant loses one page (odd variants) and gets a trailing comment.

Reported, each in a fresh output folder:

* bare pdfplumber ``page.extract_text()`` over the same PDFs, one process;
* ``prongsai run`` (a fresh process each time, as a user runs it) uncached with 1 and
  2 workers, and a cached re-run of each: documents/s, pages/s, the peak of the summed
  resident memory of the whole process tree (main process, fork server and workers)
  and its peak in each quarter of the run (flat = no growth across the batch), and how
  busy the workers were;
* two memory runs (uncached, 1 and 2 workers) that sample the tree's PSS (shared pages
  shared out between the processes); kept apart from the timed runs because reading
  PSS costs CPU (see :class:`TreeMemory`);
* the ratio of the pipeline's per-file time on the PDFs (1 worker) to bare pdfplumber;
* one 506-page PDF (seed004's 46 pages eleven times) read in a worker: seconds and
  the worker's peak memory, beside seed004 itself.

Needs psutil (installed with the ``dask`` extra) for the memory figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from prongsai.batch import ExecOptions, Job, run_local  # noqa: E402
from prongsai.pipeline import process_file  # noqa: E402
from prongsai.runner import PRELOAD  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
SOURCES = ["d1_sanklang.docx", "d2_banphaeng.pdf", "d3_sisuk.pdf", "d4_nonphueng.docx", "d6_hintang.pdf",
           "seed002.docx", "seed004.pdf"]


# --------------------------------------------------------------------------- corpus


def docx_variant(src: Path, dst: Path, k: int) -> None:
    """The DOCX with one more paragraph at the end of its body."""
    para = f"<w:p><w:r><w:t>สำเนาเอกสารชุดที่ {k}</w:t></w:r></w:p>"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                m = re.search(r"<w:sectPr[^>]*>(?:(?!<w:sectPr).)*</w:sectPr>\s*</w:body>", text, re.S)
                at = m.start() if m else text.rindex("</w:body>")
                data = (text[:at] + para + text[at:]).encode("utf-8")
            zout.writestr(info, data)


def pdf_variant(src: Path, dst: Path, k: int) -> None:
    """The PDF without one of its pages (odd k), with a comment appended after %%EOF."""
    if k % 2:
        pdf = pdfium.PdfDocument(str(src))
        n = len(pdf)
        pdf.del_page(1 + (k // 2) % (n - 1))
        buf = io.BytesIO()
        pdf.save(buf)
        pdf.close()
        data = buf.getvalue()
    else:
        data = src.read_bytes()
    dst.write_bytes(data + f"\n%prongsai-bench variant {k}\n".encode())


def make_corpus(folder: Path, copies: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for name in SOURCES:
        src = SHARED / "corpus" / "dev" / name
        stem, ext = name.rsplit(".", 1)
        for k in range(copies):
            dst = folder / f"{stem}_v{k:03d}.{ext}"
            (docx_variant if ext == "docx" else pdf_variant)(src, dst, k)
            out.append(dst)
    return out


def count_pages(paths: list[Path]) -> int:
    n = 0
    for p in paths:
        pdf = pdfium.PdfDocument(str(p))
        n += len(pdf)
        pdf.close()
    return n


# --------------------------------------------------------------------------- memory


class TreeMemory:
    """Samples the memory of a process and all its descendants every ``interval`` s.

    ``pss=False`` (the timed runs) reads only each process's resident size from
    ``/proc/PID/statm`` (about 20 µs a process) and refreshes the process list once a
    second, so that the sampler costs the run nothing measurable. ``pss=True`` (the
    memory runs) also reads the proportional set size, which makes the kernel walk every
    page table of every process (about 5 ms of CPU per process and sample): on a 2-core
    machine that steals about a tenth of the CPU from two busy workers, so PSS is
    measured in runs of its own, not in the timed ones.
    """

    def __init__(self, pid: int, interval: float = 0.1, *, pss: bool = False) -> None:
        import psutil

        self.psutil = psutil
        self.pid = pid
        self.interval = interval
        self.pss = pss
        self.samples: list[tuple[float, int, int]] = []  # (t, total PSS or RSS, total RSS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def _rss(self, p: Any) -> int:
        try:
            with open(f"/proc/{p.pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * self._page
        except (OSError, ValueError, IndexError):
            try:
                return int(p.memory_info().rss)
            except self.psutil.Error:
                return 0

    def _run(self) -> None:
        try:
            root = self.psutil.Process(self.pid)
        except self.psutil.Error:
            return
        t0 = time.monotonic()
        procs: list[Any] = [root]
        listed = -1.0
        while not self._stop.is_set():
            now = time.monotonic() - t0
            if self.pss or now - listed >= 1.0:
                try:
                    procs = [root, *root.children(recursive=True)]
                except self.psutil.Error:
                    procs = [root]
                listed = now
            pss, rss = 0, 0
            for p in procs:
                r = self._rss(p)
                rss += r
                if self.pss:
                    try:
                        m = p.memory_full_info()  # PSS: shared pages shared out between the processes
                    except self.psutil.Error:
                        continue
                    pss += getattr(m, "pss", m.rss)
                else:
                    pss += r
            if pss:
                self.samples.append((now, pss, rss))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> float:
        """Peak proportional set size (PSS) of the process tree (RSS sum when ``pss=False``)."""
        return max((s[1] for s in self.samples), default=0) / 2**20

    def peak_rss_mb(self) -> float:
        """Peak sum of resident sizes (memory shared by the fork server's children counted in each)."""
        return max((s[2] for s in self.samples), default=0) / 2**20

    def quarters_mb(self) -> list[float]:
        """Peak PSS (RSS sum when ``pss=False``) of the process tree in each quarter of the run."""
        if not self.samples:
            return []
        end = self.samples[-1][0] or 1.0
        q: list[int] = [0, 0, 0, 0]
        for t, total, _ in self.samples:
            i = min(3, int(4 * t / end))
            q[i] = max(q[i], total)
        return [round(x / 2**20) for x in q]


_LINE = re.compile(r"\[\s*\d+/\d+\] (\S+) (\S+) \((\d+) projects(?:, (\d+) pages)?, (cached|([\d.]+) s)\)$")


def parse_log(log: Path) -> list[dict[str, Any]]:
    """The per-file lines of a ``--log-file``."""
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines():
        m = _LINE.search(line)
        if m:
            rows.append({"status": m[1], "file": m[2], "pages": int(m[4] or 0), "cached": m[5] == "cached",
                         "seconds": float(m[6] or 0)})
        elif " FAILED " in line:
            rows.append({"status": "failed", "file": line.split(" FAILED ", 1)[1].split(":", 1)[0], "pages": 0,
                         "cached": False, "seconds": 0.0})
    return rows


# --------------------------------------------------------------------------- runs


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def cpu_control(n: int = 20_000_000) -> float:
    """Speed-up of 2 processes over 1 on a pure-Python CPU loop: what the machine gives
    (2 vCPUs shared with other jobs may give less than 2)."""
    import multiprocessing

    t = time.perf_counter()
    _spin(n)
    _spin(n)
    serial = time.perf_counter() - t
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # started
        t = time.perf_counter()
        pool.map(_spin, [n, n])
        parallel = time.perf_counter() - t
    return round(serial / parallel, 2)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def bare_pdfplumber(paths: list[Path]) -> float:
    t = time.perf_counter()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
    return time.perf_counter() - t


def prongsai_command() -> list[str]:
    script = Path(sys.executable).parent / "prongsai"
    return [str(script)] if script.exists() else [sys.executable, "-m", "prongsai.cli"]


def pipeline_run(corpus: Path, out: Path, workers: int, use_cache: bool, *, pss: bool = False) -> dict[str, Any]:
    """``prongsai run`` in a fresh process, as a user runs it (start-up included).
    ``pss``: measure the tree's PSS (a memory run; its time is not comparable)."""
    log = out.parent / f"{out.name}-{workers}-{'cache' if use_cache else 'nocache'}.log"
    log.unlink(missing_ok=True)
    cmd = [*prongsai_command(), "run", str(corpus), "--out", str(out), "--workers", str(workers), "--quiet",
           "--log-file", str(log), *([] if use_cache else ["--no-cache"])]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid, pss=pss) as mem:
        _, err = proc.communicate()
        wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"prongsai run failed ({proc.returncode}): {err}")
    rows = parse_log(log)
    busy = sum(r["seconds"] for r in rows)
    pages = sum(r["pages"] for r in rows)
    n = len(rows)
    return {"workers": workers, "cached": sum(r["cached"] for r in rows), "files": n,
            "failed": sum(r["status"] == "failed" for r in rows), "pages": pages, "seconds": round(wall, 2),
            "worker_busy_seconds": round(busy, 1), "utilisation": round(busy / (workers * wall), 2),
            "docs_per_s": round(n / wall, 2), "pages_per_s": round(pages / wall, 1),
            "memory": "PSS" if pss else "RSS sum", "peak_mb": round(mem.peak_mb()),
            "peak_rss_sum_mb": round(mem.peak_rss_mb()), "quarter_peaks_mb": mem.quarters_mb(),
            "file_seconds": {r["file"]: r["seconds"] for r in rows}}


def big_pdf(tmp: Path) -> dict[str, Any]:
    """seed004 repeated to 506 pages, read by one worker; beside seed004 itself."""
    src = SHARED / "corpus" / "dev" / "seed004.pdf"
    big = pdfium.PdfDocument.new()
    one = pdfium.PdfDocument(str(src))
    for _ in range(11):
        big.import_pages(one)
    path = tmp / "seed004_x11.pdf"
    big.save(str(path))
    n = len(big)
    big.close()
    one.close()
    res: dict[str, Any] = {}
    for label, p, pages in (("seed004 (46 pages)", src, 46), (f"seed004 x11 ({n} pages)", path, n)):
        t = time.perf_counter()
        [(_, o)] = list(run_local([Job(0, str(p), p.name)], process_file, ExecOptions(workers=1, timeout=3600,
                                                                                      preload=PRELOAD)))
        res[label] = {"seconds": round(time.perf_counter() - t, 1), "status": o.kind,
                      "projects": o.result.plan.get("n_projects") if o.result else None,
                      "worker_peak_mb": round(o.peak_rss_mb or 0), "pages": pages}
    return res


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=30, help="variants of each source file (default 30: 210 files)")
    ap.add_argument("--corpus", type=Path, help="keep the generated corpus in this folder")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--skip-big", action="store_true", help="skip the 506-page PDF")
    ap.add_argument("--repeat", type=int, default=1, help="run each configuration N times, keep the fastest")
    args = ap.parse_args(argv)
    if not (SHARED / "corpus" / "dev").is_dir():
        print("../shared/corpus/dev not found", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="prongsai-bench-"))
    try:
        corpus = args.corpus or tmp / "corpus"
        if corpus.is_dir() and any(corpus.iterdir()):
            files = sorted(p for p in corpus.iterdir() if p.suffix in (".pdf", ".docx"))
        else:
            files = make_corpus(corpus, args.copies)
        pdfs = [p for p in files if p.suffix == ".pdf"]
        pdf_pages = count_pages(pdfs)
        print(f"corpus: {len(files)} files ({len(pdfs)} PDF, {pdf_pages} PDF pages; "
              f"{len(files) - len(pdfs)} DOCX) in {corpus}", flush=True)
        results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                                   "files": len(files), "pdfs": len(pdfs), "pdf_pages": pdf_pages}

        results["cpu_control_speedup_before"] = cpu_control()
        results["loadavg_before"] = loadavg()
        print(f"machine: 2-process speed-up of a CPU loop {results['cpu_control_speedup_before']}, "
              f"load average {results['loadavg_before']}", flush=True)
        runs = []
        for workers in (1, 2):
            out = tmp / f"out{workers}"
            for use_cache in (False, True):
                r = min((pipeline_run(corpus, out, workers, use_cache) for _ in range(max(1, args.repeat))),
                        key=lambda x: x["seconds"])
                runs.append(r)
                print(f"pipeline workers={workers} {'cached' if r['cached'] else 'uncached'}: {r['seconds']} s, "
                      f"{r['docs_per_s']} docs/s, {r['pages_per_s']} pages/s, peak RSS sum {r['peak_mb']} MB, "
                      f"quarters {r['quarter_peaks_mb']} MB, failed {r['failed']}, "
                      f"worker busy {r['worker_busy_seconds']} s (utilisation {r['utilisation']})", flush=True)
        # memory runs: PSS of the process tree, uncached (their times are not the benchmark's)
        results["memory_runs"] = []
        for workers in (1, 2):
            r = pipeline_run(corpus, tmp / f"mem{workers}", workers, False, pss=True)
            results["memory_runs"].append({k: r[k] for k in ("workers", "peak_mb", "peak_rss_sum_mb",
                                                             "quarter_peaks_mb", "seconds")})
            print(f"memory run workers={workers}: peak PSS {r['peak_mb']} MB (RSS sum {r['peak_rss_sum_mb']} MB), "
                  f"PSS by quarter {r['quarter_peaks_mb']} MB ({r['seconds']} s with PSS sampling)", flush=True)
        # last, so that pdfplumber's memory in this process does not count in the runs above
        bare = bare_pdfplumber(pdfs)
        results["bare_pdfplumber"] = {"seconds": round(bare, 2), "pages_per_s": round(pdf_pages / bare, 1)}
        print(f"bare pdfplumber extract_text: {bare:.1f} s, {pdf_pages / bare:.1f} pages/s", flush=True)
        one_uncached, one_cached, two_uncached, two_cached = runs
        pdf_names = {p.name for p in pdfs}
        pipeline_pdf = sum(s for n, s in one_uncached["file_seconds"].items() if n in pdf_names)
        results["pipeline"] = [{k: v for k, v in r.items() if k != "file_seconds"} for r in runs]
        results["ratios"] = {
            "pipeline_pdf_seconds_1_worker": round(pipeline_pdf, 2),
            "pipeline_vs_bare_pdfplumber": round(pipeline_pdf / bare, 2),
            "speedup_2_vs_1_workers": round(one_uncached["seconds"] / two_uncached["seconds"], 2),
            "cached_speedup_1_worker": round(one_uncached["seconds"] / one_cached["seconds"], 1),
            "cached_speedup_2_workers": round(two_uncached["seconds"] / two_cached["seconds"], 1),
        }
        same = all((tmp / "out1" / f.name).read_bytes() == f.read_bytes()
                   for f in (tmp / "out2").iterdir() if f.is_file())
        results["tables_identical_1_vs_2_workers"] = same
        for k, v in results["ratios"].items():
            print(f"{k}: {v}")
        print(f"tables identical with 1 and 2 workers: {same}", flush=True)
        results["cpu_control_speedup_after"] = cpu_control()
        results["loadavg_after"] = loadavg()
        print(f"machine: 2-process speed-up of a CPU loop {results['cpu_control_speedup_after']}, "
              f"load average {results['loadavg_after']}", flush=True)
        if not args.skip_big:
            results["big_pdf"] = big_pdf(tmp)
            for k, v in results["big_pdf"].items():
                print(f"{k}: {v}", flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
