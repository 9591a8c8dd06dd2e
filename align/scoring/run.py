"""Scoring typed beads in memory (`score_beads`) and a run directory in place (`score_run`).

`score_beads` gives each bead a `Scores` block: divergence, labels, reasons, signals and the
scoring signature. `score_run` reads alignment.jsonl, scores it and writes it back with
scores.csv, scores.parquet and scores.json (aggregates per document pair, turn pair and speaker).
A run directory written by another toolkit version, or already scored with other settings, is
refused unless `rescore=True`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from align import __version__
from align.embed.base import Embedder
from align.errors import InputError
from align.model import AlignedBead, Document, Scores, Signature
from align.rundir import alignment_path, atomic_write, read_beads, read_documents, write_beads
from align.scoring.aggregate import aggregate
from align.scoring.composite import Weights
from align.scoring.engine import score_segments, scoring_signature
from align.scoring.segment import Segment
from align.scoring.table import write_tables
from align.scoring.terminology import TermChecker, load_checker
from align.textfile import read_utf8


@dataclass
class ScoringContext:
    """Everything scoring needs besides the beads: models, settings and the run's documents."""

    embedder: Embedder
    terms: TermChecker | None
    weights: Weights
    signature: str
    reference: Path | None = None
    mt: str | None = None
    documents: dict[str, Document] = field(default_factory=dict)


def scoring_context(
    embedder: Embedder | None = None,
    *,
    reference: Path | None = None,
    mt: str | None = None,
    termbase: Path | None = None,
    documents: dict[str, Document] | None = None,
) -> ScoringContext:
    """Load the embedder (USE by default), termbase and weights, and sign the settings."""
    if embedder is None:
        from align.embed import load_embedder

        embedder = load_embedder("use")
    terms = load_checker(termbase)
    weights = Weights.load()
    reference_name = Path(reference).name if reference else None
    signature = scoring_signature(embedder, weights, terms, mt=mt, reference=reference_name)
    return ScoringContext(
        embedder, terms, weights, signature, Path(reference) if reference else None, mt,
        documents or {},
    )  # fmt: skip


# The signals read Japanese against English. A bead whose Japanese side is in the source slot is
# scored as it is, otherwise the other way round; for an English original rendered into Japanese
# (an English-original document, or an interpreted U.S. turn in a Japanese transcript) what the
# Japanese side lacks or adds is relabelled in the original's direction: Japanese content missing
# from the English original is an addition.
_REVERSED_LABELS = {"omission": "addition", "addition": "omission"}


def _reversed(bead: AlignedBead) -> bool:
    """The original is English and the rendering Japanese."""
    return bead.original_lang != "ja" and bead.rendering_lang == "ja"


def _segment(bead: AlignedBead) -> Segment:
    src, tgt, src_lang, tgt_lang = bead.src_text, bead.tgt_text, bead.src_lang, bead.tgt_lang
    if src_lang != "ja" and tgt_lang == "ja":
        src, tgt, src_lang, tgt_lang = tgt, src, tgt_lang, src_lang
    return Segment(
        src, tgt, group=f"{bead.src_doc}__{bead.tgt_doc}", date=bead.date,
        src_lang=src_lang, tgt_lang=tgt_lang,
    )  # fmt: skip


def _labels(bead: AlignedBead, labels: list[str]) -> list[str]:
    """Labels relative to the original when the bead was scored Japanese-first."""
    return [_REVERSED_LABELS.get(label, label) for label in labels] if _reversed(bead) else labels


def score_all(
    beads: list[AlignedBead], context: ScoringContext
) -> tuple[list[AlignedBead], dict[str, Any]]:
    """Scored copies of the beads, and the document-level reference / MT summaries."""
    results = score_segments([_segment(b) for b in beads], context.embedder, context.terms,
                             context.weights)  # fmt: skip
    extras = _extras(beads, context)
    scored = []
    for bead, result, extra in zip(beads, results, extras["beads"], strict=True):
        result["signals"].update(extra)
        scores = Scores(
            result["divergence"], _labels(bead, result["labels"]), result["reasons"],
            result["signals"], context.signature,
        )  # fmt: skip
        scored.append(replace(bead, scores=scores))
    return scored, extras["documents"]


def score_beads(beads: list[AlignedBead], context: ScoringContext) -> list[AlignedBead]:
    """The beads with fresh scores (new objects; the inputs are left as they were)."""
    return score_all(beads, context)[0] if beads else []


def write_scores(
    run_dir: Path, beads: list[AlignedBead], context: ScoringContext, documents: dict[str, Any]
) -> dict[str, Any]:
    """scores.csv, scores.parquet and scores.json beside the alignment; returns the summary."""
    write_tables(beads, run_dir)
    summary = {
        "run_dir": str(run_dir), "beads": len(beads), "scoring_signature": context.signature,
        "aggregates": aggregate(beads), **documents,
    }  # fmt: skip
    atomic_write(run_dir / "scores.json", json.dumps(summary, ensure_ascii=False, indent=2))
    _profile_into_run_json(run_dir, summary["aggregates"])
    return summary


def _toolkit_version(signature: object, path: Path, line: int) -> str | None:
    try:
        return Signature.parse(str(signature)).as_dict().get("interp-align")
    except ValueError:
        raise InputError(f"line {line}: malformed signature {signature!r}", path) from None


def _run_summary(path: Path) -> dict[str, Any]:
    """run.json as a mapping; unreadable or corrupt is an input error naming it."""
    try:
        data = json.loads(read_utf8(path, "run.json"))
    except json.JSONDecodeError as error:
        raise InputError(f"corrupt run.json ({error.msg} at line {error.lineno})", path) from None
    if not isinstance(data, dict):
        raise InputError("corrupt run.json (expected a JSON object)", path)
    return data


def _profile_into_run_json(run_dir: Path, aggregates: dict[str, Any]) -> None:
    """run.json gains the interpretation profile per event, document, speaker and turn."""
    path = run_dir / "run.json"
    if not path.is_file():
        return
    data = _run_summary(path)
    data["profile"] = {
        level: [{"key": g["key"], "beads": g["beads"], **g["profile"]} for g in groups]
        for level, groups in aggregates.items()
    }
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))


def _check_version(run_dir: Path, beads: list[AlignedBead], rescore: bool) -> None:
    """Refuse a run written by another toolkit version unless asked to re-score it."""
    path = run_dir / "alignment.jsonl"
    versions = {_toolkit_version(b.signature, path, n) for n, b in enumerate(beads, 1)}
    run_json = run_dir / "run.json"
    if run_json.is_file():
        toolkit = _run_summary(run_json).get("toolkit", "")
        versions.add(toolkit.replace("interp-align", "").strip() or None)
    foreign = sorted(str(v) for v in versions if v != __version__)
    if foreign and not rescore:
        raise InputError(
            f"written by interp-align {', '.join(foreign)} (this is {__version__}); re-run "
            "`interp-align run`, or pass --rescore to score it anyway",
            run_dir / "alignment.jsonl",
        )


def _check_beads(path: Path, beads: list[AlignedBead]) -> None:
    if not beads:
        raise InputError("no beads to score (alignment.jsonl is empty)", path)
    for line, bead in enumerate(beads, start=1):
        if not bead.src_text.strip() and not bead.tgt_text.strip():
            raise InputError(f"line {line}: empty bead (no text on either side)", path)


def _check_scored(path: Path, beads: list[AlignedBead], signature: str, rescore: bool) -> None:
    """Refuse to overwrite scores made with other settings unless asked to."""
    old = {b.scores.signature for b in beads if b.scores} - {signature}
    if old and not rescore:
        raise InputError(
            f"already scored with other settings ({sorted(old)[0]}); pass --rescore to replace",
            path,
        )


def score_run(
    run_dir: Path,
    *,
    embedder: Embedder | None = None,
    reference: Path | None = None,
    mt: str | None = None,
    termbase: Path | None = None,
    rescore: bool = False,
) -> dict[str, Any]:
    """Score a run directory in place; returns the summary (also written as scores.json).

    A reviewed run (review.sqlite) is scored in its reviewed state with `rescore=True`: the
    scores go to the review database and the scores files; alignment.jsonl, which the review
    is bound to, is left as it is.
    """
    run_dir = Path(run_dir)
    path = alignment_path(run_dir)
    from align.review.records import has_review

    if has_review(run_dir):
        if not rescore:
            raise InputError(
                "this run has a review (review.sqlite); pass --rescore to score the reviewed state",
                run_dir,
            )
        return _score_reviewed(run_dir, embedder, reference, mt, termbase)
    beads = read_beads(run_dir)
    _check_beads(path, beads)
    _check_version(run_dir, beads, rescore)
    documents = read_documents(run_dir) if reference is not None else {}
    context = scoring_context(
        embedder, reference=reference, mt=mt, termbase=termbase, documents=documents
    )
    _check_scored(path, beads, context.signature, rescore)
    beads, extras = score_all(beads, context)
    write_beads(run_dir, beads)
    return write_scores(run_dir, beads, context, extras)


def _score_reviewed(
    run_dir: Path, embedder: Embedder | None, reference: Path | None, mt: str | None,
    termbase: Path | None,
) -> dict[str, Any]:  # fmt: skip
    """Score every document pair of the reviewed state; the scores files describe that state."""
    from align.review.records import store_pairs
    from align.review.rescore import group, rescore, resolve
    from align.review.store import open_store

    documents = read_documents(run_dir) if reference is not None else {}
    context = scoring_context(
        embedder, reference=reference, mt=mt, termbase=termbase, documents=documents
    )
    store = open_store(run_dir, create=False)
    try:
        pairs = store_pairs(store)
        _check_beads(run_dir / "review.sqlite", [b for _, b in pairs])
        rescore(store, pairs, context, sorted({group(b) for _, b in pairs}))
        beads = resolve(store, pairs)
    finally:
        store.close()
    return write_scores(run_dir, beads, context, {})


def _extras(beads: list[AlignedBead], context: ScoringContext) -> dict[str, Any]:
    """Reference-based and MT-based scores, per bead and per document, when asked for."""
    extra: list[dict[str, Any]] = [{} for _ in beads]
    documents: dict[str, Any] = {}
    if context.reference is not None:
        documents["reference"] = _reference_scores(beads, context, extra)
    if context.mt:
        from align.scoring.mt import MarianScorer

        scorer = MarianScorer(context.mt)
        both = [i for i, b in enumerate(beads) if b.src_text.strip() and b.tgt_text.strip()]
        scores = scorer.score([beads[i].src_text for i in both], [beads[i].tgt_text for i in both])
        for i, score in zip(both, scores, strict=True):
            extra[i]["mt"] = score
        documents["mt"] = {"model": scorer.name, "beads": len(both)}
    return {"beads": extra, "documents": documents}


def _reference_scores(
    beads: list[AlignedBead], context: ScoringContext, extra: list[dict[str, Any]]
) -> dict[str, Any]:
    from align.scoring.reference import align_reference, corpus_scores, sentence_scores

    path = context.reference
    assert path is not None
    if not path.is_file():
        raise InputError("reference translation not found", path)
    out: dict[str, Any] = {"path": str(path), "documents": {}}
    for src_doc in sorted({b.src_doc for b in beads}):
        if src_doc not in context.documents:
            raise InputError(f"run directory has no documents/{src_doc}.json", beads[0].run)
        ref = align_reference(path, context.documents[src_doc], context.embedder)
        hyps, refs = [], []
        for index, bead in enumerate(beads):
            text = ref.text_for(bead.src_ids) if bead.src_doc == src_doc else None
            if text and bead.tgt_text.strip():
                extra[index]["reference"] = sentence_scores(bead.tgt_text, text)
                hyps.append(bead.tgt_text)
                refs.append(text)
        scores = corpus_scores(hyps, refs) if hyps else {"beads": 0}
        out["documents"][src_doc] = {**scores, "match_z": round(ref.match_z, 2)}
    return out
