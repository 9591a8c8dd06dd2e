"""Sentence alignment: the bead search over two sentence lists, end to end.

1. Embed every sentence once (one batched call, duplicates embedded once).
2. First pass: a 1-1/skip path, coarse-to-fine (coarse.py), and a band of `band_width` around it.
3. With `prune` (default), score multi-sentence beads with proxy vectors (normalised sums of their
   sentences' vectors), keep those whose best path comes within `prune_margin` of the optimum,
   and embed only their segments; otherwise embed every segment the band can use.
4. Final banded search with real vectors; forward-backward max-marginals give each bead a margin,
   turned into a confidence (confidence.py).
Bead score: cos(src segment, tgt segment) - length_weight * |ln(tgt chars / (r * src chars))|,
and -skip_penalty per 1-0 / 0-1 bead (see scoring.py for the Vecalign form).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from align import __version__
from align.aligners import confidence as conf
from align.aligners.band import Band
from align.aligners.coarse import one_to_one_path
from align.aligners.dp import (
    BeadType,
    Lattice,
    backward,
    end_cell,
    forward,
    max_marginals,
    traceback,
)
from align.aligners.length import LengthModel, SideLengths, char_ratio
from align.aligners.scoring import MODES, Scorer
from align.aligners.segments import SideSegments
from align.embed.base import Embedder
from align.errors import InputError
from align.limits import MAX_BEAD
from align.model import Bead, Signature

METHODS = ("band", "twostep")


@dataclass(frozen=True)
class AlignerSettings:
    """Every parameter that changes the result (all recorded in the signature)."""

    max_bead: int = 3
    beads: tuple[BeadType, ...] | None = None  # overrides max_bead; skips are always allowed
    length_weight: float = 0.2
    skip_penalty: float | None = None  # None: 0.1 for cosine, Vecalign's percentile otherwise
    scoring: str = "cosine"
    band_width: int | None = 10  # None: exact search over the full matrix (quadratic)
    prune: bool = True
    prune_margin: float = 0.2
    full_dp_max: int = 300  # first pass exact up to about this many sentences a side (Vecalign)
    char_ratio: float | None = None  # None: estimated from the pair itself
    merge_margin: float = 0.05  # a bead of k sentences pays this per sentence beyond two
    ratio_clamp: float | None = 2.0  # the pair's ratio within this factor of sentences' ratio
    length_sigma: float | None = 0.25  # adapt: weight * min(1, (sigma / pair sigma) ** power)
    length_power: float = 1.0
    lexicon_weight: float = 0.0  # > 0: JMdict anchors (lexicon.py; measured, not adopted)
    method: str = "band"  # or "twostep": Bertalign's anchors and windows (twostep.py)
    top_k: int = 3  # twostep: candidate 1-1 pairs per source sentence
    anchor_window: int = 5  # twostep: target columns added on each side of a window

    def bead_types(self) -> tuple[BeadType, ...]:
        """Non-skip bead types, 1-1 first."""
        if self.beads is not None:
            kinds = tuple(k for k in self.beads if k[0] >= 1 and k[1] >= 1)
        else:
            size = self.max_bead
            if self.method == "twostep":
                from align.aligners.twostep import MIN_BEAD

                size = max(size, MIN_BEAD)
            kinds = tuple(
                (a, b) for a in range(1, size + 1) for b in range(1, size + 1) if a + b <= size + 1
            )
        if (1, 1) not in kinds:
            raise InputError("the bead set must include 1-1")
        return ((1, 1),) + tuple(sorted(k for k in kinds if k != (1, 1)))


@dataclass
class SentenceAlignment:
    """Beads with confidences, the overall confidence, the signature and run statistics."""

    beads: list[Bead]
    signature: Signature
    confidence: float
    stats: dict[str, float] = field(default_factory=dict)
    diagnostics: dict[str, list[float]] = field(default_factory=dict)  # margin, z, pin per bead

    def vecalign_lines(self, scores: bool = False) -> list[str]:
        """One `[0]:[0, 1]` line per bead, optionally with the confidence as a third field."""
        if scores:
            return [f"{b.vecalign()}:{b.confidence:.4f}" for b in self.beads]
        return [b.vecalign() for b in self.beads]

    def to_dict(self) -> dict[str, Any]:
        return {
            "beads": [
                {"src": list(b.src), "tgt": list(b.tgt), "type": b.type, "confidence": b.confidence}
                for b in self.beads
            ],
            "confidence": self.confidence,
            "signature": str(self.signature),
            "stats": self.stats,
        }


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    *,
    src_lang: str,
    tgt_lang: str,
    settings: AlignerSettings | None = None,
    null: tuple[float, float] | None = None,
    src_kinds: Sequence[str] | None = None,
    tgt_kinds: Sequence[str] | None = None,
    anchored: bool = False,
    **overrides: Any,
) -> SentenceAlignment:
    """Align two sentence lists (source = original, target = rendering) into scored beads.

    `anchored`: the lists are a turn pair matched by one speaker on both sides, so a bead that
    fills most of it is pinned by that match (a confidence feature, see confidence.py).

    `null` (from `document_null`) lets short turn pairs be judged against their whole
    document's random-pair scores; without it the pair's own random pairs are used.
    `src_kinds` / `tgt_kinds` (block kinds per sentence: speech, heading, chrome, …) restrict
    beads to one pairing group a bead (see ingest/blocks.py); other sentences go 1-0 / 0-1.
    """
    settings = _settings(settings, overrides)
    embedder.check_languages(src_lang, tgt_lang)
    kinds = settings.bead_types()
    src, tgt = list(src), list(tgt)
    ratio = settings.char_ratio or char_ratio(src, tgt, settings.ratio_clamp)
    signature = _signature(embedder, settings, kinds, ratio)
    if not src or not tgt:
        return _one_sided(src, tgt, signature)
    run = _Run(src, tgt, embedder, src_lang, tgt_lang, settings, kinds, ratio, signature)
    if src_kinds is not None and tgt_kinds is not None:
        run.groups = (_groups(src_kinds, len(src)), _groups(tgt_kinds, len(tgt)))
    return run.align(null, anchored)


def _groups(kinds: Sequence[str], size: int) -> np.ndarray:
    """Pairing group per sentence (speech 0)."""
    from align.ingest.blocks import pairing_group

    if len(kinds) != size:
        raise ValueError(f"{len(kinds)} kinds for {size} sentences")
    return np.array([pairing_group(k) for k in kinds], dtype=np.int16)


def _uniform_ends(groups: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per end position i: do sentences i-size..i-1 share one group, and that group (-1: no)."""
    n = len(groups)
    ok = np.zeros(n + 1, dtype=bool)
    last = np.full(n + 1, -1, dtype=np.int16)
    for i in range(size, n + 1):
        window = groups[i - size : i]
        if (window == window[0]).all():
            ok[i], last[i] = True, window[0]
    return ok, last


def document_null(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    *,
    src_lang: str,
    tgt_lang: str,
    settings: AlignerSettings | None = None,
    **overrides: Any,
) -> tuple[float, float] | None:
    """Median and robust spread of random sentence-pair scores over a whole document pair.

    Pass the result as `null=` when aligning its turn pairs one by one (and the document's
    `char_ratio=` too), so that a two-sentence turn is not judged against itself.
    """
    settings = _settings(settings, overrides)
    src, tgt = list(src), list(tgt)
    if not src or not tgt:
        return None
    ratio = settings.char_ratio or char_ratio(src, tgt, settings.ratio_clamp)
    run = _Run(
        src,
        tgt,
        embedder,
        src_lang,
        tgt_lang,
        settings,
        settings.bead_types(),
        ratio,
        Signature(()),
    )
    return conf.null_stats(run.null)


def _settings(settings: AlignerSettings | None, overrides: dict[str, Any]) -> AlignerSettings:
    """Keyword overrides on top of a settings object, rejecting unknown names in one line."""
    base = settings or AlignerSettings()
    unknown = set(overrides) - set(AlignerSettings.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown aligner settings: {', '.join(sorted(unknown))}")
    values = {**base.__dict__, **overrides}
    checks = {
        f"max_bead must be between 1 and {MAX_BEAD}": 1 <= values["max_bead"] <= MAX_BEAD,
        f"scoring must be one of: {', '.join(MODES)}": values["scoring"] in MODES,
        "band_width must be at least 1 (or None for the full matrix)": (
            values["band_width"] is None or values["band_width"] >= 1
        ),
        "length_weight and prune_margin must not be negative": (
            values["length_weight"] >= 0 and values["prune_margin"] >= 0
        ),
        "lexicon_weight must not be negative": values["lexicon_weight"] >= 0,
        f"method must be one of: {', '.join(METHODS)}": values["method"] in METHODS,
        "top_k must be at least 1 and anchor_window not negative": (
            values["top_k"] >= 1 and values["anchor_window"] >= 0
        ),
    }
    for message, ok in checks.items():
        if not ok:
            raise InputError(message)
    return AlignerSettings(**values)


def _one_sided(src: list[str], tgt: list[str], signature: Signature) -> SentenceAlignment:
    """One side empty: every sentence is an omission or an addition, with certainty."""
    beads = [Bead((i,), ()) for i in range(len(src))] + [Bead((), (j,)) for j in range(len(tgt))]
    stats = dict.fromkeys(_Run.STAT_KEYS, 0.0) | {"sentences": len(src) + len(tgt)}
    return SentenceAlignment(beads, signature, 1.0, stats)


def _signature(
    embedder: Embedder, settings: AlignerSettings, kinds: tuple[BeadType, ...], ratio: float
) -> Signature:
    """Toolkit version, embedder and every setting, sacrebleu style."""
    embedder_fields = embedder.signature_fields()
    return Signature.make(
        **{"interp-align": __version__},
        **embedder_fields,
        beads=",".join(f"{a}-{b}" for a, b in kinds) + ",1-0,0-1",
        scoring=settings.scoring,
        length_weight=settings.length_weight,
        skip=settings.skip_penalty if settings.skip_penalty is not None else "auto",
        ratio=f"{ratio:.4f}" if settings.char_ratio else f"pair({ratio:.4f})",
        band=settings.band_width if settings.band_width is not None else "full",
        prune=f"{settings.prune_margin}" if settings.prune else "off",
        merge_margin=settings.merge_margin,
        ratio_clamp=settings.ratio_clamp,
        calibration=conf.calibration_tag(),
        length_sigma=settings.length_sigma
        if settings.length_sigma is None
        else f"{settings.length_sigma}^{settings.length_power}",
        **({"lexicon": f"jmdict*{settings.lexicon_weight}"} if settings.lexicon_weight else {}),
        **(
            {"method": f"twostep(k={settings.top_k},win={settings.anchor_window})"}
            if settings.method == "twostep"
            else {}
        ),
    )


class _Run:
    """State of one alignment: embedded segments, scorer, timings."""

    STAT_KEYS = (
        "sentences",
        "segments_embedded",
        "segments_per_sentence",
        "strings_embedded",
        "band_cells",
        "embed_seconds",
        "search_seconds",
    )

    def __init__(
        self,
        src: list[str],
        tgt: list[str],
        embedder: Embedder,
        src_lang: str,
        tgt_lang: str,
        settings: AlignerSettings,
        kinds: tuple[BeadType, ...],
        ratio: float,
        signature: Signature,
    ) -> None:
        self.started = time.perf_counter()
        self.embedder, self.settings, self.kinds = embedder, settings, kinds
        self.signature = signature
        self.embed_seconds = 0.0
        self.strings_embedded = 0
        singles = self._embed(src + tgt)
        self.src = SideSegments(src, src_lang, singles[: len(src)])
        self.tgt = SideSegments(tgt, tgt_lang, singles[len(src) :])
        lengths = LengthModel(
            SideLengths.of(src, src_lang),
            SideLengths.of(tgt, tgt_lang),
            ratio,
            settings.length_weight,
        )
        self.scorer = Scorer(self.src, self.tgt, lengths, settings.scoring)
        if settings.lexicon_weight and "ja" in (src_lang, tgt_lang) and src_lang != tgt_lang:
            self._add_lexicon(src, tgt, src_lang == "ja")
        self.null = self.scorer.random_pairs()
        self.skip = self._skip_penalty()
        self.groups: tuple[np.ndarray, np.ndarray] | None = None

    def _add_lexicon(self, src: list[str], tgt: list[str], ja_source: bool) -> None:
        """Dictionary anchors in the bead score (lexicon.py), timed with the search."""
        from align.aligners.lexicon import BeadLexicon, load_lexicon

        ja, en = (src, tgt) if ja_source else (tgt, src)
        lexicon = BeadLexicon(ja, en, load_lexicon())
        self.scorer.lexicon, self.scorer.ja_source = lexicon, ja_source
        self.scorer.lexicon_weight = self.settings.lexicon_weight

    def _block_kinds(self, path: list[tuple[int, int, int, int]]) -> tuple[np.ndarray, ...]:
        """Per bead: is its source side speech, is it a heading (all speech without kinds)."""
        if self.groups is None:
            return np.ones(len(path), dtype=bool), np.zeros(len(path), dtype=bool)
        first = np.array([self.groups[0][i0] if i1 > i0 else -1 for i0, i1, _, _ in path])
        return first == 0, first == 1

    def _masked(self, band: Band, kind: BeadType, scores: np.ndarray) -> np.ndarray:
        """Scores with beads that mix pairing groups (speech with a heading, …) forbidden,
        and a merge's margin over its best split charged."""
        extra = sum(kind) - 2
        if extra > 0 and self.settings.merge_margin:
            scores = scores - np.float32(self.settings.merge_margin * extra)
        if self.groups is None:
            return scores
        rows, cols = band.cells()
        s_ok, s_group = _uniform_ends(self.groups[0], kind[0])
        t_ok, t_group = _uniform_ends(self.groups[1], kind[1])
        allowed = s_ok[rows] & t_ok[cols] & (s_group[rows] == t_group[cols])
        return np.where(allowed, scores, np.float32(-np.inf)).astype(scores.dtype)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Embed unique texts once, timing the encoder separately from the search."""
        unique = list(dict.fromkeys(texts))
        started = time.perf_counter()
        vectors = np.asarray(self.embedder.embed(unique), dtype=np.float32) if unique else None
        self.embed_seconds += time.perf_counter() - started
        self.strings_embedded += len(unique)
        if vectors is None:
            return np.empty((0, 0), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)  # any embedder: cos = dot
        vectors = vectors / np.maximum(norms, 1e-12)  # a new array: never edit the caller's
        if len(unique) == len(texts):  # no duplicates: already in order, skip a copy
            return vectors
        where = {text: k for k, text in enumerate(unique)}
        return vectors[[where[t] for t in texts]]

    def _skip_penalty(self) -> float:
        """The configured penalty, or the mode's default (Vecalign: 20th percentile cost)."""
        if self.settings.skip_penalty is not None:
            return float(self.settings.skip_penalty)
        if self.settings.scoring == "vecalign":
            return float(np.quantile(-self.null, 0.2))
        return 0.1

    def align(
        self, null: tuple[float, float] | None = None, anchored: bool = False
    ) -> SentenceAlignment:
        """Run the passes and package the result."""
        band = self._band()
        single = self._masked(band, (1, 1), self.scorer.dense(band, 1, 1))
        multi = self._multi_scores(band, single)
        lattice = Lattice(band, {(1, 1): single, **multi}, self.skip)
        fwd, bwd = forward(lattice), backward(lattice)
        best = float(fwd[end_cell(band)])
        path = traceback(lattice, fwd)
        margins = conf.margins(lattice, max_marginals(lattice, fwd, bwd), best, path)
        z = self._z_scores(lattice, path, null or conf.null_stats(self.null))
        both = np.array([i1 > i0 and j1 > j0 for i0, i1, j0, j1 in path], dtype=bool)
        pin = conf.pinned(path, band.n, band.m, anchored)
        confidences = conf.bead_confidence(margins, z, both, pin)
        beads = [
            Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), round(float(c), 4))
            for (i0, i1, j0, j1), c in zip(path, confidences, strict=True)
        ]
        search = time.perf_counter() - self.started - self.embed_seconds
        speech, heading = (both & k for k in self._block_kinds(path))
        mean = (
            conf.document_evidence(confidences.tolist(), speech.tolist(), heading.tolist())
            if beads
            else 1.0
        )
        diagnostics = {"margin": margins.tolist(), "z": z.tolist(), "pin": pin.tolist()}
        return SentenceAlignment(
            beads, self.signature, mean, self._stats(band, search), diagnostics
        )

    def _band(self) -> Band:
        """The full matrix, a band around the first-pass 1-1 path, or the two-step windows."""
        if self.settings.method == "twostep":
            return self._anchor_band()
        return self._band_around_path()

    def _band_around_path(self) -> Band:
        """The default: a band of `band_width` around the coarse-to-fine 1-1 path."""
        n, m = self.src.n, self.tgt.n
        width = self.settings.band_width
        if width is None:
            return Band.full(n, m)
        nodes = one_to_one_path(
            self.src.singles,
            self.tgt.singles,
            width=width,
            full_max=self.settings.full_dp_max,
            skip=self.skip,
            finest=lambda b: self.scorer.dense(b, 1, 1),
        )
        if self.settings.length_sigma is not None:
            self._adapt_length_weight(
                [
                    (i1 - 1, j1 - 1)
                    for (i0, j0), (i1, j1) in zip(nodes, nodes[1:], strict=False)
                    if i1 - i0 == 1 and j1 - j0 == 1
                ]
            )
        return Band.around(nodes, n, m, width)

    def _anchor_band(self) -> Band:
        """Bertalign's two steps: 1-1 anchors from top-k similarities, then their windows."""
        from align.aligners import twostep

        n, m = self.src.n, self.tgt.n
        pairs = twostep.anchors(self.src.singles, self.tgt.singles, self.settings.top_k)
        band = twostep.anchor_band(pairs, n, m, self.settings.anchor_window)
        if band.size > twostep.max_cells(n, m):  # memory stays linear: the default band
            return self._band_around_path()
        if self.settings.length_sigma is not None:
            self._adapt_length_weight(pairs)
        return band

    def _adapt_length_weight(self, pairs: list[tuple[int, int]]) -> None:
        """Trust lengths as much as this pair's surest 1-1 pairs agree in length.

        Interpreters compress unevenly, so their lengths vary about twice as much as an
        offline translation's: a fixed weight lets length overrule meaning there (Gale and
        Church scale the length cost by its spread the same way).
        """
        if len(pairs) < 8:
            return
        rows, cols = (np.array(v) for v in zip(*pairs, strict=True))
        sims = np.einsum("kd,kd->k", self.src.singles[rows], self.tgt.singles[cols])
        keep = sims >= np.median(sims)
        length = self.scorer.length
        logs = np.log(
            length.tgt.chars(cols[keep] + 1, 1)
            / (length.ratio * length.src.chars(rows[keep] + 1, 1))
        )
        spread = float(np.std(logs))
        if spread > 0:
            scale = min(1.0, (self.settings.length_sigma / spread) ** self.settings.length_power)
            self.scorer.length = replace(length, weight=length.weight * scale)

    def _multi_scores(self, band: Band, single: np.ndarray) -> dict[BeadType, np.ndarray]:
        """Scores of the many-sentence bead types with real vectors, embedding what they need."""
        kinds = [k for k in self.kinds if k != (1, 1)]
        if not kinds:
            return {}
        if not self.settings.prune:
            wanted = {k: np.arange(band.size) for k in kinds}
            self._embed_segments(band, wanted)
            return {k: self._masked(band, k, self.scorer.dense(band, *k)) for k in kinds}
        wanted = self._candidates(band, single, kinds)
        self._embed_segments(band, wanted)
        return {k: self._masked(band, k, self.scorer.sparse(band, *k, wanted[k])) for k in kinds}

    def _candidates(
        self, band: Band, single: np.ndarray, kinds: list[BeadType]
    ) -> dict[BeadType, np.ndarray]:
        """Cells of multi beads on some proxy-scored path within prune_margin of the best."""
        proxy = {k: self._masked(band, k, self.scorer.dense(band, *k, proxy=True)) for k in kinds}
        lattice = Lattice(band, {(1, 1): single, **proxy}, self.skip)
        fwd = forward(lattice)
        marginals = max_marginals(lattice, fwd, backward(lattice))
        floor = fwd[end_cell(band)] - self.settings.prune_margin
        return {k: np.flatnonzero(marginals[k] >= floor) for k in kinds}

    def _embed_segments(self, band: Band, wanted: dict[BeadType, np.ndarray]) -> None:
        """Embed (in one call) the multi-sentence segments the wanted cells need."""
        rows, cols = band.cells()
        needs: list[tuple[SideSegments, int, np.ndarray]] = []
        for (a, b), cells in wanted.items():
            for side, size, ends in ((self.src, a, rows[cells]), (self.tgt, b, cols[cells])):
                ends = np.unique(ends[ends >= size])
                if size > 1 and len(ends):
                    needs.append((side, size, ends))
        merged: dict[tuple[int, int], tuple[SideSegments, int, np.ndarray]] = {}
        for side, size, ends in needs:
            key = (id(side), size)
            if key in merged:
                ends = np.union1d(merged[key][2], ends)
            merged[key] = (side, size, ends)
        jobs = [(s, z, e[~s.embedded(z, e)]) for s, z, e in merged.values()]
        texts = [side.text(size, int(end)) for side, size, ends in jobs for end in ends]
        vectors = self._embed(texts)
        start = 0
        for side, size, ends in jobs:
            side.store(size, ends, vectors[start : start + len(ends)])
            start += len(ends)

    def _z_scores(
        self, lattice: Lattice, path: list[tuple[int, int, int, int]], null: tuple[float, float]
    ) -> np.ndarray:
        """Each matching bead's score against the random-pair null (NaN for skips)."""
        band = lattice.band
        scores = np.array(
            [
                float(lattice.scores[(i1 - i0, j1 - j0)][band.offs[i1] + j1 - band.lo[i1]])
                if i1 > i0 and j1 > j0
                else np.nan
                for i0, i1, j0, j1 in path
            ]
        )
        return conf.z_scores(scores, null)

    def _stats(self, band: Band, search_seconds: float) -> dict[str, float]:
        """Counts and timings a benchmark reports."""
        sentences = self.src.n + self.tgt.n
        segments = self.src.count_embedded() + self.tgt.count_embedded()
        return {
            "sentences": sentences,
            "segments_embedded": segments,
            "segments_per_sentence": segments / sentences,
            "strings_embedded": self.strings_embedded,
            "band_cells": band.size,
            "embed_seconds": self.embed_seconds,
            "search_seconds": search_seconds,
        }
