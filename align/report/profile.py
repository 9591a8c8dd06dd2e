"""The report's interpretation profile: a small table per speaker and one plot per speaker.

The figures are scoring/profile.py's (each defined there and in the README); the plot shows a
speaker's beads in order: composite divergence as bars, omissions and additions marked.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from typing import Any

from align.model import AlignedBead
from align.scoring.profile import profile

COLUMNS = ("compression", "omission_rate", "addition_rate", "number_fidelity", "term_accuracy",
           "hedges", "fillers")  # fmt: skip


def _speaker(bead: AlignedBead) -> str:
    return bead.tgt_speaker or bead.src_speaker or "-"


def speaker_profiles(beads: list[AlignedBead], pictures: bool = True) -> list[dict[str, Any]]:
    """Per speaker of the scored beads: the profile and (optionally) a base64 PNG plot."""
    scored = [b for b in beads if b.divergence is not None]
    groups: dict[str, list[AlignedBead]] = defaultdict(list)
    for record in scored:
        groups[_speaker(record)].append(record)
    return [
        {"speaker": name, "beads": len(group), "profile": profile(group),
         "png": _plot(name, group) if pictures else None}
        for name, group in groups.items()
    ]  # fmt: skip


def _plot(name: str, records: list[AlignedBead]) -> str:
    """Divergence of the speaker's beads in order; ▼ omission, ▲ addition."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    values = [float(r.divergence or 0.0) for r in records]
    figure, axes = plt.subplots(figsize=(min(8.0, 2.0 + 0.12 * len(values)), 1.8))
    axes.bar(range(len(values)), values, color="#7a9cc6", width=0.8)
    for index, record in enumerate(records):
        labels = record.labels
        if "omission" in labels:
            axes.plot(index, 1.05, marker="v", color="#d62728", clip_on=False)
        if "addition" in labels:
            axes.plot(index, 1.05, marker="^", color="#ff7f0e", clip_on=False)
    axes.set_ylim(0, 1)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(f"{name}: beads in order")
    axes.set_ylabel("divergence")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
