"""docs/corpus.md matches the code: every table column, corpus rule and setting is documented; modules say their job."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nianbao.schema import catalogue
from nianbao.store import CorpusSettings, tables
from nianbao.store.codebook import PACKAGE_DESCRIPTION
from nianbao.store.tables import TABLES, views

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")


def test_every_table_and_view_column_is_documented() -> None:
    for spec in (*TABLES, *views()):
        assert f"### `{spec.name}`" in DOC, spec.name
        if spec.name not in ("current_reports", "t2_wide"):
            for column in spec.columns:
                assert f"| `{column.name}` |" in DOC, (spec.name, column.name)


def test_every_cross_report_rule_is_in_the_catalogue_and_documented() -> None:
    corpus_rules = [r for r in catalogue().rules if r.id[0] in "YHQ"]
    assert {r.family for r in corpus_rules} == {"cross_year", "hierarchy", "quality"}
    for rule in corpus_rules:
        assert f"| `{rule.id}` | {rule.severity} |" in DOC, rule.id


def test_every_corpus_setting_is_documented() -> None:
    for name in CorpusSettings.model_fields:
        assert f"| `{name}` |" in DOC, name


def test_store_modules_state_their_job_as_input_to_output() -> None:
    modules = [*(ROOT / "src" / "nianbao" / "store").glob("*.py"), ROOT / "src" / "nianbao" / "cli_store.py"]
    for module in modules:
        docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
        assert "→" in docstring.splitlines()[0], module


def _specs() -> list[tables.Spec]:
    """Every table and view spec of the store, wherever the module defines it."""
    found = {s.name: s for s in vars(tables).values() if isinstance(s, tables.Spec)}
    found.update((s.name, s) for s in views())
    return list(found.values())


def test_every_table_and_column_description_is_in_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    specs = _specs()
    assert {"reports", "cells", "corrections", "t2_wide", "t4_wide"} <= {s.name for s in specs}
    english = [s.name for s in specs if not cjk.search(s.description)]
    english += [f"{s.name}.{c.name}" for s in specs for c in s.columns if not cjk.search(c.description)]
    assert not english, english
    assert cjk.search(PACKAGE_DESCRIPTION)


def test_documented_descriptions_are_those_of_the_code() -> None:
    for spec in _specs():
        if f"### `{spec.name}`" not in DOC:
            continue
        assert spec.description in DOC, spec.name
        if spec.name not in ("current_reports", "t2_wide"):
            for c in spec.columns:
                assert f"| `{c.name}` | {c.sql} | {c.title} | {c.description} |" in DOC, (spec.name, c.name)
