"""Term flags attached to a run's bead records and to documents that have no counterpart."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from align.model import AlignedBead, Document, TermFlag
from align.terms.check import Flag, check_pair
from align.terms.document import check_document
from align.terms.load import load_termbase
from align.terms.matcher import Matcher

_FLAG_KEYS = ("kind", "severity", "concept_id", "ja_term", "expected", "found", "reason")


@lru_cache(maxsize=4)
def term_matcher(termbase: Path | None = None) -> Matcher:
    """The matcher for a termbase (the shipped security termbase by default), built once."""
    return Matcher(load_termbase(termbase))


def _brief(flag: Flag) -> dict[str, Any]:
    return {key: getattr(flag, key) for key in _FLAG_KEYS}


def term_flags(bead: AlignedBead, matcher: Matcher) -> list[TermFlag]:
    """The bead's term flags: the Japanese side checked against the English."""
    return [f.to_term_flag() for f in check_pair(matcher, *bead.ja_en())]


def annotate_term_flags(beads: list[AlignedBead], matcher: Matcher) -> list[AlignedBead]:
    """Copies of the beads carrying their term flags."""
    return [replace(bead, term_flags=term_flags(bead, matcher)) for bead in beads]


def document_term_flags(document: Document, matcher: Matcher) -> list[dict[str, Any]]:
    """Known wrong renderings in a document with no counterpart (interpreted turns only)."""
    flags = []
    for flag in check_document(matcher, document):
        start, end = flag.en_span or flag.ja_span or (0, 0)
        flags.append(
            {**_brief(flag), "speaker": flag.context.get("speaker"), "start": start, "end": end}
        )
    return flags
