"""Manifest CSV: one row per document pair (original and its rendering) with the event's metadata.

Columns (header row required; unknown columns are errors):
  event (required)  the event id, also the output folder name; rows sharing it form one event
  src, tgt (required)  file paths relative to the manifest, or http(s) addresses to fetch
  date, title, licence  event metadata (the first non-empty value per event wins)
  src_lang, tgt_lang  language codes (detected from the text when empty)
  src_kind, tgt_kind  original | interpretation | translation (default original, translation)
  src_id, tgt_id, src_source, tgt_source, note  document ids, source addresses, a free note
"""

from __future__ import annotations

import csv
from pathlib import Path

from align.batch.spec import KINDS, DocSpec, EventSpec, check_event_id
from align.errors import InputError
from align.textfile import read_utf8

REQUIRED = ("event", "src", "tgt")
OPTIONAL = (
    "date", "title", "licence", "note", "src_lang", "tgt_lang", "src_kind", "tgt_kind",
    "src_id", "tgt_id", "src_source", "tgt_source",
)  # fmt: skip
DEFAULT_KINDS = {"src": "original", "tgt": "translation"}


def is_url(value: str) -> bool:
    """True for an address the fetcher can download."""
    return value.lower().startswith(("http://", "https://"))


def read_manifest(path: Path) -> list[EventSpec]:
    """The events a manifest lists, in first-appearance order; errors name the file and line."""
    try:
        rows = _rows(path)
    except csv.Error as error:  # e.g. a field over the csv module's 128 KB limit
        raise InputError(f"malformed CSV ({error})", path) from None
    events: dict[str, dict] = {}
    for line, row in rows:
        where = f"{path}:{line}"
        event_id = check_event_id(row["event"], where)
        entry = events.setdefault(event_id, {"origin": where, "meta": {}, "docs": []})
        for key in ("date", "title", "licence"):
            entry["meta"][key] = entry["meta"].get(key) or row.get(key) or None
        for side in ("src", "tgt"):
            document = _document(row, side, path.parent, path, line)
            if document not in entry["docs"]:
                entry["docs"].append(document)
    return [
        EventSpec(event_id, e["origin"], documents=tuple(e["docs"]), **e["meta"])
        for event_id, e in events.items()
    ]


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers, after checking the header."""
    reader = csv.DictReader(read_utf8(path, "manifest file").splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(f"unknown column {unknown[0]!r} in manifest", path)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(f"manifest has no {missing[0]!r} column", path)
    rows = []
    for row in reader:
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(clean.values()):
            continue
        for name in REQUIRED:
            if not clean.get(name):
                raise InputError(f"line {reader.line_num}: empty {name!r}", path)
        rows.append((reader.line_num, clean))
    if not rows:
        raise InputError("manifest lists no document pairs", path)
    return rows


def _document(row: dict[str, str], side: str, base: Path, path: Path, line: int) -> DocSpec:
    """One side of a row as a document: a local file (must exist) or an address."""
    kind = row.get(f"{side}_kind") or DEFAULT_KINDS[side]
    if kind not in KINDS:
        raise InputError(f"line {line}: unknown {side}_kind {kind!r} (use one of {KINDS})", path)
    value = row[side]
    common = {
        "language": row.get(f"{side}_lang") or None,
        "kind": kind,
        "id": row.get(f"{side}_id") or None,
        "note": row.get("note") or None,
    }
    if is_url(value):
        return DocSpec(url=value, source=row.get(f"{side}_source") or value, **common)
    try:
        file = (base / value).resolve()
        found = file.is_file()
    except (OSError, ValueError) as error:  # a NUL byte, a name too long for the system
        raise InputError(
            f"line {line}: unusable file name {value[:80]!r} ({error})", path
        ) from None
    if not found:
        raise InputError(f"line {line}: document file not found: {file}", path)
    return DocSpec(path=str(file), source=row.get(f"{side}_source") or None, **common)
