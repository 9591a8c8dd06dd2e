"""Read run directories lazily, one typed bead at a time, with one-line errors.

Nothing is held in memory beyond the current line, so exports scale to millions of beads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from align.errors import InputError
from align.model import AlignedBead
from align.rundir import alignment_path, iter_beads

RUN_META = "run.json"


def check_runs(run_dirs: Iterable[Path]) -> list[Path]:
    """Every run's alignment file, checked before any output is opened."""
    return [alignment_path(Path(run_dir)) for run_dir in run_dirs]


def iter_records(path: Path) -> Iterator[AlignedBead]:
    """The beads of one alignment.jsonl, lazily; an empty file is an error."""
    count = 0
    for bead in iter_beads(path):
        count += 1
        yield bead
    if count == 0:
        raise InputError("holds no alignment records", path=path)


def iter_all(paths: Iterable[Path]) -> Iterator[AlignedBead]:
    """The records of several runs, one run after another, in their reviewed state if any."""
    from align.review.records import has_review, reviewed_records

    for path in paths:
        if has_review(path.parent):
            yield from reviewed_records(path.parent)
        else:
            yield from iter_records(path)


def first_record(path: Path) -> AlignedBead:
    """The first record of a file (an empty file raises InputError here, before writing)."""
    records = iter_records(path)
    try:
        return next(records)
    finally:
        records.close()


def _meta_signatures(meta_path: Path) -> list[str]:
    """Signatures named in run.json: its own and each document pair's."""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"unreadable run metadata ({error})", path=meta_path) from None
    if not isinstance(meta, dict):
        raise InputError("run metadata is not a JSON object", path=meta_path)
    pairs = meta.get("pairs") if isinstance(meta.get("pairs"), list) else []
    found = [meta.get("signature")] + [p.get("signature") for p in pairs if isinstance(p, dict)]
    return [str(signature) for signature in found if signature]


def run_signatures(paths: Iterable[Path]) -> list[str]:
    """Distinct run signatures in input order: from run.json, else each run's first record."""
    signatures: list[str] = []
    for path in paths:
        meta_path = path.parent / RUN_META
        found = _meta_signatures(meta_path) if meta_path.is_file() else []
        first = None if found else first_record(path).signature
        for signature in found or ([str(first)] if first else []):
            if signature not in signatures:
                signatures.append(signature)
    return signatures
