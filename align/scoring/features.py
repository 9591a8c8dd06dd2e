"""Every signal of every bead, computed in two stages (screen.py), each one batched embedding call.

`measure` returns, per segment, a `Measured` record: the raw signals kept separately (what the
output shows) and the flat numeric features the composite model reads. The cheap stage
(similarity, length, numbers, polarity, termbase, anchors) runs for every bead; the costly one
(clause coverage, then word coverage unless the word gate clears the bead) only for beads the
screen does not clear.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from align.embed.base import Embedder
from align.scoring import lexical
from align.scoring import numbers as number_signal
from align.scoring.anchors import NUMBER, Anchor, find_anchors
from align.scoring.clauses import clauses
from align.scoring.coverage import Coverage
from align.scoring.coverage import compute as compute_coverage
from align.scoring.length import LengthModel, length_model, load_stats, register_for
from align.scoring.lexical import LexicalGap
from align.scoring.polarity import PolarityCheck, check_polarity
from align.scoring.screen import DEEP_FEATURES, WORD_FEATURES, Screen
from align.scoring.segment import Segment
from align.scoring.similarity import Baseline, baseline
from align.scoring.terminology import ADDITION, MISSING, WRONG, TermChecker
from align.scoring.vectors import VectorBank
from align.text.numbers import NumberCheck

FEATURES = (
    "sim_z", "sim_rel", "len_z", "om_min_z", "om_max_gain", "om_absence", "om_anchor_absence",
    "lex_run", "lex_rest", "lex_len_pos", "lex_len_neg", "ad_min_z", "ad_max_gain", "ad_absence",
    "num_mismatch", "neg_mismatch", "reversals", "term_wrong", "term_missing", "term_addition",
    "one_sided",
)  # fmt: skip
MAX_RUN = 8  # words: a longer uncovered run is a dropped clause either way


@dataclass
class Measured:
    """Raw signals of one bead and the numeric features derived from them."""

    segment: Segment
    cosine: float | None = None
    baseline: Baseline | None = None
    length_z: float | None = None
    coverage: Coverage | None = None
    numbers: NumberCheck | None = None
    polarity: PolarityCheck | None = None
    terms: list[Any] | None = None  # None: no termbase available
    anchors: list[Anchor] = field(default_factory=list)  # JA names/numbers, found or not in EN
    lexical: LexicalGap | None = None  # word coverage and its longest uncovered run
    extra: dict[str, Any] = field(default_factory=dict)  # reference / MT scores
    length: LengthModel | None = None  # the register's length model (length.py)
    neutral: dict[str, float] | None = None  # set when the screen cleared the bead (screen.py)
    words_neutral: dict[str, float] | None = None  # set when the word gate skipped its words
    deep_reasons: list[str] = field(default_factory=list)  # why the costly stage ran

    def features(self) -> dict[str, float]:
        """The flat feature vector (neutral values where a signal does not apply)."""
        sim_z = self.baseline.z(self.cosine) if self.baseline and self.cosine is not None else 0.0
        rel = self.baseline.rel(self.cosine) if self.baseline and self.cosine is not None else 0.0
        out = {"sim_z": sim_z, "sim_rel": rel, "len_z": self.length_z or 0.0}
        coverage = self.coverage or Coverage()
        out.update(coverage.features("om", coverage.src))
        out.update(coverage.features("ad", coverage.tgt))
        gap = self.lexical
        out["lex_run"] = float(min(gap.length, MAX_RUN)) if gap else 0.0
        out["lex_rest"] = gap.rest if gap else 0.0
        rest_z = self._length_without(gap.span if gap and gap.length else None)
        out["lex_len_pos"], out["lex_len_neg"] = max(rest_z, 0.0), min(rest_z, 0.0)
        out["num_mismatch"] = float(bool(self.numbers and self.numbers.mismatch))
        out["neg_mismatch"] = float(bool(self.polarity and self.polarity.negation_mismatch))
        out["reversals"] = float(len(self.polarity.reversals) if self.polarity else 0)
        kinds = [getattr(f, "kind", "") for f in self.terms or []]
        out["term_wrong"] = float(kinds.count(WRONG))
        out["term_missing"] = float(kinds.count(MISSING))
        out["term_addition"] = float(kinds.count(ADDITION))
        out["one_sided"] = float(not self.segment.both)
        if self.neutral is not None:
            out.update({k: self.neutral[k] for k in DEEP_FEATURES if k in self.neutral})
        elif self.words_neutral is not None:
            out.update({k: self.words_neutral[k] for k in WORD_FEATURES if k in self.words_neutral})
        return out

    @property
    def cleared(self) -> bool:
        """Whether the screen cleared the bead (its clause and word coverage never ran)."""
        return self.neutral is not None

    def _length_without(self, span: tuple[int, int] | None) -> float:
        """The length z the bead would have if the Japanese lacked `span` (the lexical gap).

        Near 0 when the English is as long as the rest of the Japanese warrants (the span was
        dropped); above 0 when it was rendered after all; far below 0 for a terse rewrite.
        The relation to omission is not monotonic, so the model gets both sides separately.
        """
        if self.length_z is None:
            return 0.0
        if span is None:
            return self.length_z
        seg = self.segment
        model = self.length or length_model()
        return model.z(max(len(seg.src) - (span[1] - span[0]), 1), len(seg.tgt))


def _registers(segments: list[Segment]) -> dict[str, LengthModel]:
    """Each group's length model, by the register its Japanese reads as (length.py)."""
    japanese: dict[str, list[str]] = defaultdict(list)
    for segment in segments:
        if segment.src_lang == "ja":
            japanese[segment.group].append(segment.src)
    return {group: length_model(register_for(texts)) for group, texts in japanese.items()}


def _length_z(segment: Segment, model: LengthModel | None) -> float | None:
    if not segment.both or (segment.src_lang, segment.tgt_lang) != ("ja", "en"):
        return None
    return (model or length_model()).z(len(segment.src), len(segment.tgt))


def _prior(embedder: Embedder, key: str) -> dict:
    priors = load_stats()["similarity"]
    return priors.get(embedder.name, priors["default"])[key]


def _similarities(
    segments: list[Segment], bank: VectorBank, embedder: Embedder
) -> tuple[list[float | None], list[Baseline | None]]:
    cosines: list[float | None] = [
        float(bank.one(s.src) @ bank.one(s.tgt)) if s.both else None for s in segments
    ]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, segment in enumerate(segments):
        if segment.both:
            groups[segment.group].append(index)
    baselines: list[Baseline | None] = [None] * len(segments)
    prior = _prior(embedder, "bead")
    for members in groups.values():
        src = bank.get([segments[i].src for i in members])
        tgt = bank.get([segments[i].tgt for i in members])
        origin = [segments[i].origin or str(i) for i in members]
        values = np.array([cosines[i] for i in members], dtype=float)
        shared = baseline(values, src, tgt, origin, prior)
        for i in members:
            baselines[i] = shared
    return cosines, baselines


def _ja_en(segment: Segment) -> bool:
    return segment.both and (segment.src_lang, segment.tgt_lang) == ("ja", "en")


def _word_prior(embedder: Embedder, pooled: bool) -> dict:
    """The word-coverage cut, fitted for pooled English units where they are pooled."""
    priors = load_stats()["similarity"]
    prior = priors.get(embedder.name, priors["default"])
    return prior.get("word_pooled", prior["word"]) if pooled else prior["word"]


SHIPPED = "shipped"  # measure(screen=SHIPPED): the screen of weights.json


def _shipped_screen() -> Screen | None:
    from align.scoring.composite import Weights

    return Weights.load().screen


def measure(
    segments: list[Segment], embedder: Embedder, terms: TermChecker | None = None,
    screen: Screen | None | str = SHIPPED, pieces: str | None = None,
) -> list[Measured]:  # fmt: skip
    """All signals for all segments; `screen=None` runs the costly stage for every bead;
    `pieces`: 'exact' or 'pooled' clause and word pieces (vectors.py; None: the setting)."""
    if screen == SHIPPED:
        screen = _shipped_screen()
    bank = VectorBank(embedder, pieces)
    bank.want([t for s in segments for t in (s.src, s.tgt) if t.strip()])
    bank.embed()
    cosines, baselines = _similarities(segments, bank, embedder)
    registers = _registers(segments)
    out, spans = [], []
    for index, segment in enumerate(segments):
        model = registers.get(segment.group)
        item = Measured(segment, cosines[index], baselines[index], _length_z(segment, model))
        item.length = model
        term_spans: list[tuple[int, int]] = []
        if terms is not None:
            item.terms, term_spans = terms.analyse(segment.src, segment.tgt)
        if segment.both:
            item.numbers = number_signal.check(segment)
            item.polarity = check_polarity(segment.src, segment.tgt)
        if _ja_en(segment):
            item.anchors = find_anchors(segment.src, segment.tgt, item.numbers)
        out.append(item)
        spans.append(term_spans)
    deep = [_screen(item, screen) for item in out]  # type: ignore[arg-type]
    coverages = compute_coverage(segments, bank, _prior(embedder, "clause"), deep)
    for item, coverage in zip(out, coverages, strict=True):
        item.coverage = coverage
        if coverage is not None and _ja_en(item.segment):
            coverage.attach(item.anchors)
    words: list[tuple[list[lexical.Word], list[str]] | None] = [None] * len(out)
    for index, (item, keep) in enumerate(zip(out, deep, strict=True)):
        if keep and _ja_en(item.segment) and not _skip_words(item, screen):  # type: ignore[arg-type]
            words[index] = lexical.prepare(item.segment.src, item.segment.tgt)
            lexical.request(bank, item.segment.tgt, words[index][0])  # type: ignore[index]
    bank.embed()
    word = _word_prior(embedder, bank.pooled)
    cover = word.get("cover", lexical.DEFAULT_COVER)
    for index, item in enumerate(out):
        pair = words[index]
        if pair is not None:
            _lexical(item, spans[index], pair, bank, cover)
    return out


def _screen(item: Measured, screen: Screen | None) -> bool:
    """Whether the bead goes to the costly stage; a cleared bead gets the neutral values."""
    if screen is None or not item.segment.both:
        return True
    flags = cheap_flags(item)
    sim = item.baseline
    z = sim.z(item.cosine) if sim and item.cosine is not None else None
    rel = sim.rel(item.cosine) if sim and item.cosine is not None else None
    item.deep_reasons = screen.why_deep(z, rel, item.length_z, flags)
    if item.deep_reasons:
        return True
    item.neutral = screen.neutral
    return False


def cheap_flags(item: Measured) -> list[str]:
    """The cheap stage's signals that send a bead deep whatever its similarity and length."""
    flags = []
    if item.numbers is not None and item.numbers.mismatch:
        flags.append("number")
    if any(not a.found and not a.loanword for a in item.anchors):
        flags.append("anchor")  # a loanword the English renders natively (タバコ: smoking) is not
    if item.terms:
        flags.append("terminology")
    segment = item.segment
    if len(clauses(segment.src, segment.src_lang)) != len(clauses(segment.tgt, segment.tgt_lang)):
        flags.append("clauses")  # a clause more on one side: a dropped or added clause?
    return flags


def _skip_words(item: Measured, screen: Screen | None) -> bool:
    """Whether the word gate clears a deep bead of word coverage (its clauses all matched)."""
    if screen is None or not screen.skips_words(item.features()):
        return False
    item.words_neutral = screen.neutral
    return True


def _lexical(
    item: Measured, term_spans: list[tuple[int, int]],
    pair: tuple[list[lexical.Word], list[str]], bank: VectorBank, cover: float,
) -> None:  # fmt: skip
    """The lexical gap of a JA->EN bead (its anchors' clauses are attached already)."""
    segment = item.segment
    numbers = item.numbers.src if item.numbers else []
    missing = {(a.start, a.end) for a in item.anchors if a.kind == NUMBER}
    matched = [(m.start, m.end) for m in numbers if (m.start, m.end) not in missing]
    covered = term_spans + matched
    item.lexical = lexical.locate(
        segment.src, *pair, bank, item.anchors, covered, cover, segment.tgt
    )
