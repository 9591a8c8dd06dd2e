"""Reference-based scores: the rendering against an official translation of the same Japanese.

The official English (say MOFA's) is aligned to the run's Japanese document with the toolkit's
own sentence aligner, so each bead's Japanese sentences find the official sentences that render
them ("aligned through the shared Japanese"); sacrebleu then scores the bead's rendering against
them (chrF, BLEU, TER) per bead and per document, with sacrebleu's signatures recorded. A file
whose sentences do not match the Japanese (calibrated similarity too low) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from align.embed.base import Embedder
from align.errors import InputError
from align.model import Document

MIN_MATCH_Z = 2.0  # median aligned-pair cosine, in random-pair sds above the random mean


@dataclass
class Reference:
    """Official sentences per Japanese sentence id, and how well the two documents matched."""

    path: str
    by_src_id: dict[str, list[int]]
    sentences: list[str]
    match_z: float
    notes: dict[str, Any] = field(default_factory=dict)

    def text_for(self, src_ids: list[str]) -> str | None:
        indices = sorted({j for i in src_ids for j in self.by_src_id.get(i, [])})
        return " ".join(self.sentences[j] for j in indices) or None


def align_reference(path: Path, source: Document, embedder: Embedder) -> Reference:
    """Read the official translation and align it to the Japanese document."""
    from align.aligners.sentences import align_sentences
    from align.ingest import read_document

    document = read_document(path, language="en")
    src = [s for s in source.sentences]
    ref = [s.text for s in document.sentences]
    if not src or not ref:
        raise InputError("reference translation has no sentences", path)
    aligned = align_sentences([s.text for s in src], ref, embedder, src_lang=source.language,
                              tgt_lang="en")  # fmt: skip
    match_z = _match_z([s.text for s in src], ref, aligned.beads, embedder)
    if match_z < MIN_MATCH_Z:
        raise InputError(
            f"reference does not translate the Japanese of {source.id} (aligned sentences are "
            f"only {match_z:.1f} sd above random pairs; need {MIN_MATCH_Z})",
            path,
        )
    by_id: dict[str, list[int]] = {}
    for bead in aligned.beads:
        for i in bead.src:
            by_id.setdefault(src[i].id, []).extend(bead.tgt)
    return Reference(str(path), by_id, ref, match_z)


def _match_z(src: list[str], ref: list[str], beads: list[Any], embedder: Embedder) -> float:
    a, b = embedder.embed(src), embedder.embed(ref)
    matrix = a @ b.T
    pairs = [(bead.src[0], bead.tgt[0]) for bead in beads if bead.src and bead.tgt]
    if not pairs:
        return float("-inf")
    aligned = np.array([matrix[i, j] for i, j in pairs])
    mask = np.ones_like(matrix, dtype=bool)
    for i, j in pairs:
        mask[i, j] = False
    random = matrix[mask] if mask.any() else matrix.ravel()
    return float((np.median(aligned) - random.mean()) / max(random.std(), 1e-3))


def _metrics() -> tuple[Any, Any, Any]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return CHRF(), BLEU(effective_order=True), TER()


def sentence_scores(hypothesis: str, reference: str) -> dict[str, float]:
    """chrF, BLEU and TER of one bead's rendering against the official sentences."""
    chrf, bleu, ter = _metrics()
    return {
        "chrf": round(chrf.sentence_score(hypothesis, [reference]).score, 2),
        "bleu": round(bleu.sentence_score(hypothesis, [reference]).score, 2),
        "ter": round(ter.sentence_score(hypothesis, [reference]).score, 2),
    }


def corpus_scores(hypotheses: list[str], references: list[str]) -> dict[str, Any]:
    """Document-level chrF, BLEU and TER with their sacrebleu signatures."""
    chrf, bleu, ter = _metrics()
    bleu = type(bleu)()  # corpus BLEU: the standard settings
    out: dict[str, Any] = {"beads": len(hypotheses)}
    for name, metric in (("chrf", chrf), ("bleu", bleu), ("ter", ter)):
        out[name] = round(metric.corpus_score(hypotheses, [references]).score, 2)
        out[f"{name}_signature"] = str(metric.get_signature())
    return out
