"""Read a transcript or release (text or HTML, any common encoding) into a Document.

The reader is chosen by content, never by file name: HTML is detected by its markup, the
language by its script, and the speaker-label style by the labels themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from align.errors import InputError
from align.ingest.boilerplate import drop_boilerplate
from align.ingest.decode import decode, read_bytes
from align.ingest.header import kind_from_lang_field, language_from_lang_field, parse_header
from align.ingest.html import extract_main_text, looks_like_html
from align.ingest.speakers import Registry, default_registry
from align.ingest.turns import split_turns
from align.model import Document
from align.text.dates import find_date
from align.textfile import check_name, check_regular

__all__ = ["read_document", "parse_text", "detect_language"]

_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN_CHAR = re.compile(r"[A-Za-z]")
_MAX_BYTES = 200 * 1024 * 1024


def detect_language(text: str) -> str:
    """'ja' when Japanese script makes up a fair share of the letters, else 'en'."""
    sample = text[:50000]
    japanese = len(_JAPANESE_CHAR.findall(sample))
    latin = len(_LATIN_CHAR.findall(sample))
    return "ja" if japanese and japanese * 3 >= latin * 0.5 else "en"


def read_document(
    path: str | Path,
    *,
    registry: Registry | None = None,
    language: str | None = None,
    kind: str | None = None,
    doc_id: str | None = None,
) -> Document:
    """Decode, extract and parse one file; every failure is an InputError naming the file."""
    path = Path(path)
    check_name(path)
    if check_regular(path).st_size > _MAX_BYTES:
        raise InputError(f"file is larger than {_MAX_BYTES // 2**20} MB", path)
    text, encoding = decode(read_bytes(path), path)
    document = parse_text(
        text,
        doc_id=doc_id or path.stem,
        registry=registry,
        language=language,
        kind=kind,
        origin=path,
    )
    document.path, document.encoding = str(path), encoding
    return document


def parse_text(
    text: str,
    *,
    doc_id: str = "document",
    registry: Registry | None = None,
    language: str | None = None,
    kind: str | None = None,
    origin: str | Path = "<text>",
) -> Document:
    """Parse already-decoded text (plain or HTML) into a Document with turns and sentences."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    header = parse_header(text)
    body = text[header.body_start :]
    title, date = header.fields.get("title"), _header_date(header.fields.get("date"))
    if looks_like_html(body):
        page = extract_main_text(body)
        body, title, date = page.text, title or page.title, date or page.date
    body = drop_boilerplate(body).strip("\n")
    if not body.strip():
        raise InputError("no text found (empty document after extraction)", origin)
    lang_field = header.fields.get("lang", "")
    language = language or language_from_lang_field(lang_field) or detect_language(body)
    turns = split_turns(body, language, registry or default_registry())
    if not any(t.sentences for t in turns):
        raise InputError("no sentences found in the document", origin)
    title = title or _first_line_title(body)
    return Document(
        id=doc_id,
        language=language,
        kind=kind or kind_from_lang_field(lang_field) or _infer_kind(turns),  # type: ignore[arg-type]
        text=body,
        turns=turns,
        date=date or find_date(body[:3000]),
        title=title,
        source=header.fields.get("source"),
        licence=None,
        note=header.fields.get("note"),
    )


def _header_date(value: str | None) -> str | None:
    return find_date(value) if value else None


def _first_line_title(body: str) -> str | None:
    first = body.strip().split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 150 and not first.endswith((".", "。")) else None


def _infer_kind(turns: list) -> str:
    """Any interpreted turn makes the document an interpretation."""
    return "interpretation" if any(t.via_interpreter for t in turns) else "original"
