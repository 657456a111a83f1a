"""nianbao: Chinese government information-disclosure annual reports ⇄ validated structured data.

``nianbao.parse(path)`` reads any supported file and returns a :class:`Report` with its findings;
``nianbao.parse_file(path)`` keeps the Document it read as well (:class:`Parsed`).
The public names are imported on first use (PEP 562), so that ``import nianbao.cli`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Parsed, parse, parse_bytes, parse_file
    from .errors import NianbaoError
    from .report import Cell, Finding, Report

_EXPORTS = {"parse": ".api", "parse_bytes": ".api", "parse_file": ".api", "Parsed": ".api", "NianbaoError": ".errors",
            "Cell": ".report", "Finding": ".report", "Report": ".report"}

__all__ = ["Cell", "Finding", "NianbaoError", "Parsed", "Report", "parse", "parse_bytes", "parse_file"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
