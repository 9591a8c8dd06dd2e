"""CachedEmbedder: memo, persistent SQLite store, model separation and several processes at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from align.embed.base import Embedder
from align.embed.cache import DB_NAME, CachedEmbedder, default_cache_dir, text_digest
from align.embed.use import USEEmbedder

TEXTS = ["The talks were productive.", "会談は生産的だった。", "Thank you.", "ありがとう。"]


class Counting(Embedder):
    """A real embedder (USE) that records which texts actually reached it."""

    def __init__(self, inner: Embedder, name: str | None = None) -> None:
        self.inner = inner
        self.name = name or inner.name
        self.version = inner.version
        self.languages = inner.languages
        self.seen: list[str] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def use() -> USEEmbedder:
    return USEEmbedder()


def test_second_call_is_served_without_the_inner_embedder(use: USEEmbedder, tmp_path: Path) -> None:
    counting = Counting(use)
    cached = CachedEmbedder(counting, tmp_path)
    first = cached.embed(TEXTS + TEXTS[:1])  # a repeat inside one call is embedded once
    assert sorted(counting.seen) == sorted(TEXTS)
    second = cached.embed(TEXTS[::-1])
    assert len(counting.seen) == len(TEXTS)
    assert np.array_equal(second, first[:4][::-1])
    assert np.abs(first[:4] - use.embed(TEXTS)).max() < 1e-6


def test_vectors_survive_reopening_the_cache(use: USEEmbedder, tmp_path: Path) -> None:
    first = CachedEmbedder(Counting(use), tmp_path)
    expected = first.embed(TEXTS)
    first.close()
    counting = Counting(use)
    reopened = CachedEmbedder(counting, tmp_path)
    got = reopened.embed(TEXTS + ["A new sentence."])
    assert counting.seen == ["A new sentence."]
    assert np.array_equal(got[:4], expected)
    assert got.dtype == np.float32
    assert (tmp_path / DB_NAME).is_file()


def test_different_models_do_not_share_vectors(use: USEEmbedder, tmp_path: Path) -> None:
    CachedEmbedder(Counting(use, name="model-a"), tmp_path).embed(TEXTS)
    other = Counting(use, name="model-b")
    CachedEmbedder(other, tmp_path).embed(TEXTS)
    assert sorted(other.seen) == sorted(TEXTS)
    newer = Counting(use)
    newer.version = "99.0"
    CachedEmbedder(newer, tmp_path).embed(TEXTS[:1])
    assert newer.seen == TEXTS[:1]


def test_store_is_real_sqlite_in_wal_mode_keyed_by_hash(use: USEEmbedder, tmp_path: Path) -> None:
    cached = CachedEmbedder(Counting(use), tmp_path)
    cached.embed(TEXTS)
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = conn.execute("SELECT model, digest, dim, length(vector) FROM embedding").fetchall()
    assert {row[1] for row in rows} == {text_digest(text) for text in TEXTS}
    assert {(row[0], row[2], row[3]) for row in rows} == {(cached.model_key, 512, 2048)}


def test_memo_only_mode_writes_nothing(use: USEEmbedder, tmp_path: Path) -> None:
    counting = Counting(use)
    cached = CachedEmbedder(counting, tmp_path, persistent=False)
    cached.embed(TEXTS)
    cached.embed(TEXTS)
    assert len(counting.seen) == len(TEXTS)
    assert not (tmp_path / DB_NAME).exists()


def test_memo_is_bounded(use: USEEmbedder, tmp_path: Path) -> None:
    cached = CachedEmbedder(Counting(use), tmp_path, memo_size=2, persistent=False)
    cached.embed(TEXTS)
    assert len(cached._memo) == 2


def test_unusable_cache_dir_falls_back_to_embedding(use: USEEmbedder, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    counting = Counting(use)
    vectors = CachedEmbedder(counting, blocker / "cache").embed(TEXTS)
    assert vectors.shape == (4, 512) and len(counting.seen) == 4


def test_empty_input(use: USEEmbedder, tmp_path: Path) -> None:
    assert CachedEmbedder(Counting(use), tmp_path).embed([]).shape == (0, 512)


def test_default_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INTERP_ALIGN_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("INTERP_ALIGN_CACHE")
    assert default_cache_dir() == Path.home() / ".cache" / "interp-align"


WORKER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from align.embed.base import Embedder
    from align.embed.cache import CachedEmbedder

    class Letters(Embedder):
        # cheap but real: letter counts, so each process can embed a few thousand texts fast
        name, version = "letters", "1"

        @property
        def dim(self):
            return 26

        def _embed_batch(self, texts):
            out = np.zeros((len(texts), 26), dtype=np.float32)
            for row, text in enumerate(texts):
                for ch in text:
                    if "a" <= ch <= "z":
                        out[row, ord(ch) - 97] += 1
            return out + 0.01

    start = int(sys.argv[2])
    cached = CachedEmbedder(Letters(), sys.argv[1])
    for offset in range(0, 2000, 100):
        texts = [f"text {i} " + "ab" * (i % 7) for i in range(start + offset, start + offset + 100)]
        cached.embed(texts)
    """
)


def test_several_processes_share_one_store(tmp_path: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path), str(start)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for start in (0, 1000, 1500)  # overlapping ranges: both write some of the same rows
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
        assert "disabled" not in errors
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        assert conn.execute("SELECT COUNT(*) FROM embedding").fetchone()[0] == 3500


def test_embedders_of_one_model_share_the_run_table(use: USEEmbedder, tmp_path: Path) -> None:
    from align.embed import load_embedder
    from align.embed.cache import VectorTable, clear_run_tables

    shared = VectorTable()
    CachedEmbedder(Counting(use), tmp_path, persistent=False, table=shared).embed(TEXTS)
    later = Counting(use)
    CachedEmbedder(later, tmp_path, persistent=False, table=shared).embed(TEXTS[::-1])
    assert later.seen == []  # the alignment's vectors serve scoring
    clear_run_tables()
    first, second = load_embedder("use", use_cache=False), load_embedder("use", use_cache=False)
    assert first.table is second.table
    clear_run_tables()
    assert load_embedder("use", use_cache=False).table is not first.table
