"""Banded dynamic programme over beads: forward and backward passes, max-marginals, traceback.

Scores are maximised. Edge scores live on the band's flat cells, indexed by the node a bead ends
at; skips (1-0, 0-1) cost a constant. The row loop does two numpy calls per bead type on
precomputed slices, and 0-1 skips inside a row are a running maximum (`np.maximum.accumulate`);
back-pointers are recovered afterwards in one vectorised sweep per type. Time and memory are
linear in the number of band cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from align.aligners.band import Band
from align.errors import AlignError

BeadType = tuple[int, int]
Step = tuple[int, int, int, int]
SKIP_SRC: BeadType = (1, 0)
SKIP_TGT: BeadType = (0, 1)
NEG = -np.inf


@dataclass
class Lattice:
    """Edge scores of every non-skip bead type on a band, plus the constant skip penalty."""

    band: Band
    scores: dict[BeadType, np.ndarray]
    skip: float
    _edges: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def types(self) -> list[BeadType]:
        """Bead types in a fixed order: matching types first, then the two skips."""
        return [*self.scores, SKIP_SRC, SKIP_TGT]

    def edge(self, kind: BeadType) -> np.ndarray | float:
        """Scores of `kind` edges at every flat cell (a constant for skips)."""
        if kind in (SKIP_SRC, SKIP_TGT):
            return -self.skip
        return self.scores[kind]

    def stacked(self) -> np.ndarray:
        """Scores of the row-to-row types (matches, then 1-0) end to end in one float64 array."""
        if self._edges is None:
            parts = [np.asarray(v, dtype=np.float64) for v in self.scores.values()]
            parts.append(np.full(self.band.size, -self.skip))
            self._edges = np.concatenate(parts)
        return self._edges


def _slices(lat: Lattice, reverse: bool) -> list[list[tuple[int, int, int, int]]]:
    """Per row, (source start, edge start, row start, length) of each row-to-row transition.

    Forward, row i reads row i-a at column j-b; backward, row i reads row i+a at column j+b.
    All bounds are computed with numpy for all rows at once.
    """
    band = lat.band
    n, size = band.n, band.size
    rows = np.arange(n + 1)
    plans: list[list[tuple[int, int, int, int]]] = [[] for _ in range(n + 1)]
    for t, (a, b) in enumerate(lat.types[:-1]):
        other = rows + a if reverse else rows - a
        ok = (other >= 0) & (other <= n)
        o = np.clip(other, 0, n)
        shift = -b if reverse else b
        first = np.maximum(band.lo, band.lo[o] + shift)
        last = np.minimum(band.hi, band.hi[o] + shift)
        ok &= first <= last
        src_start = band.offs[o] + first - shift - band.lo[o]
        row_start = first - band.lo
        # the edge is stored at the bead's end cell: row i forward, row i+a backward
        edge_start = t * size + (src_start if reverse else band.offs[rows] + row_start)
        for i, s, e, r, length in zip(
            rows[ok].tolist(),
            src_start[ok].tolist(),
            edge_start[ok].tolist(),
            row_start[ok].tolist(),
            (last - first + 1)[ok].tolist(),
            strict=True,
        ):
            plans[i].append((s, e, r, length))
    return plans


def forward(lat: Lattice) -> np.ndarray:
    """Best score of every node reached from (0, 0)."""
    return _sweep(lat, reverse=False)


def backward(lat: Lattice) -> np.ndarray:
    """Best score from every node to (n, m)."""
    return _sweep(lat, reverse=True)


def _sweep(lat: Lattice, reverse: bool) -> np.ndarray:
    """One DP pass; backward runs rows and columns in reverse."""
    band, edges = lat.band, lat.stacked()
    best = np.full(band.size, NEG)
    steps = np.arange(int((band.hi - band.lo).max()) + 1) * lat.skip
    plans = _slices(lat, reverse)
    order = range(band.n, -1, -1) if reverse else range(band.n + 1)
    for i in order:
        off, width = int(band.offs[i]), int(band.hi[i] - band.lo[i] + 1)
        row = best[off : off + width]
        if not reverse and i == 0 and band.lo[0] == 0:
            row[0] = 0.0
        if reverse and i == band.n and band.hi[i] == band.m:
            row[-1] = 0.0
        for src, edge, start, length in plans[i]:
            view = row[start : start + length]
            np.maximum(view, best[src : src + length] + edges[edge : edge + length], out=view)
        _skip_along(row[::-1] if reverse else row, steps[:width])
    return best


def _skip_along(row: np.ndarray, steps: np.ndarray) -> None:
    """0-1 skips left to right, in place: row[j] = max(row[j], row[j-1] - skip)."""
    lifted = row + steps
    np.maximum.accumulate(lifted, out=lifted)
    np.subtract(lifted, steps, out=row)


def _predecessors(lat: Lattice, kind: BeadType) -> np.ndarray:
    """Flat index of the node each cell's `kind` bead starts from, -1 outside the band."""
    return lat.band.predecessors(*kind)


def max_marginals(lat: Lattice, fwd: np.ndarray, bwd: np.ndarray) -> dict[BeadType, np.ndarray]:
    """For each bead type and end cell: the best total score of a path that uses that bead."""
    out = {}
    for kind in lat.types:
        prev = _predecessors(lat, kind)
        arriving = np.where(prev >= 0, fwd[np.maximum(prev, 0)], NEG)
        out[kind] = arriving + lat.edge(kind) + bwd
    return out


def traceback(lat: Lattice, fwd: np.ndarray) -> list[Step]:
    """The best path's beads as (src_start, src_end, tgt_start, tgt_end), first to last."""
    band, types = lat.band, lat.types
    best = np.full(band.size, NEG)
    back = np.zeros(band.size, dtype=np.int8)
    for t, kind in enumerate(types):  # vectorised argmax over the transitions into each cell
        prev = _predecessors(lat, kind)
        value = np.where(prev >= 0, fwd[np.maximum(prev, 0)], NEG) + lat.edge(kind)
        better = value > best
        best[better], back[better] = value[better], t
    if not np.isfinite(fwd[end_cell(band)]):
        raise AlignError("no alignment path inside the search band; widen band_width")
    beads = []
    i, j = band.n, band.m
    while i > 0 or j > 0:
        a, b = types[back[band.offs[i] + j - band.lo[i]]]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def end_cell(band: Band) -> int:
    """Flat index of the final node (n, m)."""
    return int(band.offs[band.n] + band.m - band.lo[band.n])
