"""Bead scores on the band's cells: segment similarity minus the length penalty.

Two similarity forms, chosen by `mode`:
- "cosine": cos(source segment, target segment), the form the prototype measured best;
- "vecalign": -(2·a·b·(1 - cos) / (n_src + n_tgt)), Vecalign's cost, where n_x = 1 - mean cos of
  x with a random sample of the other side, and a·b (segment sizes) counters many-to-many drift.
Scores are computed a block of rows at a time with one matrix product, so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from align.aligners.band import Band
from align.aligners.length import LengthModel
from align.aligners.lexicon import BeadLexicon
from align.aligners.segments import SideSegments

MODES = ("cosine", "vecalign")
BLOCK_ROWS = 64
NORM_SAMPLE = 100  # Vecalign's num_samps_for_norm
NEG = np.float32(-np.inf)


@dataclass
class Scorer:
    """Turns segment vectors into bead scores for one document pair."""

    src: SideSegments
    tgt: SideSegments
    length: LengthModel
    mode: str = "cosine"
    seed: int = 0
    lexicon: BeadLexicon | None = None  # with lexicon_weight > 0: dictionary anchors
    lexicon_weight: float = 0.0
    ja_source: bool = True  # which side the lexicon's Japanese is

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown scoring mode {self.mode!r}; choose one of {MODES}")
        rng = np.random.default_rng(self.seed)
        self._src_sample = _sample(self.src.singles, rng)  # compared against target vectors
        self._tgt_sample = _sample(self.tgt.singles, rng)

    def dense(self, band: Band, a: int, b: int, proxy: bool = False) -> np.ndarray:
        """Scores of a-b beads ending at every band cell (-inf where a segment is missing)."""
        rows, cols = band.cells()
        out = np.full(band.size, NEG, dtype=np.float32)
        for i0 in range(0, band.n + 1, BLOCK_ROWS):
            i1 = min(band.n + 1, i0 + BLOCK_ROWS)
            c0, c1 = int(band.lo[i0]), int(band.hi[i1 - 1])
            s_vec, s_ok = self.src.vectors(a, np.arange(i0, i1), proxy)
            t_vec, t_ok = self.tgt.vectors(b, np.arange(c0, c1 + 1), proxy)
            f0, f1 = int(band.offs[i0]), int(band.offs[i1])
            r, c = rows[f0:f1] - i0, cols[f0:f1] - c0
            sims = (s_vec @ t_vec.T)[r, c]
            if self.mode == "vecalign":
                s_norm, t_norm = self._norms(s_vec, t_vec)
                sims = _vecalign(sims, s_norm[r], t_norm[c], a, b)
            sims = sims - self.length.penalty(rows[f0:f1], a, cols[f0:f1], b)
            sims = sims + self._lexical(rows[f0:f1], a, cols[f0:f1], b)
            out[f0:f1] = np.where(s_ok[r] & t_ok[c], sims, NEG)
        return out

    def sparse(self, band: Band, a: int, b: int, cells: np.ndarray) -> np.ndarray:
        """Scores of real (embedded) a-b beads at the given flat cells only; -inf elsewhere."""
        rows, cols = band.cells()
        out = np.full(band.size, NEG, dtype=np.float32)
        r, c = rows[cells], cols[cells]
        s_vec, s_ok = self.src.vectors(a, r, proxy=False)
        t_vec, t_ok = self.tgt.vectors(b, c, proxy=False)
        sims = np.einsum("kd,kd->k", s_vec, t_vec)
        if self.mode == "vecalign":
            sims = _vecalign(sims, *self._norms(s_vec, t_vec), a, b)
        sims = sims - self.length.penalty(r, a, c, b) + self._lexical(r, a, c, b)
        out[cells] = np.where(s_ok & t_ok, sims, NEG)
        return out

    def _lexical(self, rows: np.ndarray, a: int, cols: np.ndarray, b: int) -> np.ndarray | float:
        """The weighted dictionary term of a-b beads ending at (rows, cols); 0 when off."""
        if self.lexicon is None or not self.lexicon_weight:
            return 0.0
        if self.ja_source:
            shares = self.lexicon.scores(rows, a, cols, b)
        else:
            shares = self.lexicon.scores(cols, b, rows, a)
        return np.float32(self.lexicon_weight) * shares

    def random_pairs(self, count: int = 2000) -> np.ndarray:
        """Similarities (or Vecalign scores) of random 1-1 sentence pairs: the doc's null."""
        rng = np.random.default_rng(self.seed + 1)
        i = rng.integers(0, self.src.n, count)
        j = rng.integers(0, self.tgt.n, count)
        s_vec, t_vec = self.src.singles[i], self.tgt.singles[j]
        sims = np.einsum("kd,kd->k", s_vec, t_vec)
        if self.mode == "vecalign":
            sims = _vecalign(sims, *self._norms(s_vec, t_vec), 1, 1)
        return sims

    def _norms(self, s_vec: np.ndarray, t_vec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vecalign's per-vector normaliser: 1 - mean similarity to the other side's sample."""
        s_norm = 1.0 - (s_vec @ self._tgt_sample.T).mean(axis=1)
        t_norm = 1.0 - (t_vec @ self._src_sample.T).mean(axis=1)
        return s_norm, t_norm


def _vecalign(
    sims: np.ndarray, s_norm: np.ndarray, t_norm: np.ndarray, a: int, b: int
) -> np.ndarray:
    """Vecalign's cost 2ab(1 - cos)/(n_s + n_t), negated so that higher is better."""
    return -2.0 * a * b * (1.0 - sims) / (s_norm + t_norm + 1e-6)


def _sample(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Up to NORM_SAMPLE rows drawn with replacement (as Vecalign does)."""
    if len(vectors) == 0:
        return np.zeros((1, vectors.shape[1]), dtype=np.float32)
    return vectors[rng.integers(0, len(vectors), NORM_SAMPLE)]
