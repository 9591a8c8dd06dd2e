"""Segments (runs of consecutive sentences) of one side and their vectors, embedded on demand.

A segment is named by its size and the position it ends before: (2, 7) is sentences 5 and 6.
Single sentences are always embedded; longer segments only when the search asks for them.
Until then a segment can be stood in for by the normalised sum of its sentences' vectors (the
"proxy"), which costs no encoder call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.text.lang import joiner

MAX_SEGMENT_CHARS = 10_000  # as Vecalign: do not encode arbitrarily long concatenations


class SideSegments:
    """One document side: its sentences, their vectors, and the longer segments embedded so far."""

    def __init__(self, sentences: Sequence[str], language: str, singles: np.ndarray) -> None:
        self.sentences = list(sentences)
        self.glue = joiner(language)
        self.singles = singles
        self._index: dict[int, np.ndarray] = {}
        self._vectors: dict[int, np.ndarray] = {}

    @property
    def n(self) -> int:
        return len(self.sentences)

    def text(self, size: int, end: int) -> str:
        """The text an encoder sees for segment (size, end)."""
        return self.glue.join(self.sentences[end - size : end])[:MAX_SEGMENT_CHARS]

    def store(self, size: int, ends: np.ndarray, vectors: np.ndarray) -> None:
        """Keep the vectors of newly embedded segments of one size."""
        if size == 1:
            raise ValueError("single sentences are embedded up front")
        if len(ends) == 0:
            return
        index = self._index.setdefault(size, np.full(self.n + 1, -1, dtype=np.int64))
        known = self._vectors.get(size, np.empty((0, self.singles.shape[1]), dtype=np.float32))
        index[ends] = len(known) + np.arange(len(ends))
        self._vectors[size] = np.concatenate([known, vectors.astype(np.float32)])

    def embedded(self, size: int, ends: np.ndarray) -> np.ndarray:
        """Which of the segments (size, ends) have real vectors."""
        if size == 1:
            return (ends >= 1) & (ends <= self.n)
        index = self._index.get(size)
        return np.zeros(len(ends), bool) if index is None else index[ends] >= 0

    def vectors(self, size: int, ends: np.ndarray, proxy: bool) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of segments (size, ends) and a mask of those that exist (zero rows elsewhere)."""
        valid = (ends >= size) & (ends <= self.n)
        safe = np.clip(np.where(valid, ends, size), 1, self.n)
        if size == 1:
            return self.singles[safe - 1], valid
        if proxy:
            total = sum(self.singles[np.maximum(safe - 1 - k, 0)] for k in range(size))
            norms = np.linalg.norm(total, axis=1, keepdims=True)
            return (total / np.maximum(norms, 1e-6)).astype(np.float32), valid
        index = self._index.get(size)
        rows = np.full(len(ends), -1) if index is None else np.where(valid, index[safe], -1)
        valid &= rows >= 0
        if index is None:
            return np.zeros((len(ends), self.singles.shape[1]), np.float32), valid
        return self._vectors[size][np.maximum(rows, 0)], valid

    def count_embedded(self) -> int:
        """Segments with a vector on this side, singles included."""
        return self.n + sum(len(v) for v in self._vectors.values())
