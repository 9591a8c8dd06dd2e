"""One batched embedding call for every text the signals need (beads, clauses, windows)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from align.embed.base import Embedder


class VectorBank:
    """Collects texts, embeds each distinct one once, and hands back unit vectors."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._index: dict[str, int] = {}
        self._pending: list[str] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def want(self, texts: Iterable[str]) -> None:
        for text in texts:
            if text and text not in self._index:
                self._index[text] = len(self._index)
                self._pending.append(text)

    def embed(self) -> None:
        """Embed every text asked for since the last call."""
        if not self._pending:
            return
        rows = np.asarray(self.embedder.embed(self._pending), dtype=np.float32)
        self._matrix = rows if self._matrix.size == 0 else np.vstack([self._matrix, rows])
        self._pending = []

    def get(self, texts: list[str]) -> np.ndarray:
        """Rows for `texts` (each must have been asked for and embedded)."""
        if not texts:
            return np.zeros((0, self._matrix.shape[1] if self._matrix.size else 0), np.float32)
        return self._matrix[[self._index[t] for t in texts]]

    def one(self, text: str) -> np.ndarray:
        return self._matrix[self._index[text]]

    @property
    def size(self) -> int:
        return len(self._index)
