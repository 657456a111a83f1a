"""Every tolerance, threshold and limit, as validated settings objects with named defaults.

Public functions take ``settings=None | dict | Settings`` and call ``resolve``.
"""

from __future__ import annotations

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
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReaderSettings(_Settings):
    """Limits applied when a file is read."""

    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, gt=0)
    max_unzipped_bytes: int = Field(DEFAULT_MAX_UNZIPPED_BYTES, gt=0)
    max_archive_members: int = Field(DEFAULT_MAX_ARCHIVE_MEMBERS, gt=0)
    timeout_seconds: float = Field(DEFAULT_TIMEOUT_SECONDS, ge=0)
    max_memory_bytes: int = Field(DEFAULT_MAX_MEMORY_BYTES, gt=0)
    max_image_pixels: int = Field(120_000_000, gt=0, description="images with more pixels are refused "
                                  "(decompression bombs); an A4 page at 600 dpi has 35 M")
    max_image_frames: int = Field(500, gt=0, description="at most this many pages of a multi-page TIFF are read")


class PageSettings(_Settings):
    """How a page of positioned characters and ruling lines (PDF, OFD, an OCR'd scan) is rebuilt into text lines and
    table grids. Lengths are in points (1/72 inch); shares are of a character's height unless said otherwise."""

    same_line_share: float = Field(0.35, ge=0, description="chars whose baselines differ by less than this share "
                                   "of their height share a line")
    space_gap_share: float = Field(0.15, ge=0, description="a gap wider than this share of the char height is a space")
    wide_space_gap_share: float = Field(1.5, ge=0, description="between two CJK chars only a gap wider than this "
                                        "share is a space")
    duplicate_pt: float = Field(1.0, ge=0, description="a copy of the same char within this distance is "
                                "\"fake bold\" overprint and dropped")
    snap_pt: float = Field(3.0, ge=0, description="ruling lines closer than this meet (pdfplumber's snap, join and "
                           "intersection tolerances)")
    thin_fill_pt: float = Field(2.5, ge=0, description="a filled rectangle at most this thick is a ruling line, "
                                "a thicker one is shading")
    axis_slack_pt: float = Field(0.5, ge=0, description="a segment whose ends differ by less than this across its "
                                 "axis is straight; cell boundaries closer than this are one")
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
    ink_level: int = Field(160, ge=0, le=255, description="a grey value at or below this is ink; a page without any "
                           "is blank and skipped")
    binary_block_pt: float = Field(18.0, gt=0, description="window of the adaptive threshold that separates ink "
                                   "from paper")
    binary_offset: int = Field(15, ge=0, description="how much darker than its surroundings a pixel must be to "
                               "count as ink")
    min_rule_pt: float = Field(24.0, gt=0, description="a straight stroke at least this long is a ruling line "
                               "(longer than any glyph stroke)")
    max_rule_pt: float = Field(4.0, gt=0, description="a stroke thicker than this is a filled area, not a ruling line")
    skew_line_share: float = Field(0.25, gt=0, le=1, description="lines at least this share of the page width long "
                                   "give the skew angle")
    min_skew_deg: float = Field(0.05, ge=0, description="pages skewed less than this are left as they are")
    max_skew_deg: float = Field(5.0, ge=0, description="a larger angle is not skew: nothing is turned")
    det_dpi: int = Field(140, ge=50, description="text is detected at this resolution (7 pt digits are still "
                         "found with half the pixels of work_dpi)")
    max_det_side: int = Field(4000, ge=100, description="a page whose side at det_dpi would be longer is detected "
                              "smaller still (memory)")
    det_margin_pt: float = Field(12.0, ge=0, description="the detector sees the extent of the page's text and this "
                                 "much paper around it, not the margins")
    min_ink_pt2: float = Field(0.75, ge=0, description="an ink speck smaller than this is noise, not text")
    squeeze_from: float = Field(4.0, gt=0, description="a line image longer than this many times its height is "
                                "narrowed before it is read …")
    line_squeeze: float = Field(0.7, gt=0, le=1, description="… to this share of its length, never below "
                                "squeeze_from heights (recognition costs per column)")
    text_score: float = Field(0.5, ge=0, le=1, description="a line read with less confidence is dropped "
                              "(rapidocr's own default)")
    vertical_ratio: float = Field(1.5, gt=1, description="a text box at least this many times taller than wide holds "
                                  "a column of characters")
    narrow_width: float = Field(0.5, gt=0, description="width of a Latin letter, digit or space relative to a CJK "
                                "character, for splitting a text box into characters")
    slash_lean: float = Field(0.25, gt=0, description="ink whose centre moves left by at least this share of its "
                              "drop, top to bottom, leans right like a slash")
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
    dash_max_pt: float = Field(2.5, ge=0, description="a cell's print that is one bar at most this thick …")
    dash_min_ratio: float = Field(1.5, gt=0, description="… and at least this many times as long is a dash, …")
    em_dash_min_pt: float = Field(6.0, ge=0, description="… an em dash (—) when at least this long (one em of a "
                                  "table's type), else a hyphen (-)")


class LayoutSettings(_Settings):
    """How flattened text is rebuilt into table rows."""

    continuation_max_chars: int = Field(DEFAULT_CONTINUATION_MAX_CHARS, ge=1)
    columns_jitter: int = Field(1, ge=0, description="in space-aligned rows, a value's span is widened by this "
                                "many characters on each side before spans that overlap become one column")
    columns_min_rows: int = Field(2, ge=1, description="a stretch of space-aligned rows is read by position from "
                                  "this many rows")
    columns_min_width: int = Field(5, ge=2, description="only stretches of at least this many columns are read by "
                                   "position (the wide tables 表三 and 表四)")
    columns_heading_chars: int = Field(12, ge=1, description="a numbered line of at least this many characters with "
                                       "no value after it is a section heading, which ends a stretch of rows")


class ExtractSettings(_Settings):
    """How labels are matched to the official rows."""

    min_fragment_chars: int = Field(DEFAULT_MIN_FRAGMENT_CHARS, ge=2)
    fuzzy_min_ratio: float = Field(DEFAULT_FUZZY_MIN_RATIO, gt=0, le=1)
    label_max_chars: int = Field(DEFAULT_LABEL_MAX_CHARS, ge=10)


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

    amount_wan_yuan_suspect: float = Field(DEFAULT_AMOUNT_WAN_YUAN_SUSPECT, gt=0)
    deadlines: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES),
                                      description="publication deadline by level (month-day of the next year)")
    calendar: tuple[Deadline, ...] = Field((), description="deadline calendar entries; override the defaults")
    risk_min_cases: int = Field(DEFAULT_RISK_MIN_CASES, ge=1,
                                description="纠错率 reported from this many concluded 复议 or 诉讼 cases")
    risk_correction_rate: float = Field(DEFAULT_RISK_CORRECTION_RATE, ge=0, le=1,
                                        description="纠错率 reported from this rate (0: any correction)")
    risk_min_applications: int = Field(DEFAULT_RISK_MIN_APPLICATIONS, ge=1,
                                       description="shares of outcomes reported from this many handled applications")
    risk_share: float = Field(DEFAULT_RISK_SHARE, ge=0, le=1,
                              description="不予公开、其他处理、本机关不掌握 reported from this share")


class Settings(_Settings):
    """All settings of one run."""

    reader: ReaderSettings = ReaderSettings()
    page: PageSettings = PageSettings()
    scan: ScanSettings = ScanSettings()
    layout: LayoutSettings = LayoutSettings()
    extract: ExtractSettings = ExtractSettings()
    audit: AuditSettings = AuditSettings()


def resolve(settings: Settings | Mapping[str, object] | None) -> Settings:
    """Accept None, a Settings object or a plain (nested) dict; return a validated Settings."""
    if settings is None:
        return DEFAULTS
    if isinstance(settings, Settings):
        return settings
    return Settings.model_validate(settings)


DEFAULTS = Settings()


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
