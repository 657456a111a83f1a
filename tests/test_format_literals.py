"""The official format is held once: no heading, table title or printed label of ``schema/formats.json``, and no
format's key (``2019``, ``2021``), is spelled as a string literal in the package's Python code outside the schema
package."""

from __future__ import annotations

import ast
from pathlib import Path

from nianbao.schema import formats

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nianbao"
SCHEMA = PACKAGE / "schema"
UNCONVERTED: set[str] = set()
"""Files not yet reading the format keys from the data: their keys are let through while they hold one (the test
fails once a file here no longer does, so that its entry goes with its last key)."""
CONTAINED_MIN_CHARS = 6
"""An official string this long is flagged inside a longer literal too; a shorter one (规章, 总计, 其他) only when
it is the whole literal, since such words are ordinary Chinese in messages and patterns."""


def official_strings() -> set[str]:
    """Headings, table titles, block captions, row and column labels, header cells, level names, format names and
    notices."""
    fmt = formats()
    found = {text for t in fmt.templates.values() for text in (t.notice, t.name)}
    found |= {text for s in fmt.sections for text in (s.label, s.heading)}
    found |= {text for t in fmt.tables for text in (t.name, t.title, t.long_name, t.row_header)}
    for blocks in fmt.t2.values():
        for block in blocks:
            found |= {block.caption, *(c.label for c in block.columns), *(r.label for r in block.rows)}
    found |= {fmt.t3_note_cell, fmt.t3_applicants_cell, *(r.label for r in fmt.t3_rows)}
    found |= {text for c in (*fmt.t3_columns, *fmt.t4_columns) for text in (c.label, c.group, c.subgroup) if text}
    found |= {text for level in fmt.levels.values() for text in (level.label, level.body)}
    return {s for s in found if s}


def _docstrings(tree: ast.AST) -> set[int]:
    """Ids of the docstring nodes of a module, its classes and functions (documentation, not data)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            ids |= {id(s.value) for s in node.body
                    if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)}
    return ids


def restated(source: str, official: set[str]) -> list[tuple[int, str]]:
    """(line, literal) of every string constant of ``source`` that is or holds an official string."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    long = [s for s in official if len(s) >= CONTAINED_MIN_CHARS]
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            text = node.value.strip()
            if text in official or any(s in text for s in long):
                hits.append((node.lineno, text))
    return sorted(hits)


def test_no_official_string_is_spelled_outside_the_schema() -> None:
    official = official_strings()
    hits = [f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:60]}"
            for path in sorted(PACKAGE.rglob("*.py")) if SCHEMA not in path.parents
            for line, text in restated(path.read_text(encoding="utf-8"), official)]
    assert not hits, "official strings spelled in code instead of read from schema/formats.json:\n" + "\n".join(hits)


def test_the_scan_finds_a_restated_heading_title_label_or_level() -> None:
    source = '''"""Module doc: 一、总体情况 may be named in documentation."""
HEADINGS = ("一、总体情况", "其他")
TITLE = f"见表三 收到和处理政府信息公开申请情况{1}"
LEVELS = {"x": "乡镇（街道）"}
def f() -> str:
    """A docstring naming 自然人 is fine."""
    return "自然人"
WORDS = "其他组织"
'''
    hits = restated(source, official_strings())
    assert [line for line, _ in hits] == [2, 2, 3, 4, 7], hits


def keyed(source: str, keys: set[str]) -> list[tuple[int, str]]:
    """(line, literal) of every string constant of ``source`` (docstrings aside) that is a format's key or holds one
    as an SQL literal (``p.template = '2021'``)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    quoted = [f"'{key}'" for key in keys]
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                  and (node.value.strip() in keys or any(q in node.value for q in quoted)))


def test_no_format_key_is_spelled_outside_the_schema() -> None:
    keys = set(formats().templates)
    found = {str(path.relative_to(PACKAGE.parent)): keyed(path.read_text(encoding="utf-8"), keys)
             for path in sorted(PACKAGE.rglob("*.py")) if SCHEMA not in path.parents}
    hits = [f"{name}:{line}: {text[:60]}" for name, lines in found.items() if name not in UNCONVERTED
            for line, text in lines]
    assert not hits, "format keys spelled in code instead of read from schema/formats.json:\n" + "\n".join(hits)
    assert all(found.get(name, [(0, "")]) for name in UNCONVERTED), "a file of UNCONVERTED no longer names a key"


def test_the_scan_finds_a_format_key() -> None:
    source = '''"""Module doc: the 2021 format may be named in documentation."""
DEFAULT = "2021"
SQL = f"SELECT * FROM reports WHERE template = '2019' AND year > {2020}"
RULE = "Y.T2.2021.in_force"
def f(template: str) -> bool:
    """A docstring naming "2019" is fine."""
    return template == "2019"
'''
    assert [line for line, _ in keyed(source, set(formats().templates))] == [2, 3, 7]
