"""Sentence shingles: written with each report, the same for a corpus that gets them later, read by the audit."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nianbao.store import audit_corpus, ingest, query
from nianbao.store.db import connect
from nianbao.store.shingles import sentence_hash, sentences, shingles


def test_sentences_are_cut_at_stops_and_lose_their_whitespace() -> None:
    assert list(sentences(["第一句 话。第二句！\n\n 第三句；", "另一节"])) == ["第一句话", "第二句", "第三句", "另一节"]


def test_digit_runs_are_one_symbol_and_the_longest_length_is_kept() -> None:
    assert sentence_hash("2022年公开100条") == sentence_hash("2023年公开7条")
    assert sentence_hash("公开信息") != sentence_hash("公开消息")
    found = shingles(["2022年公开100条。2023年公开7条。"])
    assert list(found.values()) == [(len("2022年公开100条"), "2022年公开100条")]


def test_a_corpus_written_before_shingles_gets_the_same_ones(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], db, workers=1)
    stored = query(db, "SELECT report_id, hash, chars FROM shingles ORDER BY ALL")[1]
    findings = audit_corpus(db, write=False)
    assert stored and len({row[0] for row in stored}) == 6
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE shingles")
    assert audit_corpus(db, write=False) == findings
    connect(db).close()
    assert query(db, "SELECT report_id, hash, chars FROM shingles ORDER BY ALL")[1] == stored
