"""Uploaded file (name + bytes) → a checked file under the data directory, ingested into the corpus: its report id.

Checks size and type before anything is written, stores by content hash (the user's file name never becomes a
path) and records the name in the ``uploads`` table. Parses nothing itself: ``ingest`` does.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from http import HTTPStatus
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import NianbaoError
from ..readers import detect_format
from ..readers.text import decode_text
from ..store import ingest
from ..store.ingest import SUFFIXES
from .corpus import Corpus

UPLOADS_DDL = ("CREATE TABLE IF NOT EXISTS uploads (sha256 VARCHAR PRIMARY KEY, name VARCHAR, size BIGINT, "
               "uploaded_at TIMESTAMP)")
ACCEPTED = {"text": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx", "doc": ".doc", "ofd": ".ofd",
            "image": ".png"}
"""Formats an upload may have, with the suffix a file of that format is stored under when its name has none."""
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
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)
    return path


def store_upload(corpus: Corpus, name: str | None, data: bytes, max_bytes: int) -> int:
    """Check, store and ingest one uploaded file; the id of its report row (for a duplicate: of the row it repeats,
    which may be a failed one)."""
    fmt = check_upload(data, max_bytes)
    shown = clean_name(name)
    sha = hashlib.sha256(data).hexdigest()
    with corpus.writing():
        path = _write(corpus, data, sha, _suffix(shown, fmt))
        with corpus.writer() as con:
            con.execute("INSERT INTO uploads VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [sha, shown, len(data), datetime.now()])
        ingest([path], corpus.db, workers=1)
        found = corpus.scalar("SELECT coalesce(duplicate_of, id) FROM reports WHERE path = ? AND is_current",
                              [str(path.resolve())])
    if found is None:
        raise NianbaoError(shown, "internal", "the upload was not stored")
    return int(found)

