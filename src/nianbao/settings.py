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


class LayoutSettings(_Settings):
    """How flattened text is rebuilt into table rows."""

    continuation_max_chars: int = Field(DEFAULT_CONTINUATION_MAX_CHARS, ge=1)


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
