"""Find termbase terms in Japanese and English text: one Aho-Corasick automaton per language.

Leftmost-longest, non-overlapping matching resolves nesting the way a reader does: 拡大抑止
is one occurrence of extended deterrence, not also one of deterrence (抑止).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from align.terms.model import Concept, Term, Termbase
from align.terms.normalize import (
    CLOSE,
    EN_TOKEN,
    Keyed,
    english_keyed,
    english_variants,
    japanese_key,
    japanese_keyed,
    token_keys,
)

LANGUAGES = ("ja", "en")


@dataclass(frozen=True)
class Entry:
    """One termbase term that a pattern stands for."""

    concept: Concept
    term: Term


@dataclass(frozen=True)
class Match:
    """A term found in a text; one pattern may stand for terms of several concepts."""

    lang: str
    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...]

    @property
    def concept_ids(self) -> frozenset[str]:
        return frozenset(e.concept.id for e in self.entries)

    def entry_for(self, concept_id: str) -> Entry | None:
        return next((e for e in self.entries if e.concept.id == concept_id), None)


def term_keys(term: Term) -> list[str]:
    """The keys a term is found by; English terms also by their hyphen-split form."""
    if term.lang.startswith("ja"):
        key = japanese_key(term.text)
        return [key] if key else []
    return english_variants(term.text)


def build_patterns(termbase: Termbase, lang: str) -> dict[str, list[Entry]]:
    """Map every key of every term of `lang` to the termbase entries it stands for."""
    patterns: dict[str, list[Entry]] = defaultdict(list)
    for concept in termbase.concepts:
        for term in concept.terms_in(lang):
            for key in term_keys(term):
                if all(e.concept.id != concept.id for e in patterns[key]):
                    patterns[key].append(Entry(concept, term))
                else:  # same key twice in one concept (plural, spelling): keep the better status
                    patterns[key] = [_better(e, Entry(concept, term)) for e in patterns[key]]
    return dict(patterns)


_RANK = {"preferred": 0, "admitted": 1, "superseded": 2, "deprecated": 3}


def _better(old: Entry, new: Entry) -> Entry:
    if old.concept.id != new.concept.id:
        return old
    return new if _RANK[new.term.status] < _RANK[old.term.status] else old


class Matcher:
    """Compiled automata for a termbase; `find(text, lang)` returns matches in text order."""

    def __init__(self, termbase: Termbase) -> None:
        import ahocorasick_rs  # a Rust Aho-Corasick with leftmost-longest semantics built in

        self.termbase = termbase
        self._entries: dict[str, list[tuple[Entry, ...]]] = {}
        self._automata = {}
        self._first_pieces: frozenset[str] = frozenset()
        # cached per token: running text repeats its words
        self._may_start = functools.lru_cache(maxsize=65536)(self._starts_term)
        for lang in LANGUAGES:
            patterns = build_patterns(termbase, lang)
            keys = list(patterns)
            self._entries[lang] = [tuple(patterns[k]) for k in keys]
            if lang == "en":
                self._first_pieces = frozenset(k[: k.index(CLOSE) + 1] for k in keys)
            self._automata[lang] = (
                ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
                if keys
                else None
            )

    def keyed(self, text: str, lang: str) -> Keyed:
        return japanese_keyed(text) if lang == "ja" else english_keyed(text)

    def find(self, text: str, lang: str) -> list[Match]:
        """All non-overlapping, longest-first term occurrences, offsets into `text`."""
        automaton = self._automata.get(lang)
        if automaton is None or not text or (lang == "en" and not self._may_match_en(text)):
            return []
        keyed = self.keyed(text, lang)
        found = []
        for index, k_start, k_end in automaton.find_matches_as_indexes(keyed.key):
            start, end = keyed.span(k_start, k_end)
            found.append(Match(lang, start, end, text[start:end], self._entries[lang][index]))
        return found

    def _may_match_en(self, text: str) -> bool:
        """Whether a term can match: most English texts hold no term, and skipping their offset
        maps is exact. A term key starts with OPEN and ends with CLOSE, and OPEN/CLOSE only
        wrap whole token pieces, so any match starts at a piece of the text's key equal to the
        first piece of a term key; the text's tokens hold every piece of its key (and more)."""
        return any(map(self._may_start, EN_TOKEN.findall(text)))

    def _starts_term(self, token: str) -> bool:
        """Whether a piece of this English token is the first piece of a term key."""
        return any(key in self._first_pieces for key in token_keys(token))

    @property
    def pattern_count(self) -> int:
        return sum(len(v) for v in self._entries.values())
