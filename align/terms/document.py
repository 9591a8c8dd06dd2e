"""Term check of one monolingual document: known wrong terms, in interpreted speech only.

When a transcript marks some turns "(Via interpreter)", only those turns are checked: a
speaker's own English is not a rendering, and "rules-based order" from a U.S. secretary is
not a slip. Without such marks every speech turn is checked.
"""

from __future__ import annotations

from pathlib import Path

from align.model import Document
from align.terms.check import Flag, check_monolingual
from align.terms.matcher import Matcher


def read_plain_document(path: str | Path) -> Document:
    """The toolkit's reader (header, HTML, turns, speakers); kept behind one call to swap."""
    from align.ingest import read_document

    return read_document(path)


def checked_spans(document: Document) -> list[tuple[int, int, str | None]]:
    """(start, end, speaker) of the text to check, with offsets into `document.text`."""
    speech = [t for t in document.turns if t.kind == "speech"] or document.turns
    interpreted = [t for t in speech if t.via_interpreter]
    turns = interpreted or speech
    spans = [(p.start, p.end, t.speaker) for t in turns for p in t.paragraphs]
    return spans or [(0, len(document.text), None)]


def check_document(matcher: Matcher, document: Document) -> list[Flag]:
    """Flags for non-standard terms in the document's checked spans."""
    lang = "ja" if document.language.startswith("ja") else "en"
    flags = []
    for start, end, speaker in checked_spans(document):
        for flag in check_monolingual(matcher, document.text[start:end], lang, offset=start):
            flag.context = {"document": document.id, "date": document.date, "speaker": speaker}
            flags.append(flag)
    return flags
