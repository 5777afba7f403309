"""The package's shape (STYLE.md): no two modules import each other, no module past 300 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "feedback360"
MAX_LINES = 300

# create_app() (the package's __init__) imports every feature to wire it, so any module that
# imports from the package root closes a circle through it. Two do today; this list must only
# shrink.
IMPORTS_OF_THE_ROOT = {
    ("feedback360.database", "feedback360"),  # ROOT, to find migrations/
    ("feedback360.reports.bulk", "feedback360"),  # create_app, in each PDF worker process
}

# Modules that are two ideas and not yet split, by path inside feedback360/: the aggregation
# path (answers -> tally -> rules -> figures -> Report) is split next, as one move of its own.
# This list must only shrink: a module that grows past the limit is split, never added here.
NOT_YET_SPLIT: set[str] = set()

# Instrument files are read and checked without an app; only the registry lives in one.
INSTRUMENTS_WITH_FLASK = {"feedback360.instruments.registry"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every package module that `name` imports, at the top, in a function or for typing alike."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(package, node.level, node.module)
            for alias in node.names:
                # `from . import cli` names a module; `from .cli import group` names a value.
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in known else base


def resolve(package: str, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - level + 1])
    return f"{base}.{module}" if module else base


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {
        name: {target for target in imported(name, path, known) if target in known}
        for name, path in found.items()
    }


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1 or node in graph[node]:
                groups.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def describe(group: frozenset[str], graph: dict[str, set[str]]) -> str:
    edges = [f"{a} -> {b}" for a in sorted(group) for b in sorted(graph[a] & group)]
    return "; ".join(edges)


def test_no_import_circles():
    graph = import_graph()
    stale = sorted(edge for edge in IMPORTS_OF_THE_ROOT if edge[1] not in graph[edge[0]])
    for source, root in IMPORTS_OF_THE_ROOT:
        graph[source].discard(root)
    found = [describe(group, graph) for group in circles(graph)]
    assert not found, "modules that import each other: " + " | ".join(found)
    assert not stale, f"no longer imported, take them off IMPORTS_OF_THE_ROOT: {stale}"


def test_the_circle_check_sees_imports_inside_functions_and_from_packages():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    assert "feedback360.mail.cli" in import_graph()["feedback360.cli"]  # `from .mail.cli import`
    assert "feedback360.mail.smtp" in import_graph()["feedback360"]  # inside create_app()


def test_every_features_tables_are_known_to_alembic():
    """database.init_app imports each models.py, so the metadata and autogenerate see them all."""
    registered = import_graph()["feedback360.database"]
    tables = {name for name in modules() if name.endswith(".models")}
    assert tables <= registered, f"import these in database.init_app: {sorted(tables - registered)}"


def test_no_module_over_300_lines():
    lengths = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules().values()
    }
    too_long = {path: n for path, n in lengths.items() if n > MAX_LINES}
    assert sorted(set(too_long) - NOT_YET_SPLIT) == [], f"split these: {too_long}"
    now_short = sorted(path for path in NOT_YET_SPLIT if lengths.get(path, 0) <= MAX_LINES)
    assert now_short == [], f"within the limit now, take them off NOT_YET_SPLIT: {now_short}"


def test_instruments_are_read_without_flask():
    found = modules()
    pure = [name for name in found if name.startswith("feedback360.instruments")]
    for name in sorted(set(pure) - INSTRUMENTS_WITH_FLASK):
        tree = ast.parse(found[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not any(n.split(".")[0].startswith("flask") for n in names), name
