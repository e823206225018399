"""Golden test: the pipeline on the corpus, scored by the project's own scorer.

Runs ``prongsai run`` on the seeds and the DOCX / born-digital PDF plans of
``../shared/corpus/dev`` and asserts the issue's thresholds with
``../shared/eval/score.py``.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from prongsai.pipeline import run_batch

# dev files that are DOCX or born-digital PDF (the scanned and legacy-encoded PDFs
# are measured separately)
DEV_FILES = ["d1_sanklang.docx", "d2_banphaeng.pdf", "d3_sisuk.pdf", "d4_nonphueng.docx", "seed002.docx", "seed004.pdf"]


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def _corpus_file(shared: Path, name: str) -> Path:
    return shared / "corpus" / ("seeds" if name.endswith(".txt") else "dev") / name


def _run_and_score(shared: Path, tmp: Path, names: list[str]) -> dict:
    """Run the pipeline on the named corpus files and score them against their gold."""
    inp, gold, out = tmp / "in", tmp / "gold", tmp / "out"
    inp.mkdir()
    gold.mkdir()
    for name in names:
        shutil.copy(_corpus_file(shared, name), inp / name)
        shutil.copy(shared / "corpus" / "gold" / f"{name}.gold.json", gold / f"{name}.gold.json")
    n, failed = run_batch([inp], out)
    assert (n, failed) == (len(names), 0)
    assert_valid_package(out)
    return _scorer(shared).score(gold, out)


def assert_valid_package(out: Path) -> None:
    """``frictionless validate OUT/datapackage.json`` passes (types, codes, keys)."""
    import frictionless

    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]


@pytest.fixture(scope="module")
def golden_dir(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the run on the seeds and DEV_FILES (its output is golden_dir / "out")."""
    return tmp_path_factory.mktemp("golden")


@pytest.fixture(scope="module")
def scored(shared: Path, golden_dir: Path) -> dict:
    names = [p.name for p in sorted((shared / "corpus" / "seeds").glob("*.txt"))] + DEV_FILES
    return _run_and_score(shared, golden_dir, names)


def test_the_corpus_run_is_a_valid_data_package_and_database(scored: dict, golden_dir: Path) -> None:
    """The corpus run (its package validated by frictionless in _run_and_score): the two copies
    of seed 002 and of seed 004 (text and DOCX/PDF: different files, same organisation and
    period) are linked as same_period; the views cover every project and plan."""
    import duckdb

    out = golden_dir / "out"
    con = duckdb.connect(str(out / "prongsai.duckdb"), read_only=True)
    try:
        links = con.execute("SELECT a.source_path, b.source_path, link FROM plan_links "
                            "JOIN plans a ON a.plan_id = plan_id_from JOIN plans b ON b.plan_id = plan_id_to "
                            "ORDER BY 1").fetchall()
        assert ("002_48a6fdefb7483585.txt", "seed002.docx", "same_period") in links
        assert ("004_09ee67815ca408b6.txt", "seed004.pdf", "same_period") in links
        n_projects = con.execute("SELECT count(*) FROM projects").fetchone()[0]
        assert con.execute("SELECT count(*) FROM projects_2566").fetchone()[0] == n_projects > 200
        assert con.execute("SELECT count(*) FROM plan_summary").fetchone()[0] == len(scored["documents"])
    finally:
        con.close()


def test_overall_thresholds(scored: dict) -> None:
    o = scored["overall"]
    assert o["project_f1"] >= 0.97, o
    assert o["field_acc"] >= 0.92, o
    assert o["plan_acc"] >= 0.85, o


@pytest.mark.parametrize("name", ["000_6874384ac95607f1.txt", "001_599ad29879e9a44a.txt", "002_48a6fdefb7483585.txt",
                                  "004_09ee67815ca408b6.txt", *DEV_FILES])
def test_every_document_finds_its_projects(scored: dict, name: str) -> None:
    doc = next(d for d in scored["documents"] if d["file"] == name)
    assert doc["found"]
    assert doc["matched"] >= 0.9 * doc["gold_projects"], doc["misses"][:5]
    assert doc["got_projects"] <= doc["gold_projects"] + 1, doc


# -- the scanned (OCR) and legacy-encoded (PUA glyph) PDFs ------------------------------

HARD_FILES = ["d5_huathanon.pdf", "d6_hintang.pdf"]


@pytest.fixture(scope="module")
def scored_hard(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    from prongsai.extract.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("tesseract with Thai is not installed (make setup installs it)")
    return _run_and_score(shared, tmp_path_factory.mktemp("golden_hard"), HARD_FILES)


def test_scanned_and_legacy_pdfs_thresholds(scored_hard: dict) -> None:
    o = scored_hard["overall"]
    assert o["project_f1"] >= 0.90, o
    assert o["field_acc"] >= 0.85, o
    for d in scored_hard["documents"]:
        assert d["matched"] >= 0.9 * d["gold_projects"], (d["file"], d["misses"][:5])
