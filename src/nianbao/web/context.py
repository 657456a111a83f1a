"""Request → the app's shared state (corpus, settings, templates), and the Jinja2 environment with its filters.

Holds no routes; every router reaches the corpus through ``state(request)``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..schema import cell_label, formats
from ..settings import Settings
from .corpus import Corpus
from .evidence import describe_at
from .exports import ExportJobs
from .filters import LEVEL_NAMES, PARSE_ERROR_NAMES, SEVERITY_NAMES, STATUS_NAMES, TEMPLATE_NAMES
from .identity import Identity
from .isolated import Workers

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
RENDER_SLOTS = 2
RENDER_MEMORY_BYTES = 3 << 30
"""Address space of a drawing worker: the forked worker starts with 1.6 GB mapped (the preloaded parsing code)."""
RENDER_SECONDS = 30.0
RENDER_WAIT_SECONDS = 10.0
PARSE_SLOTS = 2
PARSE_WAIT_SECONDS = 600.0
PAGE_CACHE_BYTES = 64 << 20


class BytesCache:
    """The most recently used results up to ``max_bytes`` in all, safe to share between threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        """The bytes kept under ``key`` (now the most recent), or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: bytes) -> None:
        """Keep ``value``, forgetting the least recently used beyond ``max_bytes``."""
        with self._lock:
            if key in self._items or len(value) > self.max_bytes:
                return
            self._items[key] = value
            self._size += len(value)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


@dataclass(frozen=True)
class State:
    """What every request of one app shares: the corpus, settings and templates; the worker processes that read
    untrusted files (uploads to parse, pages to draw), the page images already drawn, and who may come in."""

    corpus: Corpus
    settings: Settings
    templates: Jinja2Templates
    parses: Workers
    renders: Workers
    pages: BytesCache
    identity: Identity
    exports: ExportJobs

    @classmethod
    def start(cls, corpus: Corpus, settings: Settings, identity: Identity) -> State:
        """The state of a new app: uploads parsed within the reader's time and memory limits (as in batches)."""
        memory, seconds = settings.reader.max_memory_bytes, settings.reader.timeout_seconds
        return cls(corpus, settings, templates(),
                   Workers("上传解析", PARSE_SLOTS, memory, seconds, PARSE_WAIT_SECONDS),
                   Workers("页面图像", RENDER_SLOTS, RENDER_MEMORY_BYTES, RENDER_SECONDS, RENDER_WAIT_SECONDS),
                   BytesCache(PAGE_CACHE_BYTES), identity, ExportJobs())


def state(request: Request) -> State:
    """The state of the app serving ``request``."""
    found: State = request.app.state.nianbao
    return found


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _region(row: dict[str, Any]) -> str:
    return "".join(p for p in (row.get("province"), row.get("city"), row.get("county")) if p) or "—"


def label(key: str) -> str:
    """The printed label of a cell key, or of a 表三 row key a finding names (``t3.other_handling``)."""
    found = cell_label(key)
    if found != key:
        return found
    table, _, row = key.partition(".")
    rows = {r.key: r.label for r in formats().t3_rows} if table == "t3" else {}
    return rows.get(row, key)


def parse_error(code: str | None) -> str:
    """Why a file was not parsed, in Chinese."""
    return PARSE_ERROR_NAMES.get(code or "", "该文件未能解析为年度报告")


def templates() -> Jinja2Templates:
    """Jinja2 templates with autoescaping always on (report text is never trusted markup)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=_number, region=_region, where=describe_at, label=label, parse_error=parse_error)
    env.globals.update(LEVEL_NAMES=LEVEL_NAMES, STATUS_NAMES=STATUS_NAMES, TEMPLATE_NAMES=TEMPLATE_NAMES,
                       SEVERITY_NAMES=SEVERITY_NAMES)
    return Jinja2Templates(env=env)
