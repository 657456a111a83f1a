"""Docs match the code: every module says its job, every command and setting is in the README."""

from __future__ import annotations

import ast
from pathlib import Path

from nianbao.cli import app
from nianbao.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_module_has_a_docstring() -> None:
    for module in (ROOT / "src" / "nianbao").rglob("*.py"):
        assert ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))), module


def test_every_command_is_documented_with_an_example() -> None:
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"nianbao {name}" in README, name
        assert "Example:" in (command.callback.__doc__ or ""), name  # type: ignore[union-attr]


def test_every_setting_is_in_the_readme() -> None:
    for group, field in Settings.model_fields.items():
        assert field.annotation is not None
        for name in field.annotation.model_fields:  # type: ignore[union-attr]
            assert f"`{group}.{name}`" in README, f"{group}.{name}"


def test_readme_starts_with_the_two_commands() -> None:
    assert README.index("make run") < README.index("make test") < README.index("## ")
