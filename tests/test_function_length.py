"""No function over 80 lines in the runtime scan path (issue #16).

Every function and method (nested ones too) in ``scanner/listings``, ``scanner/match``, ``scanner/features``
(module or package), ``scanner/model`` (the runtime model code; building the shipped model lives in
``training/``, outside the package), ``scanner/results.py`` and ``scanner/report`` is parsed with ``ast``; its length is
``end_lineno - lineno + 1`` (decorators not counted, docstring and comments counted). A long function is
split along the steps its comments number, into small named helpers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "scanner"
MAX_LINES = 80

#: Where the rule holds: packages are walked recursively, a ``.py`` path is one module. ``features`` is
#: listed both ways (it is becoming a package).
SCOPE = ("listings", "match", "features", "features.py", "model", "results.py", "report")


def scoped_files() -> list[Path]:
    files: list[Path] = []
    for name in SCOPE:
        path = PACKAGE / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
    return files


def long_functions(path: Path, limit: int = MAX_LINES) -> list[tuple[str, int, int]]:
    """``[(qualified name, first line, length)]`` of every function in ``path`` longer than ``limit``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                length = child.end_lineno - child.lineno + 1
                if length > limit:
                    out.append((name, child.lineno, length))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def test_scope_exists():
    files = scoped_files()
    assert any(f.parent.name == "match" for f in files)
    assert PACKAGE / "results.py" in files and PACKAGE / "model" / "training.py" in files


def test_length_counts_nested_and_methods(tmp_path):
    src = (
        "class C:\n"
        "    def m(self):\n" + "        x = 1\n" * 4 +
        "def f():\n"
        "    def g():\n" + "        y = 2\n" * 4 +
        "    return g\n"
    )
    path = tmp_path / "mod.py"
    path.write_text(src, encoding="utf-8")
    found = {name: length for name, _, length in long_functions(path, limit=3)}
    assert found == {"C.m": 5, "f": 7, "f.g": 5}


@pytest.mark.parametrize("path", scoped_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_function_over_80_lines(path):
    long = long_functions(path)
    assert not long, "\n".join(
        f"{path.relative_to(REPO)}:{line} {name} is {length} lines (max {MAX_LINES}): split it along its steps"
        for name, line, length in long
    )
