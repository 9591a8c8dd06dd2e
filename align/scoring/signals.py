"""The divergence signals behind one interface, in the manner of sacrebleu's Metric / Score.

Each signal is a small class: a `name`, a `compute` step over one measured bead (the bead's
texts with what the batch pass measured for it: embeddings against its document pair's random
pairs, clause coverage, termbase matches; see features.measure), a typed result that serialises
itself (`to_dict`) and gives its reason lines (`reasons`), and its own `signature`. `SIGNALS`
is the one registry: the stored `signals` block of every bead is built from it, in its order,
and the composite reads it for the labels it gives by rule. A new signal is one class here
(plus, for the fitted labels, its features and a refit: scripts/fit_divergence.py).

The measuring itself stays in the signal modules (similarity, length, coverage, lexical,
numbers, polarity, terminology); these classes wrap them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from align.scoring.features import Measured
from align.scoring.numbers import signal as number_summary
from align.scoring.terminology import flag_dict


class Result(ABC):
    """What one signal found for one bead."""

    @abstractmethod
    def to_dict(self) -> Any:
        """The JSON-ready value stored under the signal's name in the bead's `signals`."""

    def reasons(self) -> list[str]:
        """Checkable lines saying what diverges (empty when nothing does)."""
        return []

    @property
    def divergent(self) -> bool:
        """Whether this result alone marks the bead (rule-based signals only)."""
        return bool(self.reasons())


class Signal(ABC):
    """One divergence signal: compute over a measured bead, or None where it does not apply."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"

    @abstractmethod
    def compute(self, bead: Measured) -> Result | None: ...

    @property
    def signature(self) -> str:
        return f"{self.name}:{self.version}"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Similarity(Result):
    """Cross-lingual cosine, as a z-score and a rank against the document's random pairs."""

    cosine: float
    z: float
    rel: float
    calibration: str

    def to_dict(self) -> dict[str, Any]:
        return {"cosine": round(self.cosine, 4), "z": round(self.z, 3),
                "rel": round(self.rel, 3), "calibration": self.calibration}  # fmt: skip


class SimilaritySignal(Signal):
    name = "similarity"

    def compute(self, bead: Measured) -> Similarity | None:
        if bead.cosine is None or bead.baseline is None:
            return None
        base = bead.baseline
        return Similarity(bead.cosine, base.z(bead.cosine), base.rel(bead.cosine), base.source)


@dataclass(frozen=True)
class Length(Result):
    """Character ratio of the rendering to the original, and its z-score (EN/JA statistics)."""

    ratio: float
    z: float

    def to_dict(self) -> dict[str, Any]:
        return {"ratio": round(self.ratio, 3), "z": round(self.z, 3)}


class LengthSignal(Signal):
    name = "length"

    def compute(self, bead: Measured) -> Length | None:
        if bead.length_z is None:
            return None
        segment = bead.segment
        return Length(len(segment.tgt) / max(len(segment.src), 1), bead.length_z)


@dataclass(frozen=True)
class Clause(Result):
    """The clause of one side that matches the other side worst (None: no clause stands out)."""

    clause: Any  # coverage.Clause

    def to_dict(self) -> dict[str, Any] | None:
        c = self.clause
        if c is None:
            return None
        return {"clause": c.text, "best": round(c.best, 4), "z": round(c.z, 3),
                "gain": round(c.gain, 4), "absence": round(c.absence, 3),
                "missing_anchors": c.missing_anchors}  # fmt: skip


class OmissionSignal(Signal):
    """Japanese clauses matched against windows of the English (coverage.py)."""

    name = "omission"

    def compute(self, bead: Measured) -> Clause | None:
        coverage = bead.coverage
        if coverage is None:
            return Clause(None) if bead.cleared else None  # cleared: no clause stands out
        return Clause(coverage.suspect(coverage.src))


class AdditionSignal(Signal):
    """English clauses matched against windows of the Japanese (coverage.py)."""

    name = "addition"

    def compute(self, bead: Measured) -> Clause | None:
        coverage = bead.coverage
        if coverage is None:
            return Clause(None) if bead.cleared else None
        return Clause(coverage.worst(coverage.tgt))


@dataclass(frozen=True)
class Lexical(Result):
    """The longest run of Japanese content words without an English match, and the anchors
    (names, numbers) the English lacks."""

    gap: str | None
    gap_words: int
    uncovered: float
    rest: float
    missing_anchors: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"gap": self.gap, "gap_words": self.gap_words,
                "uncovered": round(self.uncovered, 3), "rest": round(self.rest, 3),
                "missing_anchors": self.missing_anchors}  # fmt: skip


class LexicalSignal(Signal):
    name = "lexical"

    def compute(self, bead: Measured) -> Lexical | None:
        gap = bead.lexical
        if gap is None:
            return None
        return Lexical(
            gap.text(bead.segment.src) if gap.length else None, gap.length, gap.uncovered,
            gap.rest, [f"{a.text}={a.kind}" for a in bead.anchors if not a.found],
        )  # fmt: skip


@dataclass(frozen=True)
class Numbers(Result):
    """Dates, amounts and counts of both sides and those without a counterpart."""

    check: Any  # text.numbers.NumberCheck

    def to_dict(self) -> dict[str, Any]:
        return number_summary(self.check)

    def reasons(self) -> list[str]:
        return self.check.reasons() if self.check.mismatch else []


class NumbersSignal(Signal):
    name = "numbers"

    def compute(self, bead: Measured) -> Numbers | None:
        return None if bead.numbers is None else Numbers(bead.numbers)


@dataclass(frozen=True)
class Polarity(Result):
    """Negations on each side and antonym reversals."""

    check: Any  # polarity.PolarityCheck

    def to_dict(self) -> dict[str, Any]:
        c = self.check
        return {"ja_negations": c.ja_negations, "en_negations": c.en_negations,
                "reversals": c.reversals}  # fmt: skip

    def reasons(self) -> list[str]:
        return self.check.reasons()


class PolaritySignal(Signal):
    name = "polarity"

    def compute(self, bead: Measured) -> Polarity | None:
        return None if bead.polarity is None else Polarity(bead.polarity)


@dataclass(frozen=True)
class Terminology(Result):
    """Termbase flags (None: no termbase was available)."""

    flags: list[Any] | None

    def to_dict(self) -> list[dict[str, Any]] | None:
        return None if self.flags is None else [flag_dict(f) for f in self.flags]

    def reasons(self) -> list[str]:
        return [flag_dict(f)["reason"] for f in self.flags or []]


class TerminologySignal(Signal):
    name = "terminology"

    def compute(self, bead: Measured) -> Terminology:
        return Terminology(bead.terms)


@dataclass(frozen=True)
class Screened(Result):
    """Whether the cheap stage cleared the bead (screen.py), else why it was measured in full."""

    cleared: bool
    why: list[str]
    words: bool  # whether word coverage ran (the word gate skips it for well-matched clauses)

    def to_dict(self) -> dict[str, Any]:
        return {"cleared": self.cleared, "deep": self.why, "word_coverage": self.words}


class ScreenSignal(Signal):
    """The two-stage screen's decision: cleared beads carry neutral clause and word features."""

    name = "screen"

    def compute(self, bead: Measured) -> Screened | None:
        if not bead.segment.both:
            return None
        return Screened(bead.cleared, list(bead.deep_reasons), bead.lexical is not None)


SIGNALS: dict[str, Signal] = {
    s.name: s
    for s in (
        SimilaritySignal(), LengthSignal(), OmissionSignal(), AdditionSignal(), LexicalSignal(),
        NumbersSignal(), PolaritySignal(), TerminologySignal(), ScreenSignal(),
    )
}  # fmt: skip


def compute_all(bead: Measured) -> dict[str, Result]:
    """Every registered signal that applies to the bead, in registry order."""
    results = {}
    for name, signal in SIGNALS.items():
        result = signal.compute(bead)
        if result is not None:
            results[name] = result
    return results


def signature() -> str:
    """The signals and their versions, e.g. `similarity:1,length:1,…`."""
    return ",".join(s.signature for s in SIGNALS.values())
