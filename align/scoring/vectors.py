"""One batched embedding call for every text the signals need (beads, clauses, windows)."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from align.embed.base import Embedder, Pieces
from align.errors import ModelError

PIECES_ENV = "INTERP_ALIGN_PIECES"  # "exact" or "pooled": how clause and word pieces are embedded
DEFAULT_PIECES = "exact"
PIECE_MODES = ("exact", "pooled")


def pieces_mode(embedder: Embedder) -> str:
    """'pooled' where asked for (INTERP_ALIGN_PIECES) and the embedder can pool, else 'exact'."""
    mode = os.environ.get(PIECES_ENV, DEFAULT_PIECES).strip() or DEFAULT_PIECES
    if mode not in PIECE_MODES:
        raise ModelError(f"{PIECES_ENV}={mode!r}: choose one of {', '.join(PIECE_MODES)}")
    return "pooled" if mode == "pooled" and embedder.pools_pieces else "exact"


class VectorBank:
    """Collects texts, embeds each distinct one once, and hands back unit vectors.

    Pieces of a text (its clauses, windows, leave-one-out variants, its words) are asked for
    under a key: with a pooling embedder (pieces_mode 'pooled') they come from one forward pass
    over the text (Embedder.embed_pieces), else each piece's text is embedded like any other.
    """

    def __init__(self, embedder: Embedder, mode: str | None = None) -> None:
        self.embedder = embedder
        self.pooled = (mode or pieces_mode(embedder)) == "pooled" and embedder.pools_pieces
        self._index: dict[str, int] = {}
        self._pending: list[str] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._pending_pieces: dict[tuple[str, str], Pieces] = {}
        self._pieces: dict[tuple[str, str], dict[str, np.ndarray]] = {}

    def want(self, texts: Iterable[str]) -> None:
        for text in texts:
            if text and text not in self._index:
                self._index[text] = len(self._index)
                self._pending.append(text)

    def want_pieces(self, key: tuple[str, str], pieces: Pieces) -> None:
        """Ask for the pieces of one text, under `key` (a kind and the text)."""
        if not self.pooled:
            self.want(pieces.texts)
        elif key not in self._pieces and pieces.members:
            self._pending_pieces[key] = pieces

    def embed(self) -> None:
        """Embed every text and every text's pieces asked for since the last call."""
        if self._pending:
            rows = np.asarray(self.embedder.embed(self._pending), dtype=np.float32)
            self._matrix = rows if self._matrix.size == 0 else np.vstack([self._matrix, rows])
            self._pending = []
        if self._pending_pieces:
            keys = list(self._pending_pieces)
            items = [self._pending_pieces[k] for k in keys]
            for key, item, rows in zip(keys, items, self.embedder.embed_pieces(items), strict=True):
                self._pieces[key] = dict(zip(item.texts, rows, strict=True))
            self._pending_pieces = {}

    def get(self, texts: list[str]) -> np.ndarray:
        """Rows for `texts` (each must have been asked for and embedded)."""
        if not texts:
            return np.zeros((0, self._matrix.shape[1] if self._matrix.size else 0), np.float32)
        return self._matrix[[self._index[t] for t in texts]]

    def pieces(self, key: tuple[str, str], texts: list[str]) -> np.ndarray:
        """Rows for pieces of the text under `key` (pooled ones, else the texts' own rows)."""
        pooled = self._pieces.get(key)
        if pooled is None or not texts:
            return self.get(texts)
        return np.stack([pooled[t] if t in pooled else self.one(t) for t in texts])

    def piece(self, key: tuple[str, str], text: str) -> np.ndarray:
        pooled = self._pieces.get(key)
        return pooled[text] if pooled is not None and text in pooled else self.one(text)

    def one(self, text: str) -> np.ndarray:
        return self._matrix[self._index[text]]

    @property
    def size(self) -> int:
        return len(self._index)
