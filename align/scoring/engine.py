"""Segments in, scored records out: signals, composite score, labels and reasons per bead."""

from __future__ import annotations

from typing import Any

from align import __version__
from align.embed.base import Embedder
from align.model import Signature
from align.scoring.composite import Verdict, Weights, decide
from align.scoring.features import Measured, measure
from align.scoring.numbers import signal as number_signal
from align.scoring.segment import Segment
from align.scoring.terminology import TermChecker, flag_dict


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
            **{k: v for k, v in extra.items() if v is not None},
        )
    )


def _clause(clause: Any) -> dict[str, Any] | None:
    if clause is None:
        return None
    return {"clause": clause.text, "best": round(clause.best, 4), "z": round(clause.z, 3),
            "gain": round(clause.gain, 4), "absence": round(clause.absence, 3),
            "missing_anchors": clause.missing_anchors}  # fmt: skip


def signals(item: Measured, verdict: Verdict) -> dict[str, Any]:
    """The separate signals of one bead, as stored in alignment.jsonl and scores files."""
    out: dict[str, Any] = {}
    if item.cosine is not None and item.baseline is not None:
        out["similarity"] = {
            "cosine": round(item.cosine, 4), "z": round(item.baseline.z(item.cosine), 3),
            "rel": round(item.baseline.rel(item.cosine), 3), "calibration": item.baseline.source,
        }  # fmt: skip
    if item.length_z is not None:
        seg = item.segment
        out["length"] = {"ratio": round(len(seg.tgt) / max(len(seg.src), 1), 3),
                         "z": round(item.length_z, 3)}  # fmt: skip
    if item.coverage is not None:
        out["omission"] = _clause(item.coverage.suspect(item.coverage.src))
        out["addition"] = _clause(item.coverage.worst(item.coverage.tgt))
    if item.lexical is not None:
        gap = item.lexical
        out["lexical"] = {
            "gap": gap.text(item.segment.src) if gap.length else None, "gap_words": gap.length,
            "uncovered": round(gap.uncovered, 3), "rest": round(gap.rest, 3),
            "missing_anchors": [f"{a.text}={a.kind}" for a in item.anchors if not a.found],
        }  # fmt: skip
    if item.numbers is not None:
        out["numbers"] = number_signal(item.numbers)
    if item.polarity is not None:
        out["polarity"] = {"ja_negations": item.polarity.ja_negations,
                           "en_negations": item.polarity.en_negations,
                           "reversals": item.polarity.reversals}  # fmt: skip
    out["terminology"] = None if item.terms is None else [flag_dict(f) for f in item.terms]
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
    for item in measure(segments, embedder, terms):
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
