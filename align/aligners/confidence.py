"""Per-bead confidence: was this the clear decision, and does the pair look like a translation?

Two measurements per bead, combined by a logistic model into a probability that it is right:
- margin: the best path's score minus the best path that does not use this bead (exact, from
  forward-backward max-marginals). Near 0 the aligner was torn between two readings.
- z: how far the bead's score stands above the document pair's own null, the scores of random
  sentence pairs, in robust standard deviations (beads with both sides only). Two texts that are
  not translations of each other score low everywhere, so the mean confidence over the beads
  tells a caller when to warn.
- pin: whether the bead is pinned by its turn pair: 1 / (1 + the other sentences of the pair)
  when the pair was matched by one speaker on both sides, else 0. A one-sentence turn pair
  (「承知しました」 / "Understood.") has no other reading: its margin only says that the pair beats
  skipping both, and short formulaic renderings sit low against the random pairs (small margin,
  z near 0), so without pin every short dialogue turn looked like a torn decision (0.02).
log-odds = B0 + B_MARGIN * min(margin, 1.5) + B_Z * clip(z, -3, 8) + B_SKIP * [1-0 or 0-1 bead]
+ B_PIN * pin, then an isotonic map from that probability to the observed
accuracy. Both are fitted on real and
synthetic beads (calibration.json, `python scripts/calibrate_confidence.py fit`): synthetic EN-JA
and unrelated pairs, NAIST-SIC dev talks 1 and 3, the shipped gold, BSD dialogues (fit split)
and unrelated dialogue pairs; the reliability table on the other split (`... report`).
COEFFICIENTS is the synthetic-only fit (no pin term), used without calibration.json.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

from align.aligners.band import Band
from align.aligners.dp import BeadType, Lattice

COEFFICIENTS = (-8.42, 16.87, 1.51, 5.73, 0.0)  # B0, B_MARGIN, B_Z, B_SKIP, B_PIN
MARGIN_CAP = 1.5
Z_RANGE = (-3.0, 8.0)


def margins(
    lat: Lattice,
    marginals: dict[BeadType, np.ndarray],
    best: float,
    beads: list[tuple[int, int, int, int]],
) -> np.ndarray:
    """Score lost if each path bead were forbidden: best minus the best path avoiding it.

    Any path without bead e covers e's first sentence with another bead, and any bead other
    than e covering that sentence excludes e; so the best alternative is the best max-marginal
    over the other beads covering that sentence.
    """
    band = lat.band
    chosen = {kind: values.copy() for kind, values in marginals.items()}
    for i0, i1, j0, j1 in beads:
        cell = int(band.offs[i1] + j1 - band.lo[i1])
        chosen[(i1 - i0, j1 - j0)][cell] = -np.inf
    alt_src = _best_covering(chosen, band.n, 0, band)
    alt_tgt = _best_covering(chosen, band.m, 1, band)
    alternative = np.array(
        [alt_src[i0] if i1 > i0 else alt_tgt[j0] for i0, i1, j0, _ in beads], dtype=np.float64
    )
    return np.maximum(best - alternative, 0.0)


def _best_covering(
    chosen: dict[BeadType, np.ndarray], size: int, axis: int, band: Band
) -> np.ndarray:
    """For each sentence of one side, the best max-marginal among beads that contain it."""
    out = np.full(size, -np.inf)
    for kind, values in chosen.items():
        span = kind[axis]
        if span == 0 or size == 0:
            continue
        if axis == 0:
            per_end = np.maximum.reduceat(values, band.offs[:-1])
        else:
            per_end = np.full(band.m + 1, -np.inf)
            np.maximum.at(per_end, band.cells()[1], values)
        for k in range(span):  # a bead ending at e covers sentences e-span .. e-1
            np.maximum(out, _shifted(per_end, k, size), out=out)
    return out


def _shifted(per_end: np.ndarray, k: int, size: int) -> np.ndarray:
    """per_end[s + 1 + k] for s in 0..size-1, -inf past the end."""
    out = np.full(size, -np.inf)
    tail = per_end[1 + k : 1 + k + size]
    out[: len(tail)] = tail
    return out


def null_stats(null_scores: np.ndarray) -> tuple[float, float]:
    """Robust centre and spread (median, 1.4826 * MAD) of random-pair scores."""
    if len(null_scores) == 0:
        return 0.0, 1.0
    centre = float(np.median(null_scores))
    spread = 1.4826 * float(np.median(np.abs(null_scores - centre)))
    return centre, max(spread, 1e-3)


def z_scores(score: np.ndarray, null: tuple[float, float]) -> np.ndarray:
    """Bead scores in robust standard deviations above the random-pair median."""
    return (score - null[0]) / null[1]


def pinned(path: list[tuple[int, int, int, int]], n: int, m: int, anchored: bool) -> np.ndarray:
    """1 / (1 + sentences of the turn pair outside each bead) in a speaker-matched pair, else 0."""
    if not anchored:
        return np.zeros(len(path))
    return np.array([1.0 / (1 + n + m - (i1 - i0) - (j1 - j0)) for i0, i1, j0, j1 in path])


def features(
    margin: np.ndarray, z: np.ndarray, has_both: np.ndarray, pin: np.ndarray
) -> np.ndarray:
    """The model's inputs per bead: 1, capped margin, clipped z (0 for skips), skip, pin."""
    z = np.clip(np.nan_to_num(z), *Z_RANGE)
    return np.column_stack(
        [
            np.ones(len(margin)),
            np.minimum(margin, MARGIN_CAP),
            np.where(has_both, z, 0.0),
            (~has_both).astype(float),
            np.asarray(pin, dtype=float),
        ]
    )


def bead_confidence(
    margin: np.ndarray, z: np.ndarray, has_both: np.ndarray, pin: np.ndarray
) -> np.ndarray:
    """Probability that each bead is right: margin, similarity z-score, skip, turn pin."""
    return calibrated(features(margin, z, has_both, pin))


@cache
def load_calibration() -> dict | None:
    """The fitted model of calibration.json (scripts/calibrate_confidence.py), if shipped."""
    path = Path(__file__).with_name("calibration.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def calibration_tag() -> str:
    """For the signature: which confidence model produced the numbers."""
    model = load_calibration()
    return f"isotonic({model['beads']} beads)" if model else "logistic(synthetic)"


def calibrated(x: np.ndarray) -> np.ndarray:
    """Logistic model on the feature rows, then the isotonic map fitted on real beads."""
    model = load_calibration()
    if model is None:
        return _sigmoid(x @ np.asarray(COEFFICIENTS))
    coefficients = np.zeros(x.shape[1])  # a model fitted before a feature existed: weight 0
    coefficients[: len(model["coefficients"])] = model["coefficients"]
    raw = _sigmoid(x @ coefficients)
    return np.interp(raw, model["isotonic_x"], model["isotonic_y"])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, safe for infinities."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


EVIDENCE_TOP = 3
EVIDENCE_SHARE = 0.2  # long documents: the best fifth, so chance highs do not add up


def document_evidence(
    confidences: list[float], speech: list[bool], heading: list[bool] | None = None
) -> float:
    """Do two documents translate each other? The mean of their most confident links.

    The three best, or the best fifth where there are more than fifteen links.
    A mean over all beads punishes a genuine partial translation (an excerpt, a lead paragraph)
    for its many 1-0 beads; a few sure links are what unrelated documents never have. Only
    speech links count (two pages of one site share their chrome), headings too where there
    are fewer than three speech links (a table of contents). On the pairs in ../shared the
    genuine ones score 0.64-1.00 and unrelated ones at most 0.58 (scripts/calibrate_confidence.py
    documents), hence errors.LOW_CONFIDENCE = 0.62.
    """
    linked = [c for c, s in zip(confidences, speech, strict=True) if s]
    if len(linked) < EVIDENCE_TOP and heading is not None:
        linked += [c for c, h in zip(confidences, heading, strict=True) if h]
    linked.sort(reverse=True)
    top = max(EVIDENCE_TOP, int(np.ceil(EVIDENCE_SHARE * len(linked))))
    return float(np.mean(linked[:top])) if linked else 0.0
