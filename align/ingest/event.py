"""Event folders: `event.yaml` plus the documents of one meeting or release."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.ingest import read_document
from align.model import Document
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
    if not folder.is_dir():
        raise InputError("event folder not found", folder)
    meta_path = folder / "event.yaml"
    data = load_mapping(meta_path, "event.yaml")
    _check_keys(data, _EVENT_KEYS, meta_path, "event.yaml")
    entries = data.get("documents") or []
    if not entries:
        raise InputError("event.yaml lists no documents", meta_path)
    documents = [_load_document(folder, entry, data, meta_path) for entry in entries]
    gold = [
        GoldRef(g["src"], g["tgt"], folder / g["file"])
        for g in data.get("gold") or []
        if (folder / g["file"]).is_file()
    ]
    date = str(data["date"]) if data.get("date") else None
    return Event(folder.name, date, data.get("title"), data.get("licence"), documents, gold, folder)


def _load_document(folder: Path, entry: dict, event: dict, meta_path: Path) -> Document:
    if not isinstance(entry, dict) or "file" not in entry:
        raise InputError("each document needs a 'file'", meta_path)
    _check_keys(entry, _DOCUMENT_KEYS, meta_path, f"document {entry['file']}")
    kind = entry.get("kind")
    if kind is not None and kind not in _KINDS:
        raise InputError(f"unknown kind {kind!r} (use one of {sorted(_KINDS)})", meta_path)
    document = read_document(
        folder / entry["file"], language=entry.get("language"), kind=kind, doc_id=entry.get("id")
    )
    document.source = entry.get("source") or document.source
    document.licence = event.get("licence")
    document.date = str(event["date"]) if event.get("date") else document.date
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
