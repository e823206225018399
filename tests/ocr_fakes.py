"""A fake Tesseract runner for the OCR tests (injected, never monkey-patched)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image

from prongsai.extract.ocr import Word
from prongsai.model import Block, Problem


@dataclass
class FakeOcrSettings:
    """The OCR settings an injected engine of ``read_pdf`` / ``ocr_pages`` is asked for."""

    dpi: int = 200
    max_page_pixels: int = 36_000_000
    languages: str = "tha+eng"


@dataclass
class FakeOcrPage:
    """What an injected engine's ``ocr_page`` reads from a page."""

    blocks: list[Block]
    mean_confidence: float
    n_words: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class FakeTesseract:
    """Reads every image as ``text`` (one word per character, confidence ``conf``),
    says ``turn`` for orientation, and records its calls."""

    text: str = "ก"
    conf: float = 90.0
    turn: int = 0
    turn_conf: float = 20.0
    installed: bool = True
    reads: list[tuple[int, int, int, str]] = field(default_factory=list)  # (n images, psm, dpi, languages)
    osd_sizes: list[tuple[int, int]] = field(default_factory=list)

    def available(self) -> bool:
        return self.installed

    def read(self, images: Sequence[Image.Image], psm: int, dpi: int, languages: str) -> list[list[Word]]:
        self.reads.append((len(images), psm, dpi, languages))
        return [[Word(ch, 10 * i, 0, 10, 10, self.conf, (1, 1, 1), space_before=False)
                 for i, ch in enumerate(self.text)] for _ in images]

    def orientation(self, image: Image.Image, dpi: int) -> tuple[int, float]:
        self.osd_sizes.append(image.size)
        return self.turn, self.turn_conf
