"""nianbao: Chinese government information-disclosure annual reports ⇄ validated structured data.

``nianbao.parse(path)`` reads any supported file and returns a :class:`Report` with its findings.
"""

from .api import parse, parse_bytes
from .errors import NianbaoError
from .report import Cell, Finding, Report

__all__ = ["Cell", "Finding", "NianbaoError", "Report", "parse", "parse_bytes"]
__version__ = "0.1.0"
