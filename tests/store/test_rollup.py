"""Roll-up: a generated parent with 12 children sums to what the children's own reports add up to, each cell says
what it sums, missing and erroneous children are listed, and the rendered roll-up parses back to the same cells."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.api import load_report, parse_bytes
from nianbao.cli import app
from nianbao.errors import NianbaoError
from nianbao.render import render
from nianbao.report import Report, table_cells
from nianbao.store import ingest
from nianbao.store.rollup import rollup
from nianbao.synth import unit_names, unit_reports

from .conftest import write_reports

PARENT = "淮安市"
YEAR = 2024


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Report], str]:
    """Twelve children with a 2024 report (the first with a broken 表三 row), a thirteenth listed without one."""
    directory = tmp_path_factory.mktemp("rollup")
    names = unit_names(13, seed=21)
    reports = [next(unit_reports(name, (YEAR,), seed=21, faults=False)) for name in names[:12]]
    broken = reports[0].cell("t3.new_received.natural_person")
    assert broken is not None and isinstance(broken.value, int)
    broken.value += 5
    broken.raw = str(broken.value)
    write_reports(directory / "reports", reports)
    database = directory / "corpus.duckdb"
    ingest([directory / "reports"], database, workers=1)
    hierarchy = directory / "units.csv"
    hierarchy.write_text("unit,parent\n" + "".join(f"{n},{PARENT}\n" for n in names), encoding="utf-8")
    return database, hierarchy, reports, names[12]


def _expected(reports: list[Report]) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for report in reports:
        for key, *_, cell in table_cells(report):
            if cell.value is not None:
                sums[key] += cell.value
    return dict(sums)


def test_the_rollup_equals_the_childrens_sums(family: tuple[Path, Path, list[Report], str]) -> None:
    database, hierarchy, reports, absent = family
    result = rollup(database, PARENT, YEAR, hierarchy)
    expected = _expected(reports)
    found = {key: cell.value for key, *_, cell in table_cells(result.report)}
    assert set(found) == set(expected)
    for key, total in expected.items():
        assert found[key] == pytest.approx(total), key
    cell = result.report.cell("t3.new_received.total")
    assert cell is not None and len(cell.at["sum"]) == 12
    assert {p["key"] for p in cell.at["sum"]} == {"t3.new_received.total"}
    assert len({p["report_id"] for p in cell.at["sum"]}) == 12
    assert result.missing == [absent]
    assert [c.agency for c in result.children if c.n_errors] == [reports[0].meta.agency]
    assert absent in result.report.sections["other_matters"]


def test_the_rendered_rollup_parses_back_to_the_same_cells(family: tuple[Path, Path, list[Report], str],
                                                           tmp_path: Path) -> None:
    database, hierarchy, _, _ = family
    output = tmp_path / "rollup.json"
    done = CliRunner().invoke(app, ["rollup", "--db", str(database), "--parent", PARENT, "--year", str(YEAR),
                                    "--hierarchy", str(hierarchy), "-o", str(output)])
    assert done.exit_code == 0, done.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert len(data["rollup"]["children"]) == 12 and data["rollup"]["missing"]
    report = load_report(output)
    rendered = CliRunner().invoke(app, ["render", str(output), "--to", "docx", "-o", str(tmp_path / "r.docx"),
                                        "--force"])  # the broken child breaks the sums too
    assert rendered.exit_code == 0, rendered.output
    parsed = parse_bytes(render(report, "txt"), "rollup.txt")
    for key, *_, cell in table_cells(report):
        back = parsed.cell(key)
        assert back is not None and back.value == cell.value, key


def test_a_parent_without_children_is_refused(family: tuple[Path, Path, list[Report], str]) -> None:
    database, hierarchy, _, _ = family
    with pytest.raises(NianbaoError) as caught:
        rollup(database, "不存在市", YEAR, hierarchy)
    assert "不存在市" in caught.value.reason
