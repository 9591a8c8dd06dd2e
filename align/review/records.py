"""The reviewed state as typed beads, for `export --reviewed-only` and the beads files.

Readers open review.sqlite alongside a running server (WAL readers never block or see half an
action). Without a review the records are yielded exactly as alignment.jsonl has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from align.model import AlignedBead, Correction, Review, Scores
from align.review.load import read_alignment
from align.review.rescore import resolve
from align.review.store import Store, db_path, open_store
from align.review.view import BeadView, SentenceView, Viewer
from align.terms.annotate import term_flags, term_matcher
from align.text.lang import joiner


def has_review(run_dir: Path) -> bool:
    """Whether the run has a review database (made by `interp-align review`)."""
    return db_path(run_dir).is_file() and db_path(run_dir).stat().st_size > 0


def _side(store: Store, unit: int, sentences: list[SentenceView], lang: str) -> dict[str, Any]:
    """The bead fields of one side: positions, sentence ids, joined (corrected) text."""
    return {
        "idx": [s.pos for s in sentences],
        "ids": [store.originals[(unit, s.side, s.pos)][0] for s in sentences],
        "text": joiner(lang).join("".join(text for text, _ in s.parts) for s in sentences),
    }


def _corrections(store: Store, unit: int, view: BeadView) -> list[Correction]:
    """Each corrected sentence with its original text."""
    return [
        Correction(
            s.side,
            s.pos,
            store.originals[(unit, s.side, s.pos)][0],
            s.original,
            "".join(t for t, _ in s.parts),
        )  # fmt: skip
        for s in view.src + view.tgt
        if s.corrected
    ]


def _stale(store: Store, view: BeadView) -> Scores | None:
    """Scores of an edited bead that could not be rescored: its sources' scores, marked stale."""
    signature = next((r.scores.signature for r in store.records if r.scores), None)
    if view.divergence is None or signature is None:
        return None
    return Scores(view.divergence, view.labels, view.reasons, {}, signature, stale=True)


def _record(store: Store, row: dict[str, Any], view: BeadView, index: int) -> AlignedBead:
    """One reviewed bead as a typed bead (texts with corrections, review block)."""
    unit = store.units[row["unit"]]
    origin = unit.origins.get((tuple(row["src"]), tuple(row["tgt"])))
    base = store.records[origin if origin is not None else unit.first_record]
    sides = {side: _side(store, unit.id, sentences, base.lang(side))
             for side, sentences in (("src", view.src), ("tgt", view.tgt))}  # fmt: skip
    corrections = _corrections(store, unit.id, view)
    bead = replace(
        base, bead_index=index, bead=view.type, confidence=view.confidence or 0.0,
        src_idx=sides["src"]["idx"], tgt_idx=sides["tgt"]["idx"],
        src_ids=sides["src"]["ids"], tgt_ids=sides["tgt"]["ids"],
        src_text=sides["src"]["text"], tgt_text=sides["tgt"]["text"],
        review=Review(row["status"], row["note"], row["updated_by"], row["updated_at"],
                      row["version"], corrections),
    )  # fmt: skip
    if view.changed or corrections:
        flags = term_flags(bead, term_matcher())
        bead = replace(bead, term_flags=flags, scores=_stale(store, view))
    return bead


def reviewed_records(run_dir: Path) -> Iterator[AlignedBead]:
    """Beads of alignment.jsonl with the review applied (merges, splits, corrections, status)."""
    if not has_review(run_dir):
        yield from read_alignment(run_dir)[0]
        return
    store = open_store(run_dir, create=False)
    try:
        yield from store_beads(store)
    finally:
        store.close()


def store_pairs(store: Store) -> list[tuple[int, AlignedBead]]:
    """The reviewed state of an open store as (bead id, typed bead), in reading order.

    Scores are as the aligner's beads had them (edited beads: marked stale); `store_beads`
    replaces them with the current ones.
    """
    rows, corrections = store.snapshot()
    viewer = Viewer(store)
    beads, index, unit = [], 0, None
    for row in rows:
        index = index + 1 if row["unit"] == unit else 0
        unit = row["unit"]
        beads.append((row["id"], _record(store, row, viewer.bead(row, corrections), index)))
    return beads


def store_beads(store: Store) -> list[AlignedBead]:
    """The reviewed state of an open store as typed beads, with the current state's scores."""
    with store.lock:
        return resolve(store, store_pairs(store))


def reviewed_beads(run_dir: Path) -> dict[str, str]:
    """Vecalign bead files of the reviewed state, by path relative to beads/ (as `run` names them).

    `<src>__<tgt>.txt` holds document-level sentence indices (from documents/), and
    `<src>__<tgt>/<src>__<tgt>.pairNNN.txt` the turn pair's own positions.
    """
    from align.model import format_beads
    from align.rundir import read_documents

    documents = read_documents(run_dir)
    index = {
        (doc_id, s.id): n for doc_id, doc in documents.items() for n, s in enumerate(doc.sentences)
    }
    whole: dict[str, list[tuple[list[int], list[int]]]] = {}
    pairs: dict[str, list[tuple[list[int], list[int]]]] = {}
    for bead in reviewed_records(run_dir):
        name = f"{bead.src_doc}__{bead.tgt_doc}"
        src = [index[(bead.src_doc, i)] for i in bead.src_ids]
        tgt = [index[(bead.tgt_doc, i)] for i in bead.tgt_ids]
        whole.setdefault(f"{name}.txt", []).append((src, tgt))
        pair = f"{name}/{name}.pair{bead.pair_index:03d}.txt"
        pairs.setdefault(pair, []).append((bead.src_idx, bead.tgt_idx))
    return {path: format_beads(beads) for path, beads in (whole | pairs).items()}


def write_reviewed_beads(run_dir: Path) -> list[Path]:
    """Write the reviewed state's bead files beside the aligner's, in RUN_DIR/beads-reviewed/."""
    from align.rundir import atomic_write

    if not has_review(run_dir):
        from align.errors import InputError

        raise InputError("no review database (review.sqlite) in this run directory", run_dir)
    written = []
    for relative, text in reviewed_beads(run_dir).items():
        path = Path(run_dir) / "beads-reviewed" / relative
        atomic_write(path, text)
        written.append(path)
    return written
