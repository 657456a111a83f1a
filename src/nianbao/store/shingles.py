"""Narrative text → sentence shingles: the hash and length of each distinct normalised sentence of a report.

What the copied-narrative rules compare. Computed once per report where it is parsed (in the worker) and stored
in ``shingles``, so the cross-report audit never splits the whole corpus's text again. A sentence is a piece
between 。！？；!?; or line breaks, with whitespace removed; its hash reads every run of digits as one symbol
(2022年 and 2023年 match); its length counts the characters kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

_SPLIT = re.compile(r"[。！？；!?;\n]")
_SPACE = re.compile(r"[\t\n\f\r ]+")
_DIGITS = re.compile(r"[0-9０-９]+")
_HASH_BYTES = 8


def sentences(texts: Iterable[str]) -> Iterator[str]:
    """The non-empty normalised sentences of ``texts``, in order."""
    for text in texts:
        for piece in _SPLIT.split(text):
            sentence = _SPACE.sub("", piece)
            if sentence:
                yield sentence


def sentence_key(sentence: str) -> str:
    """A normalised sentence with each run of digits read as one symbol: what two sentences must share to match."""
    return _DIGITS.sub("#", sentence)


def sentence_hash(sentence: str) -> int:
    """A signed 64-bit hash of ``sentence_key`` (stable across processes)."""
    digest = hashlib.blake2b(sentence_key(sentence).encode("utf-8"), digest_size=_HASH_BYTES).digest()
    return int.from_bytes(digest, "little", signed=True)


def shingles(texts: Iterable[str]) -> dict[int, tuple[int, str]]:
    """Hash → (length of its longest sentence, first of its sentences in sort order), over all ``texts``."""
    found: dict[int, tuple[int, str]] = {}
    for sentence in sentences(texts):
        h = sentence_hash(sentence)
        seen = found.get(h)
        if seen is None:
            found[h] = (len(sentence), sentence)
        else:
            found[h] = (max(seen[0], len(sentence)), min(seen[1], sentence))
    return found
