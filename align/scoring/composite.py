"""The composite divergence score and the labels, from fitted weights (weights.json).

Every learned decision is a logistic regression over standardised features, fitted on the fit
half of tests/data/divergence (scripts/fit_divergence.py), with its threshold chosen by
cross-validation on that half: `divergence` (any label) gives the score in [0, 1]; omission,
addition, meaning_shift and compression get a model each (omission reads the clause signals
of coverage.py, the lexical gap of lexical.py and the missing anchors of anchors.py; see
MODEL_FEATURES). Number is the explicit check (text/numbers.py): any unmatched strong mention.
Terminology comes only from the termbase's flags: a wrong or deprecated rendering, or a key
term rendered away, unless the omission label explains it (the bead is labelled omission and
the term sits in the quoted clause, a clause holding the lexical gap, or a clause whose
absence is above the fitted `term_omit_absence`) or the term is in a bracketed editorial
note such as 私(上川大臣), which translations leave out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from align.scoring.anchors import editorial_spans
from align.scoring.coverage import Coverage
from align.scoring.features import Measured
from align.scoring.screen import Screen
from align.scoring.signals import SIGNALS
from align.scoring.terminology import MISSING, WRONG, flag_dict

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
MIN_COMPRESSION_CHARS = 20  # headings and date lines are too short to call compressed
# Compression is called only beyond the 2.3% tail of the length model (fitted on faithful
# official beads, z ~ N(0, 1)): nearer the centre, a shorter English is ordinary variation
# (faithful official and BSD renderings at z = -1.4 were labelled before this cut).
MAX_COMPRESSION_Z = -2.0
MIN_QUOTED_RUN = 2  # content words: a shorter lexical gap is too thin to quote as the omission
LABELS = ("omission", "addition", "number", "terminology", "meaning_shift", "compression")
MODEL_FEATURES = {
    "omission": (
        "om_min_z",
        "om_max_gain",
        "om_absence",
        "len_z",
        "sim_z",
        "sim_rel",
        "om_anchor_absence",
        "lex_run",
        "lex_rest",
        "lex_len_pos",
        "lex_len_neg",
    ),
    "addition": ("ad_min_z", "ad_max_gain", "ad_absence", "len_z", "sim_z", "term_addition"),
    "meaning_shift": ("neg_mismatch", "reversals", "sim_rel"),
    "compression": ("len_z", "om_absence", "sim_rel"),
}


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic model over named, standardised features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Logistic:
        return cls(
            tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]),
            tuple(data["coef"]), float(data["intercept"]), float(data["threshold"]),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
            "coef": list(self.coef), "intercept": self.intercept, "threshold": self.threshold,
        }  # fmt: skip

    def probability(self, values: dict[str, float]) -> float:
        score = self.intercept + sum(
            c * (values[f] - m) / s
            for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))


@dataclass(frozen=True)
class Weights:
    """All fitted models and thresholds."""

    models: dict[str, Logistic]
    term_omit_absence: float
    signature: str
    screen: Screen | None = None  # the cheap stage's gate (screen.py); None: every bead deep

    @classmethod
    def load(cls, path: str | Path = WEIGHTS_PATH) -> Weights:
        return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> Weights:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    models = {name: Logistic.from_dict(m) for name, m in data["models"].items()}
    screen = Screen.from_dict(data["screen"]) if data.get("screen") else None
    return Weights(
        models, float(data["term_omit_absence"]), data.get("signature", "unfitted"), screen
    )


@dataclass
class Verdict:
    """The composite score, labels with one reason each, and per-label probabilities."""

    divergence: float
    labels: list[str]
    reasons: list[str]
    probabilities: dict[str, float]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _omitted(item: Measured, weights: Weights) -> bool:
    """Whether the omission model labels this two-sided bead."""
    model = weights.models.get("omission")
    if model is None or not item.segment.both or item.cleared:
        return False
    return model.probability(item.features()) >= model.threshold


def _explaining(item: Measured, weights: Weights) -> list[tuple[int, int]]:
    """JA spans whose missing key terms are not terminology slips (see the module docstring)."""
    spans = editorial_spans(item.segment.src)
    if not _omitted(item, weights):
        return spans
    clauses = item.coverage.src if item.coverage else []
    spans += [c.span for c in clauses if c.absence >= weights.term_omit_absence]
    suspect = Coverage.suspect(clauses)
    if suspect is not None:
        spans.append(suspect.span)
    gap = item.lexical
    if gap is not None and gap.length:
        a, b = gap.span
        spans += [c.span for c in clauses if c.span[0] < b and a < c.span[1]] + [gap.span]
    return spans


def _term_flags(item: Measured, weights: Weights) -> list[Any]:
    """Wrong renderings, and missing key terms that no omission or editorial note explains."""
    explaining = _explaining(item, weights)
    kept = []
    for flag in item.terms or []:
        kind, span = getattr(flag, "kind", ""), getattr(flag, "ja_span", None)
        explained = bool(span) and any(a <= span[0] < b for a, b in explaining)
        if kind == WRONG or (kind == MISSING and not explained):
            kept.append(flag)
    return kept


def decide(item: Measured, weights: Weights | None = None) -> Verdict:
    """Labels, reasons and the composite score of one measured bead."""
    weights = weights or Weights.load()
    values = item.features()
    probabilities = {name: m.probability(values) for name, m in weights.models.items()}
    segment, labels, reasons = item.segment, [], []

    def add(label: str, reason: str) -> None:
        if label not in labels:
            labels.append(label)
            reasons.append(reason)

    if segment.has_src and not segment.has_tgt:
        add("omission", f"JA 「{_short(segment.src)}」 has no English counterpart")
    elif segment.has_tgt and not segment.has_src:
        add("addition", f'EN "{_short(segment.tgt)}" has no Japanese counterpart')
    else:
        _learned(item, weights, probabilities, add)
    numbers = SIGNALS["numbers"].compute(item)  # rule-based labels come from the registry
    if numbers is not None and numbers.divergent:
        add("number", numbers.reasons()[0])
    flags = _term_flags(item, weights)
    if flags:
        add("terminology", flag_dict(flags[0])["reason"])
    divergence = probabilities.get("divergence", 0.0)
    if not segment.both:
        divergence = 1.0
    return Verdict(
        round(divergence, 4), labels, reasons, {k: round(v, 4) for k, v in probabilities.items()}
    )


def _omission_reason(item: Measured) -> str:
    """Quote the clause holding a name the English lacks, else the words it lacks, else the
    clause that matches the English worst."""
    clauses = item.coverage.src if item.coverage else []
    suspect = Coverage.suspect(clauses)
    if suspect is not None and suspect.missing_anchors:
        names = "、".join(dict.fromkeys(suspect.missing_anchors))
        return f"JA clause 「{_short(suspect.text)}」 has no English counterpart ({names} missing)"
    gap = item.lexical
    if gap is not None and gap.length >= MIN_QUOTED_RUN:
        return f"JA 「{_short(gap.text(item.segment.src))}」 has no English counterpart"
    text = _short(suspect.text) if suspect else _short(item.segment.src)
    return f"JA clause 「{text}」 has no English counterpart"


def _learned(item: Measured, weights: Weights, probabilities: dict[str, float], add) -> None:
    """The labels that fitted models decide, each with its reason."""
    models = weights.models
    coverage = item.coverage
    partial = not item.cleared  # a bead the screen cleared has no partial omission or addition
    if (
        partial
        and "omission" in models
        and probabilities["omission"] >= models["omission"].threshold
    ):
        add("omission", _omission_reason(item))
    if (
        partial
        and "addition" in models
        and probabilities["addition"] >= models["addition"].threshold
    ):
        worst = coverage.worst(coverage.tgt) if coverage else None
        text = _short(worst.text) if worst else _short(item.segment.tgt)
        add("addition", f'EN clause "{text}" has no Japanese counterpart')
    shift = models.get("meaning_shift")
    if shift and probabilities["meaning_shift"] >= shift.threshold and item.polarity:
        reasons = item.polarity.reasons() or ["the English is far less similar than the rest"]
        add("meaning_shift", reasons[0])
    squeeze = models.get("compression")
    long_enough = len(item.segment.src) >= MIN_COMPRESSION_CHARS
    short = (item.length_z or 0.0) <= MAX_COMPRESSION_Z
    if squeeze and long_enough and short and probabilities["compression"] >= squeeze.threshold:
        z = item.length_z or 0.0
        add("compression", f"EN is much shorter than usual for this Japanese (length z = {z:.1f})")
