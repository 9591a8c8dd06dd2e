"""Fitting the composite's logistic models and thresholds (used by scripts/fit_divergence.py).

scikit-learn is needed only here (a development dependency): LogisticRegression with a mild L2
penalty and balanced class weights on standardised features; each threshold maximises F1 over
5-fold cross-validated probabilities of the fit half, so it is not tuned on its own training fit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.scoring.composite import LABELS, MODEL_FEATURES, Logistic, Weights, _term_flags
from align.scoring.features import FEATURES, Measured


def _best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The cut that maximises F1 (ties: the higher cut, for precision)."""
    best, best_f1 = 0.5, -1.0
    for cut in np.unique(np.round(probabilities, 4)):
        predicted = probabilities >= cut
        tp = float((predicted & truth).sum())
        f1 = 2 * tp / max(predicted.sum() + truth.sum(), 1)
        if f1 >= best_f1:
            best, best_f1 = float(cut), f1
    return best


def fit_logistic(matrix: np.ndarray, truth: np.ndarray, names: Sequence[str]) -> Logistic:
    """One standardised, balanced logistic model with a cross-validated threshold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    mean = matrix.mean(axis=0)
    scale = np.where(matrix.std(axis=0) > 1e-9, matrix.std(axis=0), 1.0)
    scaled = (matrix - mean) / scale
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    folds = StratifiedKFold(n_splits=min(5, int(truth.sum()), int((~truth).sum())), shuffle=True,
                            random_state=0)  # fmt: skip
    cv = cross_val_predict(model, scaled, truth, cv=folds, method="predict_proba")[:, 1]
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
