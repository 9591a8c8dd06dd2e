"""Fitting the composite's logistic models and thresholds (used by scripts/fit_divergence.py).

scikit-learn is needed only here (a development dependency): LogisticRegression with a mild L2
penalty and balanced class weights on standardised features. Each threshold is chosen on
cross-validated probabilities of the fit half (5 folds, averaged over 5 shuffles, so one lucky
split does not set it), never on the model's own training fit: the cut that maximises the
smaller of precision and recall, since the issue asks for both to clear a floor (F1 lets a
flat score trade much precision for a little recall); ties go to the higher F1, then the
higher cut.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.scoring.composite import LABELS, MODEL_FEATURES, Logistic, Weights, _term_flags
from align.scoring.features import FEATURES, Measured

REPEATS = 5  # shuffled 5-fold runs whose probabilities are averaged before a cut is chosen


def _best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The cut that maximises min(precision, recall) (ties: higher F1, then the higher cut)."""
    best, best_key = 0.5, (-1.0, -1.0)
    for cut in np.unique(np.round(probabilities, 4)):
        predicted = probabilities >= cut
        tp = float((predicted & truth).sum())
        precision, recall = tp / max(predicted.sum(), 1), tp / max(truth.sum(), 1)
        key = (min(precision, recall), 2 * tp / max(predicted.sum() + truth.sum(), 1))
        if key >= best_key:
            best, best_key = float(cut), key
    return best


def _cross_validated(model, scaled: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities, averaged over REPEATS shuffles of stratified folds."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    splits = min(5, int(truth.sum()), int((~truth).sum()))
    folds = [StratifiedKFold(splits, shuffle=True, random_state=seed) for seed in range(REPEATS)]
    runs = [
        cross_val_predict(model, scaled, truth, cv=cv, method="predict_proba")[:, 1] for cv in folds
    ]
    return np.mean(runs, axis=0)


def fit_logistic(matrix: np.ndarray, truth: np.ndarray, names: Sequence[str]) -> Logistic:
    """One standardised, balanced logistic model with a cross-validated threshold."""
    from sklearn.linear_model import LogisticRegression

    mean = matrix.mean(axis=0)
    scale = np.where(matrix.std(axis=0) > 1e-9, matrix.std(axis=0), 1.0)
    scaled = (matrix - mean) / scale
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    cv = _cross_validated(model, scaled, truth)
    model.fit(scaled, truth)
    return Logistic(
        tuple(names), tuple(map(float, mean)), tuple(map(float, scale)),
        tuple(map(float, model.coef_[0])), float(model.intercept_[0]),
        _best_threshold(cv, truth),
    )  # fmt: skip


def fit_weights(measured: list[Measured], labels: list[frozenset[str]], signature: str) -> Weights:
    """Every model of the composite, fitted on the given (fit-split) beads."""
    two_sided = np.array([m.segment.both for m in measured])
    values = [m.features() for m in measured]
    models = {}
    for name, names in [*MODEL_FEATURES.items(), ("divergence", FEATURES)]:
        rows = two_sided if name != "divergence" else np.ones(len(measured), bool)
        matrix = np.array(
            [[v[f] for f in names] for v, keep in zip(values, rows, strict=True) if keep]
        )
        wanted = set(LABELS) if name == "divergence" else {name}
        truth = np.array([bool(wanted & y) for y, keep in zip(labels, rows, strict=True) if keep])
        models[name] = fit_logistic(matrix, truth, names)
    draft = Weights(models, float("inf"), signature)
    return Weights(models, _fit_term_cut(measured, labels, draft), signature)


def _fit_term_cut(measured: list[Measured], labels: list[frozenset[str]], draft: Weights) -> float:
    """The clause absence above which a missing term counts toward the omission instead."""
    absences = sorted({c.absence for m in measured if m.coverage for c in m.coverage.src})
    truth = np.array(["terminology" in y for y in labels])
    best, best_f1 = float("inf"), -1.0
    for cut in [*absences[:: max(1, len(absences) // 200)], float("inf")]:
        weights = Weights(draft.models, cut, draft.signature)
        predicted = np.array([bool(_term_flags(m, weights)) for m in measured])
        tp = float((predicted & truth).sum())
        f1 = 2 * tp / max(predicted.sum() + truth.sum(), 1)
        if f1 > best_f1:
            best, best_f1 = cut, f1
    return best


def fit_graded(
    more: np.ndarray, less: np.ndarray, labelled: np.ndarray, truth: np.ndarray,
    names: Sequence[str], pair_weight: np.ndarray | None = None,
) -> Logistic:  # fmt: skip
    """The graded composite: a pairwise ranker, then calibrated to the chance of a divergence.

    Row i of `more` renders the same source as row i of `less` and departs further from it
    (an interpretation against the offline translation; an injected edit against the untouched
    bead). A logistic model without intercept on the standardised differences learns the
    direction that orders such pairs; a one-feature logistic fit of that direction on the
    labelled beads (`truth`: any label) sets its scale and intercept, so the score is still a
    probability of divergence while ordering renderings by how far they depart.
    """
    from sklearn.linear_model import LogisticRegression

    pooled = np.vstack([more, less, labelled])
    mean = pooled.mean(axis=0)
    scale = np.where(pooled.std(axis=0) > 1e-9, pooled.std(axis=0), 1.0)
    diff = (more - less) / scale
    weights = np.ones(len(diff)) if pair_weight is None else pair_weight
    ranker = LogisticRegression(C=0.1, fit_intercept=False, max_iter=2000)
    ranker.fit(np.vstack([diff, -diff]), np.r_[np.ones(len(diff)), np.zeros(len(diff))],
               sample_weight=np.r_[weights, weights])  # fmt: skip
    direction = ranker.coef_[0]
    score = ((labelled - mean) / scale) @ direction
    platt = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000)
    platt.fit(score[:, None], truth)
    slope = float(platt.coef_[0][0])
    return Logistic(
        tuple(names), tuple(map(float, mean)), tuple(map(float, scale)),
        tuple(float(c) * slope for c in direction), float(platt.intercept_[0]), 0.5,
    )  # fmt: skip


WEAK_N = 0.5  # weight of an intra pair whose interpretation the automatic check judged no rendering


def fit_graded_divergence(
    labelled: list[Measured], items: list, contrasts: list, interp: list[Measured],
    trans: list[Measured], held_out: str | None = None,
) -> Logistic:  # fmt: skip
    """The graded `divergence` model from real and injected contrasts (see fit_graded).

    Pairs: every NAIST-SIC intra row of a talk other than `held_out` (interpretation departs
    further than the offline translation; rows the automatic check labelled N weigh WEAK_N,
    since their interpretation may render a neighbouring sentence), every injected edit of the
    fit half against its untouched bead, and inside each talk's interpretation every row judged
    N against rows judged Y (so the score also orders beads within one document, not only
    documents). Calibration: the fit half's any-label truth.
    """
    from align.scoring.labelled import injected_pairs

    def matrix(ms: list[Measured]) -> np.ndarray:
        rows = [[m.features()[f] for f in FEATURES] for m in ms]
        return np.array(rows).reshape(-1, len(FEATURES))

    keep = [k for k, c in enumerate(contrasts) if c.talk != held_out]
    pairs = injected_pairs(items, "fit")
    within = _within_pairs([contrasts[k] for k in keep], keep)
    more = np.vstack([matrix([interp[k] for k in keep]), matrix([labelled[i] for i, _ in pairs]),
                      matrix([interp[i] for i, _ in within])])  # fmt: skip
    less = np.vstack([matrix([trans[k] for k in keep]), matrix([labelled[j] for _, j in pairs]),
                      matrix([interp[j] for _, j in within])])  # fmt: skip
    share = len(keep) / max(len(within), 1)  # within-document pairs weigh as much as the contrasts
    weight = np.r_[[WEAK_N if contrasts[k].weak == "N" else 1.0 for k in keep], np.ones(len(pairs)),
                   np.full(len(within), share)]  # fmt: skip
    fit = [k for k, x in enumerate(items) if x.split == "fit" and not x.doubtful]
    truth = np.array([bool(items[k].labels) for k in fit])
    return fit_graded(more, less, matrix([labelled[k] for k in fit]), truth, FEATURES, weight)


WITHIN_PER_ROW = 20  # Y rows drawn per N row for the within-document pairs


def _within_pairs(contrasts: list, index: list[int]) -> list[tuple[int, int]]:
    """(N row, Y row) index pairs inside each talk's interpretation (seeded sample)."""
    rng = np.random.default_rng(0)
    out = []
    for talk in sorted({c.talk for c in contrasts}):
        rows = [(i, c.weak) for i, c in zip(index, contrasts, strict=True) if c.talk == talk]
        yes = [i for i, w in rows if w == "Y"]
        for i, weak in rows:
            if weak == "N" and yes:
                picked = rng.choice(len(yes), min(WITHIN_PER_ROW, len(yes)), replace=False)
                out += [(i, yes[j]) for j in picked]
    return out
