"""A persistent SQLite cache of sentence vectors, so re-running a corpus never re-embeds it."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from align.embed.base import Embedder, Pieces, _checked, batches

log = logging.getLogger(__name__)

DB_NAME = "embeddings.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embedding (
    model TEXT NOT NULL,
    digest BLOB NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, digest)
) WITHOUT ROWID
"""
_CHUNK = 500  # keeps each IN (...) list under SQLite's oldest host-parameter limit (999)
_BUSY_TIMEOUT_S = 60.0
_WAL_TRIES = 500  # 10 ms apart: the switch takes milliseconds


def default_cache_dir() -> Path:
    """$INTERP_ALIGN_CACHE, else ~/.cache/interp-align."""
    configured = os.environ.get("INTERP_ALIGN_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "interp-align"


def text_digest(text: str) -> bytes:
    """The cache key of a text: its UTF-8 SHA-256, so no text is stored in the cache."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).digest()


def _set_wal(conn: sqlite3.Connection) -> None:
    """WAL mode, waiting for another process that is switching the same new file: SQLite
    answers "database is locked" at once then, without its busy timeout (in 8 of 30 starts of
    two batch workers on an empty cache, measured), and that worker ran without the cache."""
    for attempt in range(_WAL_TRIES):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.01)


class VectorStore:
    """One SQLite file in WAL mode: many readers and one writer at a time across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def _connection(self) -> sqlite3.Connection:
        """Open lazily, and again after a fork: a connection must not cross processes."""
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, check_same_thread=False)
            _set_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:
                conn.execute(_SCHEMA)
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get_many(self, model: str, digests: Sequence[bytes], dim: int) -> dict[bytes, np.ndarray]:
        """Vectors already stored for `model`, looked up in chunks; a wrong-sized row is a miss."""
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            conn = self._connection()
            for chunk in batches(digests, _CHUNK):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT digest, vector FROM embedding WHERE model = ? AND dim = ? "
                    f"AND digest IN ({marks})",  # only '?' marks are interpolated
                    (model, dim, *chunk),
                )
                for digest, blob in rows:
                    if len(blob) == dim * 4:
                        found[digest] = np.frombuffer(blob, dtype="<f4")
        return found

    def put_many(self, model: str, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store new vectors in one transaction; a row another process wrote first is kept."""
        rows = [
            (model, digest, int(vector.shape[0]), np.asarray(vector, dtype="<f4").tobytes())
            for digest, vector in items
        ]
        with self._lock:
            conn = self._connection()
            with conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO embedding (model, digest, dim, vector) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )

    def count(self, model: str | None = None) -> int:
        """How many vectors are stored (for one model, or in all)."""
        with self._lock:
            conn = self._connection()
            if model is None:
                return conn.execute("SELECT COUNT(*) FROM embedding").fetchone()[0]
            query = "SELECT COUNT(*) FROM embedding WHERE model = ?"
            return conn.execute(query, (model,)).fetchone()[0]

    def close(self) -> None:
        """Close this process's connection."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None


class VectorTable:
    """Vectors held in memory for one model, least recently used dropped beyond `size`."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self.vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # OrderedDict reordering is not thread-safe

    def get_many(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The vectors held for `texts`."""
        hits = {}
        with self._lock:
            for text in texts:
                vector = self.vectors.get(text)
                if vector is not None:
                    self.vectors.move_to_end(text)
                    hits[text] = vector
        return hits

    def put_many(self, found: dict[str, np.ndarray]) -> None:
        """Hold the latest vectors, dropping the least recently used beyond `size`."""
        with self._lock:
            for text, vector in found.items():
                self.vectors[text] = vector
                self.vectors.move_to_end(text)
            while len(self.vectors) > self.size:
                self.vectors.popitem(last=False)


_RUN_TABLES: dict[str, VectorTable] = {}
_RUN_TABLES_LOCK = threading.Lock()


def run_table(model_key: str) -> VectorTable:
    """This process's table for a model: every embedder load_embedder gives shares it, so a
    string is embedded once per run whichever stage asks (alignment, scoring, report, review)."""
    with _RUN_TABLES_LOCK:
        return _RUN_TABLES.setdefault(model_key, VectorTable())


def clear_run_tables() -> None:
    """Forget every in-memory vector (benchmarks measuring a cold start)."""
    with _RUN_TABLES_LOCK:
        _RUN_TABLES.clear()


class CachedEmbedder(Embedder):
    """Wraps an embedder with an in-memory table (its own, or the run's shared one) and a
    persistent store keyed by model and text."""

    def __init__(
        self,
        inner: Embedder,
        cache_dir: str | Path | None = None,
        memo_size: int = 100_000,
        persistent: bool = True,
        table: VectorTable | None = None,
    ) -> None:
        self.inner = inner
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
        self.store: VectorStore | None = (
            VectorStore(self.cache_dir / DB_NAME) if persistent else None
        )
        self.table = table if table is not None else VectorTable(memo_size)
        self.misses = 0  # texts the inner embedder had to encode, for reports

    @property
    def name(self) -> str:  # type: ignore[override]
        """The wrapped embedder's name: caching does not change the vectors."""
        return self.inner.name

    @property
    def version(self) -> str:  # type: ignore[override]
        """The wrapped embedder's version."""
        return self.inner.version

    @property
    def languages(self) -> frozenset[str] | None:  # type: ignore[override]
        """The wrapped embedder's languages."""
        return self.inner.languages

    @property
    def dim(self) -> int:
        """The wrapped embedder's width."""
        return self.inner.dim

    @property
    def model_key(self) -> str:
        """What the store is keyed by besides the text: a new model version never hits."""
        return f"{self.inner.name}@{self.inner.version}"

    def set_threads(self, threads: int) -> None:
        """Passed on to the wrapped embedder."""
        self.inner.set_threads(threads)

    @property
    def pools_pieces(self) -> bool:  # type: ignore[override]
        """Whether the wrapped embedder pools pieces from one pass (its vectors are not cached)."""
        return self.inner.pools_pieces

    def embed_pieces(self, items: Sequence[Pieces]) -> list[np.ndarray]:
        """The wrapped embedder's pooled pieces, or the exact texts through the cache."""
        if self.inner.pools_pieces:
            return self.inner.embed_pieces(items)
        return super().embed_pieces(items)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Unused: embed() is overridden; present to satisfy the interface."""
        return self.inner.embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Memo first, then the store, then the inner embedder for what is left (each once)."""
        texts = _checked(texts)
        unique = list(dict.fromkeys(texts))
        found = self._from_memo(unique)
        missing = [text for text in unique if text not in found]
        if missing:
            found.update(self._from_store(missing))
            missing = [text for text in missing if text not in found]
        if missing:
            found.update(self._compute(missing))
        self._remember(found)
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)

    @property
    def _memo(self) -> OrderedDict[str, np.ndarray]:
        return self.table.vectors

    def _from_memo(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Vectors this process has already seen."""
        return self.table.get_many(texts)

    def _remember(self, found: dict[str, np.ndarray]) -> None:
        """Keep the latest vectors in the table."""
        self.table.put_many(found)

    def _from_store(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Vectors an earlier run stored; a broken store is reported once and then skipped."""
        if self.store is None:
            return {}
        digests = {text_digest(text): text for text in texts}
        try:
            rows = self.store.get_many(self.model_key, list(digests), self.dim)
        except (sqlite3.Error, OSError) as error:
            self._disable(error)
            return {}
        return {digests[digest]: vector for digest, vector in rows.items()}

    def _compute(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Encode what no cache holds and store it for the next run."""
        vectors = self.inner.embed(texts)
        self.misses += len(texts)
        if self.store is not None:
            try:
                pairs = zip(map(text_digest, texts), vectors, strict=True)
                self.store.put_many(self.model_key, pairs)
            except (sqlite3.Error, OSError) as error:
                self._disable(error)
        return dict(zip(texts, vectors, strict=True))

    def _disable(self, error: Exception) -> None:
        """Carry on without the persistent cache: it saves time but is never needed."""
        log.warning("embedding cache %s disabled: %s", self.cache_dir / DB_NAME, error)
        self.store = None

    def signature_fields(self) -> dict[str, str]:
        """The wrapped embedder's fields: a cached vector is the same vector."""
        return self.inner.signature_fields()

    def close(self) -> None:
        """Close the store's connection (it reopens on the next embed)."""
        if self.store is not None:
            self.store.close()
