"""Every tolerance, threshold and limit, as validated settings objects with named defaults.

Public functions take ``settings=None | dict | Settings`` and call ``resolve``.
"""
# No ``from __future__ import annotations``: the models' annotations are evaluated once, as the module loads,
# not compiled again from their text by pydantic for every field.

import json
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import NianbaoError

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_ARCHIVE_MEMBERS = 10000
DEFAULT_TIMEOUT_SECONDS = 120.0
DEFAULT_MAX_MEMORY_BYTES = 4 * 1024 * 1024 * 1024
DEFAULT_CONTINUATION_MAX_CHARS = 16
DEFAULT_MIN_FRAGMENT_CHARS = 4
DEFAULT_FUZZY_MIN_RATIO = 0.72
DEFAULT_LABEL_MAX_CHARS = 80
DEFAULT_AMOUNT_WAN_YUAN_SUSPECT = 10000.0
DEFAULT_RISK_MIN_CASES = 1
DEFAULT_RISK_CORRECTION_RATE = 0.0
DEFAULT_RISK_MIN_APPLICATIONS = 10
DEFAULT_RISK_SHARE = 0.3
DEFAULT_DEADLINES = {"department": "01-31", "county": "03-31", "city": "03-31", "province": "03-31"}
"""条例第49条: departments of governments at county level and above publish by 31 January, the governments'
own reports by 31 March (month-day of the year after the report year). 乡镇、街道 are not named there: their
deadline is set locally and comes from a deadline calendar."""


class _Settings(BaseModel):
    """Settings objects: their validators are built when first used (settings read from a file or a dict), so that
    a start with the defaults builds none."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReaderSettings(_Settings):
    """Limits applied when a file is read."""

    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, gt=0, description="larger files are refused")
    max_unzipped_bytes: int = Field(DEFAULT_MAX_UNZIPPED_BYTES, gt=0, description="DOCX/OFD archives that would "
                                    "unpack to more are refused (zip bomb)")
    max_archive_members: int = Field(DEFAULT_MAX_ARCHIVE_MEMBERS, gt=0, description="DOCX/OFD archives with more "
                                     "members are refused")
    timeout_seconds: float = Field(DEFAULT_TIMEOUT_SECONDS, ge=0, description="a file that takes longer is abandoned "
                                   "with a `timeout` error (0: no limit)")
    max_memory_bytes: int = Field(DEFAULT_MAX_MEMORY_BYTES, gt=0, description="address-space cap of batch worker "
                                  "processes")
    max_image_pixels: int = Field(120_000_000, gt=0, description="images with more pixels are refused "
                                  "(decompression bombs); an A4 page at 600 dpi has 35 M")
    max_image_frames: int = Field(500, gt=0, description="at most this many pages of a multi-page TIFF are read")


class PageSettings(_Settings):
    """How a page of positioned characters and ruling lines (PDF, OFD, an OCR'd scan) is rebuilt into text lines and
    table grids. Lengths are in points (1/72 inch); shares are of a character's height unless said otherwise."""

    same_line_share: float = Field(0.35, ge=0, description="chars whose baselines differ by less than this share "
                                   "of their height share a line")
    space_gap_share: float = Field(0.15, ge=0, description="a gap wider than this share of the char height is a space")
    digit_gap_share: float = Field(0.05, ge=0, description="in a PDF without ruled tables, a gap between two digits "
                                   "wider than this share of their height parts two numbers (a number's own digits "
                                   "touch)")
    wide_space_gap_share: float = Field(1.5, ge=0, description="between two CJK chars only a gap wider than this "
                                        "share is a space")
    duplicate_pt: float = Field(1.0, ge=0, description="a copy of the same char within this distance is "
                                "\"fake bold\" overprint and dropped")
    row_cell_values: int = Field(3, ge=2, description="a ruled table's cell holding this many numbers or blank "
                                 "marks set apart is a whole row of a table drawn without its inner lines: the "
                                 "table is read by the position of its text instead")
    cell_gap_heights: float = Field(4.0, gt=0, description="in a file with ruled tables, a line ending in a number "
                                    "or blank mark that a gap of this many char heights parts from the text before "
                                    "it is a row of a table drawn without lines: its run of lines is read by position")
    wrap_gap_heights: float = Field(1.5, gt=0, description="in a table read by position, a line of text standing "
                                    "further below the line above than this many line heights is none of its "
                                    "wrapped text (a row of blank cells printing its label alone under a row)")
    stacked_label_share: float = Field(0.75, gt=0, lt=1, description="in a table read by position, a line of "
                                       "text nearer one row's values than the next row's is a piece of its label "
                                       "when within this share of the page's smallest distance between two rows")
    stacked_label_slack: float = Field(0.25, ge=0, description="a row's label pieces above and below its values "
                                       "balance when each pair stands as far from them within this share of the "
                                       "line's height")
    snap_pt: float = Field(3.0, ge=0, description="ruling lines closer than this meet (pdfplumber's snap, join and "
                           "intersection tolerances)")
    thin_fill_pt: float = Field(2.5, ge=0, description="a filled rectangle at most this thick is a ruling line, "
                                "a thicker one is shading")
    axis_slack_pt: float = Field(0.5, ge=0, description="a segment whose ends differ by less than this across its "
                                 "axis is straight; cell boundaries closer than this are one")
    sides_max_segments: int = Field(2000, ge=0, description="a frame whose horizontal rules hold more segments "
                                    "gets no cell sides from their ends (a page of 表三 drawn cell by cell holds a few "
                                    "hundred; the work grows with their square)")
    margin_share: float = Field(0.1, ge=0, le=0.5, description="running headers and footers sit in this share of "
                                "the page height at the top or bottom")
    repeated_page_share: float = Field(0.5, gt=0, le=1, description="a margin line found on at least this share of "
                                       "the pages is a running header or footer and dropped")
    max_header_rows: int = Field(4, ge=0, description="at most this many header rows repeated at the top of a table "
                                 "continued on the next page are dropped")
    white_level: int = Field(245, ge=0, le=255, description="a PDF or OFD colour whose R, G and B are all at least "
                             "this is invisible on paper (its paths draw no ruling line)")
    loose_box_max_ratio: float = Field(3.0, gt=0, description="a PDF char box this many times taller than the page's "
                                       "median one is garbage and replaced by the glyph's ink box")
    eof_tail_bytes: int = Field(4096, gt=0, description="a complete PDF has %%EOF within this many bytes of its end")
    ofd_ascent: float = Field(0.88, ge=0, description="share of an OFD font size above the baseline (CJK em square)")
    ofd_descent: float = Field(0.12, ge=0, description="share of an OFD font size below the baseline")
    ofd_narrow_advance: float = Field(0.5, gt=0, description="advance of a non-CJK OFD glyph without DeltaX, as a "
                                      "share of the font size")


class ScanSettings(_Settings):
    """How scanned pages are found and read by OCR: resolution, ruling lines, text boxes and cells read again.
    Lengths are in points (1/72 inch), areas in square points."""

    work_dpi: int = Field(200, ge=50, description="pages are OCR'd at this resolution at most (finer scans are "
                          "scaled down first)")
    render_dpi: int = Field(200, ge=50, description="PDF pages that are scans are rendered at this resolution for OCR")
    default_dpi: int = Field(200, ge=50, description="the resolution assumed for an image that does not state a "
                             "plausible one")
    min_stated_dpi: int = Field(100, gt=0, description="a stated resolution below this is a screen default "
                                "(72/96 dpi), not the scan's")
    scan_coverage: float = Field(0.5, ge=0, le=1, description="pictures covering at least this share of a PDF or OFD "
                                 "page make it a scan unless its text says otherwise")
    min_content_ideographs: int = Field(20, ge=0, description="a text layer with fewer distinct CJK ideographs "
                                        "(a tiled watermark counts once) over such pictures is no page: it is OCR'd")
    max_unmapped_share: float = Field(0.1, ge=0, le=1, description="a PDF page whose text layer has at least this "
                                      "share of glyphs without a Unicode mapping (a font embedded without one) is "
                                      "OCR'd")
    ink_level: int = Field(160, ge=0, le=255, description="a grey value at or below this is ink; a page without any "
                           "is blank and skipped")
    binary_block_pt: float = Field(18.0, gt=0, description="window of the adaptive threshold that separates ink "
                                   "from paper")
    binary_offset: int = Field(15, ge=0, description="how much darker than its surroundings a pixel must be to "
                               "count as ink")
    min_rule_pt: float = Field(24.0, gt=0, description="a straight stroke at least this long is a ruling line "
                               "(longer than any glyph stroke)")
    max_rule_pt: float = Field(4.0, gt=0, description="a stroke thicker than this is a filled area, not a ruling line")
    min_row_side_pt: float = Field(12.0, gt=0, description="a vertical stroke at least this long that joins two "
                                   "horizontal ruling lines is a row's side (longer than a glyph stroke of a cell's "
                                   "text) where strokes close the two lines at both ends")
    skew_line_share: float = Field(0.25, gt=0, le=1, description="lines at least this share of the page width long "
                                   "give the skew angle")
    min_skew_deg: float = Field(0.05, ge=0, description="pages skewed less than this are left as they are")
    max_skew_deg: float = Field(5.0, ge=0, description="a larger angle is not skew: nothing is turned")
    threads: int = Field(0, ge=0, description="pages read at once, and model runs at once, each on one core "
                         "(0: one per core)")
    det_dpi: int = Field(140, ge=50, description="text is detected at this resolution (coarser is faster, but at "
                         "120 dpi a 7 was read as 1)")
    max_det_side: int = Field(4000, ge=100, description="a page whose side at det_dpi would be longer is detected "
                              "smaller still (memory)")
    det_margin_pt: float = Field(12.0, ge=0, description="the detector sees the extent of the page's text and this "
                                 "much paper around it, not the margins")
    min_ink_pt2: float = Field(0.75, ge=0, description="an ink speck smaller than this is noise, not text")
    squeeze_from: float = Field(4.0, gt=0, description="a line image longer than this many times its height is "
                                "narrowed before it is read …")
    line_squeeze: float = Field(0.5, gt=0, le=1, description="… to this share of its length, never below "
                                "squeeze_from heights (recognition costs per column; at 0.4 digits were lost)")
    text_score: float = Field(0.5, ge=0, le=1, description="a line read with less confidence is dropped "
                              "(rapidocr's own default)")
    vertical_ratio: float = Field(1.5, gt=1, description="a text box at least this many times taller than wide holds "
                                  "a column of characters")
    narrow_width: float = Field(0.5, gt=0, description="width of a Latin letter, digit or space relative to a CJK "
                                "character, for splitting a text box into characters")
    wide_comma_gap: float = Field(0.4, gt=0, description="a gap in a number's ink at least this share of the "
                                  "ink's height after a thousands separator OCR read is a full-width comma's (，), "
                                  "a narrower one an ASCII comma's (,)")
    slash_lean: float = Field(0.25, gt=0, description="ink whose centre moves left by at least this share of its "
                              "drop, top to bottom, leans right like a slash")
    bar_share: float = Field(0.8, gt=0, le=1, description="tall ink with a row in its top quarter inked across at "
                             "least this share of its width has a bar (a 7), so it is no slash")
    seven_overhang: float = Field(0.3, gt=0, le=1, description="a digit's blot is a 7 only when its top bar reaches "
                                  "this share of its width further right than its bottom quarter's ink")
    cell_inset_pt: float = Field(2.0, ge=0, description="a table cell's inside: its box less this much on every side "
                                 "(ruling lines and their blur)")
    print_ink_pt2: float = Field(3.0, ge=0, description="a blot at least this large inside a cell OCR left blank is "
                                 "print, not a speck: the cell is read again")
    retry_margin: float = Field(0.5, ge=0, description="a blank cell's print is cut out with this share of its height "
                                "as margin before it is read again")
    retry_scales: tuple[float, ...] = Field((2.0, 3.0), min_length=1, description="the print of a cell OCR left "
                                            "blank is read again enlarged this many times, grey then black")
    min_reread_pt: float = Field(3.0, ge=0, description="a second reading is taken only from print at least this "
                                 "tall (a digit; not a dash or a smudge)")
    dash_max_pt: float = Field(3.0, ge=0, description="a cell's print that is one bar at most this thick (blur "
                               "thickens a hairline to 2–3 pt in a 150 dpi scan) …")
    dash_min_ratio: float = Field(1.3, gt=0, description="… and at least this many times as long is a dash, …")
    em_dash_min_pt: float = Field(6.0, ge=0, description="… an em dash (—) when at least this long (one em of a "
                                  "table's type), else a hyphen (-)")


class LayoutSettings(_Settings):
    """How flattened text (text files, dumps, scraped pages) is rebuilt into table rows."""

    continuation_max_chars: int = Field(DEFAULT_CONTINUATION_MAX_CHARS, ge=1, description="longest line joined to "
                                        "the cell above it")
    page_number_max_chars: int = Field(40, ge=1, description="a longer line is never a page number line "
                                       "(- 4 -, 第 2 页 共 4 页)")
    wrap_min_numbers: int = Field(3, ge=1, description="only a line ending in at least this many numbers is a row "
                                  "whose numbers may be wrapped over the lines around it")
    column_gap: int = Field(2, ge=1, description="this many spaces in a row show it laid out in columns "
                            "(pdftotext -layout), so that pieces of its wrapped numbers join by position")
    wrap_reach: int = Field(2, ge=1, description="lines above and below a row that pieces of its wrapped numbers "
                            "may sit on")
    page_number_blank_lines: int = Field(2, ge=0, description="a bare number at a page's edge is its page number "
                                         "when this many empty lines set it apart from the page's body")
    columns_jitter: int = Field(1, ge=0, description="in space-aligned rows, a value's span is widened by this "
                                "many characters on each side before spans that overlap become one column")
    columns_min_rows: int = Field(2, ge=1, description="a stretch of space-aligned rows is read by position from "
                                  "this many rows")
    columns_min_width: int = Field(5, ge=2, description="only stretches of at least this many columns are read by "
                                   "position (the wide tables 表三 and 表四)")
    columns_extra: int = Field(2, ge=0, description="a stretch of space-aligned rows continuing a table over a page "
                               "break that shows up to this many columns more than the page before is read in the "
                               "page before's columns, where exactly one way joins its adjacent columns so")
    columns_heading_chars: int = Field(12, ge=1, description="a numbered line of at least this many characters with "
                                       "no value after it is a section heading, which ends a stretch of rows")
    columns_header_reach: int = Field(24, ge=1, description="a space-aligned row no stretch places is placed under "
                                      "the columns of the header lines found within this many lines above it")
    columns_header_max_cells: int = Field(200, ge=1, description="header lines holding more cells than this in all "
                                          "are not read as a table's header")
    label_wrap_lines: int = Field(4, ge=1, description="in space-aligned text, a row's label wraps over at most this "
                                  "many lines on each side of the line holding its values")


class ScrapedSettings(_Settings):
    """How a crawler's dump of a web page (the whole report on a few lines, page chrome around it) is cut into
    report lines."""

    short_label_chars: int = Field(4, ge=1, description="a 表三 row label shorter than this (numbering left out) "
                                   "is cut at only where printed with its numbering")
    long_line_chars: int = Field(80, ge=1, description="text with a line at least this long holding a numbered "
                                 "section heading after other text is a scraped page")
    chrome_head_chars: int = Field(800, ge=1, description="page chrome words are looked for in this many first "
                                   "characters")
    min_chrome_words: int = Field(2, ge=1, description="text holding this many words that only page chrome prints "
                                  "(当前位置, 分享到, 打印本页 …) near its start is a scraped page")
    signature_reach_chars: int = Field(40, ge=0, description="the signing body is looked for within this many "
                                       "characters before the signature's date")


class ExtractSettings(_Settings):
    """How a report is read out of its rows: labels matched to the official rows, tables printed one cell per line,
    the format, the section headings and the metadata (title, dates, signature, division)."""

    min_fragment_chars: int = Field(DEFAULT_MIN_FRAGMENT_CHARS, ge=2, description="shortest text matched as part "
                                    "of a label")
    fuzzy_min_ratio: float = Field(DEFAULT_FUZZY_MIN_RATIO, gt=0, le=1, description="similarity needed to match a "
                                   "misspelt label")
    label_max_chars: int = Field(DEFAULT_LABEL_MAX_CHARS, ge=10, description="longer texts are never taken as labels")
    loose_min_values: int = Field(3, ge=1, description="a run of one-cell lines is read as a table printed one cell "
                                  "per line only when at least this many of them are bare values, one a number")
    template_cell_max_chars: int = Field(60, ge=1, description="only cells at most this long are searched for the "
                                         "labels that tell the report's format")
    heading_max_chars: int = Field(60, ge=1, description="a longer line is never a section heading")
    heading_label_max_chars: int = Field(40, ge=1, description="… nor is a line whose text, numbering, spaces and "
                                         "punctuation left out, is longer")
    heading_slack_chars: int = Field(12, ge=0, description="a heading may run at most this many characters past the "
                                     "official heading it starts with")
    cue_heading_max_chars: int = Field(24, ge=1, description="a numbered line is a heading by its section's cue words "
                                       "(in any wording) only when at most this long")
    numbering_start_chars: int = Field(12, ge=1, description="a line's numbering (一、) is read from at most this "
                                       "many first characters when the outline is checked")
    outline_quote_chars: int = Field(30, ge=1, description="the numbered lines a finding on the outline lists "
                                     "are quoted up to this many characters")
    title_lookahead_rows: int = Field(12, ge=1, description="with no section heading found, the title is looked for "
                                      "in this many first rows; so is a date line under the title")
    title_max_chars: int = Field(60, ge=1, description="a longer line is never a title, nor a part of one broken "
                                 "over lines")
    head_rows_max: int = Field(400, ge=1, description="the title and the page's fields (来源, 发布机构, 成文日期, "
                               "发布时间) are looked for in at most this many first rows")
    period_rows: int = Field(60, ge=1, description="when the introduction does not state the period (YYYY年1月1日), "
                             "it is looked for in this many first rows")
    date_line_max_chars: int = Field(24, ge=1, description="a longer line is never a date line (the signature's "
                                     "date, a date under the title)")
    signature_rows: int = Field(40, ge=1, description="the signature (date and signing body), and the page's fields "
                                "printed after the report, are looked for in this many last rows")
    signing_body_min_chars: int = Field(4, ge=1, description="a signing body's name is at least this long …")
    signing_body_max_chars: int = Field(30, ge=1, description="… and at most this long")
    region_front_rows: int = Field(30, ge=0, description="a division name left open by the agency's name and the "
                                   "narrative is settled by the names in this many first rows …")
    region_back_rows: int = Field(10, ge=0, description="… and this many last rows (title, signature, page fields)")
    glued_part_max_chars: int = Field(12, ge=1, description="longest text one cell may take from values printed with "
                                      "no separator (counts past 10¹¹, or amounts with their decimals)")
    glued_max_nodes: int = Field(50_000, ge=1, description="search steps one row of such values may cost before its "
                                 "cells are left missing")
    glued_format_nodes: int = Field(300, ge=1, description="search steps spent to tell whether a row's digits alone "
                                    "allow one split (its finding then names no identity)")
    glued_rounds: int = Field(12, ge=0, description="rounds of dropping the splits of rows tied by an identity that no "
                              "choice of the other rows' splits can satisfy")
    glued_max_sums: int = Field(20_000, ge=1, description="a row is not narrowed by an identity when the other rows' "
                                "splits add up to more than this many distinct sums")
    glued_joint_nodes: int = Field(20_000, ge=1, description="search steps spent choosing one split per row so that "
                                   "every identity tying rows holds")
    glued_shave_tries: int = Field(600, ge=0, description="splits of rows tied by identities tried one at a time, "
                                   "the identities propagated, when choosing one split per row is too large to search")
    glued_slack: int = Field(2, ge=0, description="glued rows breaking their own sums are read by the identities tying "
                             "rows, by the splits breaking the fewest of them: at most this many")
    glued_shown: int = Field(6, ge=1, description="candidate splits a finding lists")
    glued_slips: int = Field(2, ge=0, description="rows of a table whose own sums no placement of their values keeps "
                             "(a number misprinted) past which the rows tied to them are not placed by supposing each "
                             "cell of theirs in turn the misprint")
    glued_broken_share: float = Field(0.3, gt=0, le=1, description="an identity that several rows printing a "
                                      "number other than 0, and this share of those it checks, have no split for is "
                                      "broken by the table's print (a 总计 column left blank): the splits it singles "
                                      "out in other rows are not taken")


class Deadline(_Settings):
    """One entry of a deadline calendar: the date by which the reports it covers must be published.

    ``deadline`` is a full date (``2024-01-31``) or a month-day of the year after the report year
    (``01-31``); ``unit``, ``level``, ``year`` and ``region`` (a division code prefix) narrow what it covers
    (everything when absent)."""

    deadline: str = Field(pattern=r"^(\d{4}-)?\d{1,2}-\d{1,2}$")
    unit: str | None = None
    level: str | None = None
    year: int | None = None
    region: str | None = None


class AuditSettings(_Settings):
    """Thresholds of the heuristic rules."""

    amount_wan_yuan_suspect: float = Field(DEFAULT_AMOUNT_WAN_YUAN_SUSPECT, gt=0, description="amounts (万元) from "
                                           "which `T2.amount_unit` asks about the unit")
    deadlines: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES),
                                      description="`C.published_late`: publication deadline by level (条例第49条; "
                                      "month-day of the next year)")
    calendar: tuple[Deadline, ...] = Field((), description="deadline calendar entries (`deadline` with any of `unit`, "
                                           "`level`, `year`, `region`); the most specific entry that fits a report "
                                           "replaces `audit.deadlines`")
    risk_min_cases: int = Field(DEFAULT_RISK_MIN_CASES, ge=1, description="`R.*_correction`: concluded 复议/诉讼 "
                                "cases needed before a 纠错率 is reported")
    risk_correction_rate: float = Field(DEFAULT_RISK_CORRECTION_RATE, ge=0, le=1, description="`R.*_correction`: "
                                        "纠错率 from which it is reported (0: any correction)")
    risk_min_applications: int = Field(DEFAULT_RISK_MIN_APPLICATIONS, ge=1, description="`R.*_share`: handled "
                                       "applications needed before outcome shares are reported")
    risk_share: float = Field(DEFAULT_RISK_SHARE, ge=0, le=1, description="`R.*_share`: share of 不予公开, 其他处理 "
                              "or 本机关不掌握 from which it is reported")
    late_years_max: int = Field(2, ge=0, description="a report dated more years after its report year than this has "
                                "a wrong year or date (`C.undated`), it is not late")
    count_max_chars: int = Field(16, ge=1, description="a longer run of digits or Chinese numerals is never read as "
                                 "a count the narrative states")
    narrative_max_parts: int = Field(12, ge=1, description="a total the narrative lists more parts of than this is "
                                     "not checked against their sum (some parts may be sub-items of others)")
    quote_max_chars: int = Field(80, ge=2, description="the sentence a narrative finding quotes is cut to this many "
                                 "characters")
    substance_quote_chars: int = Field(60, ge=2, description="findings on 五 and on copy-paste traces quote at most "
                                       "this many characters around what they found")


class Settings(_Settings):
    """All settings of one run."""

    reader: ReaderSettings = ReaderSettings.model_construct()
    page: PageSettings = PageSettings.model_construct()
    scan: ScanSettings = ScanSettings.model_construct()
    layout: LayoutSettings = LayoutSettings.model_construct()
    scraped: ScrapedSettings = ScrapedSettings.model_construct()
    extract: ExtractSettings = ExtractSettings.model_construct()
    audit: AuditSettings = AuditSettings.model_construct()


def resolve(settings: Settings | Mapping[str, object] | None) -> Settings:
    """Accept None, a Settings object or a plain (nested) dict; return a validated Settings."""
    if settings is None:
        return DEFAULTS
    if isinstance(settings, Settings):
        return settings
    return Settings.model_validate(settings)


DEFAULTS = Settings.model_construct()
"""The built-in settings (the defaults of every field; a test checks that they validate)."""


def load_settings(path: str | Path) -> Settings:
    """Settings from a YAML or JSON file holding the nested keys of ``Settings`` (any left out keep their default):
    what ``--settings FILE`` of the commands reads."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise NianbaoError(name, "unreadable", f"设置文件无法读取（{exc.strerror or exc}）") from None
    try:
        return Settings.model_validate(_settings_data(name, text))
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise NianbaoError(name, "bad_settings", f"设置 {where} 无效：{problem['msg']}") from None


def _settings_data(name: str, text: str) -> object:
    """The mapping a settings file holds, YAML or JSON by its suffix."""
    try:
        if name.lower().endswith((".yaml", ".yml")):
            import yaml

            try:
                return yaml.safe_load(text) or {}
            except yaml.YAMLError as exc:
                raise ValueError(str(exc)) from None
        return json.loads(text)
    except ValueError as exc:
        raise NianbaoError(name, "bad_settings", f"不是有效的设置文件：{str(exc).splitlines()[0]}") from None
