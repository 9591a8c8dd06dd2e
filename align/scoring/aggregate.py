"""Aggregates of bead scores (and the interpretation profile) per event, document pair, turn
pair and speaker."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from align.scoring.profile import profile

DIVERGENT = 0.5  # a bead at or above this composite score counts as divergent


def _summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    scores = [r["divergence"] for r in records]
    labels = Counter(label for r in records for label in r["labels"])
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


def _by(records: list[dict[str, Any]], key: Callable[[dict], Any]) -> list[dict[str, Any]]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return [{"key": k, **_summary(v)} for k, v in groups.items()]


def aggregate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per event, document pair, turn pair (pair_index) and speaker (rendering side first);
    each with its interpretation profile (profile.py)."""
    return {
        "events": _by(records, lambda r: r.get("event") or "-"),
        "documents": _by(records, lambda r: f"{r.get('src_doc')} -> {r.get('tgt_doc')}"),
        "turns": _by(
            records, lambda r: f"{r.get('src_doc')} -> {r.get('tgt_doc')} #{r.get('pair_index')}"
        ),  # fmt: skip
        "speakers": _by(records, lambda r: r.get("tgt_speaker") or r.get("src_speaker") or "-"),
    }
