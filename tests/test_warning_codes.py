"""Warning codes and check codes are written as :class:`WarningCode` / :class:`CheckCode` members,
never as string literals, so that a misspelt code fails here (and in mypy) instead of becoming a
row that fails validation."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import pytest

from prongsai.diagnostics import CheckCode, CheckStatus, WarningCode
from prongsai.model import ExtractError, Problem

PACKAGE = Path(__file__).resolve().parent.parent / "prongsai"
#: being rewritten on another branch; its literals are converted there
EXEMPT: tuple[str, ...] = ()
#: calls whose argument at this position (or keyword ``code``) is a warning code
CODE_ARG = {"Problem": 0, "of": 0, "_failed": 1, "failed_result": 2, "ExtractError": None, "decide": None}


def _sources() -> list[tuple[str, ast.Module]]:
    out = []
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE).as_posix()
        if not rel.startswith(EXEMPT):
            out.append((rel, ast.parse(p.read_text(encoding="utf-8"), rel)))
    return out


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def literal_codes(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, literal) of every string literal passed as a warning code in ``tree``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in CODE_ARG:
            continue
        pos = CODE_ARG[_name(node.func) or ""]
        args = [node.args[pos]] if pos is not None and len(node.args) > pos else []
        args += [k.value for k in node.keywords if k.arg == "code"]
        for a in args:
            if isinstance(a, ast.Constant) and isinstance(a.value, str):
                found.append((node.lineno, a.value))
    return found


def test_the_scan_finds_literal_codes() -> None:
    tree = ast.parse('Problem("TOTAL_MISMATCH", "warning", "m")\nProblem.of(WarningCode.OCR_USED, "m")\n'
                     '_failed(base, "UNREADABLE_FILE", "m")\nraise ExtractError("m", code="CONVERSION_FAILED")\n'
                     'failed_result(p, s, "TIMEOUT", "m")\nd.decide("f", r, c, 1.0, ps, code="INFERRED_VALUE")')
    assert [c for _, c in literal_codes(tree)] == [
        "TOTAL_MISMATCH", "UNREADABLE_FILE", "CONVERSION_FAILED", "TIMEOUT", "INFERRED_VALUE"]


def test_no_string_literal_codes_outside_extract_pdf() -> None:
    bad = [f"{rel}:{line}: {code!r}" for rel, tree in _sources() for line, code in literal_codes(tree)]
    assert not bad, "write WarningCode.<NAME> instead of a string:\n" + "\n".join(bad)


#: the module that declares the codes (their values are written there once)
DECLARATIONS = ("diagnostics.py",)
CODE_VALUES = {c.value for c in WarningCode} | {c.value for c in CheckCode}


def code_literals(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, literal) of every string constant in ``tree`` that spells a warning or check
    code, wherever it stands (``check = "COPIED_PLAN"``, a dict key, a comparison)."""
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in CODE_VALUES]


def test_the_scan_finds_check_code_literals() -> None:
    tree = ast.parse('check = "COPIED_PLAN"\nPLAN = {"TOTAL_MISMATCH": f}\nif c == "OTHER_ORG_NAMED": pass\n'
                     'x = CheckCode.COPIED_PLAN\ny = "COPIED"')
    assert code_literals(tree) == [(1, "COPIED_PLAN"), (2, "TOTAL_MISMATCH"), (3, "OTHER_ORG_NAMED")]


def test_no_code_spelt_as_a_string_outside_its_declaration() -> None:
    """Check codes too (``prongsai/checks/`` builds its results with CheckCode members)."""
    bad = [f"{rel}:{line}: {code!r}" for rel, tree in _sources() if rel not in DECLARATIONS
           for line, code in code_literals(tree)]
    assert not bad, "write WarningCode.<NAME> / CheckCode.<NAME> instead of a string:\n" + "\n".join(bad)


def test_a_check_result_keeps_plain_values_and_refuses_unknown_codes() -> None:
    from prongsai.checks.model import Result

    r = Result(CheckCode.COPIED_PLAN, CheckStatus.passed)
    assert (r.check, r.status) == ("COPIED_PLAN", "pass") and type(r.check) is str and type(r.status) is str
    with pytest.raises(ValueError):
        Result("COPIED_PLANS", CheckStatus.fail)


def test_every_check_code_member_used_exists() -> None:
    bad = [f"{rel}:{node.lineno}: CheckCode.{node.attr}" for rel, tree in _sources() for node in ast.walk(tree)
           if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "CheckCode"
           and not node.attr.startswith("_") and node.attr not in CheckCode.__members__]
    assert not bad, "no such check code:\n" + "\n".join(bad)


def test_every_warning_code_member_used_exists() -> None:
    bad = []
    for rel, tree in _sources():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "WarningCode" and not node.attr.startswith("_")
                    and node.attr not in WarningCode.__members__):
                bad.append(f"{rel}:{node.lineno}: WarningCode.{node.attr}")
    assert not bad, "no such warning code:\n" + "\n".join(bad)


def test_problem_of_takes_the_default_severity() -> None:
    assert Problem.of(WarningCode.TOTAL_MISMATCH, "m").severity == "warning"
    assert Problem.of(WarningCode.OCR_USED, "m").severity == "info"
    assert Problem.of(WarningCode.UNREADABLE_FILE, "m").severity == "error"
    p = Problem.of(WarningCode.TOTAL_MISMATCH, "m")
    assert p.code == "TOTAL_MISMATCH" and type(p.code) is str  # rows and pickles carry the plain value


@pytest.mark.parametrize("code", list(WarningCode))
def test_a_member_is_written_and_sent_as_its_plain_value(code: WarningCode) -> None:
    assert str(code) == code.value and type(str(code)) is str
    assert json.dumps({"code": code}) == json.dumps({"code": code.value})
    assert pickle.loads(pickle.dumps(code)) is code
    err = pickle.loads(pickle.dumps(ExtractError("m", code=code)))
    assert err.code == code.value
