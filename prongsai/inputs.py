"""The input files of a batch: which files are read, under which ``source_path``,
and which were passed over (and why), so that nothing in an input folder is
dropped without a word.

A folder is searched recursively for the SPEC's formats (``.pdf .docx .txt .md``,
Word and OpenDocument files, RTF, Excel workbooks, page images ``.jpg .jpeg .png .tif
.tiff``: :data:`prongsai.extract.SUFFIXES`, any letter case). Passed over, and counted
in :attr:`Inputs.skipped`:

* files of other types (archives, presentations, ...);
* hidden files and Office lock files (``.name``, ``._name`` from macOS archives,
  ``~$name.docx``), which are never plans;
* links that point nowhere.

A file named on the command line is always read, whatever its name.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from prongsai.extract import SUFFIXES

#: reasons for passing a file over
OTHER_TYPE = "other type"
HIDDEN = "hidden or lock file"
BROKEN_LINK = "broken link"


def printable_name(name: str) -> str:
    """A file name as text that can be written to the tables (valid UTF-8).

    File systems hand Python names that are not UTF-8 as surrogate escapes; Thai
    names from Windows archives are TIS-620/cp874. Each path component that is not
    UTF-8 is decoded as cp874, or else shown with ``\\xNN`` escapes.

    >>> printable_name("แผน/plan.pdf")
    'แผน/plan.pdf'
    >>> printable_name(os.fsdecode("ทุจริต".encode("cp874") + b".txt"))
    'ทุจริต.txt'
    >>> printable_name(os.fsdecode(b"a\\xff\\xfe.txt"))
    'a\\\\xff\\\\xfe.txt'
    """
    parts = []
    for part in name.split("/"):
        try:
            part.encode("utf-8")
        except UnicodeEncodeError:
            raw = os.fsencode(part)
            try:
                part = raw.decode("cp874")
            except UnicodeDecodeError:
                part = raw.decode("utf-8", "backslashreplace")
        parts.append(part)
    return "/".join(parts)


@dataclass
class Inputs:
    """What :func:`find_inputs` found."""

    files: list[tuple[Path, str]] = field(default_factory=list)  # (file, source_path) in input order
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source_path, reason)

    def skipped_summary(self) -> str:
        """One line on what was passed over ('' when nothing was).

        >>> Inputs(skipped=[("a.zip", OTHER_TYPE), ("b.ZIP", OTHER_TYPE), ("c.pptx", OTHER_TYPE),
        ...                 ("~$d.docx", HIDDEN)]).skipped_summary()
        'not read: 3 file(s) of other types (.zip 2, .pptx 1), 1 hidden or lock file(s)'
        """
        if not self.skipped:
            return ""
        by_reason = Counter(reason for _, reason in self.skipped)
        parts = []
        if by_reason[OTHER_TYPE]:
            suffixes = Counter(Path(p).suffix.lower() or "(no suffix)" for p, r in self.skipped if r == OTHER_TYPE)
            listed = ", ".join(f"{s} {n}" for s, n in sorted(suffixes.items(), key=lambda kv: (-kv[1], kv[0])))
            parts.append(f"{by_reason[OTHER_TYPE]} file(s) of other types ({listed})")
        if by_reason[HIDDEN]:
            parts.append(f"{by_reason[HIDDEN]} hidden or lock file(s)")
        if by_reason[BROKEN_LINK]:
            parts.append(f"{by_reason[BROKEN_LINK]} broken link(s)")
        return "not read: " + ", ".join(parts)


def _reason(p: Path) -> str | None:
    """Why a file of a folder is passed over, or None when it is read."""
    if p.name.startswith((".", "~$")):
        return HIDDEN
    if p.is_symlink() and not p.exists():
        return BROKEN_LINK
    if p.suffix.lower() not in SUFFIXES:
        return OTHER_TYPE
    return None


def _walk(folder: Path) -> list[Path]:
    """Every entry of ``folder`` that is not a folder, recursively, in path order; hidden
    folders (``.git``, caches) are not entered: they hold no one's documents."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, f) for f in files)
    return sorted(found)


def find_inputs(inputs: list[Path]) -> Inputs:
    """The files to read in ``inputs`` (files and folders, folders searched recursively).

    ``source_path`` is the path relative to the INPUT folder, or the file path as
    given, made printable (:func:`printable_name`).
    """
    found = Inputs()
    for inp in inputs:
        if not inp.is_dir():
            found.files.append((inp, printable_name(inp.as_posix())))
            continue
        for p in _walk(inp):
            if not (p.is_file() or p.is_symlink()):
                continue  # sockets, devices
            rel = printable_name(p.relative_to(inp).as_posix())
            why = _reason(p)
            if why is None:
                found.files.append((p, rel))
            else:
                found.skipped.append((rel, why))
    return found
