"""Shared test set-up: the ``../shared`` corpus.

Tests that need the shared corpus (real and synthetic plans, gold, the scorer) skip
when it is absent on a developer's machine, but under ``CI=true`` a missing corpus
fails the run at once: CI must never pass by skipping (``.ci/run`` checks the repo out
with ``../shared`` beside it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
#: the shared material; PRONGSAI_SHARED points elsewhere (the tests of this check use it)
SHARED = Path(os.environ.get("PRONGSAI_SHARED") or REPO.parent / "shared")
#: what the tests read from it
SHARED_PARTS = ("corpus/seeds", "corpus/dev", "corpus/gold", "corpus/real", "eval/score.py")


def in_ci() -> bool:
    """CI=true (or 1, yes), as CI services set it."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_shared_parts(shared: Path = SHARED) -> list[str]:
    """The parts of the shared material the tests need that are not there."""
    return [part for part in SHARED_PARTS if not (shared / part).exists()]


def pytest_sessionstart(session: pytest.Session) -> None:
    missing = missing_shared_parts()
    if in_ci() and missing:
        pytest.exit(f"CI=true but the shared corpus is incomplete: {', '.join(missing)} missing under {SHARED}; "
                    "check ../shared out beside the repository (tests that need it must run in CI, not skip)",
                    returncode=1)


def shared_file(path: Path) -> Path:
    """A file of the shared material one test needs: missing, it skips the test, but under
    ``CI=true`` it fails it (the session check above sees folders, not single files)."""
    if not path.exists():
        if in_ci():
            pytest.fail(f"CI=true but {path} is missing (check ../shared out beside the repository)")
        pytest.skip(f"{path} not available")
    return path


def process_gone(pid: int) -> bool:
    """The process has ended (or is a zombie nobody reaped yet), waiting up to 10 s for it
    (Linux /proc)."""
    import time

    for _ in range(100):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


def require_tesseract() -> None:
    """Tesseract with Thai for a test that runs it: missing, it skips the test, but under
    ``CI=true`` it fails it (``make system-deps`` installs it; CI must not pass by skipping)."""
    from prongsai.extract.ocr import tesseract_available

    if not tesseract_available():
        if in_ci():
            pytest.fail("CI=true but tesseract with Thai is not installed (make system-deps installs it)")
        pytest.skip("tesseract with Thai is not installed (make setup installs it)")


@pytest.fixture
def tesseract() -> None:
    """A test that runs Tesseract (see :func:`require_tesseract`): ``@needs_tesseract``."""
    require_tesseract()


#: mark a test that runs Tesseract: it skips without it, and fails under CI=true
needs_tesseract = pytest.mark.usefixtures("tesseract")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        if in_ci():
            pytest.fail(f"CI=true but the shared corpus {SHARED / 'corpus'} is missing")
        pytest.skip("../shared corpus not available")
    return SHARED
