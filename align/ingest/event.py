"""Event folders: `event.yaml` plus the documents of one meeting or release."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.ingest import read_document
from align.model import Document
from align.textfile import check_name
from align.yamlfile import load_mapping

_EVENT_KEYS = {"date", "title", "licence", "documents", "gold", "note", "pairs"}
_DOCUMENT_KEYS = {"file", "language", "kind", "source", "note", "speaker", "id"}
_KINDS = {"original", "interpretation", "translation"}


@dataclass
class GoldRef:
    """A hand-checked alignment file for one document pair of the event."""

    src: str
    tgt: str
    path: Path


@dataclass
class Event:
    """One event: its metadata and its parsed documents."""

    id: str
    date: str | None
    title: str | None
    licence: str | None
    documents: list[Document]
    gold: list[GoldRef] = field(default_factory=list)
    folder: Path | None = None

    def document(self, doc_id: str) -> Document:
        for document in self.documents:
            if document.id == doc_id:
                return document
        raise InputError(f"event has no document {doc_id!r}", self.folder)


def _check_keys(data: dict, allowed: set[str], path: Path, what: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} in {what}", path)


def load_event(folder: str | Path) -> Event:
    """Read event.yaml and every document it lists; unknown keys are errors."""
    folder = Path(folder)
    check_name(folder, "event folder name")
    if not folder.is_dir():
        raise InputError("event folder not found", folder)
    check_name(folder.resolve(), "event folder name")
    meta_path = folder / "event.yaml"
    data = load_mapping(meta_path, "event.yaml")
    _check_keys(data, _EVENT_KEYS, meta_path, "event.yaml")
    entries = data.get("documents") or []
    if not isinstance(entries, list) or not entries:
        raise InputError("event.yaml lists no documents (expected a list)", meta_path)
    data["date"] = _date(data.get("date"), meta_path)
    documents = [_load_document(folder, entry, data, meta_path) for entry in entries]
    gold = _gold(folder, data.get("gold"), documents, meta_path)
    date = data["date"]
    return Event(folder.name, date, data.get("title"), data.get("licence"), documents, gold, folder)


def _date(value: object, meta_path: Path) -> str | None:
    """An ISO date (YAML may already have made it a date); an impossible one is an error."""
    if value is None or value == "":
        return None
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError(f"date {value!r} is not a valid YYYY-MM-DD date", meta_path) from None


def _file_name(entry: dict, meta_path: Path, what: str) -> str:
    name = entry.get("file")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"each {what} needs a 'file' (a file name)", meta_path)
    return name


def _gold(folder: Path, entries: object, documents: list[Document], meta_path: Path) -> list:
    """The gold entries, checked: known documents, an existing file, indices in range."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise InputError("'gold' must be a list of {src, tgt, file} entries", meta_path)
    sizes = {d.id: len(d.sentences) for d in documents}
    gold = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise InputError("each gold entry must be a mapping with src, tgt, file", meta_path)
        _check_keys(entry, {"src", "tgt", "file", "note"}, meta_path, "a gold entry")
        name = _file_name(entry, meta_path, "gold entry")
        for side in ("src", "tgt"):
            if entry.get(side) not in sizes:
                raise InputError(
                    f"gold entry {name}: {side} {entry.get(side)!r} is not a document of the "
                    f"event (documents: {', '.join(sizes)})",
                    meta_path,
                )
        path = folder / name
        if not path.is_file():
            raise InputError(f"gold file {name} not found", meta_path)
        _check_gold_range(path, sizes[entry["src"]], sizes[entry["tgt"]])
        gold.append(GoldRef(entry["src"], entry["tgt"], path))
    return gold


def _check_gold_range(path: Path, src_size: int, tgt_size: int) -> None:
    """Every sentence number in a gold file must exist in its documents."""
    from align.aligners.evaluate import read_alignments

    for number, (src, tgt) in enumerate(read_alignments(path), start=1):
        for side, indices, size in (("source", src, src_size), ("target", tgt, tgt_size)):
            if indices and max(indices) >= size:
                raise InputError(
                    f"bead {number}: {side} sentence {max(indices)} is out of range "
                    f"(the document has {size} sentences)",
                    path,
                )


def _load_document(folder: Path, entry: dict, event: dict, meta_path: Path) -> Document:
    if not isinstance(entry, dict):
        raise InputError("each document must be a mapping with a 'file'", meta_path)
    name = _file_name(entry, meta_path, "document")
    _check_keys(entry, _DOCUMENT_KEYS, meta_path, f"document {name}")
    kind = entry.get("kind")
    if kind is not None and kind not in _KINDS:
        raise InputError(f"unknown kind {kind!r} (use one of {sorted(_KINDS)})", meta_path)
    document = read_document(
        folder / name, language=entry.get("language"), kind=kind, doc_id=entry.get("id")
    )
    document.source = entry.get("source") or document.source
    document.licence = event.get("licence")
    document.date = event.get("date") or document.date
    return document


def documents_as_event(paths: list[Path]) -> Event:
    """Two loose files given on the command line, treated as a one-off event."""
    documents = [read_document(p) for p in paths]
    source, rendering = documents[0], documents[-1]
    source.kind = "original"  # the first file given is the original, the second its rendering
    if rendering.kind == "original":
        interpreted = any(t.via_interpreter for t in rendering.turns)
        rendering.kind = "interpretation" if interpreted else "translation"
    dates = [d.date for d in documents if d.date]
    name = "__".join(d.id for d in documents)
    return Event(name, dates[0] if dates else None, None, None, documents)
