"""The similarity-matrix picture researchers use to inspect an aligner's decisions."""

from __future__ import annotations

import base64
import io

import numpy as np

from align.model import Bead

MAX_CELLS = 300  # larger matrices are shown by their top-left corner, and say so


def matrix_png(similarity: np.ndarray, beads: list[Bead]) -> str:
    """A base64 PNG of the sentence similarity matrix with the chosen beads outlined."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    shown = similarity[:MAX_CELLS, :MAX_CELLS]
    rows, cols = shown.shape
    size = min(6.0, max(2.2, 0.18 * max(rows, cols)))
    figure, axes = plt.subplots(figsize=(size * cols / max(rows, cols) + 1.2, size))
    image = axes.imshow(shown, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for bead in beads:
        if bead.src and bead.tgt and bead.src[0] < rows and bead.tgt[0] < cols:
            corner = (bead.tgt[0] - 0.5, bead.src[0] - 0.5)
            axes.add_patch(
                Rectangle(corner, len(bead.tgt), len(bead.src), fill=False, ec="red", lw=1.5)
            )
        elif bead.src and bead.src[0] < rows:  # omission: a mark in the left margin
            axes.plot([-0.5], [bead.src[0]], marker=">", color="orange", clip_on=False)
        elif bead.tgt and bead.tgt[0] < cols:  # addition: a mark above the top edge
            axes.plot([bead.tgt[0]], [-0.5], marker="v", color="orange", clip_on=False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("target sentence")
    axes.set_ylabel("source sentence")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="cosine")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
