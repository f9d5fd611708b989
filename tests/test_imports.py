"""Imports run one way (ARCHITECTURE.md): gateway → vendors → contracts ← engine.

- contracts imports none of engine, vendors, gateway;
- engine never imports vendors or gateway;
- vendors never import gateway, and reach the engine only through its public surfaces: the
  `engine` package itself and its sub-packages (`engine.face`, `engine.media`, …), taking
  from them only names their `__all__` lists, never a module inside them.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, imported module, names taken from it) for every import in a file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def _top(module: str) -> str:
    return module.split(".", 1)[0]


@pytest.mark.parametrize("path", _modules("contracts"), ids=lambda p: p.name)
def test_contracts_import_no_other_layer(path):
    bad = [(n, m) for n, m, _ in _imports(path) if _top(m) in ("engine", "vendors", "gateway")]
    assert not bad, f"{path.relative_to(REPO)}: {bad}"


@pytest.mark.parametrize("path", _modules("engine"), ids=lambda p: str(p.relative_to(REPO)))
def test_engine_knows_no_vendor_and_no_gateway(path):
    bad = [(n, m) for n, m, _ in _imports(path) if _top(m) in ("vendors", "gateway")]
    assert not bad, f"{path.relative_to(REPO)}: {bad}"


def _is_package(module: str) -> bool:
    parts = module.split(".")
    return (REPO.joinpath(*parts) / "__init__.py").is_file()


def _public(package: str) -> set[str]:
    return set(getattr(importlib.import_module(package), "__all__", ()))


def engine_internals(path: Path) -> list[tuple[int, str]]:
    """The engine internals a vendor module reaches for."""
    found = []
    for line, module, names in _imports(path):
        if _top(module) != "engine":
            continue
        if not _is_package(module):
            found.append((line, module))  # a module inside a package: internal
            continue
        public = _public(module)
        for name in names:
            if name not in public and not _is_package(f"{module}.{name}"):
                found.append((line, f"{module}.{name}"))
    return found


@pytest.mark.parametrize("path", _modules("vendors"), ids=lambda p: str(p.relative_to(REPO)))
def test_vendors_use_only_the_engine_public_surface_and_never_the_gateway(path):
    gateway = [(n, m) for n, m, _ in _imports(path) if _top(m) == "gateway"]
    assert not gateway, f"{path.relative_to(REPO)} imports the gateway: {gateway}"
    internals = engine_internals(path)
    assert not internals, f"{path.relative_to(REPO)} reaches engine internals: {internals}"


def test_the_rule_catches_an_internal_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from engine.imaging.dereticulate import remove_mesh\n"
        "from engine.face import detect, capabilities\n"
        "from engine import models\n"
        "import engine.media\n",
        encoding="utf-8",
    )
    found = {module for _, module in engine_internals(probe)}
    assert found == {"engine.imaging.dereticulate", "engine.face.capabilities", "engine.models"}


# Packages whose internals are already private: every module and sub-package but __init__
# starts with "_", and what facades use is exported from the package itself.
PRIVATE = (
    "engine/face",
    "engine/gallery",
    "engine/imaging",
    "engine/liveness",
    "engine/media",
    "engine/ocr",
)


@pytest.mark.parametrize("package", PRIVATE)
def test_internals_of_these_packages_are_private(package):
    root = REPO / package
    named = [p for p in root.iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file()]
    public = [p.name for p in named if p.name != "__init__.py" and not p.name.startswith("_")]
    assert not public, f"{package}: {public}"
