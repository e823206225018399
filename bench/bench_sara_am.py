"""Benchmark: lost SARA AM in ``prongsai text`` output, and the cost of the dictionary repairs.

Run by hand (not in CI; a minute or two):

    .venv/bin/python bench/bench_sara_am.py [--pages 150]

1. Reduction: the real plan texts of ``../shared/corpus/seeds`` are written into a PDF
   (fpdf2, a Thai TTF font) whose text layer has ``า`` for every ``ำ``, as a font that lost
   SARA AM writes it; ``prongsai text`` reads it back. Counted against the true text
   (whitespace removed, aligned letter by letter): the SARA AM still written as ``า`` in
   the raw text layer (``prongsai text --raw``) and in the repaired output (one per lost
   word, but for the rare word with two), and the ``า`` wrongly made ``ำ``.
2. Speed: the document-level repair (:func:`prongsai.normalize.words.plan_word_repair` and
   applying it) on ``--pages`` pages' worth of those texts (40 lines a page), in one process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
sys.path.insert(0, str(REPO / "tests" / "fixtures" / "thai_layer"))


def true_lines() -> list[str]:
    from prongsai.normalize.clean import clean_text

    out: list[str] = []
    for f in sorted(SEEDS.glob("*.txt")):
        for line in clean_text(f.read_text(encoding="utf-8")).split("\n"):
            line = " ".join(line.replace("<p>", " ").replace("</p>", " ").split())
            if line and any("\u0e01" <= c <= "\u0e4e" for c in line):
                out.append(line)
    return out


def write_pdf(lines: list[str], path: Path) -> list[str]:
    """The lines in a PDF with ำ written as า; returns the lines as placed (wrapped)."""
    from fpdf import FPDF
    from make_thai_layer_fixtures import find_font, lost_am

    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("thai", "", str(find_font()))
    pdf.set_font("thai", size=11)
    placed: list[str] = []
    width = pdf.w - 80
    y = 1e9
    for line in lines:
        words = line.split(" ")
        cur = ""
        pieces = []
        for w in words:  # wrap at spaces; a single over-long word is cut by characters
            cand = f"{cur} {w}".strip()
            if pdf.get_string_width(lost_am(cand)) <= width:
                cur = cand
                continue
            if cur:
                pieces.append(cur)
            cur = w
            while pdf.get_string_width(lost_am(cur)) > width:
                k = len(cur) - 1
                while k > 1 and (pdf.get_string_width(lost_am(cur[:k])) > width or "\u0e31" <= cur[k] <= "\u0e4e"):
                    k -= 1  # never cut before a combining mark
                pieces.append(cur[:k])
                cur = cur[k:]
        if cur:
            pieces.append(cur)
        for p in pieces:
            if y > pdf.h - 60:
                pdf.add_page()
                y = 50
            pdf.text(40, y, lost_am(p))
            placed.append(p)
            y += 16
    pdf.output(str(path))
    return placed


def reduction(tmp: Path) -> None:
    truth = write_pdf(true_lines(), tmp / "lost_am.pdf")
    prongsai = str(Path(sys.executable).parent / "prongsai")
    raw = subprocess.run([prongsai, "text", "--raw", str(tmp / "lost_am.pdf")], capture_output=True, text=True,
                         check=True).stdout
    out = subprocess.run([prongsai, "text", str(tmp / "lost_am.pdf")], capture_output=True, text=True,
                         check=True).stdout
    truth_sq = "".join("\n".join(truth).split())
    counts = {}
    for name, text in (("raw text layer", raw), ("prongsai text", out)):
        sq = "".join(text.split())
        if len(sq) != len(truth_sq):
            print(f"note: {name} has {len(sq)} letters, the truth {len(truth_sq)}; aligned with difflib")
        lost = wrong = 0
        import difflib

        sm = difflib.SequenceMatcher(None, truth_sq, sq, autojunk=False)
        for tag, a0, a1, b0, b1 in sm.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and a1 - a0 == b1 - b0:
                for ta, tb in zip(truth_sq[a0:a1], sq[b0:b1], strict=True):
                    lost += ta == "ำ" and tb == "า"
                    wrong += ta == "า" and tb == "ำ"
        counts[name] = (lost, wrong)
    n_am = truth_sq.count("ำ")
    (lost_raw, _), (lost_out, wrong) = counts["raw text layer"], counts["prongsai text"]
    print(f"SARA AM in the true text: {n_am} (PDF of {len(truth)} lines)")
    print(f"lost SARA AM: raw text layer {lost_raw}, prongsai text {lost_out} "
          f"-> down by {100 * (1 - lost_out / max(lost_raw, 1)):.1f} %; wrongly added: {wrong}")


def speed(pages: int) -> None:
    from prongsai.normalize.lexicon import lost_am
    from prongsai.normalize.words import plan_word_repair

    lines = [lost_am(ln) for ln in true_lines()]
    need = pages * 40
    texts = (lines * (need // len(lines) + 1))[:need]
    texts = [f"{t} {i}" for i, t in enumerate(texts)]  # every line its own text (no cache hit per line)
    t0, c0 = time.perf_counter(), time.process_time()
    plan = plan_word_repair(texts)
    out = [plan.apply(t) for t in texts]
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print(f"{pages} pages ({need} lines, {sum(map(len, texts)):,} characters): {dt:.2f} s wall, {dc:.2f} s CPU "
          f"(word lists loaded in that time); {plan.sara_am_repaired} words restored, {len(out)} lines")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=150)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        reduction(Path(d))
    speed(args.pages)


if __name__ == "__main__":
    main()
