"""Pair the term matches of a Japanese segment with those of its English rendering.

Both the per-bead check and the drift tables start from this: for each concept named in the
Japanese, the English terms of that concept, or else the English term that stands in for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from align.terms.matcher import Entry, Match, Matcher


@dataclass(frozen=True)
class ConceptUse:
    """A concept named in the Japanese and what the English did with it."""

    concept_id: str
    ja: Match
    renderings: list[tuple[Match, Entry]]
    stand_in: list[Match]

    @property
    def ja_entry(self) -> Entry:
        return self.ja.entry_for(self.concept_id)


@dataclass(frozen=True)
class Pairing:
    """Concepts of the Japanese, and English terms no Japanese term explains."""

    uses: list[ConceptUse]
    unexplained: list[Match]
    en_matches: list[Match]
    ja_matches: list[Match] = field(default_factory=list)
    has_source: bool = True  # False for an addition bead (0-n): nothing to be added to
    has_target: bool = True  # False for an omission bead (n-0): the aligner reports it

    def concept_ids(self) -> set[str]:
        return {use.concept_id for use in self.uses}

    def leftover(self) -> list[Match]:
        """Unexplained English terms that stand in for nothing: additions or English-only."""
        used = {id(m) for use in self.uses for m in use.stand_in}
        return [m for m in self.unexplained if id(m) not in used]


def _position(match: Match, length: int) -> float:
    return (match.start + match.end) / 2 / max(length, 1)


def assign_stand_ins(
    missing: list[ConceptUse], unexplained: list[Match], ja_length: int, en_length: int
) -> None:
    """Give each unrendered JA concept at most one unexplained English term as its stand-in.

    Beads hold whole sentences, so relative position is the only clue to which English term
    stands in for which Japanese one; closest pairs are taken first, each term used once.
    Word order differs between the languages, so a lone pair is matched however far apart.
    """
    pairs = sorted(
        (abs(_position(use.ja, ja_length) - _position(m, en_length)), i, j)
        for i, use in enumerate(missing)
        for j, m in enumerate(unexplained)
    )
    taken_ja: set[int] = set()
    taken_en: set[int] = set()
    for _, i, j in pairs:
        if i not in taken_ja and j not in taken_en:
            missing[i].stand_in.append(unexplained[j])
            taken_ja.add(i)
            taken_en.add(j)


def pair_matches(
    ja_matches: list[Match], en_matches: list[Match], ja_length: int, en_length: int
) -> Pairing:
    """Group matches by the concepts the Japanese names (first JA occurrence of each)."""
    first: dict[str, Match] = {}
    for match in ja_matches:
        for entry in match.entries:
            first.setdefault(entry.concept.id, match)
    unexplained = [m for m in en_matches if not (m.concept_ids & first.keys())]
    uses = []
    for concept_id, ja in first.items():
        rendered = [(m, m.entry_for(concept_id)) for m in en_matches if concept_id in m.concept_ids]
        uses.append(ConceptUse(concept_id, ja, rendered, []))
    missing = [use for use in uses if not use.renderings]
    assign_stand_ins(missing, unexplained, ja_length, en_length)
    return Pairing(uses, unexplained, en_matches, ja_matches, ja_length > 0, en_length > 0)


@lru_cache(maxsize=2048)
def pair_texts(matcher: Matcher, src_text: str, tgt_text: str) -> Pairing:
    """Match both sides of a segment pair and pair the results.

    Kept for the last beads seen: a run checks each bead twice (its term flags, then its
    terminology signal), and nothing changes a Pairing once built.
    """
    src_text, tgt_text = src_text or "", tgt_text or ""
    return pair_matches(
        matcher.find(src_text, "ja"), matcher.find(tgt_text, "en"), len(src_text), len(tgt_text)
    )
