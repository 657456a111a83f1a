"""Request → the app's shared state (corpus, settings, templates), and the Jinja2 environment with its filters.

Holds no routes; every router reaches the corpus through ``state(request)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..schema import cell_label as label
from ..settings import Settings
from .corpus import Corpus
from .evidence import describe_at
from .filters import LEVEL_NAMES, SEVERITY_NAMES, STATUS_NAMES, TEMPLATE_NAMES

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"


@dataclass(frozen=True)
class State:
    """What every request of one app shares."""

    corpus: Corpus
    settings: Settings
    templates: Jinja2Templates


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


def templates() -> Jinja2Templates:
    """Jinja2 templates with autoescaping always on (report text is never trusted markup)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=_number, region=_region, where=describe_at, label=label)
    env.globals.update(LEVEL_NAMES=LEVEL_NAMES, STATUS_NAMES=STATUS_NAMES, TEMPLATE_NAMES=TEMPLATE_NAMES,
                       SEVERITY_NAMES=SEVERITY_NAMES)
    return Jinja2Templates(env=env)
