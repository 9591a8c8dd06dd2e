"""What one batch event is, as a small picklable value that any worker process can load."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.ingest.event import Event, load_event
from align.textfile import read_bytes

KINDS = ("original", "interpretation", "translation")


@dataclass(frozen=True)
class DocSpec:
    """One document of an event: a local file, or an address that `fetch` turns into one."""

    path: str | None = None
    url: str | None = None
    language: str | None = None
    kind: str | None = None
    source: str | None = None
    id: str | None = None
    note: str | None = None

    @classmethod
    def located(cls, entry: Any, path: str | None) -> DocSpec:
        """A document entry (config or spec) at a local path, its address kept as the source."""
        return cls(
            path=path, url=entry.url, language=entry.language, kind=entry.kind,
            source=entry.source or entry.url, id=entry.id, note=entry.note,
        )  # fmt: skip


@dataclass(frozen=True)
class EventSpec:
    """An event folder (event.yaml) or a list of documents with the event's metadata."""

    id: str
    origin: str
    folder: str | None = None
    date: str | None = None
    title: str | None = None
    licence: str | None = None
    documents: tuple[DocSpec, ...] = ()

    @property
    def urls(self) -> list[str]:
        """Addresses still to be fetched before the event can be read."""
        return [d.url for d in self.documents if d.url and not d.path]

    def with_documents(self, documents: tuple[DocSpec, ...]) -> EventSpec:
        """The same event with its documents replaced (after fetching)."""
        return replace(self, documents=documents)


def check_event_id(event_id: str, origin: str) -> str:
    """Event ids name output folders: refuse ones that would escape or hide them."""
    bad = not event_id.strip() or event_id.startswith(".") or any(c in event_id for c in "/\\\0")
    if bad:
        raise InputError(f"bad event id {event_id!r} (it names an output folder)", origin)
    return event_id


def load(spec: EventSpec) -> Event:
    """Read the event's documents; every failure is an InputError naming the file."""
    if spec.folder:
        return load_event(spec.folder)
    if spec.urls:
        raise InputError("documents not fetched yet", spec.urls[0])
    from align.ingest import read_document

    documents = []
    for doc in spec.documents:
        document = read_document(doc.path, language=doc.language, kind=doc.kind, doc_id=doc.id)
        document.source = doc.source or doc.url or document.source
        document.licence = spec.licence
        document.date = spec.date or document.date
        document.note = doc.note or document.note
        documents.append(document)
    return Event(spec.id, spec.date, spec.title, spec.licence, documents)


def input_digest(spec: EventSpec) -> str:
    """A hash of everything the event's outputs depend on: its metadata and its files' bytes."""
    metadata = {k: v for k, v in asdict(spec).items() if k != "origin"}  # a moved line is no change
    digest = hashlib.sha256(json.dumps(metadata, sort_keys=True).encode("utf-8"))
    for path in _input_files(spec):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(read_bytes(path))  # refuses a FIFO or device, which would block
    return digest.hexdigest()[:20]


def _input_files(spec: EventSpec) -> list[Path]:
    """Every file under an event folder, or the event's listed documents, in a stable order."""
    if spec.folder:
        folder = Path(spec.folder)
        if not folder.is_dir():
            raise InputError("event folder not found", folder)
        return sorted(p for p in folder.rglob("*") if p.is_file())
    return [Path(d.path) for d in spec.documents if d.path]
