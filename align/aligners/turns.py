"""Turn alignment: which turns of the original correspond to which turns of the rendering.

A monotone dynamic programme over turns, scored by speaker identity, turn kind, content
(cosine of mean sentence embeddings) and length. Turns with no counterpart are left unmatched
and reported, never forced; two consecutive turns of one speaker may match one turn (an
interpreter's rendering split by a "(Via interpreter)" mark, or a reply split in two).

Speaker ids are evidence, not a gate: two single speech turns whose ids differ (a romanisation
variant, a title for a name, a typo, a mislabelled turn) may pair, without the speaker bonus,
when each is the other's most similar turn; a matching id never pairs speech whose cosine is
below content_floor (an unrelated turn under the right label). Chosen on BSD dialogues with
corrupted labels (scripts/bench_turns.py, fit split; README, Aligning).
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
    mismatch_penalty: float = 0.0  # different ids: no bonus, and only mutual best turns
    content_floor: float = 0.2  # speech turns below this cosine never pair, whoever speaks
    mutual_only: bool = True


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
    """Speech pairs with speech, headings with headings; each side one speaker (or unknown)."""
    kinds_a = {t.kind == "speech" for t in a}
    kinds_b = {t.kind == "speech" for t in b}
    if len(kinds_a) > 1 or len(kinds_b) > 1 or kinds_a != kinds_b:
        return False
    return len({t.speaker for t in a}) == 1 and len({t.speaker for t in b}) == 1


def speaker_term(a: Turn, b: Turn, cosine: float, mutual: bool, params: TurnParams) -> float | None:
    """Bonus for one speaker, penalty for two known different ones; None: never pair.

    Different ids pair only single turns that are each other's most similar turn (content
    that clearly corresponds: an unmatched U.S. turn's nearest Japanese turn is some
    minister's, whose own nearest English turn is its rendering).
    """
    if a.kind == "speech" and cosine < params.content_floor:
        return None
    if a.speaker is None or b.speaker is None:
        return 0.0
    if a.speaker == b.speaker:
        return params.speaker_bonus
    return -params.mismatch_penalty if mutual or not params.mutual_only else None


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
    mutual = _mutual_best(src_vec, tgt_vec)

    def group_score(i0: int, i1: int, j0: int, j1: int) -> float:
        a, b = src[i0:i1], tgt[j0:j1]
        if not _compatible(a, b):
            return NEG
        va = _normalised(sum(src_vec[i0:i1]))
        vb = _normalised(sum(tgt_vec[j0:j1]))
        cosine = float(va @ vb)
        single = i1 - i0 == 1 and j1 - j0 == 1 and (i0, j0) in mutual
        speaker = speaker_term(a[0], b[0], cosine, single, params)
        if speaker is None:
            return NEG
        length = abs(math.log(_chars(b) / (ratio * _chars(a))))
        return cosine - params.content_offset + speaker - params.length_weight * length

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


def _mutual_best(src_vec: list[np.ndarray], tgt_vec: list[np.ndarray]) -> set[tuple[int, int]]:
    """Turn pairs each of which is the other's most similar turn."""
    if not src_vec or not tgt_vec:
        return set()
    a = np.stack([_normalised(v) for v in src_vec])
    b = np.stack([_normalised(v) for v in tgt_vec])
    sim = a @ b.T
    rows, cols = sim.argmax(axis=1), sim.argmax(axis=0)
    return {(i, int(j)) for i, j in enumerate(rows) if cols[j] == i}


def _normalised(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
