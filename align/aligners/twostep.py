"""Bertalign's two-step search band: 1-1 anchors from top-k similarities, then windows.

After Liu and Zhu, "Bertalign" (DSH 2023; github.com/bfsujason/bertalign, corelib.py:
find_top_k_sents, first_pass_align, find_second_search_path), re-expressed on our band:
1. each source sentence's `top_k` most similar target sentences are the only 1-1 pairs the
   first step may use; the monotone chain of them with the largest summed similarity (skips
   free, as in Bertalign's first pass) gives the anchors;
2. the rows between two consecutive anchors may visit the target columns from the first
   anchor's minus `window` to the second's plus `window`; the bead search of sentences.py
   then runs in that band with beads up to 4 sentences a side, scored as always.
Unlike the default band (±10 around a 1-1 path), a window between distant anchors is as wide
as the gap: an interpreter's long run of pieces is searched whole, not clipped.
"""

from __future__ import annotations

import numpy as np

from align.aligners.band import Band

TOP_K = 3
WINDOW = 5
BLOCK_ROWS = 512
MIN_BEAD = 4  # Bertalign's max_align 5: every bead with up to 5 sentences in all (1-4, 2-3, …)
CELLS_PER_SENTENCE = 100  # windows larger than this (few, distant anchors) are not searched


def max_cells(n: int, m: int) -> int:
    """The most band cells the second step may search: windows between few, distant anchors
    (unrelated documents) grow quadratically, so past this the default band is used."""
    return max(1_000_000, CELLS_PER_SENTENCE * (n + m))


def top_k(src: np.ndarray, tgt: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per source row: the k most similar target columns and their dot products (blocked)."""
    k = min(k, len(tgt))
    columns = np.empty((len(src), k), dtype=np.int64)
    scores = np.empty((len(src), k), dtype=np.float32)
    for start in range(0, len(src), BLOCK_ROWS):
        block = src[start : start + BLOCK_ROWS] @ tgt.T
        best = np.argpartition(-block, k - 1, axis=1)[:, :k]
        columns[start : start + len(block)] = best
        scores[start : start + len(block)] = np.take_along_axis(block, best, axis=1)
    return columns, scores


def anchors(src: np.ndarray, tgt: np.ndarray, k: int = TOP_K) -> list[tuple[int, int]]:
    """The 1-1 pairs (source, target sentence index) of the best increasing chain of top-k
    pairs: strictly increasing on both sides, the largest sum of positive similarities."""
    if not len(src) or not len(tgt):
        return []
    columns, scores = top_k(src, tgt, k)
    m = len(tgt)
    tree = np.zeros(m + 1)  # Fenwick tree of prefix maxima over target columns
    owner = np.full(m + 1, -1, dtype=np.int64)  # the chain end holding each maximum
    ends: list[tuple[int, int, int]] = []  # (source, target, previous end) of each chain end
    for i in range(len(src)):
        found = []
        for j, score in zip(columns[i].tolist(), scores[i].tolist(), strict=True):
            if score <= 0:
                continue
            best, previous = _prefix_max(tree, owner, j)  # chains ending left of column j
            found.append((best + score, j, previous))
        for total, j, previous in found:  # after the row: one anchor per source sentence
            ends.append((i, j, previous))
            _update(tree, owner, j + 1, total, len(ends) - 1)
    last = _prefix_max(tree, owner, m)[1]
    chain = []
    while last >= 0:
        i, j, last = ends[last]
        chain.append((i, j))
    return chain[::-1]


def _prefix_max(tree: np.ndarray, owner: np.ndarray, j: int) -> tuple[float, int]:
    """The best chain total over columns < j and the chain end that has it."""
    best, who = 0.0, -1
    while j > 0:
        if tree[j] > best:
            best, who = float(tree[j]), int(owner[j])
        j -= j & -j
    return best, who


def _update(tree: np.ndarray, owner: np.ndarray, j: int, value: float, who: int) -> None:
    while j < len(tree):
        if value > tree[j]:
            tree[j], owner[j] = value, who
        j += j & -j


def anchor_band(pairs: list[tuple[int, int]], n: int, m: int, window: int = WINDOW) -> Band:
    """Bertalign's second-step search path: rows between anchors see the columns between them,
    widened by `window`; the last anchor is moved to the end node (n, m)."""
    nodes = [(i + 1, j + 1) for i, j in pairs]  # DP node after each anchor's 1-1 bead
    if nodes and nodes[-1] != (n, m) and (nodes[-1][0] == n or nodes[-1][1] == m):
        nodes.pop()  # an anchor on the last row or column but not at the end: (n, m) replaces it
    nodes.append((n, m))
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    previous = (0, 0)
    for i, j in nodes:
        if i == previous[0]:  # (n, m) right after an anchor on row n: widen that row
            hi[i] = max(hi[i], min(m, j + window))
            continue
        lo[previous[0] + 1 : i + 1] = max(0, previous[1] - window)
        hi[previous[0] + 1 : i + 1] = min(m, j + window)
        previous = (i, j)
    lo[0], hi[0] = lo[1] if n else 0, hi[1] if n else m
    hi[n] = m
    return Band(lo, np.maximum.accumulate(hi), m)
