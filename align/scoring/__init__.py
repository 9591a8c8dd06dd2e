"""Divergence scoring: per-bead signals, a fitted composite score, labels and reasons.

Public entry points (imported lazily, so importing the package loads no model):
`score_run(run_dir, embedder=None, reference=None, mt=None)` scores a run directory in place;
`score_pairs(src, tgt, embedder)` scores line-aligned files; `score_segments(segments, embedder)`
scores `Segment`s directly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Segment", "score_pairs", "score_run", "score_segments"]


def __getattr__(name: str) -> Any:
    if name == "score_run":
        from align.scoring.run import score_run

        return score_run
    if name == "score_pairs":
        from align.scoring.pairs import score_pairs

        return score_pairs
    if name == "score_segments":
        from align.scoring.engine import score_segments

        return score_segments
    if name == "Segment":
        from align.scoring.segment import Segment

        return Segment
    raise AttributeError(name)
