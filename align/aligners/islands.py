"""Comparable documents: keep the parallel islands, leave the rest unaligned.

When one side is a summary, a readout or a news quote of the other, most of it has no
counterpart and a full alignment glues the few real renderings to their neighbours. A document
pair whose confident beads cover under 30% of either side's speech is comparable: each
bead below the confidence cut, and every many-sentence bead, is dissolved into 1-0 / 0-1 beads,
except for its single most similar sentence pair when that pair stands out from random pairs
(an island: one sentence rendering one sentence, 1-1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.model import Bead

SURE = 0.5  # calibrated confidence of a bead counted as a parallel island
# Share of a side's speech in sure beads under which a pair is comparable: genuine translations
# in ../shared cover 0.40-0.86, readouts, quotes and lead paragraphs 0.00-0.25.
COMPARABLE_BELOW = 0.3
ISLAND_Z = 4.0  # a dissolved bead keeps its best 1-1 pair this far above random pairs


@dataclass(frozen=True)
class Coverage:
    """Share of each side's sentences inside sure beads."""

    src: float
    tgt: float

    @property
    def comparable(self) -> bool:
        return min(self.src, self.tgt) < COMPARABLE_BELOW


def coverage(
    beads: Sequence[Bead], src_speech: Sequence[bool], tgt_speech: Sequence[bool]
) -> Coverage:
    """Share of source and target speech sentences (document indices) inside sure beads."""
    sure = [b for b in beads if b.src and b.tgt and b.confidence >= SURE]
    src = sum(src_speech[i] for b in sure for i in b.src) / max(sum(src_speech), 1)
    tgt = sum(tgt_speech[j] for b in sure for j in b.tgt) / max(sum(tgt_speech), 1)
    return Coverage(round(src, 4), round(tgt, 4))


def keep_islands(
    beads: Sequence[Bead], similarity: np.ndarray | None, null: tuple[float, float] | None
) -> list[Bead]:
    """Dissolve unsure and many-sentence beads; keep their best pair when it stands out (1-1)."""
    out: list[Bead] = []
    for bead in beads:
        one_to_one = len(bead.src) == len(bead.tgt) == 1
        if not (bead.src and bead.tgt) or (one_to_one and bead.confidence >= SURE):
            out.append(bead)
            continue
        island = _best_pair(bead, similarity, null)
        for i in bead.src:
            if island and i == island[0]:
                out.extend(_skips_before(bead.tgt, island[1], bead.confidence))
                out.append(Bead((i,), (island[1],), bead.confidence))
            else:
                out.append(Bead((i,), (), round(1.0 - bead.confidence, 4)))
        rest = [j for j in bead.tgt if not island or j > island[1]]
        out.extend(Bead((), (j,), round(1.0 - bead.confidence, 4)) for j in rest)
    return out


def _skips_before(tgt: Sequence[int], j: int, confidence: float) -> list[Bead]:
    return [Bead((), (k,), round(1.0 - confidence, 4)) for k in tgt if k < j]


def _best_pair(
    bead: Bead, similarity: np.ndarray | None, null: tuple[float, float] | None
) -> tuple[int, int] | None:
    """The bead's most similar sentence pair, if it is ISLAND_Z spreads above random pairs."""
    if similarity is None or null is None:
        return None
    block = similarity[np.ix_(bead.src, bead.tgt)]
    k = int(np.argmax(block))
    i, j = bead.src[k // block.shape[1]], bead.tgt[k % block.shape[1]]
    return (i, j) if (similarity[i, j] - null[0]) / null[1] >= ISLAND_Z else None
