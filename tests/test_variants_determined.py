"""The variation bench's measure of what a print determines (tests/variants/determined.py): a row whose print
fits the identities with its blanks in several places counts those cells undetermined, a row the identities
tie down counts none, rows that can be read differently together count the cells they move, and a form whose loss
is not modelled claims nothing."""

from __future__ import annotations

import random

from nianbao.report import Cell, Report
from nianbao.synth import consistent_report
from nianbao.values import parse_value, squash

from .variants.determined import undetermined
from .variants.reports import random_report
from .variants.score import bench_truth

REVIEW = ("review_upheld", "review_corrected", "review_other", "review_pending")


def _set(cells: dict[str, Cell], key: str, raw: str) -> None:
    cells[key] = Cell(raw=raw, value=parse_value(raw)[0], at=cells[key].at)


def _report(review: tuple[str, ...]) -> Report:
    """A consistent report whose 表四 prints the 行政复议 group as ``review`` (its four parts, then 总计)."""
    report = consistent_report("2021", seed=7)
    for key, raw in zip((*REVIEW, "review_total"), review, strict=True):
        _set(report.tables.t4, key, raw)
    return report


def test_a_row_whose_blank_fits_several_places_is_undetermined() -> None:
    """``1 1`` under 维持 纠错 其他 尚未审结 总计: the 1 may be any of the four parts, the 总计 is the last 1."""
    report = _report(("1", "", "", "", "1"))
    for form in ("txt-lines", "pdftotext-raw", "scraped-nosep"):
        found = undetermined(report, form)
        assert found is not None
        assert {key for key in found if key.startswith("t4.review")} == {f"t4.{key}" for key in REVIEW}


def test_a_row_the_identities_tie_down_is_determined() -> None:
    """A 表三 row printing a 0 between two other numbers as nothing: each column's sum over the rows places its
    values given the other rows, however its print loses the blank."""
    report = _report(("1", "0", "0", "0", "1"))
    row, key = next((row, keys[i]) for row in report.tables.t3.values() for keys in [list(row)]
                    for i in range(1, len(keys) - 1)
                    if row[keys[i]].raw == "0" and row[keys[i - 1]].value and row[keys[i + 1]].value)
    _set(row, key, "")
    for form in ("txt-lines", "scraped-nosep"):
        found = undetermined(report, form)
        assert found is not None
        assert not found & {f"t3.{name}.{col}" for name, cols in report.tables.t3.items() for col in cols}


def test_a_full_print_and_an_unmodelled_form_claim_nothing() -> None:
    """Every cell printed: values set apart are each in their column; glued digits still run together where no
    identity cuts them (表二's counts), but not where the types of the columns do (``107-37``: a count, then a
    signed count; ``000``: three zeros)."""
    report = consistent_report("2019", seed=3)
    assert undetermined(report, "txt-columns") == set()
    glued = undetermined(report, "scraped-nosep")
    assert glued is not None and glued
    assert "t2.art20_6.admin_penalty.decisions" in glued
    assert not {key for key in glued if key.startswith(("t2.art20_8.", "t2.art20_1.regulation."))}
    assert undetermined(report, "pdftotext") is None
    assert undetermined(report, "tab-rows") is None


def test_rows_that_move_together_are_undetermined() -> None:
    """A generated 2019 report whose 表三 prints 本年新收 as ``123116`` (12 3 1 ... 16) and 结转下年度 as ``314``
    (. 3 1 ... 4): either row alone is tied down by 一＋二＝（七）＋四 column by column, the other rows at their
    true values, but both read one column further right (3 under 科研机构, 1 under 社会公益组织) keep every identity
    too, so those cells are undetermined; the 总计 16, the only one the row's digits add up to, stays determined."""
    report = random_report(random.Random("0/7"))
    assert squash(report.tables.t3["new_received"]["commercial_enterprise"].raw) == "3"
    found = undetermined(report, "scraped-nosep")
    assert found is not None
    assert {"t3.new_received.commercial_enterprise", "t3.carried_forward.commercial_enterprise"} <= found
    assert "t3.new_received.total" not in found


def test_an_amount_printed_with_its_unit_glued_to_a_count_is_undetermined() -> None:
    """政府集中采购 printing 10450 项 and 4068.208万元 as ``104504068.208万元``: no identity ties the two, and 10 项
    of 4504068.208万元 reads as well, so both cells are undetermined (the unit is part of the amount's print)."""
    report = consistent_report("2019", seed=3)
    row = report.tables.t2["art20_9"]["central_procurement"]
    _set(row, "procurement_items", "10450")
    _set(row, "procurement_amount", "4068.208万元")
    found = undetermined(report, "scraped-nosep")
    assert found is not None
    assert {f"t2.art20_9.central_procurement.{key}" for key in ("procurement_items", "procurement_amount")} <= found


def test_a_whole_table_read_one_column_over_is_undetermined() -> None:
    """The same report printed in columns whose blank cells print nothing: 表三 read with every row's values one
    column further right wherever its blanks allow (自然人 blank throughout, 本年新收's 12 under 商业企业) keeps every
    identity the table keeps; no pair or triple of rows shows it, the search over all rows at once does."""
    report = random_report(random.Random("0/7"))
    found = undetermined(report, "txt-columns")
    assert found is not None
    assert {"t3.new_received.natural_person", "t3.result_total.natural_person"} <= found


def test_a_table_breaking_an_identity_its_print_could_keep_is_read_keeping_it() -> None:
    """表四's 行政复议 group printing ``1`` under 维持 and ``12`` under 总计 breaks 维持＋纠错＋其他＋尚未审结＝总计.
    Set apart (``1  12``) no reading keeps it, so the group is read without it and every cell is undetermined.
    Glued (``112``), the print keeps it read as two 1s and a 总计 of 2, which a reader not told what the table breaks
    cannot rule out: the places of the 1s are undetermined, the 总计 is not (the print settles it, wrongly, as 2)."""
    report = _report(("1", "", "", "", "12"))
    group = {f"t4.{key}" for key in REVIEW}
    apart, glued = undetermined(report, "txt-lines"), undetermined(report, "scraped-nosep")
    assert apart is not None and glued is not None
    assert group | {"t4.review_total"} <= apart
    assert group <= glued and "t4.review_total" not in glued


def test_a_table_too_large_to_read_together_is_narrowed_reading_by_reading() -> None:
    """Bench file 27 of seed 13 glues a 表三 of many blank cells (（七）总计 ``15725001408``): its rows' readings are
    too many to choose one per row at once, until each row's readings are tried one at a time; then every row read
    one column over keeps every identity too, so 157 under 自然人 is undetermined."""
    found = undetermined(bench_truth(13, 27, large=True), "scraped-nosep")
    assert found is not None and "t3.result_total.natural_person" in found


def test_a_glued_number_with_thousands_separators_is_read_as_printed() -> None:
    """Bench file 1 of seed 0 glues 行政规范性文件 ``36 23 2,371`` to ``36232,371``: ``232,371`` reads as well (a
    separator stands before three digits), and no identity tells them apart, so the cells are undetermined."""
    found = undetermined(bench_truth(0, 1, large=True), "scraped-nosep")
    assert found is not None and "t2.art20_1.normative_doc.in_force" in found
