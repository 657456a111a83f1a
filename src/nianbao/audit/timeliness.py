"""Report date + level → timeliness finding: published after the deadline in force, or no date to check.

The date is the report's own (signature, or a date line under the title) or its page's (``meta.published_from``
says which). The deadline
is the calendar entry that fits the report best (unit, year, region, level), else 条例第49条 by level
(settings ``audit.deadlines``). ``load_calendar`` reads a calendar file (CSV or YAML) into settings entries.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import NianbaoError
from ..findings import finding
from ..report import Finding, Report
from ..schema import formats
from ..settings import AuditSettings, Deadline, Settings, resolve
from ..values import squash

_SOURCES = {"signature": "落款日期", "heading": "标题下所署日期", "page": "网页发布日期"}
_BASIS = "条例第四十九条"


def _unit_fits(unit: str, agency: str | None) -> bool:
    name, wanted = squash(agency or ""), squash(unit)
    return bool(name) and (name == wanted or name.endswith(wanted) or wanted.endswith(name))


def _rank(entry: Deadline, report: Report) -> tuple[int, int, int, int] | None:
    """How specifically ``entry`` covers the report (higher is more specific); None when it does not."""
    meta = report.meta
    code = meta.region.code if meta.region and meta.region.code else ""
    if entry.unit and not _unit_fits(entry.unit, meta.agency):
        return None
    if entry.year is not None and entry.year != meta.year:
        return None
    if entry.level and entry.level != meta.level:
        return None
    if entry.region and not code.startswith(entry.region):
        return None
    return (1 if entry.unit else 0, 1 if entry.year else 0, len(entry.region or ""), 1 if entry.level else 0)


def _on(deadline: str, year: int) -> date:
    parts = [int(p) for p in deadline.split("-")]
    return date(*parts) if len(parts) == 3 else date(year + 1, parts[0], parts[1])


def deadline_for(report: Report, settings: AuditSettings) -> tuple[date, str] | None:
    """The deadline in force for the report and what sets it; None when nothing does (乡镇 without a calendar)."""
    year, level = report.meta.year, report.meta.level
    assert year is not None
    ranked = [(rank, entry) for entry in settings.calendar if (rank := _rank(entry, report)) is not None]
    if ranked:
        _, entry = max(ranked, key=lambda pair: pair[0])
        return _on(entry.deadline, year), "公布期限表"
    if level in settings.deadlines:
        return _on(settings.deadlines[level], year), _BASIS
    return None


def timeliness_findings(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    """C.published_late when the report's date is after its deadline; C.undated when it cannot be checked."""
    meta = report.meta
    if not meta.published:
        yield finding("C.undated", why="报告未署日期（成文日期或网页发布日期）")
        return
    if meta.year is None:
        yield finding("C.undated", why="未能确定报告年度")
        return
    if meta.level is None and not settings.calendar:
        yield finding("C.undated", why="未能确定报告单位的层级")
        return
    try:
        published = date.fromisoformat(meta.published)
        found = deadline_for(report, settings)
    except ValueError:
        yield finding("C.undated", why=f"日期“{meta.published}”无法识别")
        return
    if found is None:
        return
    deadline, basis = found
    if published.year > meta.year + settings.late_years_max:
        yield finding("C.undated", why=f"报告日期{published.isoformat()}与报告年度{meta.year}年相距过远"
                                       "（年度或日期可能有误）")
    elif published > deadline:
        source = _SOURCES.get(meta.published_from or "", "报告日期")
        yield finding("C.published_late", actual=published.isoformat(), expected=deadline.isoformat(), source=source,
                      published=published.isoformat(), deadline=deadline.isoformat(),
                      level=level_bodies(meta.level), basis_text=basis,
                      days=(published - deadline).days)


def level_bodies(level: str | None) -> str:
    """The bodies of a level as the deadline rule names them (报告单位 when the level is unknown)."""
    return formats().body(level) if level is not None and level in formats().levels else "报告单位"


def _level_key(written: str) -> str | None:
    """The level a deadline entry names, by key or in words (省级, 乡镇…); None for every level (``*`` or blank)."""
    if written in ("*", ""):
        return None
    return next((lv.key for lv in formats().levels.values() if written in lv.aliases), written)


def _entry(row: dict[str, Any], name: str) -> Deadline:
    values = {k.strip().lower(): (str(v).strip() if v is not None else "") for k, v in row.items() if k}
    level = values.get("level", "")
    try:
        return Deadline(deadline=values.get("deadline") or values.get("date", ""),
                        unit=values.get("unit") or None,
                        level=_level_key(level),
                        year=int(values["year"]) if values.get("year") else None,
                        region=values.get("region") or None)
    except (ValidationError, ValueError) as exc:
        raise NianbaoError(name, "bad_reference", f"a deadline entry is invalid ({row}): "
                                                  f"{str(exc).splitlines()[0]}") from None


def load_calendar(path: str | Path) -> tuple[Deadline, ...]:
    """Deadline calendar entries from a CSV (header ``deadline`` and any of ``unit,level,year,region``) or a
    YAML list of mappings with the same keys."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise NianbaoError(name, "unreadable", exc.strerror or str(exc)) from None
    if name.lower().endswith((".yaml", ".yml")):
        import yaml

        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise NianbaoError(name, "bad_reference", f"not valid YAML: {str(exc).splitlines()[0]}") from None
        rows = data.get("deadlines", []) if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise NianbaoError(name, "bad_reference", "a deadline calendar is a list of mappings with a deadline")
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "deadline" not in [f.strip().lower() for f in reader.fieldnames]:
            raise NianbaoError(name, "bad_reference", "a deadline calendar needs the column deadline")
        rows = list(reader)
    return tuple(_entry(row, name) for row in rows)


def with_calendar(settings: Settings | None, path: str | Path | None) -> Settings:
    """``settings`` (the built-in ones when None) with the deadline calendar of the file at ``path`` in place of
    theirs, when a file is given."""
    options = resolve(settings)
    if path is None:
        return options
    return options.model_copy(update={"audit": options.audit.model_copy(update={"calendar": load_calendar(path)})})
