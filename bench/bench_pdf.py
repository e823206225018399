"""Benchmark: the PDF engine side by side with the bare libraries, in one run.

Run by hand (not in CI; the machine is shared, so every figure is the best of N runs
and the ratios are taken between figures of the same run):

    .venv/bin/python bench/bench_pdf.py [--repeat N] [--big-pages 500] [PDF ...]

Default inputs: the 84-page real budget volume
(``../shared/corpus/real/budget-bill-2565-vol31-full.pdf``) and the born-digital dev
PDFs. For every file it reports seconds for:

* bare pdfplumber ``page.extract_text()`` on every page;
* bare pypdfium2 ``get_text_range()`` on every page;
* prongsai ``read_pdf`` (text lines, tables, diagnosis, text flow, OCR of the pages that
  need it) and ``process_file`` (what ``prongsai run -j 1`` does per file: read, Thai
  repair, parse);

then, on a ``--big-pages``-page PDF built by concatenating the real volume (in a temporary
folder, with pypdfium2's ``import_pages``): the wall time of ``prongsai text FILE --pages N``
(a fresh process, start-up included), and the peak RSS of a process that reads 50 vs
``--big-pages`` pages (memory per worker): bare pdfplumber, bare pypdfium2, ``read_pdf``
and ``process_file`` each in a fresh process, and the worker of ``prongsai run -j 1``.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import pypdfium2 as pdfium  # noqa: E402
from bench_text import bare_pdfium, bare_pdfplumber, timed  # noqa: E402 - the same bare calls as the text bench

from prongsai.extract.diagnose import clear_caches  # noqa: E402
from prongsai.extract.pdf import read_pdf  # noqa: E402
from prongsai.pipeline import process_file  # noqa: E402
from prongsai.warmup import freeze_long_lived  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "corpus" / "real" / "budget-bill-2565-vol31-full.pdf"
DEV = [SHARED / "corpus" / "dev" / n for n in ("d2_banphaeng.pdf", "d3_sisuk.pdf", "seed004.pdf", "d6_hintang.pdf")]
BIN = Path(sys.executable).parent


def n_pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def concatenate(src: Path, pages: int, out: Path) -> None:
    """A ``pages``-page PDF made of ``src`` repeated (the bench's big file, never in the repo)."""
    source = pdfium.PdfDocument(str(src))
    big = pdfium.PdfDocument.new()
    try:
        n = len(source)
        while len(big) < pages:
            take = min(n, pages - len(big))
            big.import_pages(source, list(range(take)))
        big.save(str(out))
    finally:
        big.close()
        source.close()


# VmHWM of the process's own memory: ru_maxrss would keep the (large) peak of the bench
# process it was forked from, which Linux carries over the exec
_RSS = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
what, path = sys.argv[1], Path(sys.argv[2])
if what == "pdfplumber":
    from bench_text import bare_pdfplumber
    bare_pdfplumber(path)
elif what == "pypdfium2":
    from bench_text import bare_pdfium
    bare_pdfium(path)
elif what == "read_pdf":
    from prongsai.extract.pdf import read_pdf
    read_pdf(str(path))
else:
    from prongsai.pipeline import process_file
    process_file(path, path.name)
with open("/proc/self/status") as fh:
    print(next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")) // 1024)
"""
#: what the memory table measures, each in a fresh process
RSS_COLUMNS = ("pdfplumber", "pypdfium2", "read_pdf", "run -j1")


def interleaved(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """The best of ``repeat`` rounds of each function, the functions run in turn in every round;
    each starts after a full garbage collection, so none pays for the garbage of the one before."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            gc.collect()
            t = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - t)
    return best


def peak_rss_mb(what: str, path: Path) -> int:
    """Peak RSS (MB) of a fresh process that reads the whole PDF: ``what`` is one of
    :data:`RSS_COLUMNS` (bare pdfplumber ``extract_text``, bare pypdfium2 text, ``read_pdf``,
    ``process_file``)."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS, what, str(path), str(Path(__file__).parent)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def batch_worker_peak_mb(path: Path, out: Path) -> int:
    """Peak RSS (MB) of the worker process of ``prongsai run -j 1`` on a folder holding only
    ``path`` (sampled every 50 ms from outside; the worker's RSS counts the pages it shares
    with the fork server it comes from). Needs psutil (installed with the ``dask`` extra)."""
    import psutil

    folder = out / f"in-{path.stem}"
    folder.mkdir()
    (folder / path.name).symlink_to(path)
    cmd = [str(BIN / "prongsai"), "run", str(folder), "--out", str(out / f"out-{path.stem}"), "-q", "--no-cache", "-j", "1"]
    proc = subprocess.Popen(cmd)
    main, peaks = psutil.Process(proc.pid), {}
    while proc.poll() is None:
        try:
            for child in main.children(recursive=True):
                peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
        except psutil.Error:
            pass  # a process ended while it was read
        time.sleep(0.05)
    # the busiest of the children (the fork server holds less: it reads no file)
    return max(peaks.values(), default=0) // 2**20


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    ap.add_argument("--big-pages", type=int, default=500, help="pages of the concatenated PDF (default 500)")
    ap.add_argument("--skip-big", action="store_true", help="no --pages / memory measurement")
    args = ap.parse_args(argv)
    files = args.pdfs or [REAL, *DEV]
    missing = [p for p in files if not p.is_file()]
    if missing:
        print(f"missing input(s): {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    process_file(files[0], files[0].name)  # warm up: dictionaries, tokenizer, imports
    freeze_long_lived()  # as the batch workers' fork server does (prongsai.warmup)
    print(f"best of {args.repeat} interleaved rounds; seconds; ratio = prongsai / bare pdfplumber in the same run\n")
    head = f"{'file':34} {'pages':>5} {'pdfplumber':>10} {'pypdfium2':>9} {'read_pdf':>8} {'run -j1':>8} {'read/plb':>8} {'run/plb':>8}"
    print(head)
    print("-" * len(head))
    totals = [0.0, 0.0, 0.0, 0.0]
    dev_totals = [0.0, 0.0, 0.0, 0.0]
    for path in files:
        # interleaved (one of each per round, best of the rounds): a change in the machine's
        # load during the run touches every column alike
        t_plb, t_pdfium, t_read, t_run = interleaved(
            [
                lambda p=path: bare_pdfplumber(p),
                lambda p=path: bare_pdfium(p),
                # every run from cold: the diagnosis's per-line caches would remember the file's lines
                lambda p=path: (clear_caches(), read_pdf(str(p))),
                lambda p=path: (clear_caches(), process_file(p, p.name)),
            ],
            args.repeat,
        )
        row = [t_plb, t_pdfium, t_read, t_run]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        if path in DEV:
            dev_totals = [a + b for a, b in zip(dev_totals, row, strict=True)]
        print(
            f"{path.name[:34]:34} {n_pages(path):>5} {t_plb:>10.2f} {t_pdfium:>9.3f} {t_read:>8.2f} {t_run:>8.2f}"
            f" {t_read / t_plb:>8.3f} {t_run / t_plb:>8.3f}"
        )
    for name, t in (("dev PDFs together", dev_totals), ("all", totals)):
        if t[0]:
            print(f"{name:34} {'':>5} {t[0]:>10.2f} {t[1]:>9.3f} {t[2]:>8.2f} {t[3]:>8.2f} {t[2] / t[0]:>8.3f} {t[3] / t[0]:>8.3f}")
    if args.skip_big:
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as d:
        big, small = Path(d) / f"big{args.big_pages}.pdf", Path(d) / "small50.pdf"
        concatenate(REAL, args.big_pages, big)
        concatenate(REAL, 50, small)
        page = args.big_pages // 2
        cmd = [str(BIN / "prongsai"), "text", str(big), "--pages", str(page)]
        t_text = timed(lambda: subprocess.run(cmd, capture_output=True, check=True), args.repeat)
        t_read = timed(lambda: read_pdf(str(big), pages=[page]), args.repeat)
        t_start = timed(lambda: subprocess.run([str(BIN / "prongsai"), "version"], capture_output=True, check=True), args.repeat)
        print(
            f"\nprongsai text FILE --pages {page} on a {args.big_pages}-page PDF: {t_text:.2f} s (fresh process;"
            f" `prongsai version` alone {t_start:.2f} s; read_pdf(pages=[{page}]) in-process {t_read:.3f} s)"
        )
        print("\npeak RSS (MB) of a fresh process reading the whole file, and of the batch worker (memory per worker)")
        print(f"{'pages':>6} " + " ".join(f"{c:>10}" for c in RSS_COLUMNS) + f" {'worker':>10}")
        for n, path in ((50, small), (args.big_pages, big)):
            worker = batch_worker_peak_mb(path, Path(d))
            print(f"{n:>6} " + " ".join(f"{peak_rss_mb(c, path):>10}" for c in RSS_COLUMNS) + f" {worker:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
