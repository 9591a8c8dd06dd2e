"""The first pass: a 1-1 (plus skips) path, found coarse-to-fine as in Vecalign.

Short documents get an exact full search. Long ones are halved (neighbouring sentence vectors
summed) until the full search is small, aligned there, and the path is carried back up one level
at a time, each time searching only a band around it, so time and memory stay linear.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from align.aligners.band import Band, downsample, upsample
from align.aligners.dp import Lattice, forward, traceback

COARSE_SKIP = 0.1  # skip penalty on halved levels, where similarities are centred cosines
BLOCK_ROWS = 64


def one_to_one_path(
    src: np.ndarray,
    tgt: np.ndarray,
    *,
    width: int,
    full_max: int,
    skip: float,
    finest: Callable[[Band], np.ndarray] | None = None,
) -> list[tuple[int, int]]:
    """Nodes of the best 1-1/skip path; `finest` scores the full-resolution band if given."""
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= full_max**2 or min(n, m) <= 2 * width:
        band = Band.full(n, m)
    else:
        half = one_to_one_path(
            downsample(src), downsample(tgt), width=width, full_max=full_max, skip=COARSE_SKIP
        )
        band = Band.around(upsample(half, n, m), n, m, width)
    scores = finest(band) if finest is not None else band_dots(band, src, tgt)
    lattice = Lattice(band, {(1, 1): scores}, skip if finest is not None else COARSE_SKIP)
    nodes = [(0, 0)] + [(i1, j1) for _, i1, _, j1 in traceback(lattice, forward(lattice))]
    return nodes


def band_dots(band: Band, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """src[i-1] . tgt[j-1] at every band cell (i, j); -inf on row or column 0."""
    rows, cols = band.cells()
    out = np.full(band.size, -np.inf, dtype=np.float32)
    for i0 in range(1, band.n + 1, BLOCK_ROWS):
        i1 = min(band.n + 1, i0 + BLOCK_ROWS)
        c0, c1 = max(int(band.lo[i0]), 1), int(band.hi[i1 - 1])
        if c0 > c1:
            continue
        block = src[i0 - 1 : i1 - 1] @ tgt[c0 - 1 : c1].T
        f0, f1 = int(band.offs[i0]), int(band.offs[i1])
        r, c = rows[f0:f1], cols[f0:f1]
        keep = c >= 1
        values = np.full(f1 - f0, -np.inf, dtype=np.float32)
        values[keep] = block[r[keep] - i0, c[keep] - c0]
        out[f0:f1] = values
    return out
