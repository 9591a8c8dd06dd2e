"""The reviewed state as alignment records, for `export --reviewed-only` and the beads files.

Readers open review.sqlite alongside a running server (WAL readers never block or see half an
action). Without a review the records are yielded exactly as alignment.jsonl has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from align.aligners.length import joiner
from align.review.load import read_alignment
from align.review.store import Store, db_path, open_store
from align.review.view import BeadView, SentenceView, Viewer

REVIEWED = frozenset({"reviewed", "final"})
SCORE_ONLY = ("flags", "term_flags")


def has_review(run_dir: Path) -> bool:
    """Whether the run has a review database (made by `interp-align review`)."""
    return db_path(run_dir).is_file() and db_path(run_dir).stat().st_size > 0


def _side(store: Store, unit: int, sentences: list[SentenceView], lang: str) -> dict[str, Any]:
    """The record fields of one side: positions, sentence ids, joined (corrected) text."""
    return {
        "idx": [s.pos for s in sentences],
        "ids": [store.originals[(unit, s.side, s.pos)][0] for s in sentences],
        "text": joiner(lang).join("".join(text for text, _ in s.parts) for s in sentences),
    }


def _corrections(store: Store, unit: int, view: BeadView) -> list[dict[str, Any]]:
    """Each corrected sentence with its original text."""
    return [
        {
            "side": s.side,
            "pos": s.pos,
            "id": store.originals[(unit, s.side, s.pos)][0],
            "original": s.original,
            "corrected": "".join(t for t, _ in s.parts),
        }
        for s in view.src + view.tgt
        if s.corrected
    ]


def _record(store: Store, row: dict[str, Any], view: BeadView, index: int) -> dict[str, Any]:
    """One reviewed bead as an alignment record."""
    unit = store.units[row["unit"]]
    origin = unit.origins.get((tuple(row["src"]), tuple(row["tgt"])))
    base = store.records[origin if origin is not None else unit.first_record]
    record = {k: v for k, v in base.items() if not (view.changed and k in SCORE_ONLY)}
    for side, sentences in (("src", view.src), ("tgt", view.tgt)):
        fields = _side(store, unit.id, sentences, base[f"{side}_lang"])
        record.update({f"{side}_{key}": value for key, value in fields.items()})
    record.update(bead_index=index, bead=view.type, confidence=view.confidence)
    if view.divergence is not None:
        record["divergence"] = view.divergence
    if view.changed:
        record.update(labels=view.labels, reasons=view.reasons, scores_stale=True)
    record.update(
        review_status=row["status"],
        reviewed=row["status"] in REVIEWED,
        note=row["note"],
        reviewed_by=row["updated_by"],
        reviewed_at=row["updated_at"],
        corrections=_corrections(store, unit.id, view),
    )
    return record


def reviewed_records(run_dir: Path) -> Iterator[dict[str, Any]]:
    """Records of alignment.jsonl with the review applied (merges, splits, corrections, status)."""
    if not has_review(run_dir):
        yield from read_alignment(run_dir)[0]
        return
    store = open_store(run_dir, create=False)
    try:
        rows, corrections = store.snapshot()
        viewer = Viewer(store)
        index, unit = 0, None
        for row in rows:
            index = index + 1 if row["unit"] == unit else 0
            unit = row["unit"]
            yield _record(store, row, viewer.bead(row, corrections), index)
    finally:
        store.close()


def reviewed_beads(run_dir: Path) -> dict[str, str]:
    """Vecalign bead files of the reviewed state, by path relative to beads/ (as `run` names them).

    `<src>__<tgt>.txt` holds document-level sentence indices (from documents/), and
    `<src>__<tgt>/<src>__<tgt>.pairNNN.txt` the turn pair's own positions.
    """
    from align.aligners.evaluate import format_beads
    from align.rundir import read_documents

    documents = read_documents(run_dir)
    index = {
        (doc_id, s.id): n for doc_id, doc in documents.items() for n, s in enumerate(doc.sentences)
    }
    whole: dict[str, list[tuple[list[int], list[int]]]] = {}
    pairs: dict[str, list[tuple[list[int], list[int]]]] = {}
    for record in reviewed_records(run_dir):
        name = f"{record['src_doc']}__{record['tgt_doc']}"
        src = [index[(record["src_doc"], i)] for i in record["src_ids"]]
        tgt = [index[(record["tgt_doc"], i)] for i in record["tgt_ids"]]
        whole.setdefault(f"{name}.txt", []).append((src, tgt))
        pair = f"{name}/{name}.pair{int(record['pair_index']):03d}.txt"
        pairs.setdefault(pair, []).append((record["src_idx"], record["tgt_idx"]))
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
