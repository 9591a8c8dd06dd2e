"""Writing and reading run directories: alignment.jsonl, beads/, documents/, run.json, report."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from align import __version__
from align.aligners.evaluate import format_beads
from align.errors import LOW_CONFIDENCE, InputError
from align.ingest.event import Event
from align.model import Document
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
    bead_records: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write every output of one event's run; returns the run summary (also run.json)."""
    out.mkdir(parents=True, exist_ok=True)
    if bead_records is None:
        bead_records = [r for a in alignments for r in records(a)]
    lines = [json.dumps(r, ensure_ascii=False) for r in bead_records]
    atomic_write(out / "alignment.jsonl", "".join(line + "\n" for line in lines))
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


def parse_record(
    line: str, number: int, path: Path, required: Sequence[str] = ()
) -> dict[str, Any]:
    """One line of alignment.jsonl as a record; bad lines are errors naming file and line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"line {number}: not valid JSON ({error.msg})", path=path) from None
    if not isinstance(record, dict):
        raise InputError(f"line {number}: expected a JSON object", path=path)
    missing = [key for key in required if key not in record]
    if missing:
        raise InputError(f"line {number}: missing {', '.join(missing)}", path=path)
    return record


def iter_records(path: Path, required: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Records of one alignment.jsonl, read lazily; blank lines are skipped."""
    number = 0
    try:
        with Path(path).open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):  # noqa: B007 - read in the handler
                if line.strip():
                    yield parse_record(line, number, Path(path), required)
    except UnicodeDecodeError as error:
        raise InputError(f"line {number + 1}: not valid UTF-8 ({error.reason})", path) from None
    except PermissionError:
        raise InputError("permission denied (file not readable)", path) from None


def read_records(run_dir: Path) -> list[dict[str, Any]]:
    """The bead records of a run directory."""
    path = Path(run_dir) / "alignment.jsonl"
    if not path.is_file():
        raise InputError("not a run directory (no alignment.jsonl)", run_dir)
    return list(iter_records(path))


def read_documents(run_dir: Path) -> dict[str, Document]:
    """The parsed documents saved in a run directory, by id."""
    folder = Path(run_dir) / "documents"
    return {
        p.stem: Document.from_dict(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.glob("*.json"))
    }
