"""Legacy Word .doc bytes → Document: converts to .docx with LibreOffice headless, then reads it as DOCX.

It does not parse the binary Word format itself and knows nothing about reports.

LibreOffice (``soffice`` or ``libreoffice`` on PATH) runs with a throwaway user profile, so it neither
touches the user's own profile nor hands the job to an office instance already running. ``convert_many``
converts a batch in one ``soffice`` call, which costs one start-up instead of one per file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..document import Document
from ..errors import NianbaoError
from ..settings import Settings
from . import docx as docx_reader

INSTALL_HINT = "reading .doc files needs LibreOffice (apt-get install libreoffice-writer-nogui)"
DEFAULT_TIMEOUT_SECONDS = 180.0
"""Time allowed for one soffice call (a cold start alone can take several seconds)."""
DEFAULT_BATCH_SIZE = 100
"""Files per soffice call in ``convert_many``; keeps command lines short."""
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_FILTER = "docx:MS Word 2007 XML"


def find_soffice() -> str | None:
    """Path of the LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _soffice(path: str) -> str:
    binary = find_soffice()
    if binary is None:
        raise NianbaoError(path, "missing_dependency", INSTALL_HINT)
    return binary


def _run(binary: str, inputs: list[Path], workdir: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Convert ``inputs`` into ``workdir/out`` with one soffice call (its own profile under ``workdir``).

    soffice runs in a session of its own so that a timeout kills the office process it starts, too.
    """
    command = [
        binary, "--headless", "--norestore", "--nologo", "--nolockcheck",
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--convert-to", _FILTER, "--outdir", str(workdir / "out"), *map(str, inputs),
    ]
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _failure(result: subprocess.CompletedProcess[str] | None) -> str:
    if result is None:
        return "LibreOffice could not convert the .doc file"
    detail = (result.stderr or result.stdout or "").strip().splitlines()
    tail = f": {detail[-1]}" if detail else ""
    return f"LibreOffice could not convert the .doc file (exit status {result.returncode}){tail}"


def _stage(sources: list[Path], workdir: Path) -> tuple[list[Path], dict[Path, NianbaoError]]:
    """Copy ``sources`` into ``workdir`` as 0.doc, 1.doc … (ASCII names, no clashes between equal names)."""
    staged: list[Path] = []
    failed: dict[Path, NianbaoError] = {}
    for i, source in enumerate(sources):
        target = workdir / f"{i}.doc"
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            failed[source] = NianbaoError(str(source), "unreadable", exc.strerror or str(exc))
            continue
        staged.append(target)
    return staged, failed


def _convert_batch(binary: str, sources: list[Path], timeout: float) -> dict[Path, bytes | NianbaoError]:
    """Convert ``sources`` with one soffice call in a temporary directory: .docx bytes or the error, per file."""
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        workdir = Path(tmp)
        staged, failed = _stage(sources, workdir)
        result = None
        if staged:
            try:
                result = _run(binary, staged, workdir, timeout)
            except subprocess.TimeoutExpired:
                reason = f"LibreOffice took longer than {timeout:g} s"
                return {s: failed.get(s) or NianbaoError(str(s), "timeout", reason) for s in sources}
        out: dict[Path, bytes | NianbaoError] = {}
        for i, source in enumerate(sources):
            converted = workdir / "out" / f"{i}.docx"
            if source in failed:
                out[source] = failed[source]
            elif converted.is_file():
                out[source] = converted.read_bytes()
            else:
                out[source] = NianbaoError(str(source), "corrupt", _failure(result))
    return out


def convert_many(paths: Iterable[str | Path], timeout: float = DEFAULT_TIMEOUT_SECONDS,
                 batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, bytes | NianbaoError]:
    """Convert .doc files to .docx bytes, ``batch_size`` files per soffice call.

    Returns, for each path as given, the .docx bytes or the NianbaoError that says why it failed.
    Raises NianbaoError only when LibreOffice is missing.
    """
    named = {str(p): Path(p) for p in paths}
    if not named:
        return {}
    binary = _soffice(next(iter(named)))
    sources = list(dict.fromkeys(named.values()))
    converted: dict[Path, bytes | NianbaoError] = {}
    for start in range(0, len(sources), batch_size):
        converted.update(_convert_batch(binary, sources[start:start + batch_size], timeout))
    return {name: converted[source] for name, source in named.items()}


def convert(data: bytes, path: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """The .docx bytes LibreOffice makes of one .doc file's bytes; NianbaoError when it cannot."""
    binary = _soffice(path)
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        result = _convert_batch(binary, [source], timeout)[source]
    if isinstance(result, NianbaoError):
        raise NianbaoError(path, result.code, result.reason)
    return result


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Document of a legacy .doc file (OLE2 with a WordDocument stream), read through LibreOffice."""
    if _WORD_STREAM not in data:
        raise NianbaoError(path, "unsupported", "an OLE2 file without a Word document inside (.xls, .ppt, .msg?)")
    document = docx_reader.read(convert(data, path), path, settings)
    document.format = "doc"
    return document
