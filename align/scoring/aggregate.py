"""Aggregates of bead scores (and the interpretation profile) per event, document pair, turn
pair and speaker."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from align.model import AlignedBead
from align.scoring.profile import profile

DIVERGENT = 0.5  # a bead at or above this composite score counts as divergent


def _summary(records: list[AlignedBead]) -> dict[str, Any]:
    scores = [r.divergence for r in records if r.divergence is not None]
    labels = Counter(label for r in records for label in r.labels)
    return {
        "beads": len(records),
        "mean_divergence": round(sum(scores) / len(scores), 4) if scores else None,
        "max_divergence": max(scores, default=None),
        "divergent_share": round(sum(s >= DIVERGENT for s in scores) / len(scores), 4)
        if scores
        else None,
        "labels": dict(sorted(labels.items())),
        "profile": profile(records),
    }


def _by(records: list[AlignedBead], key: Callable[[AlignedBead], Any]) -> list[dict[str, Any]]:
    groups: dict[Any, list[AlignedBead]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return [{"key": k, **_summary(v)} for k, v in groups.items()]


def aggregate(records: list[AlignedBead]) -> dict[str, Any]:
    """Per event, document pair, turn pair (pair_index) and speaker (rendering side first);
    each with its interpretation profile (profile.py)."""
    return {
        "events": _by(records, lambda r: r.event or "-"),
        "documents": _by(records, lambda r: f"{r.src_doc} -> {r.tgt_doc}"),
        "turns": _by(records, lambda r: f"{r.src_doc} -> {r.tgt_doc} #{r.pair_index}"),
        "speakers": _by(records, lambda r: r.tgt_speaker or r.src_speaker or "-"),
    }
