"""The data flow runs one way: a stage imports only stages to its left (readers → extract → audit → render → cli).

The register (台账) sits at the extract level, after the audit it hands its tally to.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nianbao"
STAGES = ["readers", "extract", "audit", "register", "api", "guard", "store", "render", "web", "cli_progress",
          "cli_store", "cli_register", "cli"]
BASE = {"document", "report", "schema", "settings", "errors", "values", "findings", "skeleton", "options", "regions",
        "synth"}


def _stage(module: Path) -> str:
    relative = module.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imported_stages(module: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = (node.module or "").split(".")
            depth = len(module.relative_to(PACKAGE).parts) - 1
            if node.level > depth:
                found.add(parts[0])
    return found


def test_no_stage_imports_a_stage_to_its_right() -> None:
    for module in PACKAGE.rglob("*.py"):
        stage = _stage(module)
        if stage not in STAGES:
            continue
        for other in _imported_stages(module) - BASE:
            if other in STAGES:
                assert STAGES.index(other) < STAGES.index(stage), f"{module} imports {other}"


def test_base_modules_import_no_stage() -> None:
    for name in BASE:
        path = PACKAGE / f"{name}.py"
        if not path.exists():
            path = PACKAGE / name / "__init__.py"
        assert not _imported_stages(path) & set(STAGES), path
