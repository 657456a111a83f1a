"""Cell + corrected value → the ``corrections`` history and the cells in force: correct a cell, withdraw a
correction, bring a report's cells in line with the corrections of its content (after a correction, a withdrawal or
a re-ingest) and run its audit and the cross-report audit again; read the history and the candidates a new version
of a file inherits.

Nothing printed is overwritten: ``cells.raw`` stays as printed, ``cells.printed`` keeps the printed number while a
correction is in force (``cells.value`` holds the number in force, so every view, export and audit reads it), and
every act is a new row of ``corrections``. A correction belongs to the content of a file (its SHA-256), not to a
report id: the same content ingested again gets it back; a new version of the file only lists it as a candidate.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from ..audit import audit
from ..errors import NianbaoError
from ..report import Finding, Meta, Report, Source, table_cells
from ..schema import formats
from ..settings import Settings
from ..skeleton import skeleton
from ..values import parse_value
from .corpus_audit import audit_connection
from .rows import rows_to_tables, to_json
from .settings import resolve_corpus
from .tables import AUDITED, CORRECTIONS

WHY_MAX_CHARS = 2000
WHO_MAX_CHARS = 200
CSV_COLUMNS = ("report_id", "key", "value", "why")
"""The columns of a corrections CSV (``who`` may be added)."""
CSV_MAX_ROWS = 10_000

IN_FORCE_SQL = f"""
    SELECT sha256, key, value, who, made_at, why FROM (
        SELECT *, row_number() OVER (PARTITION BY sha256, key ORDER BY id DESC) AS latest FROM {CORRECTIONS.name})
    WHERE latest = 1 AND action = 'correct'"""
"""The correction in force of each (content, cell): the latest act, when it is not a withdrawal."""

_FINDING_COLUMNS = "rule, severity, cells, expected, actual, message, location"


@dataclass(frozen=True)
class Target:
    """The stored report a correction is about."""

    id: int
    sha256: str
    path: str
    template: str


def _target(con: duckdb.DuckDBPyConnection, report_id: int) -> Target:
    """The parsed report ``report_id`` (a duplicate resolves to the report it repeats)."""
    found = con.execute("SELECT coalesce(d.id, r.id), coalesce(d.sha256, r.sha256), coalesce(d.path, r.path), "
                        "coalesce(d.template, r.template), coalesce(d.status, r.status) FROM reports r "
                        "LEFT JOIN reports d ON d.id = r.duplicate_of WHERE r.id = ?", [report_id]).fetchall()
    if not found or found[0][4] != "parsed" or not found[0][1]:
        raise NianbaoError(str(report_id), "no_report", f"没有编号为 {report_id} 的已解析报告")
    rid, sha, path, template, _ = found[0]
    return Target(int(rid), sha, path, template)


def template_keys(template: str) -> dict[str, bool]:
    """Cell key → whether it may be negative, for every cell of ``template``."""
    signed = {f"t2.{b.key}.{r.key}.{c.key}" for b in formats().t2[template] for r in b.rows for c in b.columns
              if c.type == "signed_count"}
    return {key: key in signed for key, *_ in table_cells(skeleton(template))}


def corrected_number(key: str, text: str, signed: bool) -> float:
    """The number a correction states, or a NianbaoError naming the cell and the reason (in Chinese)."""
    value, looks = parse_value(text.strip())
    if value is None:
        reason = "修正值不是数字" if not looks else "修正值须为数字（不能为空、无或 -）"
        raise NianbaoError(key, "bad_value", f"{reason}：{text!r}")
    if value < 0 and not signed:
        raise NianbaoError(key, "bad_value", f"该单元格不能为负数：{text!r}")
    return float(value)


def _checked_key(con: duckdb.DuckDBPyConnection, target: Target, key: str) -> bool:
    """Whether the cell may be negative; a NianbaoError when the report has no such cell."""
    keys = template_keys(target.template)
    if key in keys:
        return keys[key]
    (stored,), = con.execute("SELECT count(*) FROM cells WHERE report_id = ? AND key = ?", [target.id, key]).fetchall()
    if stored:
        return False
    raise NianbaoError(key, "bad_key", f"报告 {target.id}（{target.template} 年版格式）没有单元格 {key}")


def _text(value: str | None, limit: int) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def _record(con: duckdb.DuckDBPyConnection, target: Target, key: str, action: str, value: float | None,
            why: str, who: str | None) -> None:
    raw, printed = _printed(con, target.id, key)
    (last,), = con.execute(f"SELECT coalesce(max(id), 0) FROM {CORRECTIONS.name}").fetchall()
    con.execute(f"INSERT INTO {CORRECTIONS.name} (id, report_id, sha256, path, key, action, raw, printed, value, "
                "who, made_at, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [last + 1, target.id, target.sha256, target.path, key, action, raw, printed, value,
                 _text(who, WHO_MAX_CHARS), datetime.now(), why])


def _printed(con: duckdb.DuckDBPyConnection, report_id: int, key: str) -> tuple[str | None, float | None]:
    """The cell's printed text and number (None, None for a cell that was not read)."""
    found = con.execute("SELECT raw, CASE WHEN corrected THEN printed ELSE value END FROM cells "
                        "WHERE report_id = ? AND key = ?", [report_id, key]).fetchall()
    return found[0] if found else (None, None)


def _why(why: str) -> str:
    text = _text(why, WHY_MAX_CHARS)
    if text is None:
        raise NianbaoError("--why", "bad_option", "修正须说明理由")
    return text


def correct(con: duckdb.DuckDBPyConnection, report_id: int, key: str, value: str, why: str,
            who: str | None = None) -> int:
    """Put ``value`` in force for the cell ``key`` of report ``report_id`` and audit again; returns the report
    corrected (a duplicate's original). Errors (in Chinese) name the report, the cell or the value."""
    target = _target(con, report_id)
    number = corrected_number(key, value, _checked_key(con, target, key))
    reason = _why(why)
    _in_transaction(con, partial(_record, con, target, key, "correct", number, reason, who))
    refresh(con, [target.id])
    return target.id


def withdraw(con: duckdb.DuckDBPyConnection, report_id: int, key: str, why: str, who: str | None = None) -> int:
    """Withdraw the correction in force of the cell ``key`` (the printed value is in force again) and audit again."""
    target = _target(con, report_id)
    reason = _why(why)
    if key not in in_force(con, target.sha256):
        raise NianbaoError(key, "no_correction", f"报告 {target.id} 的单元格 {key} 没有生效的修正")
    _in_transaction(con, partial(_record, con, target, key, "withdraw", None, reason, who))
    refresh(con, [target.id])
    return target.id


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], None]) -> None:
    con.begin()
    try:
        work()
        con.commit()
    except BaseException:
        con.rollback()
        raise


def in_force(con: duckdb.DuckDBPyConnection, sha256: str) -> dict[str, float]:
    """Cell key → corrected value in force for the content ``sha256``."""
    return dict(con.execute(f"SELECT key, value FROM ({IN_FORCE_SQL}) WHERE sha256 = ?", [sha256]).fetchall())


def history(con: duckdb.DuckDBPyConnection, report_id: int) -> list[dict[str, Any]]:
    """Every act about the content of report ``report_id``, oldest first."""
    target = _target(con, report_id)
    cursor = con.execute(f"SELECT * FROM {CORRECTIONS.name} WHERE sha256 = ? ORDER BY id", [target.sha256])
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def candidates(con: duckdb.DuckDBPyConnection, report_id: int) -> list[dict[str, Any]]:
    """Corrections in force for earlier contents of the same file, not applied to this one: the cell, the value
    this version prints, the corrected value, who, when and why."""
    target = _target(con, report_id)
    cursor = con.execute(
        f"SELECT f.key, c.raw, c.value AS printed, f.value, f.who, f.made_at, f.why FROM ({IN_FORCE_SQL}) f "
        f"JOIN (SELECT DISTINCT sha256 FROM {CORRECTIONS.name} WHERE path = ? AND sha256 <> ?) o "
        "ON o.sha256 = f.sha256 LEFT JOIN cells c ON c.report_id = ? AND c.key = f.key "
        "WHERE f.key NOT IN (SELECT key FROM cells WHERE report_id = ? AND corrected) ORDER BY f.key, f.made_at",
        [target.path, target.sha256, target.id, target.id])
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def stale_reports(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Parsed reports whose cells do not follow the corrections in force for their content (a content ingested
    again under a new id, a correction made by another process)."""
    rows = con.execute(
        f"WITH f AS ({IN_FORCE_SQL}) "
        "SELECT r.id FROM reports r JOIN f ON f.sha256 = r.sha256 LEFT JOIN cells c ON c.report_id = r.id "
        "AND c.key = f.key WHERE r.status = 'parsed' AND (c.key IS NULL OR NOT coalesce(c.corrected, false) "
        "OR c.value IS DISTINCT FROM f.value) "
        "UNION SELECT c.report_id FROM cells c JOIN reports r ON r.id = c.report_id "
        "WHERE c.corrected AND c.key NOT IN (SELECT key FROM f WHERE f.sha256 = r.sha256) ORDER BY 1").fetchall()
    return [int(r[0]) for r in rows]


def refresh(con: duckdb.DuckDBPyConnection, report_ids: list[int], cross: bool = True,
            settings: Settings | None = None) -> None:
    """Bring the cells of ``report_ids`` in line with the corrections in force and run their audit again (with the
    thresholds of ``settings``); with ``cross``, then the cross-report audit over what they can change (else the
    next one covers them)."""
    if not report_ids:
        return
    for report_id in report_ids:
        _in_transaction(con, partial(_refresh_one, con, report_id, settings))
    if cross:
        audit_connection(con, resolve_corpus(None), write=True, full=False, keep=False)


def _refresh_one(con: duckdb.DuckDBPyConnection, report_id: int, settings: Settings | None) -> None:
    (sha,), = con.execute("SELECT sha256 FROM reports WHERE id = ?", [report_id]).fetchall()
    before = _stored_report(con, report_id)
    _sync_cells(con, report_id, in_force(con, sha))
    report = _stored_report(con, report_id)
    report.findings = _extraction_findings(before, settings)
    audit(report, settings)
    _replace_findings(con, report_id, report.findings)
    con.execute(f"DELETE FROM {AUDITED.name} WHERE report_id = ?", [report_id])


def _sync_cells(con: duckdb.DuckDBPyConnection, report_id: int, values: dict[str, float]) -> None:
    """Restore the printed number of cells whose correction was withdrawn, put the corrections in force."""
    keys = list(values)
    con.execute("DELETE FROM cells WHERE report_id = ? AND corrected AND raw IS NULL AND NOT list_contains(?, key)",
                [report_id, keys])
    con.execute("UPDATE cells SET value = printed, printed = NULL, corrected = false WHERE report_id = ? "
                "AND corrected AND NOT list_contains(?, key)", [report_id, keys])
    for key, value in values.items():
        con.execute("UPDATE cells SET printed = CASE WHEN corrected THEN printed ELSE value END, value = ?, "
                    "corrected = true WHERE report_id = ? AND key = ?", [value, report_id, key])
        (present,), = con.execute("SELECT count(*) FROM cells WHERE report_id = ? AND key = ?",
                                  [report_id, key]).fetchall()
        if not present:
            parts = key.split(".")
            block = parts[1] if parts[0] == "t2" else None
            row = parts[-2] if parts[0] != "t4" else None
            con.execute("INSERT INTO cells (report_id, key, tbl, block, row_key, col_key, raw, value, location, "
                        "corrected, printed) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, '{}', true, NULL)",
                        [report_id, key, parts[0], block, row, parts[-1], value])


def _stored_report(con: duckdb.DuckDBPyConnection, report_id: int) -> Report:
    """The report as stored (its cells in force, its stored findings)."""
    (path, sha, fmt, template, meta), = con.execute(
        "SELECT path, sha256, format, template, meta FROM reports WHERE id = ?", [report_id]).fetchall()
    cursor = con.execute("SELECT tbl, block, row_key, col_key, raw, value, location FROM cells WHERE report_id = ? "
                         "ORDER BY key", [report_id])
    names = [d[0] for d in cursor.description or ()]
    cells = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    sections = dict(con.execute("SELECT key, text FROM sections WHERE report_id = ?", [report_id]).fetchall())
    findings = [Finding(rule=rule, severity=severity, cells=json.loads(cells_ or "[]"),
                        expected=json.loads(expected or "null"), actual=json.loads(actual or "null"),
                        message=message, at=json.loads(location or "[]"))
                for rule, severity, cells_, expected, actual, message, location in con.execute(
                    f"SELECT {_FINDING_COLUMNS} FROM findings WHERE report_id = ? AND scope = 'report' "
                    "ORDER BY TRY_CAST(split_part(id, '.', 2) AS BIGINT)", [report_id]).fetchall()]
    return Report(source=Source(path=path, sha256=sha or "", format=fmt or ""), template=template,
                  meta=Meta.model_validate(json.loads(meta)), tables=rows_to_tables(cells), sections=sections,
                  findings=findings)


def _identity(finding: Finding) -> tuple[str, str, str]:
    return finding.rule, json.dumps(finding.cells), finding.message


def _extraction_findings(report: Report, settings: Settings | None = None) -> list[Finding]:
    """The stored findings the audit did not make: those of extraction (the audit of the report as it stands,
    with the same ``settings``, tells them apart)."""
    stored = list(report.findings)
    made = Counter(_identity(f) for f in audit(report, settings).findings[len(stored):])
    kept = []
    for finding in stored:
        if made[_identity(finding)]:
            made[_identity(finding)] -= 1
        else:
            kept.append(finding)
    return kept


def _replace_findings(con: duckdb.DuckDBPyConnection, report_id: int, findings: list[Finding]) -> None:
    con.execute("DELETE FROM findings WHERE report_id = ? AND scope = 'report'", [report_id])
    for n, finding in enumerate(findings, 1):
        f = finding.model_dump(mode="json")
        con.execute("INSERT INTO findings (id, report_id, scope, rule, severity, cells, expected, actual, message, "
                    "location) VALUES (?, ?, 'report', ?, ?, ?, ?, ?, ?, ?)",
                    [f"{report_id}.{n}", report_id, f["rule"], f["severity"], to_json(f["cells"]),
                     to_json(f["expected"]), to_json(f["actual"]), f["message"], to_json(f.get("at") or [])])
    counts = Counter(f.severity for f in findings)
    con.execute("UPDATE reports SET n_errors = ?, n_warnings = ?, n_infos = ? WHERE id = ?",
                [counts["error"], counts["warning"], counts["info"], report_id])


@dataclass(frozen=True)
class Refused:
    """A row of a corrections CSV that was not applied, and why."""

    line: int
    reason: str


def correct_from_file(con: duckdb.DuckDBPyConnection, path: Path, who: str | None = None
                      ) -> tuple[int, list[Refused]]:
    """Apply the rows of a corrections CSV (columns report_id, key, value, why; optional who), each checked on its
    own; returns how many were applied and the rows refused with their reasons. The reports corrected are audited
    again once, at the end."""
    rows = _csv_rows(path)
    applied, refused, touched = 0, list[Refused](), set[int]()
    for line, row in rows:
        try:
            target = _target(con, int(row["report_id"]))
            key = row["key"].strip()
            number = corrected_number(key, row["value"], _checked_key(con, target, key))
            reason = _why(row["why"])
        except ValueError:
            refused.append(Refused(line, f"报告编号不是整数：{row['report_id']!r}"))
            continue
        except NianbaoError as err:
            refused.append(Refused(line, f"{err.path}：{err.reason}"))
            continue
        _in_transaction(con, partial(_record, con, target, key, "correct", number, reason, row.get("who") or who))
        applied += 1
        touched.add(target.id)
    refresh(con, sorted(touched))
    return applied, refused


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a corrections CSV; a NianbaoError naming the file when it cannot be used at all."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise NianbaoError(str(path), "bad_corrections", f"修正文件缺少列：{'、'.join(missing)}")
            rows: list[tuple[int, dict[str, str]]] = []
            for row in reader:
                if len(rows) >= CSV_MAX_ROWS:
                    raise NianbaoError(str(path), "bad_corrections", f"修正文件超过 {CSV_MAX_ROWS} 行")
                rows.append((reader.line_num, {k: (v or "") for k, v in row.items() if k}))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NianbaoError(str(path), "unreadable", f"无法读取修正文件：{exc}") from None
    return rows
