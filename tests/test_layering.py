"""The import graph of ``scanner/``: no cycle between modules, and no import against the layering written in
CONTRIBUTING.md (the table between ``<!-- layers:begin -->`` and ``<!-- layers:end -->`` is the one source
of truth: this test reads it).

Every ``import`` / ``from ... import`` in a module counts, at module level, inside functions and under
``if TYPE_CHECKING:``; relative imports are resolved; ``from pkg import name`` is an edge to the submodule
``pkg.name`` when that is a module, else to ``pkg`` (its ``__init__`` runs).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "scanner"

#: Edges allowed for now, each with the reason. Remove an entry once the edge is gone (a test checks that
#: every entry still exists, so the list cannot rot).
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {
}


def module_files() -> dict[str, tuple[Path, bool]]:
    """``{dotted module name: (path, is_package)}`` of every module under ``scanner/``."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_pkg)
    return out


def _resolve(name: str, modules: dict) -> str | None:
    """The innermost known module that ``name`` (a dotted module path) lives in."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, dict[str, int]]:
    """``{module: {imported scanner module: first line}}``."""
    modules = module_files()
    graph: dict[str, dict[str, int]] = {}
    for mod, (path, is_pkg) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = mod if is_pkg else mod.rpartition(".")[0]
        edges: dict[str, int] = {}
        for node in ast.walk(tree):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [_resolve(a.name, modules) for a in node.names if a.name.split(".")[0] == "scanner"]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    full = ".".join(base + ([node.module] if node.module else []))
                else:
                    full = node.module or ""
                if full.split(".")[0] != "scanner":
                    continue
                for alias in node.names:
                    sub = f"{full}.{alias.name}"
                    targets.append(sub if sub in modules else _resolve(full, modules))
            for target in targets:
                if target and target != mod:
                    edges.setdefault(target, node.lineno)
        graph[mod] = edges
    return graph


def find_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle path (``[a, b, ..., a]``) per strongly connected component of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    counter = 0

    def visit(root: str) -> None:  # iterative Tarjan (no recursion limit on a big graph)
        nonlocal counter
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = set()
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.add(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        components.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_path(graph, comp) for comp in components]


def _cycle_path(graph: dict[str, dict[str, int]], comp: set[str]) -> list[str]:
    """A shortest cycle through the first module of ``comp`` (breadth-first inside the component)."""
    start = min(comp)
    parent: dict[str, str] = {}
    queue = [start]
    for v in queue:
        for w in sorted(graph[v]):
            if w not in comp:
                continue
            if w == start:
                chain = [v]
                while chain[-1] != start:
                    chain.append(parent[chain[-1]])
                return [*reversed(chain), start]
            if w not in parent:
                parent[w] = v
                queue.append(w)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a component always has one


def _pretty(graph: dict[str, dict[str, int]], path: list[str]) -> str:
    return " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(path, path[1:], strict=False)) + f" -> {path[-1]}"


def layers() -> list[tuple[str, list[str]]]:
    """``[(layer name, [module patterns])]`` bottom first, from the table in CONTRIBUTING.md."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers:begin -->(.*?)<!-- layers:end -->", text, re.S)
    assert block, "CONTRIBUTING.md has no <!-- layers:begin --> ... <!-- layers:end --> table"
    out = []
    for line in block.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0][:1].isdigit():
            continue
        out.append((cells[0], re.findall(r"`([\w.*]+)`", cells[1])))
    return out


def layer_of(module: str, table: list[tuple[str, list[str]]]) -> int | None:
    """The index of the layer whose most specific pattern matches ``module`` (``scanner.match`` matches
    the package and everything under it; ``scanner`` alone matches only the package's ``__init__``)."""
    best, best_len = None, -1
    for i, (_, patterns) in enumerate(table):
        for p in patterns:
            if (module == p or (p != "scanner" and module.startswith(p + "."))) and len(p) > best_len:
                best, best_len = i, len(p)
    return best


def without_exceptions(graph: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {a: {b: ln for b, ln in es.items() if (a, b) not in KNOWN_EXCEPTIONS} for a, es in graph.items()}


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, int]]:
    return import_graph()


def test_the_graph_sees_imports_of_every_kind(graph):
    # module level, relative: pipeline -> scoring; function level: pipeline -> report; absolute: cli -> errors
    assert "scanner.scoring" in graph["scanner.pipeline"]
    assert "scanner.report" in graph["scanner.pipeline"]
    assert "scanner.errors" in graph["scanner.cli"]


def test_cycle_finder_reports_the_path():
    g = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    assert find_cycles(g) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycle(graph):
    cycles = find_cycles(without_exceptions(graph))
    assert not cycles, "import cycles inside scanner/ (break them, see CONTRIBUTING.md 'Layering'):\n" + "\n".join(
        _pretty(graph, c) for c in cycles)


def test_every_module_has_a_layer(graph):
    table = layers()
    assert len(table) >= 5, table
    missing = sorted(m for m in graph if layer_of(m, table) is None)
    assert not missing, f"modules without a layer: add them to the layering table of CONTRIBUTING.md: {missing}"


def test_no_import_against_the_layering(graph):
    table = layers()
    wrong = []
    for a, edges in sorted(without_exceptions(graph).items()):
        la = layer_of(a, table)
        for b, line in sorted(edges.items()):
            lb = layer_of(b, table)
            if la is not None and lb is not None and lb > la:
                wrong.append(f"{a} (layer {table[la][0]}) imports {b} (layer {table[lb][0]}) at line {line}")
    assert not wrong, "imports against the layering of CONTRIBUTING.md:\n" + "\n".join(wrong)


def test_layering_rules_named_in_the_brief_hold():
    table = layers()
    cli, report, corpus, match = (layer_of(m, table) for m in ("scanner.cli", "scanner.report", "scanner.corpus",
                                                                "scanner.match"))
    for stage in ("scanner.listings", "scanner.match", "scanner.features", "scanner.model", "scanner.results"):
        assert layer_of(stage, table) < report < cli, stage
    assert corpus < match


def test_known_exceptions_still_exist(graph):
    gone = [f"{a} -> {b}" for a, b in KNOWN_EXCEPTIONS if b not in graph.get(a, {})]
    assert not gone, f"these known exceptions no longer exist: remove them from KNOWN_EXCEPTIONS: {gone}"
