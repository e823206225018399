"""Per-file result cache: a re-run skips the files whose content and pipeline are unchanged.

An entry is the :class:`~prongsai.parse.PlanResult` of one file as JSON, keyed by

* the SHA-256 of the file's bytes and its ``source_path`` (which is part of the
  plans row), and
* the **pipeline fingerprint** (:func:`pipeline_fingerprint`): the package version,
  the bytes of every source and data file of the ``prongsai`` package, the versions
  of the libraries that read documents and the tesseract and LibreOffice programs. Any code, data or
  library change therefore invalidates the whole cache.

Entries live in ``<cache dir>/<fingerprint[:16]>/<key[:2]>/<key>.json`` and are
written atomically (temporary file + ``os.replace``), so a killed run never leaves
a half-written entry; an unreadable entry is a miss. Failures that depend on the
run rather than on the file (time-outs, crashed workers, memory limits, a converter
that is not installed or hung) are never cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from prongsai import __version__
from prongsai.diagnostics import TRANSIENT_CODES

#: bump when the entry layout changes
CACHE_FORMAT = 1

#: distributions whose version can change what is read from a document
_LIBRARIES = (
    "pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "lxml", "pythainlp", "rapidfuzz",
    "numpy", "pillow", "pyyaml", "geothai", "openpyxl",
)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes (read in 1 MB chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """Hex SHA-256 naming this exact pipeline (see the module docstring)."""
    h = hashlib.sha256(f"prongsai {__version__} cache-format {CACHE_FORMAT}\n".encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*")):
        rel = p.relative_to(pkg)
        if not p.is_file() or "__pycache__" in rel.parts or p.suffix in (".pyc", ".pyo") or p.name.startswith("."):
            continue
        h.update(f"file {rel.as_posix()} {p.stat().st_size}\n".encode())
        h.update(p.read_bytes())
    for name in _LIBRARIES:
        try:
            v = metadata.version(name)
        except metadata.PackageNotFoundError:
            v = "absent"
        h.update(f"lib {name} {v}\n".encode())
    tess = shutil.which("tesseract")
    if tess:
        st = os.stat(tess)
        h.update(f"tesseract {tess} {st.st_size} {st.st_mtime_ns}\n".encode())
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:  # LibreOffice converts .doc/.xls...: another version may convert differently
        st = os.stat(soffice)
        h.update(f"soffice {soffice} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _is_transient(result: Any) -> bool:
    return any(w.get("code") in TRANSIENT_CODES for w in result.warnings)


class ResultCache:
    """The per-file cache of one pipeline fingerprint under ``root``.

    ``read=False`` never returns a hit (``--no-cache``) but still refreshes entries.
    """

    def __init__(self, root: Path, fingerprint: str | None = None, *, read: bool = True, write: bool = True) -> None:
        self.root = Path(root)
        self.fingerprint = fingerprint or pipeline_fingerprint()
        self.dir = self.root / self.fingerprint[:16]
        self.read = read
        self.write = write

    @staticmethod
    def key(content_sha256: str, source_path: str) -> str:
        return hashlib.sha256(f"{content_sha256}\0{source_path}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, content_sha256: str, source_path: str) -> Any | None:
        """The cached PlanResult, or None (miss, unreadable entry, or reading disabled)."""
        if not self.read:
            return None
        from prongsai.parse import PlanResult

        try:
            with self._path(self.key(content_sha256, source_path)).open("rb") as fh:
                entry = json.loads(fh.read())
            if (entry.get("format"), entry.get("sha256"), entry.get("source_path")) != (
                CACHE_FORMAT, content_sha256, source_path):
                return None
            r = entry["result"]
            return PlanResult(r["plan"], r["projects"], r["budgets"], r["warnings"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # AttributeError: JSON not an object
            return None

    def put(self, content_sha256: str, source_path: str, result: Any) -> bool:
        """Store a result atomically; returns False when it was not stored (transient
        failure, writing disabled, unserialisable value, or a file-system error)."""
        if not self.write or _is_transient(result):
            return False
        entry = {"format": CACHE_FORMAT, "sha256": content_sha256, "source_path": source_path,
                 "result": {"plan": result.plan, "projects": result.projects, "budgets": result.budgets,
                            "warnings": result.warnings}}
        try:
            data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        except (TypeError, ValueError):
            return False
        path = self._path(self.key(content_sha256, source_path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return False
        return True

    def prune(self, keep: int = 4) -> None:
        """Mark this fingerprint's entries as used now and remove all but the ``keep`` most
        recently used fingerprints (old code versions; a run with and one without
        ``--overrides`` have different fingerprints and both stay)."""
        try:
            if self.dir.is_dir():
                os.utime(self.dir)
            siblings = [d for d in self.root.iterdir()
                        if d.is_dir() and len(d.name) == 16 and all(c in "0123456789abcdef" for c in d.name)]
            siblings.sort(key=lambda d: d.stat().st_mtime, reverse=True)
        except OSError:
            return
        for d in [d for d in siblings if d != self.dir][max(0, keep - 1):]:
            shutil.rmtree(d, ignore_errors=True)
