"""Segments in, scored records out: signals, composite score, labels and reasons per bead."""

from __future__ import annotations

from typing import Any

from align import __version__
from align.embed.base import Embedder
from align.model import Signature
from align.scoring.composite import Verdict, Weights, decide
from align.scoring.features import Measured, measure
from align.scoring.segment import Segment
from align.scoring.signals import compute_all
from align.scoring.terminology import TermChecker


def scoring_signature(
    embedder: Embedder, weights: Weights, terms: TermChecker | None, **extra: Any
) -> str:
    """Every setting behind the scores, sacrebleu style."""
    return str(
        Signature.make(
            scorer=f"interp-align:{__version__}",
            embedder=embedder.signature_fields()["embedder"],
            weights=weights.signature.split("|")[0],
            termbase=terms.name if terms else "none",
            screen=weights.screen.signature if weights.screen else "none",
            **{k: v for k, v in extra.items() if v is not None},
        )
    )


def signals(item: Measured, verdict: Verdict) -> dict[str, Any]:
    """The separate signals of one bead, as stored in alignment.jsonl and scores files."""
    out: dict[str, Any] = {name: r.to_dict() for name, r in compute_all(item).items()}
    out.update(item.extra)
    out["probabilities"] = verdict.probabilities
    return out


def score_segments(
    segments: list[Segment], embedder: Embedder, terms: TermChecker | None = None,
    weights: Weights | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """One result per segment: divergence, labels, reasons, signals."""
    weights = weights or Weights.load()
    results = []
    for item in measure(segments, embedder, terms, weights.screen):
        verdict = decide(item, weights)
        results.append(
            {
                "divergence": verdict.divergence,
                "labels": verdict.labels,
                "reasons": verdict.reasons,
                "signals": signals(item, verdict),
            }
        )
    return results
