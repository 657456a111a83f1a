"""Document → Report: sections, template, the three tables and metadata, with the structural
findings met on the way. Checks no arithmetic; that is the audit's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..collector import collection_paused
from ..document import CUT, READINGS, THIN, UNREADABLE, UNSURE, Document, Row
from ..findings import finding
from ..regions import Resolution
from ..report import Cell, Finding, Meta, Report, Source, Tables
from ..schema import cell_name, formats
from ..settings import ExtractSettings, Settings, resolve
from ..values import CUT_NUMBER, NUMBER
from .labels import norm_label
from .meta import extract_meta
from .outline import outline_findings
from .region import contract_region, ocr_division, ocr_township, region_of
from .rows import blanks_take_no_line, cell_kinds, regroup_loose
from .sections import Sections, find_sections, narrative
from .t2 import extract_t2
from .t3 import extract_t3, label_roles
from .t4 import extract_t4
from .template import detect_template, template_by_year

__all__ = ["Extracted", "extract", "extracted"]



def _first(rows: list[Row], start: int, test: object) -> int | None:
    for i in range(start, len(rows)):
        if test(rows[i]):  # type: ignore[operator]
            return i
    return None


def _regions(rows: list[Row], sections: Sections) -> tuple[int, int, int, int]:
    """Row ranges of 表二, 表三 and 表四: (t2 start, t3 start, t4 start, end)."""
    starts = sections.starts
    t2 = starts.get("proactive_disclosure", starts.get("overview", 0))
    note = norm_label(formats().t3_note_cell)[:8]
    t3 = starts.get("applications")
    if t3 is None:
        t3 = _first(rows, t2, lambda r: any(note in norm_label(c.text) for c in r.cells)) or len(rows)
    t4 = starts.get("review_litigation")
    if t4 is None or t4 < t3:
        header = norm_label(formats().t4_columns[0].group or "")
        t4 = _first(rows, t3, lambda r: any(norm_label(c.text) == header for c in r.cells)) or len(rows)
    later = [i for k, i in starts.items() if k in ("problems_improvements", "other_matters") and i > t4]
    return t2, t3, t4, min(later, default=len(rows))


def _overfull(rows: list[Row]) -> bool:
    """Whether ``rows`` (表四's section) hold more numbers than 表四 has cells: a page break printed some of 表三's
    values after 表四's heading (plain pdftotext lists a page's labels before their values)."""
    numbers = sum(cell_kinds(row).count(NUMBER) for row in rows)
    return numbers > len(formats().t4_columns)


def _template(rows: list[Row], year: int | None, findings: list[Finding], settings: ExtractSettings) -> str | None:
    template = detect_template(rows, settings)
    by_year = template_by_year(year)
    if template is None:
        if by_year:
            findings.append(finding("S.template_from_year", year=year, template=by_year))
        return by_year
    if by_year and by_year != template:
        findings.append(finding("S.template_year", template=template, year=year, expected=by_year))
    return template


def _mixed(template: str | None, t3: Mapping[str, object], findings: list[Finding]) -> None:
    """A row printed as data where the report's format prints it as a group, or the other way round."""
    if template is None:
        return
    spec = formats()
    for row in spec.t3_split_rows:
        where = f"{spec.table('t3').name}{row.label}"
        children = [c.key for c in spec.t3_children(row.key)]
        if row.is_group(template) and row.key in t3:
            findings.append(finding("S.template_mixed", cells=[f"t3.{row.key}"], where=where,
                                    actual=row.templates[0], template=template))
        elif not row.is_group(template) and set(children) & t3.keys():
            findings.append(finding("S.template_mixed", cells=[f"t3.{children[0]}"], where=where,
                                    actual=row.group_in[0], template=template))


def _missing_rows(template: str | None, t2: Mapping[str, Mapping[str, object]], t3: Mapping[str, object],
                  findings: list[Finding]) -> None:
    """A row of 表二 or 表三 its table was found without, that no finding already names: lost without a trace
    otherwise (a label no wording of the format matches, a label printed without its values)."""
    if template is None:
        return
    spec = formats()
    named = {".".join(cell.split(".")[:2 if cell.startswith("t3") else 3]) for f in findings for cell in f.cells}
    absent: list[tuple[str, str]] = []
    if t2:
        absent += [(f"t2.{block.key}.{row.key}", f"{block.caption}{row.label}")
                   for block in spec.t2[template] for row in block.rows if row.key not in t2.get(block.key, {})]
    if t3:
        absent += [(f"t3.{row.key}", row.label) for row in spec.t3_data_rows(template) if row.key not in t3]
    for key, label in absent:
        if key not in named:  # a finding naming the whole table (its key alone) names it too
            findings.append(finding("S.missing_row", cells=[key],
                                    where=f"{spec.table(key.partition('.')[0]).name}“{label}”"))


def _missing_sections(sections: Sections, findings: list[Finding]) -> None:
    for section in formats().sections:
        if section.key not in sections.starts:
            findings.append(finding("S.missing_section", number=section.number, label=section.label))


_UNREAD = "有字迹，但文字识别未能读出（放大、二值化后重读亦未读出）"
_THIN = "过窄（两条表格线几乎重合），无法判断是否空白"
_UNSURE = "文字识别读作“{}”，字形却是“{}”"
_CUT = "文字识别读作“{}”，但字迹越出格内、贴近表格线，完整的字形并非此符号（如顶横贴线的7被读成/）"


def _reason(at: dict[str, object]) -> str:
    """Why a cell a reader flagged was not read."""
    if at.get(UNREADABLE) == UNSURE:
        return _UNSURE.format(*at.get(READINGS, ("?", "?")))  # type: ignore[misc]
    if at.get(UNREADABLE) == CUT:
        return _CUT.format(*at.get(READINGS, ("?",)))  # type: ignore[misc]
    return _THIN if at.get(UNREADABLE) == THIN else _UNREAD


def _any_unreadable(grids: list[dict[str, Cell]]) -> bool:
    """Whether a cell of the rows ``grids`` holds print a reader could not read."""
    for cells in grids:  # loops, not any(): asked of every cell of every report
        for cell in cells.values():
            if UNREADABLE in cell.at:
                return True
    return False


def _unreadable(t2: dict[str, dict[str, dict[str, Cell]]], t3: dict[str, dict[str, Cell]],
                t4: dict[str, Cell]) -> list[Finding]:
    """Take out the cells whose print a reader could not read (their ``at`` says so): they are missing, each
    with a finding pointing at its place in the image, never a blank."""
    grids = [cells for block in t2.values() for cells in block.values()] + [*t3.values(), t4]
    if not _any_unreadable(grids):
        return []  # every cell read (all text, most scans)
    holders = [(f"t2.{block}.{row}", cells) for block, rows in t2.items() for row, cells in rows.items()]
    holders += [(f"t3.{row}", cells) for row, cells in t3.items()] + [("t4", t4)]
    findings: list[Finding] = []
    for prefix, cells in holders:
        if not any(UNREADABLE in cell.at for cell in cells.values()):
            continue  # most rows: every cell read
        for column in [c for c, cell in cells.items() if cell.at.get(UNREADABLE)]:
            cell = cells.pop(column)
            key = f"{prefix}.{column}"
            findings.append(finding("S.unreadable_cell", cells=[key], where=cell_name(key), reason=_reason(cell.at),
                                    page=cell.at.get("page", "?"), at=[cell.at]))
    return findings


@dataclass(frozen=True, slots=True)
class Extracted:
    """A report read out of a Document, and the division resolution behind its ``meta.region`` (with the
    candidates of a name that fits several divisions)."""

    report: Report
    region: Resolution


def _unless_cut(key: str, rows: list[Row], read: tuple[Any, list[Finding]]) -> tuple[Any, list[Finding]]:
    """A table's cells and findings as read, unless one of its rows prints a number cut at a thousands separator
    (a narrow cell wrapping ``1，674`` after the comma): then where its pieces belong no row says, and none of the
    table's cells is taken (S.numbers_cut)."""
    cut = next(((row, word) for row in rows for cell in row.cells if "," in cell.text or "，" in cell.text
                for word in _cut_words(cell.text)), None)
    if cut is None:
        return read
    name = formats().table(key).name
    return {}, [finding("S.numbers_cut", cells=[key], where=name, piece=cut[1], at=[cut[0].at])]


def _cut_words(text: str) -> list[str]:
    """The words of a cell's text that are a number cut at its thousands separator (``CUT_NUMBER``), but a
    separator alone that text goes on after (``, 不计其他情形``: a label's punctuation wrapped to its line's start)."""
    words = text.split()
    return [word for word, after in zip(words, [*words[1:], ""], strict=True) if CUT_NUMBER.fullmatch(word)
            and not (word in ",，" and after and not after[0].isdigit())]


@collection_paused
def extract(document: Document, settings: Settings | dict[str, object] | None = None) -> Report:
    """Read the report out of a Document; structural problems become findings."""
    return extracted(document, settings).report


@collection_paused
def extracted(document: Document, settings: Settings | dict[str, object] | None = None) -> Extracted:
    """``extract``, with the division resolution of the report's agency."""
    options = resolve(settings).extract
    rows = list(document.rows())
    sections = find_sections(rows, options)
    t2_start, t3_start, t4_start, end = _regions(rows, sections)
    first_heading = min(sections.starts.values(), default=-1)
    meta = extract_meta(rows, first_heading, first_heading if first_heading > 0 else t2_start, options,
                        str(document.meta.get("title", "")))
    findings: list[Finding] = []
    template = _template(rows, meta.year, findings, options)
    least = options.loose_min_values
    t2_rows = regroup_loose(rows[t2_start:t3_start], least)
    after_t3 = rows[t4_start].at.get("line") if t4_start < len(rows) else None
    t3_rows = regroup_loose(rows[t3_start:t4_start], least, len(formats().t3_columns), label_roles(options, template),
                            after_t3 if isinstance(after_t3, int) else None)
    t2, f2 = extract_t2(t2_rows, template, options, lambda: blanks_take_no_line(t3_rows, len(formats().t3_columns)),
                        meta.year) if template else ({}, [])
    t3, f3 = extract_t3(t3_rows, template, options, _overfull(rows[t4_start:end]), meta.year)
    after_t4 = rows[end].at.get("line") if end < len(rows) else None
    t4, f4 = extract_t4(rows[t4_start:end], template, options, after_t4 if isinstance(after_t4, int) else None,
                        meta.year)
    (t2, f2), (t3, f3), (t4, f4) = (_unless_cut(table, rows, found) for table, rows, found in (
        ("t2", t2_rows, (t2, f2)), ("t3", t3_rows, (t3, f3)), ("t4", rows[t4_start:end], (t4, f4))))
    findings += f2 + f3 + f4 + _unreadable(t2, t3, t4)
    tables: dict[str, Mapping[str, object]] = {"t2": t2, "t3": t3, "t4": t4}
    for table in formats().tables:
        if not tables[table.key]:
            findings.append(finding("S.missing_table", cells=[table.key], label=table.long_name))
    _mixed(template, t3, findings)
    _missing_rows(template, t2, t3, findings)
    _missing_sections(sections, findings)
    findings += outline_findings(rows, sections, options)
    if meta.title_year and meta.period_year and meta.title_year != meta.period_year:
        findings.append(finding("X.year", actual=meta.title_year, expected=meta.period_year))
    texts = {key: narrative(rows, sections, key) for key in ("overview", "problems_improvements", "other_matters")}
    region = region_of(meta.agency, meta.year, texts.values(), rows, options)
    if meta.agency and document.meta.get("ocr_pages"):
        meta.agency, region, places = ocr_division(meta.agency, meta.year, region, rows)
        meta.agency, region, townships = ocr_township(meta.agency, meta.level, meta.year, region, rows)
        findings += places + townships
    report = Report(
        source=Source(path=document.path, sha256=document.sha256, format=document.format),
        template=template,
        meta=Meta(agency=meta.agency, year=meta.year, published=meta.published, published_from=meta.published_from,
                  region=contract_region(region), level=meta.level),
        tables=Tables.model_construct(t2=t2, t3=t3, t4=t4),  # cells the extractor made: not checked one by one again
        sections=texts,
        findings=findings,
    )
    return Extracted(report, region)

