"""Benchmark: prongsai's OCR page reader beside bare ``tesseract -l tha+eng``, side by side.

Run by hand (not in CI):

    .venv/bin/python bench/bench_ocr.py [PDF ...] [--repeat N] [--profile FILE]

Default input: the scanned dev plan ../shared/corpus/dev/d5_huathanon.pdf (12 pages).
Every page is rendered once at 200 dpi (what prongsai reads) and, in turn, page by page
(so both see the same machine load):

* bare ``tesseract PAGE stdout -l tha+eng`` on that same image (page-level reading, no
  tables: the floor any OCR of the page pays), and on the page at 300 dpi;
* prongsai ``ocr_page`` (turn check, deskew, ruling-line tables, line-by-line reading
  with the size vote, ticks).

Reports wall-clock seconds per page and CPU seconds per page (this process and its
children: the machine is shared, CPU time moves less with the load), best of
``--repeat`` runs per page, and prongsai's ratio to bare tesseract. ``--profile FILE``
writes a cProfile of the prongsai runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import pypdfium2 as pdfium  # noqa: E402

from prongsai.extract.ocr import OcrSettings, ocr_page, render_pdf_page  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = [SHARED / "corpus" / "dev" / "d5_huathanon.pdf"]


def clock(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its children) of one call."""
    t0, c0 = time.perf_counter(), os.times()
    fn()
    t1, c1 = time.perf_counter(), os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user) + (
        c1.children_system - c0.children_system)
    return t1 - t0, cpu


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = [clock(fn) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def bare_tesseract(png: str) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run(["tesseract", png, "stdout", "-l", "tha+eng"], capture_output=True, env=env, check=False)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--profile", type=Path)
    args = ap.parse_args(argv)
    if not shutil.which("tesseract"):
        print("tesseract is not installed", file=sys.stderr)
        return 2
    paths = args.pdfs or [p for p in DEFAULT if p.exists()]
    if not paths:
        print("no input PDFs", file=sys.stderr)
        return 2
    settings = OcrSettings()
    prof = cProfile.Profile() if args.profile else None
    totals = {"bare tesseract tha+eng, 200 dpi page": [0.0, 0.0], "bare tesseract tha+eng, 300 dpi page": [0.0, 0.0],
              "prongsai ocr_page (tables, ticks), 200 dpi": [0.0, 0.0]}
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            pdf = pdfium.PdfDocument(str(path))
            count = len(pdf)
            pdf.close()
            for i in range(count):
                image = render_pdf_page(str(path), i, settings.dpi, settings.max_page_pixels)
                png200, png300 = os.path.join(tmp, f"p{i}-200.png"), os.path.join(tmp, f"p{i}-300.png")
                image.save(png200)
                render_pdf_page(str(path), i, 300).save(png300)
                page_no = i + 1

                def ours(im: object = image, k: int = page_no) -> None:
                    if prof:
                        prof.enable()
                    ocr_page(im, k, settings)  # type: ignore[arg-type]
                    if prof:
                        prof.disable()

                runs = (partial(bare_tesseract, png200), partial(bare_tesseract, png300), ours)
                for name, fn in zip(totals, runs, strict=True):
                    wall, cpu = best(fn, args.repeat)
                    totals[name][0] += wall
                    totals[name][1] += cpu
                n += 1
    print(f"{len(paths)} PDF(s), {n} pages, best of {args.repeat} per page")
    print(f"{'path':46s} {'wall s/page':>12s} {'CPU s/page':>11s}")
    for name, (wall, cpu) in totals.items():
        print(f"{name:46s} {wall / n:12.3f} {cpu / n:11.3f}")
    bare_wall, bare_cpu = totals["bare tesseract tha+eng, 200 dpi page"]
    ours_wall, ours_cpu = totals["prongsai ocr_page (tables, ticks), 200 dpi"]
    print(f"prongsai / bare tesseract (same 200 dpi page): wall {ours_wall / bare_wall:.2f}x, "
          f"CPU {ours_cpu / bare_cpu:.2f}x")
    if prof and args.profile:
        prof.dump_stats(str(args.profile))
        print(f"profile written to {args.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
