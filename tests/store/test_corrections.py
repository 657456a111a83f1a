"""Corrections: a corrected cell changes the audit, the views and the exports, keeps the printed value, can be
withdrawn, survives a re-ingest, is only a candidate for a new version of the file; a CSV is checked row by row."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.errors import NianbaoError
from nianbao.store import export, ingest
from nianbao.store.corrections import candidates, correct, correct_from_file, history, withdraw
from nianbao.store.db import connect
from nianbao.synth import unit_names, unit_reports

from .conftest import write_reports

KEY = "t3.new_received.natural_person"


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus of one consistent report (no error); returns the database and the report's file."""
    agency = unit_names(1, seed=3)[0]
    path, = write_reports(tmp_path / "reports", unit_reports(agency, (2023,), seed=3, faults=False))
    database = tmp_path / "corpus.duckdb"
    ingest([path], database, workers=1)
    return database, path


def _one(database: Path, sql: str) -> tuple[object, ...]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchone() or ()
    finally:
        con.close()


def _rules(database: Path) -> set[str]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT rule FROM findings WHERE report_id = 1").fetchall()}
    finally:
        con.close()


def test_a_correction_changes_audit_views_and_exports_and_keeps_the_printed_value(db: tuple[Path, Path],
                                                                                   tmp_path: Path) -> None:
    database, _ = db
    raw, printed = _one(database, f"SELECT raw, value FROM cells WHERE report_id = 1 AND key = '{KEY}'")
    assert "T3.balance" not in _rules(database)
    con = connect(database)
    try:
        correct(con, 1, KEY, str(int(printed) + 7), "单位来函更正", "张三")
    finally:
        con.close()
    assert _one(database, f"SELECT raw, value, printed, corrected FROM cells WHERE report_id = 1 AND key = '{KEY}'"
                ) == (raw, printed + 7, printed, True)
    assert "T3.balance" in _rules(database) or "T3.row_sum" in _rules(database)
    assert _one(database, "SELECT n_errors > 0 FROM reports WHERE id = 1") == (True,)
    assert _one(database, "SELECT natural_person, corrected FROM t3_wide WHERE row_key = 'new_received'"
                ) == (printed + 7, KEY)
    export(database, tmp_path / "out", "csv")
    with (tmp_path / "out" / "cells.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["key"] == KEY)
    assert (row["raw"], float(row["value"]), float(row["printed"]), row["corrected"]) == (
        raw, printed + 7, printed, "true")
    with (tmp_path / "out" / "corrections.csv").open(encoding="utf-8") as handle:
        acts = list(csv.DictReader(handle))
    assert [(a["key"], a["who"], a["why"], a["action"]) for a in acts] == [(KEY, "张三", "单位来函更正", "correct")]


def test_withdrawal_restores_the_printed_value_and_keeps_the_history(db: tuple[Path, Path]) -> None:
    database, _ = db
    before = _one(database, f"SELECT value FROM cells WHERE report_id = 1 AND key = '{KEY}'")
    rules = _rules(database)
    con = connect(database)
    try:
        correct(con, 1, KEY, "999", "来函", "张三")
        withdraw(con, 1, KEY, "来函有误", "李四")
        acts = history(con, 1)
    finally:
        con.close()
    assert _one(database, f"SELECT value, printed, corrected FROM cells WHERE report_id = 1 AND key = '{KEY}'"
                ) == (*before, None, False)
    assert _rules(database) == rules
    assert [(a["action"], a["who"], a["value"]) for a in acts] == [("correct", "张三", 999.0),
                                                                   ("withdraw", "李四", None)]


def test_corrections_survive_a_reingest_and_are_candidates_for_a_new_version(db: tuple[Path, Path]) -> None:
    database, path = db
    con = connect(database)
    try:
        correct(con, 1, KEY, "999", "来函", "张三")
    finally:
        con.close()
    ingest([path], database, workers=1)
    assert _one(database, f"SELECT value, corrected FROM cells WHERE report_id = 1 AND key = '{KEY}'") == (999, True)
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ingest([path], database, workers=1)
    new_id, = _one(database, "SELECT id FROM current_reports")
    assert new_id != 1
    assert _one(database, f"SELECT corrected FROM cells WHERE report_id = {new_id} AND key = '{KEY}'") == (False,)
    con = connect(database, read_only=True)
    try:
        offered = candidates(con, int(new_id))  # type: ignore[call-overload]
    finally:
        con.close()
    assert [(c["key"], c["value"], c["who"]) for c in offered] == [(KEY, 999.0, "张三")]


def _correct_first(database: Path) -> None:
    """The first report's KEY corrected to 999 by 张三 after a letter."""
    con = connect(database)
    try:
        correct(con, 1, KEY, "999", "来函", "张三")
    finally:
        con.close()


def test_same_content_parsed_again_gets_its_corrections_back(db: tuple[Path, Path], tmp_path: Path) -> None:
    database, path = db
    original = path.read_text(encoding="utf-8")
    _correct_first(database)
    path.write_text(original + "\n", encoding="utf-8")
    ingest([path], database, workers=1)
    path.write_text(original, encoding="utf-8")
    ingest([path], database, workers=1)
    current, = _one(database, "SELECT id FROM current_reports")
    assert _one(database, f"SELECT value, corrected FROM cells WHERE report_id = {current} AND key = '{KEY}'"
                ) == (999, True)


def test_a_report_given_its_corrections_back_is_audited_with_the_settings_of_the_run(db: tuple[Path, Path]) -> None:
    database, path = db
    original = path.read_text(encoding="utf-8")
    _correct_first(database)
    assert any(rule.startswith("R.") for rule in _rules(database))
    path.write_text(original + "\n", encoding="utf-8")
    ingest([path], database, workers=1)
    path.write_text(original, encoding="utf-8")
    quiet = {"audit": {"risk_min_cases": 10**9, "risk_min_applications": 10**9}}
    ingest([path], database, workers=1, parse_settings=quiet)
    current, = _one(database, "SELECT id FROM current_reports")
    assert _one(database, f"SELECT value FROM cells WHERE report_id = {current} AND key = '{KEY}'") == (999,)
    con = duckdb.connect(str(database), read_only=True)
    try:
        rules = {r[0] for r in con.execute(f"SELECT rule FROM findings WHERE report_id = {current}").fetchall()}
    finally:
        con.close()
    assert "T3.balance" in rules and not any(rule.startswith("R.") for rule in rules)


def test_bad_key_value_or_report_is_refused(db: tuple[Path, Path]) -> None:
    database, _ = db
    con = connect(database)
    try:
        for args, code in (((1, "t3.nowhere.total", "3"), "bad_key"), ((1, KEY, "三个"), "bad_value"),
                           ((1, KEY, "-2"), "bad_value"), ((1, KEY, "无"), "bad_value"), ((99, KEY, "3"), "no_report")):
            with pytest.raises(NianbaoError) as caught:
                correct(con, *args, why="来函")
            assert caught.value.code == code
        with pytest.raises(NianbaoError):
            correct(con, 1, KEY, "3", why="  ")
        with pytest.raises(NianbaoError):
            withdraw(con, 1, KEY, why="没有修正")
    finally:
        con.close()


def test_a_corrections_csv_is_checked_row_by_row(db: tuple[Path, Path], tmp_path: Path) -> None:
    database, _ = db
    sheet = tmp_path / "corrections.csv"
    sheet.write_text("report_id,key,value,why\n"
                     f"1,{KEY},12,来函\n"
                     "1,t9.bad,3,来函\n"
                     f"1,t3.new_received.total,abc,来函\n"
                     f"x,{KEY},3,来函\n"
                     f"1,t4.review_total,2,\n", encoding="utf-8")
    con = connect(database)
    try:
        applied, refused = correct_from_file(con, sheet, "王五")
    finally:
        con.close()
    assert applied == 1
    assert [r.line for r in refused] == [3, 4, 5, 6]
    assert "t9.bad" in refused[0].reason and "修正值不是数字" in refused[1].reason
    assert "报告编号" in refused[2].reason and "理由" in refused[3].reason
    assert _one(database, f"SELECT value FROM cells WHERE report_id = 1 AND key = '{KEY}'") == (12,)


def test_the_command_corrects_and_reports_refusals(db: tuple[Path, Path], tmp_path: Path) -> None:
    database, _ = db
    runner = CliRunner()
    done = runner.invoke(app, ["correct", "--db", str(database), "1", KEY, "8", "--why", "来函", "--who", "赵六"])
    assert done.exit_code == 0, done.output
    assert _one(database, f"SELECT value FROM cells WHERE report_id = 1 AND key = '{KEY}'") == (8,)
    sheet = tmp_path / "c.csv"
    sheet.write_text("report_id,key,value,why\n1,t3.x.y,1,来函\n", encoding="utf-8")
    refused = runner.invoke(app, ["correct", "--db", str(database), "--from-file", str(sheet)])
    assert refused.exit_code == 1 and "拒绝" in refused.output
    shown = runner.invoke(app, ["corrections", "--db", str(database), "1", "--json"])
    assert shown.exit_code == 0 and "赵六" in shown.output
