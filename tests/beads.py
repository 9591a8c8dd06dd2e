"""Bead records for tests: flat, partial records (the schema-1 layout) completed as schema 3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from align.model import AlignedBead, migrate_v1

DEFAULTS: dict[str, Any] = {
    "event": "ev", "date": None, "src_doc": "ja_doc", "tgt_doc": "en_doc", "src_lang": "ja",
    "tgt_lang": "en", "tgt_kind": "translation", "pair_index": 0, "src_turn": 0, "tgt_turn": 0,
    "src_speaker": None, "tgt_speaker": None, "via_interpreter": False, "bead_index": 0,
    "bead": "1-1", "src_idx": [0], "tgt_idx": [0], "src_ids": ["t0s0"], "tgt_ids": ["t0s0"],
    "src_text": "", "tgt_text": "", "confidence": 1.0, "signature": "sig",
}  # fmt: skip


def record(flat: dict[str, Any]) -> dict[str, Any]:
    """A schema-3 record from flat keys (missing identity keys take neutral defaults)."""
    data = migrate_v1({**DEFAULTS, **flat})
    if "scores" in data:
        data["scores"] = {"labels": [], "reasons": [], "signals": {}, "signature": "s",
                          **data["scores"]}  # fmt: skip
    return data


def typed(flat: dict[str, Any]) -> AlignedBead:
    return AlignedBead.from_dict(record(flat))


def write_alignment(folder: Path, records: list[dict[str, Any]], ascii_only: bool = False) -> Path:
    """A run directory holding only alignment.jsonl with these (flat) records."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record(r), ensure_ascii=ascii_only) for r in records]
    (folder / "alignment.jsonl").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return folder
