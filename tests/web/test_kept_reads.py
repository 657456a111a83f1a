"""Reads the server answered before are answered again without waiting for the database: while a write of the server
holds it (as the database was before that write), and while no one changed its files; a read not answered so waits
for the write, and a change made by another program is never hidden."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")

from nianbao.web import create_app
from nianbao.web.corpus import Corpus

COUNT = "SELECT count(*) AS n FROM uploads"
ADD = "INSERT INTO uploads VALUES (?, 'r.txt', 1, now())"
PATIENCE = 60.0
"""Seconds a step may take before the test counts it as stuck (never reached when the server behaves)."""
WAITING = 0.5
"""Seconds a read that must wait for the write is watched to be still waiting."""


@pytest.fixture
def corpus(corpus_db: Path) -> Corpus:
    """The corpus of the app over the small test corpus (its uploads table created, empty)."""
    create_app(corpus_db)
    return Corpus(corpus_db)


@contextmanager
def writing(corpus: Corpus, sha: str) -> Iterator[threading.Event]:
    """A write of the server, in another thread, that has added one upload and holds the database until the event
    yielded is set (or the block ends)."""
    opened, release = threading.Event(), threading.Event()

    def write() -> None:
        with corpus.writer() as con:
            con.execute(ADD, [sha])
            opened.set()
            release.wait(PATIENCE)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert opened.wait(PATIENCE)
        yield release
    finally:
        release.set()
        writer.join()


def test_a_read_kept_before_a_write_answers_while_the_write_holds_the_database(corpus: Corpus) -> None:
    assert corpus.rows(COUNT) == [{"n": 0}]
    with ThreadPoolExecutor(2) as pool, writing(corpus, "a") as release:
        assert pool.submit(corpus.rows, COUNT).result(timeout=PATIENCE) == [{"n": 0}]
        unseen = pool.submit(corpus.rows, COUNT + " -- not read before")
        with pytest.raises(TimeoutError):
            unseen.result(timeout=WAITING)
        release.set()
        assert unseen.result(timeout=PATIENCE) == [{"n": 1}]
    assert corpus.rows(COUNT) == [{"n": 1}]


def test_a_block_holds_the_database_from_its_first_read_not_kept(corpus: Corpus) -> None:
    assert corpus.rows(COUNT) == [{"n": 0}]

    def block() -> tuple[int, int]:
        with corpus.locked():
            kept = corpus.rows(COUNT)[0]["n"]
            fresh = corpus.rows(COUNT + " -- not read before")[0]["n"]
            return kept, fresh

    with ThreadPoolExecutor(1) as pool, writing(corpus, "a") as release:
        seen = pool.submit(block)
        with pytest.raises(TimeoutError):
            seen.result(timeout=WAITING)
        release.set()
        assert seen.result(timeout=PATIENCE) == (0, 1)


def test_a_change_by_another_program_is_never_hidden(corpus: Corpus, corpus_db: Path) -> None:
    assert corpus.rows(COUNT) == [{"n": 0}]
    other = duckdb.connect(str(corpus_db))
    other.execute(ADD, ["b"])
    other.close()
    assert corpus.rows(COUNT) == [{"n": 1}]
    with ThreadPoolExecutor(1) as pool, writing(corpus, "c"):
        assert pool.submit(corpus.rows, COUNT).result(timeout=PATIENCE) == [{"n": 1}]
    assert corpus.rows(COUNT) == [{"n": 2}]


def test_rows_answered_are_the_callers_own(corpus: Corpus) -> None:
    first = corpus.rows(COUNT)
    first[0]["n"] = 99
    assert corpus.rows(COUNT) == [{"n": 0}]
