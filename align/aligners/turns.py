"""Turn alignment: which turns of the original correspond to which turns of the rendering.

A monotone dynamic programme over turns, scored by speaker identity, turn kind, content
(cosine of mean sentence embeddings) and length. Turns with no counterpart are left unmatched
and reported, never forced; two consecutive turns of one speaker may match one turn (an
interpreter's rendering split by a "(Via interpreter)" mark, or a reply split in two).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from align.model import Turn

NEG = -1e9


@dataclass(frozen=True)
class TurnParams:
    """Weights of the turn score; printed in the run signature."""

    speaker_bonus: float = 0.3
    content_offset: float = 0.35
    length_weight: float = 0.2
    skip: float = 0.0
    max_group: int = 2


@dataclass
class TurnPair:
    """Groups of source and target turns aligned together (either side may be empty)."""

    src: list[int]
    tgt: list[int]
    score: float = 0.0

    @property
    def matched(self) -> bool:
        return bool(self.src and self.tgt)


def _compatible(a: list[Turn], b: list[Turn]) -> bool:
    """Speech pairs with speech of the same (or an unknown) speaker; headings with headings."""
    kinds_a = {t.kind == "speech" for t in a}
    kinds_b = {t.kind == "speech" for t in b}
    if len(kinds_a) > 1 or len(kinds_b) > 1 or kinds_a != kinds_b:
        return False
    speakers_a = {t.speaker for t in a}
    speakers_b = {t.speaker for t in b}
    if len(speakers_a) > 1 or len(speakers_b) > 1:
        return False
    sa, sb = next(iter(speakers_a)), next(iter(speakers_b))
    return sa is None or sb is None or sa == sb


def _chars(turns: list[Turn]) -> int:
    return max(1, sum(len(s.text) for t in turns for s in t.sentences))


def align_turns(
    src: list[Turn],
    tgt: list[Turn],
    turn_vector: Callable[[Turn], np.ndarray],
    params: TurnParams = TurnParams(),
) -> list[TurnPair]:
    """Monotone alignment of two turn lists; returns pairs in order, unmatched turns included."""
    n, m = len(src), len(tgt)
    ratio = _chars(tgt) / _chars(src) if src and tgt else 1.0
    src_vec = [turn_vector(t) for t in src]
    tgt_vec = [turn_vector(t) for t in tgt]

    def group_score(i0: int, i1: int, j0: int, j1: int) -> float:
        a, b = src[i0:i1], tgt[j0:j1]
        if not _compatible(a, b):
            return NEG
        va = _normalised(sum(src_vec[i0:i1]))
        vb = _normalised(sum(tgt_vec[j0:j1]))
        cosine = float(va @ vb)
        same = a[0].speaker is not None and a[0].speaker == b[0].speaker
        length = abs(math.log(_chars(b) / (ratio * _chars(a))))
        return (
            cosine
            - params.content_offset
            + (params.speaker_bonus if same else 0.0)
            - params.length_weight * length
        )

    best = np.full((n + 1, m + 1), NEG)
    back: dict[tuple[int, int], tuple[int, int]] = {}
    best[0, 0] = 0.0
    moves = [(1, 0), (0, 1)] + [
        (a, b)
        for a in range(1, params.max_group + 1)
        for b in range(1, params.max_group + 1)
        if min(a, b) == 1
    ]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            for a, b in moves:
                if a > i or b > j or best[i - a, j - b] <= NEG / 2:
                    continue
                step = params.skip if a == 0 or b == 0 else group_score(i - a, i, j - b, j)
                if step <= NEG / 2:
                    continue
                if best[i - a, j - b] + step > best[i, j]:
                    best[i, j] = best[i - a, j - b] + step
                    back[(i, j)] = (a, b)
    return _trace(back, n, m, group_score)


def _trace(back, n: int, m: int, group_score) -> list[TurnPair]:
    pairs: list[TurnPair] = []
    i, j = n, m
    while i or j:
        a, b = back[(i, j)]
        score = group_score(i - a, i, j - b, j) if a and b else 0.0
        pairs.append(TurnPair(list(range(i - a, i)), list(range(j - b, j)), score))
        i, j = i - a, j - b
    return pairs[::-1]


def _normalised(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
