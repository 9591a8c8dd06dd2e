"""Read beads from run directories (DIR/alignment.jsonl), naming file and line on bad input."""

from __future__ import annotations

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
