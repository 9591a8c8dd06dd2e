"""Read beads from run directories (DIR/alignment.jsonl), naming file and line on bad input."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from align.errors import InputError

ALIGNMENT_FILE = "alignment.jsonl"


def alignment_path(run: str | Path) -> Path:
    """A run directory's alignment.jsonl, or the .jsonl file itself."""
    run = Path(run)
    path = run / ALIGNMENT_FILE if run.is_dir() else run
    if not path.is_file():
        raise InputError(f"no {ALIGNMENT_FILE} found (not a run directory?)", run)
    return path


def read_beads(run: str | Path) -> list[dict[str, Any]]:
    """Every bead record of one run, each tagged with the run it came from."""
    path = alignment_path(run)
    beads = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                bead = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"line {number}: invalid JSON: {error.msg}", path) from error
            if not isinstance(bead, dict):
                raise InputError(f"line {number}: a bead must be a JSON object", path)
            bead.setdefault("run", str(Path(run)))
            beads.append(bead)
    return beads


def read_runs(runs: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Beads of several runs, in the order given."""
    return [bead for run in runs for bead in read_beads(run)]
