"""`score_run`: score every bead of a run directory and write the results beside the alignment.

Adds `divergence`, `labels`, `reasons`, `signals` and `scoring_signature` to each record of
alignment.jsonl (rewritten atomically), writes scores.csv, scores.parquet and scores.json (the
aggregates per document pair, turn pair and speaker, and the signatures). A run directory
written by another toolkit version, or already scored with other settings, is refused unless
`rescore=True`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from align import __version__
from align.errors import InputError
from align.model import Signature
from align.rundir import atomic_write, read_documents, read_records
from align.scoring.aggregate import aggregate
from align.scoring.composite import Weights
from align.scoring.engine import score_segments, scoring_signature
from align.scoring.segment import Segment
from align.scoring.table import write_tables
from align.scoring.terminology import load_checker

REQUIRED = ("src_doc", "tgt_doc", "src_lang", "tgt_lang", "src_text", "tgt_text", "signature")
SCORE_KEYS = ("divergence", "labels", "reasons", "signals", "scoring_signature")


def _check_version(run_dir: Path, records: list[dict[str, Any]], rescore: bool) -> None:
    """Refuse a run written by another toolkit version unless asked to re-score it."""
    path = run_dir / "alignment.jsonl"
    versions = {Signature.parse(r["signature"]).as_dict().get("interp-align") for r in records}
    run_json = run_dir / "run.json"
    if run_json.is_file():
        toolkit = json.loads(run_json.read_text(encoding="utf-8")).get("toolkit", "")
        versions.add(toolkit.replace("interp-align", "").strip() or None)
    foreign = sorted(str(v) for v in versions if v != __version__)
    if foreign and not rescore:
        raise InputError(
            f"written by interp-align {', '.join(foreign)} (this is {__version__}); re-run "
            "`interp-align run`, or pass --rescore to score it anyway",
            path,
        )


def _check_records(path: Path, records: list[dict[str, Any]]) -> None:
    if not records:
        raise InputError("no beads to score (alignment.jsonl is empty)", path)
    for line, record in enumerate(records, start=1):
        missing = [k for k in REQUIRED if k not in record]
        if missing:
            raise InputError(f"line {line}: missing key(s) {', '.join(missing)}", path)
        if not str(record["src_text"] or "").strip() and not str(record["tgt_text"] or "").strip():
            raise InputError(f"line {line}: empty bead (no text on either side)", path)


def _check_scored(path: Path, records: list[dict[str, Any]], signature: str, rescore: bool) -> None:
    """Refuse to overwrite scores made with other settings unless asked to."""
    old = {r.get("scoring_signature") for r in records} - {None, signature}
    if old and not rescore:
        raise InputError(
            f"already scored with other settings ({sorted(old)[0]}); pass --rescore to replace",
            path,
        )


# The signals read Japanese against English. For an English original rendered into Japanese the
# bead is scored the other way round, and what the Japanese side lacks or adds is relabelled in the
# original's direction: Japanese content missing from the English original is an addition.
_REVERSED_LABELS = {"omission": "addition", "addition": "omission"}


def _reversed(record: dict[str, Any]) -> bool:
    return record["src_lang"] != "ja" and record["tgt_lang"] == "ja"


def _segment(record: dict[str, Any]) -> Segment:
    src, tgt = str(record["src_text"] or ""), str(record["tgt_text"] or "")
    src_lang, tgt_lang = record["src_lang"], record["tgt_lang"]
    if _reversed(record):
        src, tgt, src_lang, tgt_lang = tgt, src, tgt_lang, src_lang
    return Segment(
        src, tgt, group=f"{record['src_doc']}__{record['tgt_doc']}", date=record.get("date"),
        src_lang=src_lang, tgt_lang=tgt_lang, context=record,
    )  # fmt: skip


def _in_original_direction(record: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Labels relative to the original when the bead was scored Japanese-first."""
    if _reversed(record):
        result["labels"] = [_REVERSED_LABELS.get(label, label) for label in result["labels"]]
    return result


def score_run(
    run_dir: Path,
    *,
    embedder: Any = None,
    reference: Path | None = None,
    mt: str | None = None,
    termbase: Path | None = None,
    rescore: bool = False,
) -> dict[str, Any]:
    """Score a run directory in place; returns the summary (also written as scores.json)."""
    run_dir = Path(run_dir)
    path = run_dir / "alignment.jsonl"
    records = read_records(run_dir)
    _check_records(path, records)
    _check_version(run_dir, records, rescore)
    if embedder is None:
        from align.embed import load_embedder

        embedder = load_embedder("use")
    terms = load_checker(termbase)
    weights = Weights.load()
    reference_name = Path(reference).name if reference else None
    signature = scoring_signature(embedder, weights, terms, mt=mt, reference=reference_name)
    _check_scored(path, records, signature, rescore)
    segments = [_segment(r) for r in records]
    results = score_segments(segments, embedder, terms, weights)
    extras = _extras(run_dir, records, embedder, reference, mt)
    for record, result, extra in zip(records, results, extras["beads"], strict=True):
        result["signals"].update(extra)
        record.update(_in_original_direction(record, result), scoring_signature=signature)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    atomic_write(path, lines)
    write_tables(records, run_dir)
    summary = {
        "run_dir": str(run_dir), "beads": len(records), "scoring_signature": signature,
        "aggregates": aggregate(records), **extras["documents"],
    }  # fmt: skip
    atomic_write(run_dir / "scores.json", json.dumps(summary, ensure_ascii=False, indent=2))
    _profile_into_run_json(run_dir, summary["aggregates"])
    return summary


def _profile_into_run_json(run_dir: Path, aggregates: dict[str, Any]) -> None:
    """run.json gains the interpretation profile per event, document, speaker and turn."""
    path = run_dir / "run.json"
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    data["profile"] = {
        level: [{"key": g["key"], "beads": g["beads"], **g["profile"]} for g in groups]
        for level, groups in aggregates.items()
    }
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))


def _extras(
    run_dir: Path, records: list[dict[str, Any]], embedder: Any, reference: Path | None,
    mt: str | None,
) -> dict[str, Any]:  # fmt: skip
    """Reference-based and MT-based scores, per bead and per document, when asked for."""
    beads: list[dict[str, Any]] = [{} for _ in records]
    documents: dict[str, Any] = {}
    if reference is not None:
        documents["reference"] = _reference_scores(
            run_dir, records, embedder, Path(reference), beads
        )
    if mt:
        from align.scoring.mt import MarianScorer

        scorer = MarianScorer(mt)
        both = [i for i, r in enumerate(records) if r["src_text"].strip() and r["tgt_text"].strip()]
        scores = scorer.score([records[i]["src_text"] for i in both],
                              [records[i]["tgt_text"] for i in both])  # fmt: skip
        for i, score in zip(both, scores, strict=True):
            beads[i]["mt"] = score
        documents["mt"] = {"model": scorer.name, "beads": len(both)}
    return {"beads": beads, "documents": documents}


def _reference_scores(
    run_dir: Path, records: list[dict[str, Any]], embedder: Any, path: Path,
    beads: list[dict[str, Any]],
) -> dict[str, Any]:  # fmt: skip
    from align.scoring.reference import align_reference, corpus_scores, sentence_scores

    if not path.is_file():
        raise InputError("reference translation not found", path)
    documents = read_documents(run_dir)
    out: dict[str, Any] = {"path": str(path), "documents": {}}
    for src_doc in sorted({r["src_doc"] for r in records}):
        if src_doc not in documents:
            raise InputError(f"run directory has no documents/{src_doc}.json", run_dir)
        ref = align_reference(path, documents[src_doc], embedder)
        hyps, refs = [], []
        for index, record in enumerate(records):
            text = (
                ref.text_for(record.get("src_ids") or []) if record["src_doc"] == src_doc else None
            )
            if text and record["tgt_text"].strip():
                beads[index]["reference"] = sentence_scores(record["tgt_text"], text)
                hyps.append(record["tgt_text"])
                refs.append(text)
        scores = corpus_scores(hyps, refs) if hyps else {"beads": 0}
        out["documents"][src_doc] = {**scores, "match_z": round(ref.match_z, 2)}
    return out
