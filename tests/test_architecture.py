"""The shape of the house: no import cycles among prongsai's modules, and the batch
executor knows nothing of plans.

The import graph is read from the source with ``ast``: every ``import`` counts, also
those inside functions and under ``if TYPE_CHECKING:`` (a lazy import hides a cycle,
it does not remove it).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "prongsai"


def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (packages by their __init__)."""
    mods = {}
    for f in sorted(package.rglob("*.py")):
        parts = list(f.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = f
    return mods


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that module ``name`` (in ``path``) imports, anywhere in it.
    ``from a.b import c`` is module ``a.b.c`` when that is a module, else ``a.b``."""
    root = name.split(".")[0]
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, one level up per extra dot
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for a in node.names:
                sub = f"{module}.{a.name}"
                found.add(sub if sub in known else module)
    return {m for m in found if m.split(".")[0] == root and m in known and m != name}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    mods = module_files(package)
    return {name: imported_modules(name, path, set(mods)) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_cycles_and_only_cycles(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .c import thing\n")
    (pkg / "a.py").write_text("from pkg.b import x\n")
    (pkg / "b.py").write_text("def f():\n    from pkg import a  # lazy: still a cycle\n")
    (pkg / "sub" / "c.py").write_text("from ..d import y\n")
    (pkg / "d.py").write_text("import os\nfrom pkg.sub import c\n")
    (pkg / "e.py").write_text("from pkg import d\nfrom pkg.sub import thing\n")
    graph = import_graph(pkg)
    assert graph["pkg.sub"] == {"pkg.sub.c"} and graph["pkg.sub.c"] == {"pkg.d"}
    assert cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.d", "pkg.sub.c"]]


def test_no_import_cycles_among_prongsai_modules() -> None:
    graph = import_graph()
    assert {"prongsai.cli", "prongsai.runner", "prongsai.pipeline", "prongsai.batch.worker"} <= set(graph)
    assert cycles(graph) == []


DOMAIN_FREE = "prongsai.batch"


def test_batch_imports_nothing_from_the_domain() -> None:
    """prongsai.batch runs a callable on paths: it may import only itself (and the standard
    library and third-party packages), in its source ..."""
    graph = import_graph()
    batch = {m for m in graph if m == DOMAIN_FREE or m.startswith(DOMAIN_FREE + ".")}
    assert len(batch) >= 5
    leaks = {m: sorted(t for t in graph[m] if t not in batch) for m in batch}
    assert {m: t for m, t in leaks.items() if t} == {}


def test_importing_batch_loads_no_domain_module() -> None:
    """... and at run time (an import by name, e.g. importlib, would show here)."""
    code = ("import sys, prongsai.batch, prongsai.batch.dask, prongsai.batch.progress; "
            "print(sorted(m for m in sys.modules if m.startswith('prongsai') "
            "and m != 'prongsai' and not m.startswith('prongsai.batch')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHAINLP_OFFLINE": "1"})
    assert out.stdout.strip() == "[]"


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for t in graph[todo.pop()] - seen:
            seen.add(t)
            todo.append(t)
    return seen


@pytest.mark.parametrize("module, above", [
    ("prongsai.pipeline", {"prongsai.runner", "prongsai.cli"}),
    ("prongsai.runner", {"prongsai.cli"}),
    ("prongsai.batch", {"prongsai.runner", "prongsai.cli", "prongsai.pipeline"}),
])
def test_the_layers_import_downwards_only(module: str, above: set[str]) -> None:
    """cli -> runner -> pipeline (one file) and batch (any callable): nothing a layer
    imports, directly or not, is a layer above it."""
    graph = import_graph()
    assert reachable(graph, module) & above == set()
