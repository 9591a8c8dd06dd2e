"""Test embedders shared by the scoring tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.embed.base import Embedder, Pieces


class Counting(Embedder):
    """Wraps an embedder and records every string it encodes (and, pooling, every part)."""

    def __init__(self, inner: Embedder, pools: bool = False) -> None:
        self.inner, self.texts, self.parts = inner, [], []
        self.name, self.version, self.pools_pieces = inner.name, inner.version, pools

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed_batch(list(texts))

    def embed_pieces(self, items: Sequence[Pieces]) -> list[np.ndarray]:
        if not self.pools_pieces:
            return super().embed_pieces(items)
        self.parts.extend(p for item in items for p in item.parts)
        return self.inner.embed_pieces(items)


class Letters(Embedder):
    """A cheap deterministic embedder: character codes hashed into 32 dimensions."""

    name, version = "letters", "1"

    @property
    def dim(self) -> int:
        return 32

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        out = np.full((len(texts), 32), 0.01, dtype=np.float32)
        for row, text in enumerate(texts):
            for ch in text:
                out[row, ord(ch) % 32] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)
