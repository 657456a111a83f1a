"""Report files → DuckDB corpus: batch ingest, read-only queries, exports with a codebook, cross-report audit.

``ingest(paths, db)`` parses every input in parallel and stores it (idempotent, resumable);
``query``, ``export`` and ``audit_corpus`` read the database. Tables and views: ``docs/corpus.md``.
"""

from ..api import find_inputs
from ..regions import Resolution, resolve_region
from .corpus_audit import audit_corpus, load_reference
from .corpus_findings import CorpusFinding
from .export import FORMATS, export
from .ingest import IngestResult, ingest
from .query import query
from .settings import CorpusSettings
from .worker import parse_input

__all__ = ["FORMATS", "CorpusFinding", "CorpusSettings", "IngestResult", "Resolution", "audit_corpus", "export",
           "find_inputs", "ingest", "load_reference", "parse_input", "query", "resolve_region"]
