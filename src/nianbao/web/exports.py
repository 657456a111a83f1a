"""A corpus export asked for on the web → a background job: the database copied under the corpus lock (a moment),
then exported from the copy in a thread while pages keep answering, its progress (tables written) readable until
the zip is ready.

Holds the jobs of one app; a bounded number run at once and the finished ones are kept for a while.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NianbaoError
from ..store import export
from ..store.tables import exported_specs
from .corpus import Corpus

RUNNING_AT_ONCE = 2
KEEP_SECONDS = 3600
EXTRA_FILES = 2
"""Files an export writes besides one per table: datapackage.json and CODEBOOK.md."""


@dataclass
class Job:
    """One export: its state (running, done or failed), tables written of ``total``, and the zip when done."""

    id: str
    fmt: str
    total: int
    done: int = 0
    state: str = "running"
    zip_path: Path | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def percent(self) -> int:
        """How far it is, in percent."""
        return 100 if self.state == "done" else int(100 * self.done / max(self.total, 1))


class ExportJobs:
    """The export jobs of an app, their files in a temporary directory of their own."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    @property
    def _directory(self) -> Path:
        """The jobs' directory, made at the first export and removed with the app (or at exit)."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="nianbao-exports-", ignore_cleanup_errors=True)
        return Path(self._scratch.name)

    def get(self, job_id: str) -> Job | None:
        """The job ``job_id``, or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, corpus: Corpus, fmt: str, where: str | None) -> Job:
        """Copy the corpus and start exporting the copy; NianbaoError ``busy`` when RUNNING_AT_ONCE already run."""
        with self._lock:
            self._forget_old()
            if sum(j.state == "running" for j in self._jobs.values()) >= RUNNING_AT_ONCE:
                raise NianbaoError("export", "busy", "too many exports at once")
            job = Job(secrets.token_urlsafe(12), fmt, len(exported_specs()) + EXTRA_FILES)
            self._jobs[job.id] = job
            work = self._directory / job.id
        work.mkdir()
        snapshot = work / "corpus.duckdb"
        try:
            with corpus.writing():
                shutil.copyfile(corpus.db, snapshot)
                wal = corpus.db.with_name(corpus.db.name + ".wal")
                if wal.exists():
                    shutil.copyfile(wal, snapshot.with_name(snapshot.name + ".wal"))
        except OSError:
            job.state, job.error = "failed", "报告库无法复制"
            return job
        threading.Thread(target=self._run, args=(job, work, snapshot, where), daemon=True).start()
        return job

    def _run(self, job: Job, work: Path, snapshot: Path, where: str | None) -> None:
        def advance(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            files = export(snapshot, work / "out", job.fmt, where, progress=advance)
            archive = work / f"export-{job.fmt}.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
                for path in files:
                    out.write(path, Path(path).name)
            job.zip_path, job.state = archive, "done"
        except (NianbaoError, OSError):
            job.state, job.error = "failed", "导出失败"
        finally:
            snapshot.unlink(missing_ok=True)
            shutil.rmtree(work / "out", ignore_errors=True)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id, job in list(self._jobs.items()):
            if job.state != "running" and now - job.started > KEEP_SECONDS:
                shutil.rmtree(self._directory / job_id, ignore_errors=True)
                del self._jobs[job_id]
