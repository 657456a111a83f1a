"""Uploaded file (name + bytes) → a checked file under the data directory, parsed in a worker process and
ingested into the corpus: its report id.

Checks size and type before anything is written, stores by content hash (the user's file name never becomes a
path) and records the name in the ``uploads`` table. Parses nothing in the server's process: a worker does, with
the reader's time and memory limits, while other requests go on; a worker that dies or overruns makes the upload a
failed one. Only the storing holds the corpus lock, in two short turns (the report's rows, then the cross-report
audit of what is new) with waiting pages let through between them.
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import datetime
from http import HTTPStatus
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import NianbaoError
from ..readers import FORMAT_SUFFIXES, SUFFIXES, detect_format
from ..readers.text import decode_text
from ..settings import Settings
from ..store import ingest
from ..store.corpus_audit import audit_connection
from ..store.settings import resolve_corpus
from ..store.worker import Outcome, failed_outcome, read_input
from .corpus import WAIT_SECONDS, Corpus
from .isolated import Workers

UPLOADS_DDL = ("CREATE TABLE IF NOT EXISTS uploads (sha256 VARCHAR PRIMARY KEY, name VARCHAR, size BIGINT, "
               "uploaded_at TIMESTAMP)")
ACCEPTED = {fmt: suffixes[0] for fmt, suffixes in FORMAT_SUFFIXES.items()}
"""Formats an upload may have (those the readers read), with the suffix a file of that format is stored under when
its name has none."""
NAME_MAX_CHARS = 200
UNSUPPORTED = HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class UploadRejected(Exception):
    """An upload refused before it was stored: the HTTP status to answer and the reason in Chinese."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(reason)


def clean_name(name: str | None) -> str:
    """The last component of a client-given file name, without control characters, at most NAME_MAX_CHARS."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if ch.isprintable())
    return base[-NAME_MAX_CHARS:] or "未命名文件"


def check_upload(data: bytes, max_bytes: int) -> str:
    """The detected format of an acceptable upload; raises UploadRejected for an empty, oversized or foreign file."""
    if len(data) > max_bytes:
        raise UploadRejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"文件超过大小上限（{max_bytes} 字节）")
    if not data.strip():
        raise UploadRejected(UNSUPPORTED, "文件为空")
    fmt = detect_format(data)
    if fmt not in ACCEPTED:
        raise UploadRejected(UNSUPPORTED, f"不支持的文件类型（{fmt}）：请上传 txt、md、html、pdf、docx、doc、ofd、图片")
    if fmt == "text":
        try:
            decode_text(data, "upload")
        except NianbaoError:
            raise UploadRejected(UNSUPPORTED, "不支持的文件类型：既不是文本，也不是可读的文档格式") from None
    return fmt


def _suffix(name: str, fmt: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in SUFFIXES else ACCEPTED[fmt]


def _write(corpus: Corpus, data: bytes, sha: str, suffix: str) -> Path:
    directory = corpus.files / "uploads" / sha[:2]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{sha}{suffix}"
    if not path.exists():
        partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        partial.replace(path)
    return path


def _stored_id(corpus: Corpus, path: Path) -> int | None:
    found = corpus.scalar("SELECT coalesce(duplicate_of, id) FROM reports WHERE path = ? AND is_current", [str(path)])
    return None if found is None else int(found)


def _parse(parser: Workers, path: Path, sha: str, fmt: str, settings: Settings) -> Outcome:
    """The outcome of parsing ``path`` with ``settings`` in a worker; a worker that failed makes it a failed
    outcome. A parse refused because every worker is busy raises UploadRejected (nothing is stored)."""
    try:
        return parser.run(read_input, str(path), None, settings)
    except NianbaoError as err:
        if err.code == "busy":
            raise UploadRejected(HTTPStatus.SERVICE_UNAVAILABLE, "正在解析的上传太多，请稍后再试") from None
        return failed_outcome(str(path), sha, fmt, err.code, err.reason)


def store_upload(corpus: Corpus, parser: Workers, name: str | None, data: bytes, settings: Settings
                 ) -> tuple[int, bool]:
    """Check, store and ingest one uploaded file, read with ``settings`` (the server's): the id of its report row
    (for a duplicate: of the row it repeats, which may be a failed one), and whether that content was stored
    before."""
    fmt = check_upload(data, settings.reader.max_file_bytes)
    shown = clean_name(name)
    sha = hashlib.sha256(data).hexdigest()
    path = _write(corpus, data, sha, _suffix(shown, fmt)).resolve()
    known = _stored_id(corpus, path)
    if known is not None:
        return known, True
    parsed = _parse(parser, path, sha, fmt, settings)
    with corpus.writing():
        with corpus.writer() as con:
            con.execute("INSERT INTO uploads VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [sha, shown, len(data), datetime.now()])
        ingest([path], corpus.db, workers=1, parsed={str(path): parsed}, wait=WAIT_SECONDS, audit=False,
               parse_settings=settings)
        found = _stored_id(corpus, path)
    if found is None:
        raise NianbaoError(shown, "internal", "the upload was not stored")
    with corpus.writer() as con:
        audit_connection(con, resolve_corpus(None), write=True, full=False, keep=False)
    return found, False



def delete_failed(corpus: Corpus, report_id: int) -> bool:
    """Delete a report row that failed to parse, with its upload record and stored file when nothing else uses
    them (files outside the uploads directory are never touched); False when there is no such failed row."""
    with corpus.writing(), corpus.writer() as con:
        found = con.execute("SELECT path, sha256 FROM reports WHERE id = ? AND status = 'failed'",
                            [report_id]).fetchall()
        if not found:
            return False
        (path, sha), = found
        con.execute("DELETE FROM reports WHERE id = ?", [report_id])
        (others,), = con.execute("SELECT count(*) FROM reports WHERE sha256 = ?", [sha]).fetchall()
        if not others:
            con.execute("DELETE FROM uploads WHERE sha256 = ?", [sha])
            stored = Path(path)
            if stored.is_relative_to(corpus.files / "uploads"):
                stored.unlink(missing_ok=True)
    return True
