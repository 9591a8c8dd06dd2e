"""The length model: how far a bead's character ratio strays from the document pair's own ratio.

Gale and Church's observation, made scale-free: a translation's length is roughly proportional
to its original's, with a ratio that depends on the language pair (English runs about three times
longer than Japanese in characters). Estimating the ratio `r` from the two documents themselves
calibrates it for any pair and any register; the penalty is |ln(target / (r * source))|.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.text.lang import joiner


def char_ratio(src: Sequence[str], tgt: Sequence[str], clamp: float | None = None) -> float:
    """Target characters per source character over the whole pair (1.0 when a side is empty).

    With `clamp`, the ratio stays within a factor `clamp` of the ratio of mean sentence
    lengths: one sentence against a 200-sentence document is not 200 times longer per sentence.
    """
    src_chars = sum(len(s) for s in src)
    tgt_chars = sum(len(t) for t in tgt)
    if src_chars == 0 or tgt_chars == 0:
        return 1.0
    ratio = tgt_chars / src_chars
    if clamp is None:
        return ratio
    per_sentence = (tgt_chars / len(tgt)) / (src_chars / len(src))
    return float(min(max(ratio, per_sentence / clamp), per_sentence * clamp))


@dataclass
class SideLengths:
    """Character counts of any run of consecutive sentences of one side, from prefix sums."""

    prefix: np.ndarray  # prefix[i] = characters in sentences [0, i)
    sep: int  # characters added between two joined sentences

    @classmethod
    def of(cls, sentences: Sequence[str], language: str) -> SideLengths:
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.int64, count=len(sentences))
        prefix = np.zeros(len(sentences) + 1, dtype=np.int64)
        np.cumsum(lengths, out=prefix[1:])
        return cls(prefix=prefix, sep=len(joiner(language)))

    def chars(self, ends: np.ndarray, size: int) -> np.ndarray:
        """Characters of the `size`-sentence segments ending before positions `ends` (>= 1)."""
        ends = np.clip(ends, 0, len(self.prefix) - 1)  # out-of-range ends are masked by callers
        starts = np.maximum(ends - size, 0)
        total = self.prefix[ends] - self.prefix[starts] + self.sep * (size - 1)
        return np.maximum(total, 1)


@dataclass
class LengthModel:
    """Scores a bead's length agreement; weight 0 switches the term off."""

    src: SideLengths
    tgt: SideLengths
    ratio: float
    weight: float

    def penalty(
        self, src_ends: np.ndarray, src_size: int, tgt_ends: np.ndarray, tgt_size: int
    ) -> np.ndarray:
        """weight * |ln(target chars / (ratio * source chars))| for each bead end (i, j)."""
        if self.weight == 0:
            return np.zeros(len(src_ends), dtype=np.float32)
        src_chars = self.src.chars(src_ends, src_size) * self.ratio
        tgt_chars = self.tgt.chars(tgt_ends, tgt_size)
        return (self.weight * np.abs(np.log(tgt_chars / src_chars))).astype(np.float32)
