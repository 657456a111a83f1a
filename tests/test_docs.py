"""Docs match the code: every module says its job, every command and setting is in the README."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nianbao.cli import app
from nianbao.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTING_ROW = re.compile(r"^\| `(\w+\.\w+)` \| (.*?) \| (.*) \|$", re.MULTILINE)
"""A row of the README's table of settings: name, default, effect."""


def test_every_module_has_a_docstring() -> None:
    for module in (ROOT / "src" / "nianbao").rglob("*.py"):
        assert ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))), module


def test_every_command_is_documented_with_an_example() -> None:
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"nianbao {name}" in README, name
        assert "Example:" in (command.callback.__doc__ or ""), name  # type: ignore[union-attr]


def test_every_setting_is_in_the_readme_with_its_default_and_its_effect() -> None:
    rows = {m.group(1): (m.group(2), m.group(3)) for m in SETTING_ROW.finditer(README)}
    for group, field in Settings.model_fields.items():
        assert field.annotation is not None
        for name, setting in field.annotation.model_fields.items():  # type: ignore[union-attr]
            key = f"{group}.{name}"
            assert key in rows, key
            default, effect = rows[key]
            assert effect == setting.description, key
            value = setting.get_default(call_default_factory=True)
            if isinstance(value, (int, float)):
                assert float(default) == value, key


def test_readme_starts_with_the_two_commands() -> None:
    assert README.index("make run") < README.index("make test") < README.index("## ")
