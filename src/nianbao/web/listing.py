"""Filter + page → one page of report rows (current versions) with the total count and, for a text search, the
passage of narrative that matched.

Reads only; the rows are what the corpus page and ``GET /api/reports`` show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store.review import OPEN_COUNTS_SQL
from .corpus import FILE_NAME_SQL, OPEN_COUNTS_COLUMNS, Corpus, Row
from .filters import Paging, ReportFilter

LIST_COLUMNS = ("r.id, r.status, r.agency, r.unit, r.year, r.template, r.level, r.province, r.city, r.county, "
                f"r.region_code, r.format, {OPEN_COUNTS_COLUMNS}, r.error_code, r.error, r.duplicate_of, "
                f"r.published, coalesce(u.name, {FILE_NAME_SQL}) AS upload_name")
SNIPPET_CHARS = 40


@dataclass
class Listing:
    """A page of reports and how many match in all."""

    total: int
    items: list[Row]
    paging: Paging

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, -(-self.total // self.paging.per_page))


def list_reports(corpus: Corpus, selection: ReportFilter, paging: Paging) -> Listing:
    """The current report rows matching ``selection``, in the paging's order, one page of them."""
    where, params = selection.where()
    base = (f"FROM reports r LEFT JOIN uploads u ON u.sha256 = r.sha256 LEFT JOIN ({OPEN_COUNTS_SQL}) c "
            f"ON c.report_id = r.id WHERE r.is_current AND {where}")
    with corpus.locked():
        total = corpus.scalar(f"SELECT count(*) {base}", params) or 0
        items = corpus.rows(f"SELECT {LIST_COLUMNS} {base} ORDER BY {paging.order_by} LIMIT ? OFFSET ?",
                            [*params, paging.per_page, paging.offset])
        if selection.text:
            _add_snippets(corpus, items, selection.text.strip())
    return Listing(int(total), items, paging)


def _add_snippets(corpus: Corpus, items: list[Row], needle: str) -> None:
    ids = [item["id"] for item in items]
    texts: dict[int, str] = {}
    for row in corpus.rows("SELECT report_id, text FROM sections WHERE report_id IN (SELECT unnest(?::BIGINT[])) "
                           "AND contains(lower(text), lower(?)) ORDER BY key", [ids, needle]):
        texts.setdefault(row["report_id"], row["text"])
    for item in items:
        item["snippet"] = snippet(texts.get(item["id"], ""), needle)


def snippet(text: str, needle: str) -> dict[str, Any] | None:
    """The passage around the first match: text before, the match, text after."""
    at = text.lower().find(needle.lower())
    if at < 0:
        return None
    start, end = max(0, at - SNIPPET_CHARS), at + len(needle)
    return {"before": ("…" if start else "") + text[start:at], "match": text[at:end],
            "after": text[end:end + SNIPPET_CHARS] + ("…" if end + SNIPPET_CHARS < len(text) else "")}
