"""Read beads from run directories (DIR/alignment.jsonl), naming file and line on bad input."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.rundir import iter_records

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
    beads = list(iter_records(alignment_path(run)))
    for bead in beads:
        bead.setdefault("run", str(Path(run)))
    return beads


def read_runs(runs: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Beads of several runs, in the order given."""
    return [bead for run in runs for bead in read_beads(run)]
