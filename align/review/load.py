"""Read a run directory into review units: turn pairs with their sentences and first beads.

A unit is one turn pair (src_doc, tgt_doc, pair_index); beads never cross units, so every
review action stays inside one small list and one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.model import AlignedBead
from align.rundir import alignment_path, fingerprint, read_beads

SIDES = ("src", "tgt")


@dataclass
class UnitSentence:
    """One sentence of a turn pair: its side, position in the pair, document id and text."""

    side: str
    pos: int
    sent_id: str | None
    text: str


@dataclass
class Unit:
    """One turn pair as the aligner left it."""

    key: tuple[str, str, int]
    records: list[int] = field(default_factory=list)
    sentences: dict[tuple[str, int], UnitSentence] = field(default_factory=dict)


def alignment_file(run_dir: Path) -> Path:
    """The run's alignment.jsonl, or an InputError saying the directory has none."""
    return alignment_path(Path(run_dir))


def read_alignment(run_dir: Path) -> tuple[list[AlignedBead], str]:
    """All beads of alignment.jsonl and the file's fingerprint; refuses an empty file."""
    path = alignment_file(run_dir)
    beads = read_beads(run_dir)
    if not beads:
        raise InputError("no alignment: the file has no beads", path=path)
    for number, bead in enumerate(beads, 1):
        _check_storable(bead, number, path)
    return beads, fingerprint(path)


def _check_storable(bead: AlignedBead, number: int, path: Path) -> None:
    """SQLite stores UTF-8: text with a lone surrogate (\\ud800 in the file) cannot be reviewed."""
    try:
        json.dumps(bead.to_dict(), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"bead {number}: text holds a lone surrogate (not valid Unicode)", path
        ) from None


def document_sentences(run_dir: Path) -> dict[tuple[str, str], str]:
    """Sentence texts by (document id, sentence id) from documents/*.json (empty when absent)."""
    texts: dict[tuple[str, str], str] = {}
    for path in sorted((Path(run_dir) / "documents").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(f"unreadable document: {error}", path=path) from None
        for turn in data.get("turns", []):
            for sentence in turn.get("sentences", []):
                texts[(data.get("id", path.stem), sentence["id"])] = sentence["text"]
    return texts


def _fallback_texts(record: AlignedBead, side: str, count: int) -> list[str]:
    """Sentence texts cut from the joined bead text when documents/ cannot supply them."""
    text = record.text(side)
    if count <= 1:
        return [text][:count]
    from align.text.segment import split_sentences

    pieces = split_sentences(text, record.lang(side))
    return pieces if len(pieces) == count else [text] + [""] * (count - 1)


def _side_sentences(
    record: AlignedBead, side: str, texts: dict[tuple[str, str], str]
) -> list[UnitSentence]:
    """The sentences one bead contributes on one side."""
    positions = [int(p) for p in (record.src_idx if side == "src" else record.tgt_idx)]
    ids = list(record.src_ids if side == "src" else record.tgt_ids)
    doc = record.src_doc if side == "src" else record.tgt_doc
    found = [texts.get((doc, i)) for i in ids] if len(ids) == len(positions) else []
    if len(found) != len(positions) or any(t is None for t in found):
        found = _fallback_texts(record, side, len(positions))
    ids = ids if len(ids) == len(positions) else [None] * len(positions)
    return [
        UnitSentence(side, p, i, t or "") for p, i, t in zip(positions, ids, found, strict=True)
    ]


def build_units(records: list[AlignedBead], texts: dict[tuple[str, str], str]) -> list[Unit]:
    """Group beads into turn-pair units in file order, collecting each unit's sentences."""
    units: dict[tuple[str, str, int], Unit] = {}
    for index, record in enumerate(records):
        key = (record.src_doc, record.tgt_doc, record.pair_index)
        unit = units.setdefault(key, Unit(key))
        unit.records.append(index)
        for side in SIDES:
            for sentence in _side_sentences(record, side, texts):
                unit.sentences[(side, sentence.pos)] = sentence
    return list(units.values())
