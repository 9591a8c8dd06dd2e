"""The Embedder interface: one small contract every encoder meets, so aligners never care which."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from align.errors import ModelError
from align.text.lang import base_language


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Scale rows to unit length so a dot product is a cosine; zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.maximum(norms, np.float32(1e-12), out=norms)
    return vectors / norms


def batches(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    """Yield consecutive slices of at most `size` items so memory stays bounded."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Pieces:
    """Pieces of one text made of its consecutive parts (clauses, words), to embed together.

    `parts` are consecutive pieces of the text; each piece joins some of them (`members`:
    part indices) and reads as `texts[k]`, the string an exact embedder encodes. A pooling
    embedder encodes each part once and builds every piece from its parts.
    """

    parts: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    texts: tuple[str, ...]


class Embedder(ABC):
    """A sentence encoder returning float32, L2-normalised rows, one per input string."""

    name: str = "embedder"
    version: str = "0"
    languages: frozenset[str] | None = None
    batch_size: int = 256
    sort_by_length: bool = False  # True where the backend pads a batch to its longest member

    @property
    @abstractmethod
    def dim(self) -> int:
        """Width of one embedding, known before any text is embedded."""

    @abstractmethod
    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Encode one batch; rows need not be normalised yet."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` in batches and return an (n, dim) float32 array of unit rows."""
        texts = _checked(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        order = list(range(len(texts)))
        if self.sort_by_length:
            order.sort(key=lambda i: len(texts[i]))
        for chunk in batches(order, self.batch_size):
            out[list(chunk)] = self._embed_batch([texts[i] for i in chunk])
        return l2_normalise(out)

    pools_pieces: bool = False  # True where embed_pieces approximates from one pass per text

    def embed_pieces(self, items: Sequence[Pieces]) -> list[np.ndarray]:
        """Unit vectors of every piece of every item; here exact: each piece's text embedded.

        An embedder whose network pools token features by a sum (USE) overrides this to run
        one forward pass per part and sum the features of each piece's tokens.
        """
        texts = [t for item in items for t in item.texts]
        rows = self.embed(texts) if texts else np.zeros((0, self.dim), np.float32)
        out, start = [], 0
        for item in items:
            out.append(rows[start : start + len(item.texts)])
            start += len(item.texts)
        return out

    def supports(self, language: str) -> bool:
        """True when the embedder was trained on `language` (or its languages are unknown)."""
        return self.languages is None or base_language(language) in self.languages

    def check_languages(self, *languages: str) -> None:
        """Fail early, in one line, when a language is outside what the model was trained on."""
        for language in languages:
            if not self.supports(language):
                listed = ", ".join(sorted(self.languages or ()))
                raise ModelError(
                    f"embedder {self.name} does not support language {language!r}; "
                    f"supported: {listed}"
                )

    def set_threads(self, threads: int) -> None:
        """Use at most `threads` CPU threads while encoding (a no-op where none are managed)."""
        return None

    def signature_fields(self) -> dict[str, str]:
        """The settings that change the vectors, for a run's Signature."""
        return {"embedder": self.name, "embedder_version": self.version}


def _checked(texts: Sequence[str]) -> list[str]:
    """Reject non-strings early: a None deep inside a backend gives an unreadable traceback."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a list of strings, not a single string")
    texts = list(texts)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"embed() item {position} is {type(text).__name__}, not str")
    return texts
