"""The search band: which (source, target) positions the dynamic programme may visit.

Row i (sentences of the source consumed, 0..n) holds target positions lo[i]..hi[i]. Both bounds
never decrease, so a row block covers one contiguous column range and the cells of the band can
be stored row after row in one flat array: memory is linear in document length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Band:
    """A monotone staircase of DP nodes, stored row by row in flat arrays."""

    lo: np.ndarray
    hi: np.ndarray  # inclusive
    m: int
    offs: np.ndarray = field(init=False)
    _cells: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False, repr=False)
    _shifted: dict[tuple[int, int], np.ndarray] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.lo = np.asarray(self.lo, dtype=np.int64)
        self.hi = np.asarray(self.hi, dtype=np.int64)
        self.offs = np.zeros(len(self.lo) + 1, dtype=np.int64)
        np.cumsum(self.hi - self.lo + 1, out=self.offs[1:])

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    @property
    def size(self) -> int:
        return int(self.offs[-1])

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        """Every node: the exact, quadratic search used for short inputs."""
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64), m)

    @classmethod
    def around(cls, nodes: Sequence[tuple[int, int]], n: int, m: int, width: int) -> Band:
        """All nodes within `width` rows and columns of a monotone path from (0,0) to (n,m)."""
        row_min, row_max = path_extent(nodes, n)
        rows = np.arange(n + 1)
        lo = row_min[np.maximum(rows - width, 0)] - width
        hi = row_max[np.minimum(rows + width, n)] + width
        return cls(np.clip(lo, 0, m), np.clip(hi, 0, m), m)

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every flat cell (cached: several scorers need them)."""
        if self._cells is None:
            widths = np.diff(self.offs)
            rows = np.repeat(np.arange(self.n + 1, dtype=np.int64), widths)
            cols = np.arange(self.size, dtype=np.int64) - self.offs[rows] + self.lo[rows]
            self._cells = (rows, cols)
        return self._cells

    def predecessors(self, a: int, b: int) -> np.ndarray:
        """For every cell (i, j), the flat index of (i - a, j - b), or -1 (cached per shift)."""
        if (a, b) not in self._shifted:
            rows, cols = self.cells()
            index_type = np.int32 if self.size < 2**31 else np.int64  # halves the cache
            self._shifted[(a, b)] = self.flat(rows - a, cols - b).astype(index_type)
        return self._shifted[(a, b)]

    def flat(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Flat index of nodes (rows, cols), or -1 where a node lies outside the band."""
        inside = (rows >= 0) & (rows <= self.n)
        safe = np.where(inside, rows, 0)
        inside &= (cols >= self.lo[safe]) & (cols <= self.hi[safe])
        return np.where(inside, self.offs[safe] + cols - self.lo[safe], -1)


def path_extent(nodes: Sequence[tuple[int, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the lowest and highest column a monotone path's steps touch.

    A step leaving row i-1 starts at the last node above row i, and the step entering row i+1
    ends at the first node below it; those bound every step that crosses row i.
    """
    path = np.asarray(nodes, dtype=np.int64).reshape(-1, 2)
    rows, cols = path[:, 0], path[:, 1]
    wanted = np.arange(n + 1)
    before = np.searchsorted(rows, wanted, side="left") - 1
    after = np.searchsorted(rows, wanted, side="right")
    row_min = np.where(before >= 0, cols[np.maximum(before, 0)], cols[0])
    row_max = cols[np.minimum(after, len(rows) - 1)]
    return row_min, row_max


def downsample(vectors: np.ndarray) -> np.ndarray:
    """Halve a document: sum neighbouring pairs, centre, renormalise (Vecalign's coarse step)."""
    pairs = vectors[: len(vectors) // 2 * 2]
    half = pairs[0::2] + pairs[1::2]
    half = half - half.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(half, axis=1, keepdims=True)
    return (half / np.maximum(norms, 1e-6)).astype(np.float32)


def upsample(nodes: Sequence[tuple[int, int]], n: int, m: int) -> list[tuple[int, int]]:
    """Map a half-resolution path to full resolution, closing it at (n, m)."""
    path = [(2 * i, 2 * j) for i, j in nodes]
    if path[-1] != (n, m):
        path.append((n, m))
    return path
