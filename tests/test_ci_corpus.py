"""Under CI=true a missing shared corpus fails the test run; elsewhere its tests skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SHARED_PARTS, missing_shared_parts

TESTS = Path(__file__).resolve().parent


def _pytest(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PYTHAINLP_OFFLINE="1", **env_extra)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only",
                           str(TESTS / "test_inputs.py")], capture_output=True, text=True, env=env, cwd=TESTS.parent)


def test_missing_parts_are_named(tmp_path: Path) -> None:
    assert missing_shared_parts(tmp_path) == list(SHARED_PARTS)
    for part in SHARED_PARTS:
        (tmp_path / part).mkdir(parents=True)
    assert missing_shared_parts(tmp_path) == []


def test_ci_fails_without_the_corpus(tmp_path: Path) -> None:
    res = _pytest({"CI": "true", "PRONGSAI_SHARED": str(tmp_path)})
    assert res.returncode == 1, res.stdout + res.stderr
    assert "CI=true but the shared corpus is incomplete" in res.stdout + res.stderr
    assert "corpus/gold" in res.stdout + res.stderr


def test_without_ci_a_missing_corpus_does_not_stop_the_run(tmp_path: Path) -> None:
    res = _pytest({"PRONGSAI_SHARED": str(tmp_path)})
    assert res.returncode == 0, res.stdout + res.stderr
    assert "incomplete" not in res.stdout + res.stderr


def test_a_missing_corpus_file_fails_under_ci_and_skips_elsewhere(tmp_path: Path, monkeypatch) -> None:
    import pytest
    from conftest import shared_file

    present = tmp_path / "there.pdf"
    present.write_bytes(b"%PDF")
    monkeypatch.setenv("CI", "true")
    assert shared_file(present) == present
    with pytest.raises(pytest.fail.Exception, match="CI=true but .*gone.pdf is missing"):
        shared_file(tmp_path / "gone.pdf")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        shared_file(tmp_path / "gone.pdf")


def test_missing_tesseract_fails_under_ci_and_skips_elsewhere(monkeypatch) -> None:
    import pytest
    from conftest import require_tesseract

    import prongsai.extract.ocr as ocr

    monkeypatch.setattr(ocr, "tesseract_available", lambda settings=None: False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but tesseract with Thai is not installed"):
        require_tesseract()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="tesseract with Thai is not installed"):
        require_tesseract()
    monkeypatch.setattr(ocr, "tesseract_available", lambda settings=None: True)
    monkeypatch.setenv("CI", "true")
    assert require_tesseract() is None
