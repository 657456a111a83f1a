"""Corpus settings → validated ``CorpusSettings``: batch size, memory, and the thresholds of the cross-report audit.

Holds no logic; ingest and the corpus audit read their numbers from here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..options import DEFAULT_BATCH_SIZE, DEFAULT_JUMP_FACTOR
from ..schema import formats
from .portals import AFTER_CHARS, BEFORE_CHARS

DEFAULT_MEMORY_LIMIT = "128MB"
DEFAULT_JUMP_MIN_DELTA = 20.0
DEFAULT_JUMP_KEYS = formats().headline_cells
DEFAULT_SIMILARITY_MIN = 0.5
DEFAULT_SHARED_MIN_CHARS = 200
DEFAULT_SENTENCE_MIN_CHARS = 12
DEFAULT_MAX_BUCKET = 100
DEFAULT_PASSAGES_SHOWN = 3
DEFAULT_DEADLINES = {"department": "01-31", "township": "01-31", "county": "03-31", "city": "03-31",
                     "province": "03-31"}


class CorpusSettings(BaseModel):
    """Every number the corpus store and its audit use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: int = Field(default=DEFAULT_BATCH_SIZE, ge=1,
                            description="inputs committed together (parsed in tasks of at most 100)")
    memory_limit: str = Field(default=DEFAULT_MEMORY_LIMIT, pattern=r"^\d+(\.\d+)?\s*[KMGT]i?B$",
                              description="DuckDB memory limit of the writing connection (an ingest keeps "
                                          "to 48MB at most while it inserts batches)")
    jump_factor: float = Field(default=DEFAULT_JUMP_FACTOR, gt=1,
                               description="Y.jump: flag when one year is this many times the other")
    jump_min_delta: float = Field(default=DEFAULT_JUMP_MIN_DELTA, ge=0,
                                  description="Y.jump: and the two differ by at least this")
    jump_keys: tuple[str, ...] = Field(default=DEFAULT_JUMP_KEYS,
                                       description="Y.jump: the cells compared year over year")
    similarity_min: float = Field(default=DEFAULT_SIMILARITY_MIN, gt=0, le=1,
                                  description="Q.copied_*: share of a narrative found in the other report")
    shared_min_chars: int = Field(default=DEFAULT_SHARED_MIN_CHARS, ge=1,
                                  description="Q.copied_*: and at least this many shared characters")
    sentence_min_chars: int = Field(default=DEFAULT_SENTENCE_MIN_CHARS, ge=1,
                                    description="sentences shorter than this are not compared")
    max_bucket: int = Field(default=DEFAULT_MAX_BUCKET, ge=2,
                            description="a sentence found in more reports of one year than this is boilerplate")
    passages_shown: int = Field(default=DEFAULT_PASSAGES_SHOWN, ge=1,
                                description="shared passages quoted per finding")
    passage_max_chars: int = Field(default=40, ge=1, description="a shared passage a finding quotes is cut to this "
                                   "many characters")
    place_window_chars: int = Field(default=12, ge=1, le=BEFORE_CHARS,
                                    description="Q.foreign_place: the place a portal (门户网站) is named after is read "
                                    "from this many characters before it")
    place_quote_chars: int = Field(default=24, ge=0, le=min(BEFORE_CHARS, 2 * AFTER_CHARS),
                                   description="Q.foreign_place: the finding quotes this many characters before the "
                                   "portal's name and half as many after it")
    deadlines: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES),
                                      description="Q.late: month-day of the next year, by level")


def resolve_corpus(settings: CorpusSettings | dict[str, Any] | None) -> CorpusSettings:
    """Accept None, a CorpusSettings object or a plain dict; return validated settings."""
    if settings is None:
        return CorpusSettings()
    if isinstance(settings, CorpusSettings):
        return settings
    return CorpusSettings.model_validate(settings)
