"""Term checks: per aligned bead (JA source against EN rendering) and per monolingual document.

A bead is fine for a concept when the English holds one of its preferred or admitted terms.
Otherwise the English actually used is reported: a deprecated term of the same concept, or
the term of another concept that stands in for it (法の支配 rendered "rules-based order").
Beads with an empty side are the aligner's omissions and additions: there, only known wrong
English terms are flagged, since there is no rendering to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from align.model import AlignedBead, TermFlag
from align.terms.matcher import Match, Matcher
from align.terms.model import ACCEPTED, CRITICALITIES, NON_STANDARD, Concept, Term
from align.terms.pairing import Pairing, pair_texts

MISSING, WRONG, ADDITION = "missing", "wrong_rendering", "addition"


@dataclass
class Flag:
    """One finding, with everything a reviewer needs to act on it without the termbase open."""

    kind: str
    severity: str
    concept_id: str
    ja_term: str | None
    expected: str | None
    found: str | None
    ja_span: tuple[int, int] | None
    en_span: tuple[int, int] | None
    reason: str
    context: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ja_span"] = list(self.ja_span) if self.ja_span else None
        data["en_span"] = list(self.en_span) if self.en_span else None
        return data

    def to_term_flag(self) -> TermFlag:
        """The bead record's block for this finding, spans kept (context stays with the check)."""
        return TermFlag(
            self.kind, self.severity, self.concept_id, self.ja_term, self.expected, self.found,
            self.reason,
            list(self.ja_span) if self.ja_span else None,
            list(self.en_span) if self.en_span else None,
        )  # fmt: skip


def lower(severity: str) -> str:
    """One level less severe (additions and superseded forms matter less than wrong ones)."""
    return CRITICALITIES[max(0, CRITICALITIES.index(severity) - 1)]


def _severity(concept: Concept, term: Term) -> str:
    """Deprecated renderings weigh the concept's criticality, superseded ones one level less."""
    return concept.criticality if term.status == "deprecated" else lower(concept.criticality)


def acceptable(rendering: Term, source: Term | None) -> bool:
    """Preferred/admitted, or as non-standard as the Japanese it renders (faithful to old usage)."""
    faithful = source is not None and rendering.status == source.status
    return rendering.status in ACCEPTED or faithful


def _expected(concept: Concept) -> str | None:
    term = concept.preferred("en")
    return term.text if term else None


def _ja_name(concept: Concept) -> str:
    term = concept.preferred("ja")
    return term.text if term else concept.id


def _note(term: Term) -> str:
    return f" ({' '.join(term.note.split())})" if term.note else ""


def _wrong_flag(match: Match, concept: Concept, term: Term, ja: Match | None) -> Flag:
    severity = _severity(concept, term)
    source = ja.surface if ja else _ja_name(concept)
    reason = (
        f"{match.surface!r} is a {term.status} rendering of {source}; "
        f"use {_expected(concept)!r}{_note(term)}"
    )
    if ja is None:
        reason += "; no Japanese source term in this segment"
    return Flag(
        WRONG, severity, concept.id, ja.surface if ja else None, _expected(concept), match.surface,
        (ja.start, ja.end) if ja else None, (match.start, match.end), reason,
    )  # fmt: skip


def _missing_flag(concept: Concept, ja: Match, substitutes: list[Match]) -> Flag:
    found = "; ".join(dict.fromkeys(m.surface for m in substitutes)) or None
    used = f"found {found!r} instead" if found else "no known rendering found"
    reason = f"{ja.surface} has no preferred or admitted rendering in the English; {used}"
    span = (substitutes[0].start, substitutes[-1].end) if substitutes else None
    return Flag(
        MISSING, concept.criticality, concept.id, ja.surface, _expected(concept), found,
        (ja.start, ja.end), span, reason,
    )  # fmt: skip


def _addition_flag(match: Match, concept: Concept) -> Flag:
    reason = f"{match.surface!r} ({concept.id}) has no Japanese source term in this segment"
    return Flag(
        ADDITION, lower(concept.criticality), concept.id, None, _expected(concept), match.surface,
        None, (match.start, match.end), reason,
    )  # fmt: skip


def check_pair(matcher: Matcher, src_text: str, tgt_text: str) -> list[Flag]:
    """Flags for one Japanese source segment and its English rendering."""
    return flags_for(pair_texts(matcher, src_text, tgt_text))


def flags_for(pairing: Pairing) -> list[Flag]:
    """Missing, wrong and added renderings of a paired segment (see module docstring)."""
    flags: list[Flag] = []
    ja_by_concept = {use.concept_id: use.ja for use in pairing.uses}
    for use in pairing.uses if pairing.has_target else []:
        if not use.renderings:  # deprecated renderings are flagged below, with the JA term
            flags.append(_missing_flag(use.ja_entry.concept, use.ja, use.stand_in))
    stand_ins = {id(m) for use in pairing.uses for m in use.stand_in}
    for match in pairing.en_matches:
        flags.extend(_english_flags(match, ja_by_concept, stand_ins, pairing.has_source))
    return flags


def _english_flags(
    match: Match, ja_by_concept: Mapping[str, Match], stand_ins: set[int], ja_source: bool
) -> list[Flag]:
    related = [e for e in match.entries if e.concept.id in ja_by_concept]
    if related:
        flags = []
        for entry in related:
            ja = ja_by_concept[entry.concept.id]
            if not acceptable(entry.term, ja.entry_for(entry.concept.id).term):
                flags.append(_wrong_flag(match, entry.concept, entry.term, ja))
        return flags
    wrong = [e for e in match.entries if e.term.status in NON_STANDARD]
    if wrong:
        return [_wrong_flag(match, e.concept, e.term, None) for e in wrong]
    if id(match) in stand_ins or not ja_source:
        return []
    return [_addition_flag(match, match.entries[0].concept)]


def _context(bead: AlignedBead) -> dict[str, Any]:
    """Where a flag was found, for reports that list flags without their beads."""
    return {
        "event": bead.event, "date": bead.date, "bead_index": bead.bead_index,
        "src_ids": bead.src_ids, "tgt_ids": bead.tgt_ids, "src_speaker": bead.src_speaker,
        "tgt_speaker": bead.tgt_speaker,
    }  # fmt: skip


def check_beads(matcher: Matcher, beads: Iterable[AlignedBead]) -> list[Flag]:
    """Check every bead of an alignment."""
    flags = []
    for bead in beads:
        context = _context(bead)
        for flag in check_pair(matcher, bead.src_text, bead.tgt_text):
            flag.context = context
            flags.append(flag)
    return flags


def check_monolingual(matcher: Matcher, text: str, lang: str, offset: int = 0) -> list[Flag]:
    """With no counterpart available, only known non-standard terms can be flagged."""
    flags = []
    for match in matcher.find(text, lang):
        for entry in (e for e in match.entries if e.term.status in NON_STANDARD):
            concept, term = entry.concept, entry.term
            preferred = concept.preferred(lang)
            expected = preferred.text if preferred else None
            span = (match.start + offset, match.end + offset)
            severity = _severity(concept, term)
            reason = (
                f"{match.surface!r} is a {term.status} term for {_ja_name(concept)}; "
                f"use {expected!r}{_note(term)}"
            )
            ja_term, ja_span, en_span = (
                (match.surface, span, None) if lang == "ja" else (None, None, span)
            )
            flags.append(
                Flag(WRONG, severity, concept.id, ja_term, expected, match.surface, ja_span,
                     en_span, reason)
            )  # fmt: skip
    return flags
