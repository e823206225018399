"""parse/ and the money and label normalisers take their Thai character classes from
prongsai/normalize/thai_chars.py instead of writing ranges such as ``[ก-๙]`` of their own."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "prongsai"
MODULES = [*sorted((PACKAGE / "parse").glob("*.py")), PACKAGE / "normalize" / "money.py",
           PACKAGE / "normalize" / "labels.py"]
#: a character range whose end is a Thai character, written out or as a \u0e.. escape
THAI_RANGE = re.compile(r"[\u0e00-\u0e7f]-[\u0e00-\u0e7f]|\\u0e[0-9a-fA-F]{2}-\\u0e[0-9a-fA-F]{2}")


def own_ranges(text: str) -> list[str]:
    return [m.group(0) for line in text.splitlines() if not line.lstrip().startswith(">>>")
            for m in THAI_RANGE.finditer(line)]


def test_the_scan_finds_ranges() -> None:
    assert own_ranges('x = re.compile(r"[ก-๙]+")\ny = "[\\u0e48-\\u0e4c]"\n>>> f("ก-ข")') == [
        "ก-๙", "\\u0e48-\\u0e4c"]


def test_no_thai_ranges_outside_thai_chars() -> None:
    bad = [f"{p.relative_to(PACKAGE)}: {r}" for p in MODULES for r in own_ranges(p.read_text(encoding="utf-8"))]
    assert not bad, "use the classes of prongsai/normalize/thai_chars.py:\n" + "\n".join(bad)
