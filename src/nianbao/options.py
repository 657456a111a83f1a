"""Choices and defaults that command-line options print in their help → one light module.

Held here, without importing any library, so that ``nianbao --help`` and ``nianbao parse`` start without
loading DuckDB, pyarrow, pydantic, openpyxl or the renderers; the modules that use these values import them from here.
"""

from __future__ import annotations

EXECUTORS = ("process", "dask")
"""Where an ingest runs its parse tasks: a local process pool or a Dask cluster."""
FORMATS = ("csv", "parquet", "xlsx", "json")
"""File formats of a corpus export."""
HEADERS = ("labels", "keys")
"""What an XLSX export's header row carries: the columns' printed labels or their names."""
DEFAULT_BATCH_SIZE = 500
"""Inputs an ingest commits together."""
DEFAULT_JUMP_FACTOR = 10.0
"""Y.jump: how many times over the year before a key cell must change to be flagged."""
STYLES = ("cells", "tabs", "pipes", "markdown", "columns", "lines")
"""How a text rendering flattens the tables (``render.text``)."""
APPLICATIONS = "申请"
"""The register sheet of applications."""
CASES = "复议诉讼"
"""The register sheet of review and litigation cases."""
