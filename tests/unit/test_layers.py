"""The package's layers: every import points down, and the library needs no Streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import verifydemo

PACKAGE = Path(verifydemo.__file__).parent
LAYERS = ("core", "metrics", "lessons", "datasets", "pictures", "ondevice", "tools", "ui", "entry")
"""Bottom to top: a module may import its own layer and the layers before it."""
LIBRARY = LAYERS[:6]


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "verifydemo" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return LAYERS.index(parts[1])


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def test_every_module_sits_in_a_layer():
    loose = [path.name for path in PACKAGE.glob("*.py") if path.name != "__init__.py"]
    assert loose == []
    assert {
        path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"
    } >= set(LAYERS)


def modules_run_by_name(path: Path) -> list[str]:
    """String constants naming a module of the package (``python -m verifydemo.ui.x``)."""
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and layer_of(node.value) is not None
        and node.value.replace(".", "").replace("_", "").isalnum()
    ]


def test_no_module_runs_python_source_from_a_string():
    """A child process runs a module by name, so the layers below can check what it imports
    (the benchmark once ran the page from inline ``-c`` scripts the layer test could not see)."""
    inline = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(node, ast.Constant) and node.value == "-c"
            for node in ast.walk(ast.parse(path.read_text()))
        )
    ]
    assert inline == []


def test_no_module_run_by_name_sits_above_its_caller():
    upward = [
        f"{path.relative_to(PACKAGE)} runs {module}"
        for layer, name in enumerate(LAYERS)
        for path in (PACKAGE / name).rglob("*.py")
        for module in modules_run_by_name(path)
        if layer_of(module) > layer
    ]
    assert upward == []


def test_no_import_points_up():
    upward = []
    for layer, name in enumerate(LAYERS):
        for path in (PACKAGE / name).rglob("*.py"):
            for module in imports_of(path):
                target = layer_of(module)
                if target is not None and target > layer:
                    upward.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert upward == []


def test_library_imports_without_streamlit_or_the_page():
    modules = [
        f"verifydemo.{path.relative_to(PACKAGE).with_suffix('').as_posix().replace('/', '.')}"
        for layer in LIBRARY
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        if path.name != "__init__.py"
    ]
    script = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import verifydemo\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'playwright')"
        " or m.startswith(('verifydemo.ui', 'verifydemo.tools'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert len(modules) > 15
    assert result.stdout.strip() == "[]"


def test_public_api_has_docstrings():
    undocumented = [
        name
        for name in verifydemo.__all__
        if callable(getattr(verifydemo, name))
        and not (getattr(verifydemo, name).__doc__ or "").strip()
    ]
    assert undocumented == []


def test_readme_notebook_example_runs(monkeypatch, capsys):
    from support import ROOT

    readme = (ROOT / "README.md").read_text()
    section = readme.split("## In a notebook", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "match: True" in printed
    assert "impostor pairs accepted (95% CI" in printed
