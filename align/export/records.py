"""Read run directories lazily, one alignment record at a time, with one-line errors.

Nothing is held in memory beyond the current line, so exports scale to millions of beads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.rundir import parse_record

ALIGNMENT = "alignment.jsonl"
RUN_META = "run.json"
REQUIRED = ("src_lang", "tgt_lang", "src_text", "tgt_text")
# Fields the filters and writers compute with; None stands for "absent".
TYPES: dict[str, tuple[type, ...]] = {
    "src_lang": (str,),
    "tgt_lang": (str,),
    "src_text": (str, type(None)),
    "tgt_text": (str, type(None)),
    "confidence": (int, float, type(None)),
    "divergence": (int, float, type(None)),
}


def alignment_path(run_dir: Path) -> Path:
    """The run's alignment.jsonl, or an InputError naming what is missing."""
    if not run_dir.exists():
        raise InputError("run directory does not exist", path=run_dir)
    if not run_dir.is_dir():
        raise InputError("not a run directory (expected a folder with alignment.jsonl)", run_dir)
    path = run_dir / ALIGNMENT
    if not path.is_file():
        raise InputError(f"no {ALIGNMENT} in this run directory", path=run_dir)
    return path


def check_runs(run_dirs: Iterable[Path]) -> list[Path]:
    """Every run's alignment file, checked before any output is opened."""
    return [alignment_path(Path(run_dir)) for run_dir in run_dirs]


def _parse(line: str, path: Path, number: int) -> dict[str, Any]:
    """One JSON line as a record, refusing lines that cannot be beads."""
    record = parse_record(line, number, path, REQUIRED)
    wrong = [key for key, kinds in TYPES.items() if not isinstance(record.get(key), kinds)]
    if wrong:
        raise InputError(f"line {number}: wrong type for {', '.join(wrong)}", path=path)
    return record


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of one alignment.jsonl, lazily; an empty file is an error."""
    count = 0
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    count += 1
                    yield _parse(line, path, number)
    except UnicodeDecodeError:
        raise InputError(f"not UTF-8 text (after {count} records)", path=path) from None
    if count == 0:
        raise InputError("holds no alignment records", path=path)


def iter_all(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """The records of several runs, one run after another, in their reviewed state if any."""
    from align.review.records import has_review, reviewed_records

    for path in paths:
        if has_review(path.parent):
            yield from reviewed_records(path.parent)
        else:
            yield from iter_records(path)


def first_record(path: Path) -> dict[str, Any]:
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
        first = None if found else first_record(path).get("signature")
        for signature in found or ([str(first)] if first else []):
            if signature not in signatures:
                signatures.append(signature)
    return signatures
