"""Term flags attached to a run's bead records and to documents that have no counterpart."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from align.model import Document
from align.terms.check import check_pair
from align.terms.document import check_document
from align.terms.load import load_termbase
from align.terms.matcher import Matcher

_FLAG_KEYS = ("kind", "severity", "concept_id", "ja_term", "expected", "found", "reason")


@lru_cache(maxsize=4)
def term_matcher(termbase: Path | None = None) -> Matcher:
    """The matcher for a termbase (the shipped security termbase by default), built once."""
    return Matcher(load_termbase(termbase))


def _brief(flag: Any) -> dict[str, Any]:
    return {key: getattr(flag, key) for key in _FLAG_KEYS}


def annotate_term_flags(records: list[dict[str, Any]], matcher: Matcher) -> None:
    """Add `term_flags` to every record: the Japanese side is checked against the English."""
    for record in records:
        if record["src_lang"] == "ja":
            ja, en = record["src_text"], record["tgt_text"]
        else:
            ja, en = record["tgt_text"], record["src_text"]
        record["term_flags"] = [_brief(f) for f in check_pair(matcher, ja, en)]


def document_term_flags(document: Document, matcher: Matcher) -> list[dict[str, Any]]:
    """Known wrong renderings in a document with no counterpart (interpreted turns only)."""
    flags = []
    for flag in check_document(matcher, document):
        start, end = flag.en_span or flag.ja_span or (0, 0)
        flags.append({**_brief(flag), "speaker": flag.context.get("speaker"), "start": start,
                      "end": end})
    return flags
