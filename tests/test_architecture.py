"""The package's shape, checked on its source: imports only point down the layers, and there are no cycles.

Layers, lowest first (ARCHITECTURE.md): the ground floor (``genelit.errors``, ``genelit.config``,
``genelit.files``) < ``genelit.models`` < ``genelit.extractors`` < ``genelit.outputs`` < ``genelit.flows``.
Every import counts, also one inside a function (an import moved into a function to dodge a cycle
is still a cycle); imports under ``if TYPE_CHECKING:`` are for annotations only and are left out.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# source folder -> the package name it installs as (pyproject's package-dir)
FOLDERS = {"genelit": "genelit", "models": "genelit.models", "extractors": "genelit.extractors",
           "outputs": "genelit.outputs", "flows": "genelit.flows"}
LAYERS = ["genelit", "genelit.models", "genelit.extractors", "genelit.outputs", "genelit.flows"]
MAX_MODULE_LINES = 600  # "no module over ~600 lines unless it is data"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            if folder == "models" and "migrations" in path.parts:
                continue  # Alembic scripts run inside Alembic, not imported by the package
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _layer(module: str) -> int:
    best = 0
    for rank, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            best = rank
    return best


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The genelit modules ``module`` imports (resolved to the longest known module name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
            names.add(node.module)
    resolved: set[str] = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module and not module.startswith(name + "."):
            resolved.add(name)
    return resolved


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, set(modules)) for m, p in modules.items()}


def test_no_import_climbs_to_a_higher_layer(graph: dict[str, set[str]]) -> None:
    climbs = sorted(f"{m} imports {t}" for m, targets in graph.items() for t in targets if _layer(t) > _layer(m))
    assert climbs == []


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    # a package's __init__ importing its own submodules is how packages expose names, not a cycle
    edges = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert [" -> ".join(c) for c in cycles] == []


def test_modules_stay_small() -> None:
    too_big = sorted(
        f"{m} ({n} lines)" for m, p in _modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    )
    assert too_big == []


def test_the_checker_sees_a_climb(tmp_path: Path) -> None:
    """The graph is real: a lower module importing a higher one is found (guards the checker itself)."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from genelit.flows.steps import fetch_step\n")
    assert _imports("genelit.models.probe", source, set(_modules())) == {"genelit.flows.steps"}


def test_every_package_folder_is_installed() -> None:
    """`pip install .` ships exactly the packages of the source tree, all under the one name `genelit`."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {m for m, p in _modules().items() if p.name == "__init__.py"}
    on_disk |= {"genelit.models.migrations"}  # Alembic's scripts ship as a package beside the models
    assert listed == on_disk
    assert all(name == "genelit" or name.startswith("genelit.") for name in listed)
    assert set(config["package-dir"]) == {"genelit", *(p for p in FOLDERS.values() if p != "genelit")}
