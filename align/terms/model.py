"""Termbase data: concepts with every term of every language, its status and the concept's weight.

TBX and CSV readers both build these objects and both call `validate`, so a termbase behaves
the same whichever format it was edited in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from align.errors import InputError
from align.text.lang import base_language

STATUSES = ("preferred", "admitted", "deprecated", "superseded")
ACCEPTED = frozenset({"preferred", "admitted"})
NON_STANDARD = frozenset({"deprecated", "superseded"})
CRITICALITIES = ("low", "medium", "high")
DEFAULT_CRITICALITY = "medium"
TBX_STATUS_SUFFIX = "Term-admn-sts"


def parse_status(value: str | None, path: str | None = None, line: int | None = None) -> str:
    """Accept `preferred` or `preferredTerm-admn-sts` (TBX-Basic picklist); refuse anything else."""
    if value is None or not value.strip():
        return "admitted"
    text = value.strip()
    short = text[: -len(TBX_STATUS_SUFFIX)] if text.endswith(TBX_STATUS_SUFFIX) else text
    if short not in STATUSES:
        where = f"line {line}: " if line else ""
        allowed = ", ".join(f"{s}{TBX_STATUS_SUFFIX}" for s in STATUSES)
        message = f"{where}unknown administrative status {text!r} (allowed: {allowed})"
        raise InputError(message, path)
    return short


def parse_criticality(value: str | None, path: str | None = None, line: int | None = None) -> str:
    """Criticality drives flag severity; an unknown value is an error, a missing one is medium."""
    if value is None or not value.strip():
        return DEFAULT_CRITICALITY
    text = value.strip().lower()
    if text not in CRITICALITIES:
        where = f"line {line}: " if line else ""
        raise InputError(f"{where}unknown criticality {value!r} (allowed: low, medium, high)", path)
    return text


def tbx_status(status: str) -> str:
    """The TBX-Basic picklist value of a short status."""
    return f"{status}{TBX_STATUS_SUFFIX}"


@dataclass(frozen=True)
class Term:
    """One rendering of a concept in one language."""

    text: str
    lang: str
    status: str = "admitted"
    source: str = ""
    note: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass
class Concept:
    """A concept entry: its terms in every language, its criticality and where it comes from."""

    id: str
    terms: list[Term]
    criticality: str = DEFAULT_CRITICALITY
    subject: str = ""
    definition: str = ""
    note: str = ""
    line: int | None = field(default=None, compare=False)

    def terms_in(self, lang: str) -> list[Term]:
        return [t for t in self.terms if base_language(t.lang) == lang]

    def preferred(self, lang: str) -> Term | None:
        """The preferred term of a language (the first one if several), else the first term."""
        terms = self.terms_in(lang)
        best = [t for t in terms if t.status == "preferred"]
        return (best or terms or [None])[0]


@dataclass
class Termbase:
    """Concepts in file order, plus the warnings validation raised and the file they came from."""

    concepts: list[Concept]
    title: str = ""
    description: str = ""
    path: str | None = field(default=None, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)

    def concept(self, concept_id: str) -> Concept:
        return self._by_id()[concept_id]

    def to_pandas(self) -> Any:
        """One row per term, in the CSV layout (concept_id, criticality, …, lang, term, status)."""
        import pandas as pd

        from align.terms.csvio import COLUMNS, term_rows

        return pd.DataFrame(list(term_rows(self)), columns=list(COLUMNS))

    def _by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}


def _where(line: int | None) -> str:
    return f"line {line}: " if line else ""


def validate(termbase: Termbase) -> Termbase:
    """Raise on what breaks matching (no concepts, duplicate ids, no Japanese); warn on the rest."""
    path = termbase.path
    if not termbase.concepts:
        raise InputError("termbase has no concepts", path)
    seen: dict[str, Concept] = {}
    for concept in termbase.concepts:
        if not concept.id:
            raise InputError(f"{_where(concept.line)}concept without an id", path)
        if concept.id in seen:
            first = seen[concept.id].line
            raise InputError(
                f"{_where(concept.line)}duplicate concept id {concept.id!r}"
                + (f" (first at line {first})" if first else ""),
                path,
            )
        seen[concept.id] = concept
        if not concept.terms_in("ja"):
            message = f"{_where(concept.line)}concept {concept.id!r} has no Japanese term"
            raise InputError(message, path)
        if not any(t.status == "preferred" for t in concept.terms_in("en")):
            termbase.warnings.append(f"concept {concept.id!r} has no preferred English term")
    termbase.warnings.extend(_conflicting_renderings(termbase))
    return termbase


def _conflicting_renderings(termbase: Termbase) -> list[str]:
    """An English rendering accepted for one concept but deprecated for another is ambiguous."""
    from align.terms.normalize import english_variants  # the matcher's keys: variants meet

    uses: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for concept in termbase.concepts:
        for term in concept.terms_in("en"):
            for key in english_variants(term.text):
                uses[key].append((concept.id, term))
    warnings: dict[str, None] = {}  # ordered set: a pair met under two keys is warned once
    for entries in uses.values():
        good = [(cid, t) for cid, t in entries if t.status in ACCEPTED]
        bad = [(cid, t) for cid, t in entries if t.status in NON_STANDARD]
        for cid_good, t_good in good:
            for cid_bad, t_bad in bad:
                if cid_good != cid_bad:
                    warnings[
                        f"{_where(t_bad.line)}English rendering {t_bad.text!r} is "
                        f"{t_bad.status} for concept {cid_bad!r} but {t_good.status} "
                        f"({t_good.text!r}) for {cid_good!r}"
                    ] = None
    return list(warnings)
