"""Read a run directory into review units: turn pairs with their sentences and first beads.

A unit is one turn pair (src_doc, tgt_doc, pair_index); beads never cross units, so every
review action stays inside one small list and one transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.rundir import parse_record

ALIGNMENT = "alignment.jsonl"
REQUIRED = (
    "src_doc",
    "tgt_doc",
    "pair_index",
    "src_lang",
    "tgt_lang",
    "src_idx",
    "tgt_idx",
    "src_text",
    "tgt_text",
)
SIDES = ("src", "tgt")


def _position(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _positions(value: Any) -> bool:
    return isinstance(value, list) and all(_position(v) for v in value)


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


_TYPES = {
    "src_doc": lambda v: isinstance(v, str),
    "tgt_doc": lambda v: isinstance(v, str),
    "pair_index": _position,
    "src_lang": lambda v: isinstance(v, str),
    "tgt_lang": lambda v: isinstance(v, str),
    "src_idx": _positions,
    "tgt_idx": _positions,
    "src_text": _text_or_none,
    "tgt_text": _text_or_none,
}


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
    path = Path(run_dir) / ALIGNMENT
    if not Path(run_dir).is_dir():
        raise InputError("not a directory", path=run_dir)
    if not path.is_file():
        raise InputError("not a run directory: no alignment.jsonl", path=run_dir)
    return path


def fingerprint(path: Path) -> str:
    """SHA-256 of alignment.jsonl, so a review never applies to a different alignment."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parse(line: str, number: int, path: Path) -> dict[str, Any]:
    """One record, checked for the keys review needs and for text SQLite can store."""
    record = parse_record(line, number, path, REQUIRED)
    wrong = [key for key, check in _TYPES.items() if not check(record[key])]
    if wrong:
        raise InputError(f"line {number}: wrong type for {', '.join(wrong)}", path)
    if _lone_surrogate(record):
        raise InputError(f"line {number}: text holds a lone surrogate (not valid Unicode)", path)
    return record


def _lone_surrogate(value: Any) -> bool:
    """Whether any string in a JSON value holds a lone surrogate (\\ud800 in the file)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def read_alignment(run_dir: Path) -> tuple[list[dict[str, Any]], str]:
    """All records of alignment.jsonl and the file's fingerprint; refuses an empty file."""
    path = alignment_file(run_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", path=path) from None
    records = [_parse(line, n, path) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not records:
        raise InputError("no alignment: the file has no beads", path=path)
    return records, fingerprint(path)


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


def _fallback_texts(record: dict[str, Any], side: str, count: int) -> list[str]:
    """Sentence texts cut from the joined bead text when documents/ cannot supply them."""
    text = record.get(f"{side}_text") or ""
    if count <= 1:
        return [text][:count]
    from align.text.segment import split_sentences

    pieces = split_sentences(text, record[f"{side}_lang"])
    return pieces if len(pieces) == count else [text] + [""] * (count - 1)


def _side_sentences(
    record: dict[str, Any], side: str, texts: dict[tuple[str, str], str]
) -> list[UnitSentence]:
    """The sentences one record contributes on one side."""
    positions = [int(p) for p in record[f"{side}_idx"]]
    ids = list(record.get(f"{side}_ids") or [])
    doc = record[f"{side}_doc"]
    found = [texts.get((doc, i)) for i in ids] if len(ids) == len(positions) else []
    if len(found) != len(positions) or any(t is None for t in found):
        found = _fallback_texts(record, side, len(positions))
    ids = ids if len(ids) == len(positions) else [None] * len(positions)
    return [
        UnitSentence(side, p, i, t or "") for p, i, t in zip(positions, ids, found, strict=True)
    ]


def build_units(records: list[dict[str, Any]], texts: dict[tuple[str, str], str]) -> list[Unit]:
    """Group records into turn-pair units in file order, collecting each unit's sentences."""
    units: dict[tuple[str, str, int], Unit] = {}
    for index, record in enumerate(records):
        key = (record["src_doc"], record["tgt_doc"], int(record["pair_index"]))
        unit = units.setdefault(key, Unit(key))
        unit.records.append(index)
        for side in SIDES:
            for sentence in _side_sentences(record, side, texts):
                unit.sentences[(side, sentence.pos)] = sentence
    return list(units.values())
