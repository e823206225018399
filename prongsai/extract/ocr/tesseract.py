"""Running Tesseract: images in, words with boxes, confidences and spacing out.

:class:`TesseractCli` runs the ``tesseract`` program (one process per image list: the
language model loads once for all images of a call, ``OMP_THREAD_LIMIT=1``) and parses
its TSV and text output. The page reader takes any object with the same methods
(:class:`TesseractRunner`), so tests pass a fake instead of monkey-patching.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from prongsai.extract.ocr.settings import OcrSettings
from prongsai.model import ExtractError

MISSING_TESSERACT_MESSAGE = (
    "this file needs OCR but the Tesseract OCR program with Thai language data is not installed; "
    "install the Debian packages tesseract-ocr tesseract-ocr-tha (apt-get install tesseract-ocr tesseract-ocr-tha)"
)


class PageFailure(Exception):
    """One Tesseract call failed (timeout, crash): the page is returned empty."""


@dataclass
class Word:
    """One Tesseract word: text, box (pixels of the image OCR'd), confidence 0-100 and
    the (block, paragraph, line) it belongs to."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line_key: tuple[int, int, int]
    space_before: bool = True

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


class TesseractRunner(Protocol):
    """What the page reader needs from Tesseract."""

    def available(self) -> bool:
        """Can it run at all (the program is there)?"""
        ...

    def read(self, images: Sequence[Image.Image], psm: int, dpi: int, languages: str) -> list[list[Word]]:
        """For each image its words in reading order; raises :class:`PageFailure` or
        :class:`~prongsai.model.ExtractError` (language data missing)."""
        ...

    def orientation(self, image: Image.Image, dpi: int) -> tuple[int, float]:
        """(clockwise degrees that turn the page upright: 0/90/180/270, confidence)."""
        ...


def tesseract_available(settings: OcrSettings | None = None) -> bool:
    """Is the Tesseract program on PATH (Thai data is checked when it runs)?"""
    cmd = (settings or OcrSettings()).tesseract_cmd
    return shutil.which(cmd) is not None


class TesseractCli:
    """The ``tesseract`` program, as :class:`OcrSettings` says (command, time-out)."""

    def __init__(self, settings: OcrSettings) -> None:
        self.settings = settings

    def available(self) -> bool:
        return tesseract_available(self.settings)

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            return subprocess.run([self.settings.tesseract_cmd, *args], capture_output=True, timeout=timeout,
                                  env=env, check=False)
        except FileNotFoundError as e:
            raise ExtractError(MISSING_TESSERACT_MESSAGE) from e
        except subprocess.TimeoutExpired as e:
            raise PageFailure(f"OCR took longer than {timeout:g} s") from e
        except OSError as e:
            raise PageFailure(f"Tesseract could not be started ({e})") from e

    def read(self, images: Sequence[Image.Image], psm: int, dpi: int, languages: str) -> list[list[Word]]:
        """OCR several images in one Tesseract process; for each image its words (Thai:
        single characters) in Tesseract's order, each flagged with whether Tesseract's
        text output puts a space before it."""
        if not images:
            return []
        with tempfile.TemporaryDirectory(prefix="prongsai-ocr-") as tmp:
            names = []
            for i, im in enumerate(images):
                name = os.path.join(tmp, f"i{i:05d}.pgm")  # uncompressed: written and read ~5x faster than PNG
                im.save(name, format="PPM")
                names.append(name)
            listing = os.path.join(tmp, "images.txt")
            with open(listing, "w", encoding="utf-8") as fh:
                fh.write("\n".join(names) + "\n")
            base = os.path.join(tmp, "out")
            timeout = self.settings.timeout * max(1.0, len(images) / 20)
            proc = self._run([listing, base, "-l", languages, "--psm", str(psm), "--dpi", str(dpi), "tsv", "txt"],
                             timeout)
            err = proc.stderr.decode("utf-8", "replace")
            if proc.returncode != 0:
                if "Failed loading language" in err or "couldn't load any languages" in err:
                    raise ExtractError(
                        f"Tesseract has no language data for '{languages}'; "
                        "install the Debian packages tesseract-ocr-tha tesseract-ocr-eng"
                    )
                raise PageFailure(f"Tesseract failed (exit code {proc.returncode}: {_last_line(err)})")
            try:
                with open(base + ".tsv", encoding="utf-8", errors="replace") as fh:
                    tsv = fh.read()
                with open(base + ".txt", encoding="utf-8", errors="replace") as fh:
                    txt = fh.read()
            except OSError as e:
                raise PageFailure(f"Tesseract wrote no output ({e})") from e
        return split_pages(tsv, txt, len(images))

    def orientation(self, image: Image.Image, dpi: int) -> tuple[int, float]:
        """Tesseract's orientation and script detection (``--psm 0``, Debian package
        ``tesseract-ocr-osd``). A page OSD cannot judge (too little text, no OSD data)
        (or on which it fails) counts as upright with confidence 0."""
        with tempfile.TemporaryDirectory(prefix="prongsai-osd-") as tmp:
            name = os.path.join(tmp, "page.png")
            image.save(name, format="PNG", compress_level=1)
            try:
                proc = self._run([name, "stdout", "--psm", "0", "--dpi", str(dpi)], self.settings.timeout)
            except PageFailure:  # OSD hung or crashed: read the page as it lies
                return 0, 0.0
        if proc.returncode != 0:
            return 0, 0.0
        return parse_osd(proc.stdout.decode("utf-8", "replace"))


def _last_line(err: str) -> str:
    return next((ln for ln in reversed(err.strip().splitlines()) if ln.strip()), "no message").strip()


_OSD_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.M)
_OSD_CONF = re.compile(r"^Orientation confidence:\s*([0-9.]+)", re.M)


def parse_osd(out: str) -> tuple[int, float]:
    """(clockwise rotation that makes the page upright, confidence) from ``--psm 0`` output.

    >>> parse_osd("Page number: 0\\nOrientation in degrees: 270\\nRotate: 90\\nOrientation confidence: 44.61\\n")
    (90, 44.61)
    >>> parse_osd("Too few characters. Skipping this page")
    (0, 0.0)
    """
    rot, conf = _OSD_ROTATE.search(out), _OSD_CONF.search(out)
    if not rot:
        return 0, 0.0
    degrees = int(rot.group(1)) % 360
    return (degrees if degrees in (0, 90, 180, 270) else 0), float(conf.group(1)) if conf else 0.0


def split_pages(tsv: str, txt: str, n_images: int) -> list[list[Word]]:
    """The words of each image of one call, from its TSV and text output."""
    per_page: list[list[Word]] = [[] for _ in range(n_images)]
    for page, wd in parse_tsv(tsv):
        if 1 <= page <= n_images:
            per_page[page - 1].append(wd)
    texts = txt.split("\f")  # the text renderer puts a form feed between images
    for i, words in enumerate(per_page):
        mark_spaces(words, texts[i] if i < len(texts) else "")
    return per_page


def parse_tsv(tsv: str) -> list[tuple[int, Word]]:
    """(image number, word) for every word with text.

    >>> head = "level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext"
    >>> [(n, w.text, w.conf) for n, w in parse_tsv(head + "\\n5\\t2\\t1\\t1\\t1\\t1\\t3\\t4\\t10\\t12\\t91.5\\tก\\n")]
    [(2, 'ก', 91.5)]
    """
    words: list[tuple[int, Word]] = []
    for row in tsv.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            page, block, par, line = int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4])
            left, top, width, height = (int(p) for p in parts[6:10])
            conf = float(parts[10])
        except ValueError:
            continue
        words.append((page, Word(text, left, top, width, height, max(conf, 0.0), (block, par, line))))
    return words


def mark_spaces(words: list[Word], txt: str) -> None:
    """Copy Tesseract's spacing from its text output onto the TSV words.

    For Thai the TSV "words" are single characters and carry no spacing, while the
    text output has the real word spaces; both list the same characters in the same
    order, so walking them side by side tells which word follows a space.
    """
    pos = 0
    n = len(txt)
    for i, wd in enumerate(words):
        start = pos
        while pos < n and txt[pos].isspace():
            pos += 1
        if txt.startswith(wd.text, pos):
            wd.space_before = pos > start
            pos += len(wd.text)
            continue
        # out of step (should not happen): look a little ahead, else guess from the gap
        j = txt.find(wd.text, start, start + 200)
        if j >= 0:
            wd.space_before = any(ch.isspace() for ch in txt[start:j])
            pos = j + len(wd.text)
        else:
            pos = start
            prev = words[i - 1] if i else None
            wd.space_before = bool(prev and prev.line_key == wd.line_key
                                   and wd.left - (prev.left + prev.width) > 0.35 * max(wd.height, prev.height, 1))
