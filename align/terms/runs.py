"""Read beads from run directories (DIR/alignment.jsonl), naming file and line on bad input."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from align.model import AlignedBead
from align.rundir import read_beads as read_run_beads


def read_beads(run: str | Path) -> list[AlignedBead]:
    """Every bead of one run (a directory, or its alignment.jsonl), each knowing its run."""
    return read_run_beads(Path(run), allow_file=True)


def read_runs(runs: Iterable[str | Path]) -> list[AlignedBead]:
    """Beads of several runs, in the order given."""
    return [bead for run in runs for bead in read_beads(run)]


PairKey = tuple[str | None, str, str]  # (run, src_doc, tgt_doc)


def pair_confidences(runs: Iterable[str | Path]) -> dict[PairKey, float]:
    """Each document pair's confidence as run.json records it (the aligner's document evidence)."""
    found: dict[PairKey, float] = {}
    for run in runs:
        meta = Path(run) / "run.json"
        if not meta.is_file():
            continue
        try:
            pairs = json.loads(meta.read_text(encoding="utf-8")).get("pairs") or []
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
            continue  # a hand-made run without usable metadata: its beads' mean is used
        for pair in pairs:
            if isinstance(pair, dict) and isinstance(pair.get("confidence"), int | float):
                found[(str(Path(run)), pair["src_doc"], pair["tgt_doc"])] = pair["confidence"]
    return found
