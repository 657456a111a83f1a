"""The audit after an ingest covers only what the new reports can change, and stores what a full audit would."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from nianbao.report import Report
from nianbao.store import audit_corpus, ingest, query
from nianbao.store.corpus_findings import findings_table
from nianbao.synth import copy_narrative, unit_names, unit_reports

from .conftest import write_reports

SETTINGS = {"max_bucket": 3, "similarity_min": 0.4}
"""Few reports make a sentence boilerplate, so adding one report changes other reports' pairs."""
PARENT = "宁波市鄞州区人民政府"
CHILD = "宁波市鄞州区财政局"
SIBLING = "宁波市鄞州区教育局"
COLUMNS = "report_id, rule, severity, cells, expected, actual, message, location, related, unit, year"


def _stored(db: Path) -> Counter[tuple[Any, ...]]:
    return Counter(query(db, f"SELECT {COLUMNS} FROM findings WHERE scope = 'corpus'")[1])


def _full(db: Path) -> Counter[tuple[Any, ...]]:
    rows = findings_table(audit_corpus(db, SETTINGS, write=False)).to_pylist()
    return Counter(tuple(row[c] for c in COLUMNS.split(", ")) for row in rows)


def _by_unit(agencies: list[str], years: tuple[int, ...]) -> dict[str, list[Report]]:
    return {agency: list(unit_reports(agency, years, seed=7)) for agency in agencies}


def _corpus() -> tuple[list[Report], list[Report]]:
    """Reports of a first ingest and of a second one that touches every kind of scope."""
    agencies = [PARENT, CHILD, *unit_names(5, seed=13)]
    reports = _by_unit(agencies, (2021, 2022, 2023))
    a, b, c, d = (reports[agency] for agency in agencies[2:6])
    for copy in (b[2], c[2], d[2]):  # four units of 2023 with one narrative: three in the first ingest
        copy_narrative(copy, a[2])
    copy_narrative(a[0], a[1])  # a unit repeating its narrative of the year before, the earlier year comes later
    first = [r for agency in agencies[:-1] for r in reports[agency] if r is not d[2] and r is not a[0]]
    twin = reports[CHILD][1].model_copy(deep=True)  # a second, different report for one unit and year
    cell = twin.cell("t4.review_total")
    assert cell is not None
    cell.raw, cell.value = "77", 77
    sibling = next(unit_reports(SIBLING, (2023,), seed=7))  # a listed child that had no report
    second = [d[2], a[0], sibling, *reports[agencies[-1]], twin]
    return first, second


def _write_second(root: Path, second: list[Report]) -> None:
    write_reports(root / "in" / "later", second[:-1])
    write_reports(root / "in" / "twin", second[-1:])
    first_path = sorted((root / "in").glob("*2022.txt"))[0]
    first_path.write_text(first_path.read_text(encoding="utf-8").replace("坚持以公开为常态", "始终坚持以公开为常态"),
                          encoding="utf-8")
    (root / "in" / "later" / "copy.txt").write_bytes(sorted((root / "in").glob("*2021.txt"))[0].read_bytes())


def _references(root: Path) -> dict[str, Path]:
    roster, hierarchy = root / "roster.csv", root / "hierarchy.csv"
    roster.write_text(f"unit,year\n{CHILD},\n宁波市鄞州区司法局,2023\n", encoding="utf-8")
    hierarchy.write_text(f"unit,parent\n{CHILD},{PARENT}\n{SIBLING},{PARENT}\n", encoding="utf-8")
    return {"roster": roster, "hierarchy": hierarchy}


@pytest.fixture
def audited(tmp_path: Path) -> tuple[Path, list[Report]]:
    """A corpus after the first ingest and a full audit with a roster and a hierarchy; the reports still to add."""
    first, second = _corpus()
    write_reports(tmp_path / "in", first)
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1, settings=SETTINGS)
    audit_corpus(db, SETTINGS, **_references(tmp_path))  # type: ignore[arg-type]
    return db, second


def test_the_audit_after_an_ingest_stores_what_a_full_audit_finds(audited: tuple[Path, list[Report]],
                                                                    tmp_path: Path) -> None:
    db, second = audited
    assert _stored(db) == _full(db)
    before = _stored(db)
    _write_second(tmp_path, second)
    result = ingest([tmp_path / "in"], db, workers=1, settings=SETTINGS)
    assert (result.parsed, result.duplicate, result.new_versions) == (len(second) + 1, 1, 1)
    after = _stored(db)
    assert after == _full(db)
    rules = {key[1] for key in (before - after) + (after - before)}
    assert {"Q.copied_narrative", "Q.copied_own_narrative", "Q.duplicate_unit_year", "Q.roster_unlisted",
            "H.missing_child"} <= rules


def test_findings_outside_the_scope_are_kept_as_they_are(audited: tuple[Path, list[Report]],
                                                         tmp_path: Path) -> None:
    db, _ = audited
    ids = dict(query(db, "SELECT id, message FROM findings WHERE scope = 'corpus' AND rule = 'Q.late'")[1])
    late = next(r for r in unit_reports("四平市铁西区教育局", (2024,), seed=3))
    late.meta.published = "2025-06-30"
    write_reports(tmp_path / "one", [late])
    ingest([tmp_path / "one"], db, workers=1, settings=SETTINGS)
    kept = dict(query(db, "SELECT id, message FROM findings WHERE scope = 'corpus' AND rule = 'Q.late'")[1])
    assert ids.items() <= kept.items() and len(kept) == len(ids) + 1
    assert _stored(db) == _full(db)


def test_an_ingest_of_nothing_new_changes_no_finding(audited: tuple[Path, list[Report]], tmp_path: Path) -> None:
    db, _ = audited
    rows = query(db, "SELECT * FROM findings WHERE scope = 'corpus' ORDER BY id")[1]
    ingest([tmp_path / "in"], db, workers=1, settings=SETTINGS)
    assert query(db, "SELECT * FROM findings WHERE scope = 'corpus' ORDER BY id")[1] == rows
