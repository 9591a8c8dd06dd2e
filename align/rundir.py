"""Writing and reading run directories: alignment.jsonl, beads/, documents/, run.json, report."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from align import __version__
from align.errors import LOW_CONFIDENCE, InputError
from align.ingest.event import Event
from align.model import AlignedBead, Document, format_beads, migrate_v1
from align.pipeline import DocumentAlignment, records


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a killed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from others
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _pair_summary(alignment: DocumentAlignment) -> dict[str, Any]:
    beads = [b for p in alignment.pairs for b in p.beads]
    return {
        "src_doc": alignment.src.id,
        "tgt_doc": alignment.tgt.id,
        "direction": f"{alignment.src.language}-{alignment.tgt.language}",
        "tgt_kind": alignment.tgt.kind,
        "beads": len(beads),
        "bead_types": dict(sorted(Counter(b.type for b in beads).items())),
        "confidence": round(alignment.confidence, 4),
        "low_confidence": alignment.confidence < LOW_CONFIDENCE,
        "turn_pairs": [
            {"src_turns": p.pair.src, "tgt_turns": p.pair.tgt, "matched": p.pair.matched}
            for p in alignment.pairs
        ],
        "unmatched_turns": {
            "src": [i for p in alignment.pairs if not p.pair.tgt for i in p.pair.src],
            "tgt": [j for p in alignment.pairs if not p.pair.src for j in p.pair.tgt],
        },
        "signature": str(alignment.signature),
    }


def write_run(
    out: Path,
    event: Event,
    alignments: list[DocumentAlignment],
    report_html: str | None,
    beads: list[AlignedBead] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write every output of one event's run; returns the run summary (also run.json)."""
    out.mkdir(parents=True, exist_ok=True)
    if beads is None:
        beads = [b for a in alignments for b in records(a)]
    write_beads(out, beads)
    for alignment in alignments:
        atomic_write(out / "beads" / f"{alignment.name}.txt", format_beads(alignment.beads()))
        for index, result in enumerate(alignment.pairs):
            name = f"{alignment.name}.pair{index:03d}.txt"
            atomic_write(out / "beads" / alignment.name / name, format_beads(result.beads))
    for document in event.documents:
        payload = json.dumps(document.to_dict(), ensure_ascii=False)
        atomic_write(out / "documents" / f"{document.id}.json", payload)
    summary = {
        "toolkit": f"interp-align {__version__}",
        "event": event.id,
        "date": event.date,
        "title": event.title,
        "documents": [
            {
                "id": d.id,
                "language": d.language,
                "kind": d.kind,
                "source": d.source,
                "encoding": d.encoding,
            }
            for d in event.documents
        ],
        "pairs": [_pair_summary(a) for a in alignments],
        **(extra or {}),
    }
    atomic_write(out / "run.json", json.dumps(summary, ensure_ascii=False, indent=2))
    if report_html is not None:
        atomic_write(out / "report.html", report_html)
    return summary


ALIGNMENT = "alignment.jsonl"


def alignment_path(run: Path, allow_file: bool = False) -> Path:
    """A run directory's alignment.jsonl (or, with allow_file, the .jsonl itself), checked."""
    run = Path(run)
    if allow_file and run.is_file():
        return run
    if not run.exists():
        raise InputError("run directory does not exist", path=run)
    if not run.is_dir():
        raise InputError(f"not a run directory (expected a folder with {ALIGNMENT})", run)
    path = run / ALIGNMENT
    if not path.is_file():
        raise InputError(f"not a run directory (no {ALIGNMENT})", path=run)
    return path


def _parse(line: str, number: int, path: Path, last: bool, migrate: bool) -> AlignedBead:
    """One line as a bead; every defect is an InputError naming the file and line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        if last and not line.endswith("\n"):
            raise InputError(
                f"line {number}: truncated record (the file ends mid-line; the "
                f"{number - 1} line(s) before it are intact)",
                path=path,
            ) from None
        raise InputError(f"line {number}: not valid JSON ({error.msg})", path=path) from None
    if migrate and isinstance(record, dict) and "schema" not in record:
        record = migrate_v1(record)
    return AlignedBead.from_dict(record, path, number)


def iter_beads(path: Path, migrate: bool = False) -> Iterator[AlignedBead]:
    """The beads of one alignment.jsonl, read lazily (a bad line stops after the good ones).

    With `migrate`, records of the flat schema-1 layout are read as schema 3 (schema 2 always is).
    """
    path = Path(path)
    count = 0
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            line = stream.readline()
            number = 1
            while line:
                following = stream.readline()
                if line.strip():
                    yield _parse(line, number, path, not following, migrate)
                    count += 1
                line, number = following, number + 1
    except UnicodeDecodeError:
        raise InputError(f"not UTF-8 text (after {count} beads)", path=path) from None


def read_beads(run: Path, migrate: bool = False, allow_file: bool = False) -> list[AlignedBead]:
    """Every bead of a run directory (empty list for a run with nothing aligned)."""
    path = alignment_path(run, allow_file)
    beads = list(iter_beads(path, migrate))
    for bead in beads:
        bead.run = str(run)
    return beads


def fingerprint(path: Path) -> str:
    """SHA-256 of an alignment.jsonl, so a review never applies to a different alignment."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_beads(run_dir: Path, beads: Iterable[AlignedBead]) -> Path:
    """Write alignment.jsonl (schema 3) atomically; the one writer of the file."""
    path = Path(run_dir) / ALIGNMENT
    atomic_write(path, "".join(_line(b) + "\n" for b in beads))
    return path


def _line(bead: AlignedBead) -> str:
    """One record as JSON: UTF-8 text, with \\u escapes only where it holds a lone surrogate."""
    line = json.dumps(bead.to_dict(), ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(bead.to_dict())
    return line


def migrate_run(run_dir: Path) -> int:
    """Rewrite a run's alignment.jsonl (schema 1 or 2) in schema 3; the bead count."""
    beads = read_beads(run_dir, migrate=True)
    write_beads(run_dir, beads)
    return len(beads)


def read_documents(run_dir: Path) -> dict[str, Document]:
    """The parsed documents saved in a run directory, by id."""
    folder = Path(run_dir) / "documents"
    return {
        p.stem: Document.from_dict(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.glob("*.json"))
    }
