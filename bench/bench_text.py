"""Benchmark: the pipeline's PDF text path beside the bare library calls.

Run by hand (not in CI):

    .venv/bin/python bench/bench_text.py [PDF ...]

Default inputs: the born-digital PDFs of ../shared/corpus/dev. Reports pages/s for
bare pdfplumber ``extract_text``, bare pypdfium2 ``get_text_range``, prongsai's
``read_pdf`` (text lines + tables) and ``clean_document`` (Thai repair), and, when
tesseract is installed, seconds/page for bare ``tesseract`` on one rendered page of
the scanned dev plan beside prongsai's OCR path (text + tables) on all its pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from prongsai.extract import clean_document  # noqa: E402
from prongsai.extract.pdf import read_pdf  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = [SHARED / "corpus" / "dev" / n for n in ("d2_banphaeng.pdf", "d3_sisuk.pdf", "seed004.pdf", "d6_hintang.pdf")]


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bare_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def bare_pdfium(path: Path) -> None:
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
    finally:
        pdf.close()


def bare_tesseract(path: Path, dpi: int = 300) -> float | None:
    if not shutil.which("tesseract"):
        return None
    pdf = pdfium.PdfDocument(str(path))
    img = pdf[0].render(scale=dpi / 72).to_pil()
    pdf.close()
    with tempfile.TemporaryDirectory() as d:
        png = Path(d) / "p.png"
        img.save(png)
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        t = time.perf_counter()
        subprocess.run(["tesseract", str(png), "stdout", "-l", "tha+eng"], capture_output=True, env=env, check=False)
        return time.perf_counter() - t


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [p for p in DEFAULT if p.exists()]
    if not paths:
        print("no input PDFs", file=sys.stderr)
        return 2
    pages = 0
    for p in paths:
        pdf = pdfium.PdfDocument(str(p))
        pages += len(pdf)
        pdf.close()
    docs = [read_pdf(str(p)) for p in paths]
    rows = [
        ("bare pdfplumber extract_text", timed(lambda: [bare_pdfplumber(p) for p in paths])),
        ("bare pypdfium2 get_text_range", timed(lambda: [bare_pdfium(p) for p in paths])),
        ("prongsai read_pdf (text + tables)", timed(lambda: [read_pdf(str(p)) for p in paths])),
        ("prongsai clean_document (Thai repair)", timed(lambda: [clean_document(d) for d in docs])),
    ]
    print(f"{len(paths)} PDFs, {pages} pages")
    print(f"{'path':42s} {'seconds':>8s} {'pages/s':>9s}")
    for name, sec in rows:
        print(f"{name:42s} {sec:8.3f} {pages / sec:9.1f}")
    scan = SHARED / "corpus" / "dev" / "d5_huathanon.pdf"
    t = bare_tesseract(scan if scan.exists() else paths[0])
    if t is not None:
        print(f"{'bare tesseract tha+eng (1 page, 300 dpi)':42s} {t:8.3f} {'s/page':>9s}")
        if scan.exists():
            n = len(pdfium.PdfDocument(str(scan)))
            sec = timed(lambda: read_pdf(str(scan)), repeat=1)
            print(f"{'prongsai read_pdf, scanned (OCR, tables)':42s} {sec / n:8.3f} {'s/page':>9s}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
