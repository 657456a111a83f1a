"""docs/rules.md is the catalogue as generated: regenerate with ``nianbao rules --markdown > docs/rules.md``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.render.rules_doc import rules_markdown
from nianbao.schema import catalogue

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_docs_rules_md_is_not_stale() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), \
        "docs/rules.md is stale: run `nianbao rules --markdown > docs/rules.md`"


def test_every_rule_has_a_row_with_its_severity_basis_title_and_an_example() -> None:
    rows = {line.split(" | ")[0].lstrip("| "): line for line in rules_markdown().splitlines()[6:]}
    for rule in catalogue().rules:
        row = rows[rule.id]
        assert rule.title in row and row.count(" | ") == 4
        assert row.rstrip(" |").rsplit(" | ", 1)[1].strip()


def test_the_cli_prints_the_page() -> None:
    result = CliRunner().invoke(app, ["rules", "--markdown"])
    assert result.exit_code == 0 and result.output == rules_markdown()
