"""Semantic similarity of a bead's two sides, calibrated on the document's own random pairs.

A raw cosine means little on its own (it depends on the embedder, the languages and the
register), so every bead's cosine is set against the distribution of source/target pairs of
*different* beads of the same document: z = (cos - mean_random) / sd_random. `rel` places it
between that random level (-1) and the document's typical aligned bead (0). Documents with too
few beads fall back to the prior shipped in stats.json for the embedder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_RANDOM = 12  # random pairs needed before a document's own distribution is trusted


@dataclass(frozen=True)
class Baseline:
    """Random-pair and aligned-pair cosine levels for one calibration group."""

    random_mean: float
    random_sd: float
    aligned_median: float
    source: str  # "document" or "prior"

    def z(self, cosine: float) -> float:
        return (cosine - self.random_mean) / max(self.random_sd, 1e-3)

    def rel(self, cosine: float) -> float:
        return (cosine - self.aligned_median) / max(self.aligned_median - self.random_mean, 0.05)


def random_cosines(src: np.ndarray, tgt: np.ndarray, origin: list[str]) -> np.ndarray:
    """Cosines of every source row with every target row of a different origin."""
    if len(src) == 0:
        return np.zeros(0, dtype=np.float32)
    matrix = src @ tgt.T
    keys = np.asarray(origin, dtype=object)
    mask = keys[:, None] != keys[None, :]
    return matrix[mask]


def baseline(
    cosines: np.ndarray, src: np.ndarray, tgt: np.ndarray, origin: list[str], prior: dict
) -> Baseline:
    """The group's own random/aligned levels, or the embedder prior when the group is small."""
    randoms = random_cosines(src, tgt, origin)
    if len(randoms) >= MIN_RANDOM and len(cosines) >= 3:
        return Baseline(
            float(randoms.mean()), float(randoms.std()), float(np.median(cosines)), "document"
        )
    return Baseline(prior["random_mean"], prior["random_sd"], prior["aligned_median"], "prior")
