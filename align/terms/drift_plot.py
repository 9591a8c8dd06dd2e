"""A timeline per concept: renderings over event dates, sized by count, coloured by status."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

STATUS_COLOURS = {
    "preferred": "#1b7837", "admitted": "#2166ac", "superseded": "#e08214",
    "deprecated": "#b2182b", "other-concept": "#762a83", "missing": "#878787",
}  # fmt: skip


def plot_concept(
    counts: pd.DataFrame, changes: pd.DataFrame, concept_id: str, out_dir: Path
) -> list[Path]:
    """Write out_dir/<concept_id>.png and .svg; Agg backend, so no display is needed."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    data = counts[counts.concept_id == concept_id].groupby(["date", "rendering", "status"])
    data = data["count"].sum().reset_index()
    data["when"] = pd.to_datetime(data.date, errors="coerce")
    renderings = list(dict.fromkeys(data.sort_values("when").rendering))
    rows = {r: i for i, r in enumerate(renderings)}
    figure, axes = plt.subplots(figsize=(8, 1.2 + 0.45 * len(renderings)))
    for status, group in data.groupby("status"):
        colour = STATUS_COLOURS.get(status, "black")
        sizes = 40 + 40 * group["count"]
        axes.scatter(group.when, group.rendering.map(rows), s=sizes, color=colour, label=status)
    switches = changes[(changes.concept_id == concept_id) & (changes.kind == "dominant_change")]
    for when in pd.to_datetime(switches.date, errors="coerce"):
        axes.axvline(when, color="#444444", linestyle="--", linewidth=0.8)
    axes.set_yticks(range(len(renderings)), renderings)
    axes.set_ylim(-0.7, len(renderings) - 0.3)
    whens = data.when.dropna()
    if len(whens) and whens.min() == whens.max():  # one date: a year around it, not a day
        axes.set_xlim(whens.min() - pd.Timedelta(days=183), whens.max() + pd.Timedelta(days=183))
    axes.set_title(concept_id, loc="left", fontsize="medium")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    figure.autofmt_xdate()
    paths = [out_dir / f"{concept_id}.{suffix}" for suffix in ("png", "svg")]
    for path in paths:  # tight: the long rendering labels, title and legend are never cut off
        figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)
    return paths
