"""The format data answers what the code used to spell: headings, titles, the 表四 header, the row one format prints
as data and the other as a group, the groups of keys the rules use, the headline cells, levels and templates."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nianbao.extract import extract
from nianbao.readers import read_bytes
from nianbao.render import render_text
from nianbao.render.grid import t4_grid
from nianbao.report import Meta, Report, Source
from nianbao.schema import catalogue, formats, runs
from nianbao.skeleton import skeleton
from nianbao.synth import consistent_report


def test_every_section_has_a_numbered_heading_and_every_table_its_section() -> None:
    fmt = formats()
    assert [s.heading.split("、", 1)[0] for s in fmt.sections] == ["一", "二", "三", "四", "五", "六"]
    assert [(t.key, t.section.kind) for t in fmt.tables] == [("t2", "table"), ("t3", "table"), ("t4", "table")]
    text = render_text(consistent_report("2021", 1), "tabs")
    assert all(s.heading in text for s in fmt.sections)


def test_the_t4_header_is_drawn_from_the_column_groups() -> None:
    columns = formats().t4_columns
    header = t4_grid(skeleton("2021"))[:-1]
    assert sum(s.colspan for s in header[0]) == len(columns)
    groups = [label for label, _ in runs(columns, 1)]
    assert [s.text for s in header[0]] == groups
    assert [s.text for s in header[-1]] == [c.label for c in columns if c.subgroup]
    assert len(header) == 3


def test_the_row_printed_as_data_in_one_format_is_a_group_in_the_other() -> None:
    fmt = formats()
    (split,) = fmt.t3_split_rows
    assert not split.is_group("2019") and split.is_group("2021")
    children = [r.key for r in fmt.t3_children(split.key)]
    assert children and all("2021" in fmt.t3_row(k).templates and "2019" not in fmt.t3_row(k).templates
                            for k in children)
    assert split.key not in {r.key for r in fmt.t3_data_rows("2021")}


def test_a_2021_report_printing_the_2019_row_is_flagged_mixed() -> None:
    report = consistent_report("2021", 2)
    split = formats().t3_split_rows[0]
    text = render_text(report, "tabs")
    children = formats().t3_children(split.key)
    first, last = text.index(children[0].label), text.index(children[-1].label)
    line_end = text.index("\n", last)
    row = split.label + "\t" + "\t".join(["0"] * len(formats().t3_columns))
    mixed = text[:first] + row + text[line_end:]
    found = extract(read_bytes(mixed.encode(), "mixed.txt"))
    assert any(f.rule == "S.template_mixed" and f.cells == [f"t3.{split.key}"] for f in found.findings)


def test_the_rules_groups_follow_from_the_row_and_column_roles() -> None:
    groups = catalogue().groups
    fmt = formats()
    assert "result_total" not in groups["t3_outcome_rows"] and "granted" in groups["t3_outcome_rows"]
    assert set(groups["t3_applicant_columns"]) == {c.key for c in fmt.t3_columns} - {"total"}
    assert set(groups["t3_outcome_rows"]) >= {r.key for r in fmt.t3_children("denied")}


def test_headline_cells_are_totals_and_cells_both_formats_print() -> None:
    cells = formats().headline_cells
    assert "t3.carried_over.total" not in cells and "t3.carried_forward.total" in cells
    for template in ("2019", "2021"):
        report = skeleton(template)
        assert all(report.cell(key) is not None for key in cells), template


def test_levels_and_templates_are_the_keys_the_data_lists() -> None:
    assert Meta(level="township").level == "township"
    with pytest.raises(ValidationError):
        Meta(level="village")
    with pytest.raises(ValidationError):
        Report(source=Source(path="", sha256="", format="data"), template="2030")
    fmt = formats()
    assert [fmt.template_for_year(y).key for y in (2019, 2020, 2021, 2025)] == ["2019", "2019", "2021", "2021"]
    assert fmt.body("county", "department") == fmt.levels["county"].label + fmt.levels["department"].body


def test_the_latest_format_and_the_t2_column_roles_come_from_the_data() -> None:
    fmt = formats()
    assert fmt.latest == fmt.template_for_year(2030).key == "2021"
    assert fmt.t2_templates_with("in_force") == ("2021",) and fmt.t2_templates_with("previous_items") == ("2019",)
    assert fmt.t2_templates_with("new_documents") == ("2019", "2021")
    assert {b.key for t in fmt.t2_templates_with("in_force") for b in fmt.t2[t]
            if any(c.role == "in_force" for c in b.columns)} == {"art20_1"}
    assert fmt.t2_rows_with("in_force") == ("art20_1.regulation", "art20_1.normative_doc")
    assert [row.split(".")[0] for row in fmt.t2_rows_with("previous_items")] == [
        "art20_5", "art20_5", "art20_6", "art20_6", "art20_8"]
    new = {t: next(c.key for b in fmt.t2[t] for c in b.columns if c.role == "new_documents") for t in fmt.t2}
    assert new == {"2019": "new_published", "2021": "issued"}
