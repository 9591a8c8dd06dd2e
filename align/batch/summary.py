"""One summary row per event's run, and its flag counts by label and severity."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.batch.steps import TERM_FLAGS
from align.model import AlignedBead
from align.rundir import read_beads
from align.scoring.profile import profile

if TYPE_CHECKING:
    from align.batch.spec import EventSpec
    from align.batch.worker import EventResult

SEVERITIES = ("high", "medium", "low")
PROFILE = ("compression", "omission_rate", "addition_rate", "number_fidelity", "term_accuracy",
           "hedges", "fillers")  # fmt: skip
PROFILE_COLUMNS = tuple(f"profile_{name}" for name in PROFILE)  # scoring/profile.py, per event
COLUMNS = (
    "event", "date", "title", "status", "failed_step", "documents", "pairs", "beads",
    "mean_confidence", "low_confidence_pairs", "mean_divergence", "score_flags", "term_flags",
    "term_flags_high", "term_flags_medium", "term_flags_low", "report", *PROFILE_COLUMNS,
)  # fmt: skip
FLAG_COLUMNS = ("event", "source", "label", "severity", "count")


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _score_flags(beads: list[AlignedBead]) -> Counter[tuple[str, str | None]]:
    """Score labels by (label, severity); labels carry no severity."""
    return Counter((label, None) for b in beads for label in b.labels)


def _term_flags(run_dir: Path) -> Counter[tuple[str, str | None]]:
    path = run_dir / TERM_FLAGS
    if not path.is_file():
        return Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    flags = [json.loads(line) for line in lines if line.strip()]
    return Counter((f.get("kind"), f.get("severity")) for f in flags)


def empty_row(event: EventSpec) -> dict[str, Any]:
    """The row of an event whose run could not be read."""
    row = dict.fromkeys(COLUMNS)
    row.update(event=event.id, date=event.date, title=event.title, status="failed")
    return row


def event_row(
    event: EventSpec, run_dir: Path, result: EventResult
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The event's summary row and flag counts, read back from its run directory."""
    row = empty_row(event)
    row["failed_step"] = result.errors[0][0] if result.errors else None
    if result.steps.get("align") not in ("done", "skipped"):
        return row, []
    run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    records = read_beads(run_dir)
    scored, terms = _score_flags(records), _term_flags(run_dir)
    divergences = [r.divergence for r in records if r.divergence is not None]
    confidences = [r.confidence for r in records]
    row.update(
        date=run.get("date") or event.date,
        title=run.get("title") or event.title,
        status="failed" if result.errors else "ok",
        documents=len(run.get("documents", [])),
        pairs=len(run.get("pairs", [])),
        beads=len(records),
        mean_confidence=_mean(confidences),
        low_confidence_pairs=sum(1 for p in run.get("pairs", []) if p.get("low_confidence")),
        mean_divergence=_mean(divergences),
        score_flags=sum(scored.values()) if any(r.scores for r in records) else None,
        term_flags=sum(terms.values()) if "terms" in result.steps else None,
        report=f"events/{event.id}/report.html" if (run_dir / "report.html").is_file() else None,
    )
    if divergences:
        figures = profile([r for r in records if r.divergence is not None])
        row.update({f"profile_{name}": figures[name] for name in PROFILE})
    if "terms" in result.steps:
        for severity in SEVERITIES:
            row[f"term_flags_{severity}"] = sum(n for (_, s), n in terms.items() if s == severity)
    flags = [
        {"event": event.id, "source": source, "label": label, "severity": severity, "count": n}
        for source, counts in (("score", scored), ("terms", terms))
        for (label, severity), n in sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    ]
    return row, flags
