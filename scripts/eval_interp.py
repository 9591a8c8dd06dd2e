"""Does the score order renderings by how far they depart? NAIST-SIC interpretation vs translation.

    python scripts/eval_interp.py                 # shipped weights on the 4 hand-aligned dev talks
    python scripts/eval_interp.py --cv            # talk-grouped cross-validated refit (see fit.py)

Per English sentence of ../shared/interpretation/naist-sic-aligned/dev.true.tsv, the share of
rows where the interpretation scores as more divergent than the offline translation, for the
composite, for plain cosine (lower = more divergent) and for the length ratio (EN chars per JA
char; higher = the Japanese more compressed), all computed in the same run. Ties count half.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.scoring.contrasts import NAIST, load_contrasts  # noqa: E402


def _share(interp: np.ndarray, trans: np.ndarray) -> float:
    return float(np.mean((interp > trans) + 0.5 * (interp == trans)))


def measured_pairs(name: str):  # noqa: ANN201
    """The contrasts of one file and the Measured record of both renderings of each."""
    from align.embed import load_embedder
    from align.scoring.features import measure
    from align.scoring.terminology import load_checker

    rows = load_contrasts(name)
    segments = [s for row in rows for s in row.segments()]
    measured = measure(segments, load_embedder("use"), load_checker())
    return rows, measured[0::2], measured[1::2]


def shares(interp, trans, weights=None) -> dict[str, float]:  # noqa: ANN001
    """Composite, cosine and length-ratio shares of interpretation-above-translation."""
    from align.scoring.composite import Weights, decide

    weights = weights or Weights.load()
    comp = lambda ms: np.array([decide(m, weights).divergence for m in ms])  # noqa: E731
    cos = lambda ms: np.array([-(m.cosine or 0.0) for m in ms])  # noqa: E731
    ratio = lambda ms: np.array([len(m.segment.tgt) / max(len(m.segment.src), 1) for m in ms])  # noqa: E731
    return {
        "composite": round(_share(comp(interp), comp(trans)), 3),
        "cosine": round(_share(cos(interp), cos(trans)), 3),
        "length_ratio": round(_share(ratio(interp), ratio(trans)), 3),
        "rows": len(interp),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="talk-grouped cross-validated refit")
    args = parser.parse_args()
    if not NAIST.is_dir():
        sys.exit(f"{NAIST}: NAIST-SIC data not found")
    rows, interp, trans = measured_pairs("true")
    out = {"shipped_weights": shares(interp, trans)}
    talks = sorted({r.talk for r in rows})
    out["per_talk"] = {
        t: shares([m for r, m in zip(rows, interp) if r.talk == t],
                  [m for r, m in zip(rows, trans) if r.talk == t])
        for t in talks
    }  # fmt: skip
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
