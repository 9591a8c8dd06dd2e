"""Lexical anchors from a Japanese-English dictionary: a bead term that embeddings miss.

A bead's lexical share is the part of its words that the dictionary links across: Japanese
content words (SudachiPy, scoring/lexical.py) with a gloss word in the English, plus English
words that are a gloss of one of its Japanese words, over all of both. Glosses and English are
keyed as the termbase keys English (stemmed, American spelling); stop words are left out. The
term added to a bead is `weight * (share - mean share of random sentence pairs)`, so it moves
matches against each other, not against skips. Per sentence pair the words hit are cached as
bit masks, so a bead of several sentences costs a few integer ORs.

The dictionary is JMdict through the optional `jamdict` / `jamdict-data` packages (extra
`[lexicon]`; EDRDG licence, CC BY-SA). Measured and dropped (README, the levers table): off by
default, kept so that `scripts/bench_levers.py --levers jmdict=W` reproduces the figures.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from align.errors import InputError

GLOSS_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
PARENTHESES = re.compile(r"\([^)]*\)")
MAX_ENTRIES = 3  # homographs beyond the first few only add noise
RANDOM_PAIRS = 300

Keys = frozenset[str]


def english_keys(text: str) -> list[str]:
    """Keys of the English words of a text, stop words and two-letter words left out."""
    from align.scoring.lexical import EN_STOP
    from align.terms.normalize import english_token_key

    words = (w for w in GLOSS_WORD.findall(text) if len(w) > 2 and w.lower() not in EN_STOP)
    return [english_token_key(w) for w in words]


def gloss_keys(glosses: Sequence[str]) -> Keys:
    """The keys of a word's glosses ("to fly (e.g. a plane)" gives fly)."""
    return frozenset(k for g in glosses for k in english_keys(PARENTHESES.sub(" ", g)))


class Lexicon:
    """Gloss keys per Japanese lemma, from a lookup function, cached per lemma."""

    def __init__(self, lookup: Callable[[str], Sequence[str]], name: str) -> None:
        self.name = name
        self._lookup = lookup
        self._lock = threading.Lock()  # jamdict's SQLite connection is not thread-safe
        self._cache: dict[str, Keys] = {}

    def keys(self, lemma: str) -> Keys:
        """Gloss keys of one lemma; a compound not in the dictionary gets its parts' glosses."""
        if lemma not in self._cache:
            with self._lock:
                found = gloss_keys(self._lookup(lemma))
                if not found:
                    found = frozenset().union(*(gloss_keys(self._lookup(p)) for p in _parts(lemma)))
            self._cache[lemma] = found
        return self._cache[lemma]

    def covered(self, lemmas: Sequence[str]) -> float:
        """Share of the lemmas with at least one gloss (the dictionary's coverage)."""
        return float(np.mean([bool(self.keys(w)) for w in lemmas])) if lemmas else 0.0


def _parts(compound: str) -> list[str]:
    """Dictionary forms of a compound's shortest Sudachi units (more than one, else none)."""
    from align.text.japanese import sudachi

    parts = [m.dictionary_form() for m in sudachi("A").tokenize(compound)]
    return parts if len(parts) > 1 else []


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """JMdict from the optional jamdict-data package (its SQLite file opens on first lookup)."""
    try:
        from jamdict import Jamdict
    except ImportError:
        raise InputError(
            "the JMdict lexicon needs the optional packages: pip install 'interp-align[lexicon]'"
        ) from None
    jam = Jamdict(memory_mode=False)

    def lookup(lemma: str) -> list[str]:
        result = jam.lookup(lemma, strict_lookup=True, lookup_chars=False, lookup_ne=False)
        entries = result.entries[:MAX_ENTRIES]
        return [g.text for e in entries for s in e.senses for g in s.gloss]

    return Lexicon(lookup, "jmdict")


class BeadLexicon:
    """The lexical share of any bead of one document pair (Japanese on one side)."""

    def __init__(self, ja: Sequence[str], en: Sequence[str], lexicon: Lexicon) -> None:
        from align.scoring.lexical import content_words

        self.ja = [[lexicon.keys(w.lemma) for w in content_words(s)] for s in ja]
        self.en = [english_keys(s) for s in en]
        self._masks: dict[tuple[int, int], tuple[int, int]] = {}
        self.offset = 0.0
        if ja and en:
            rng = np.random.default_rng(0)
            rows, cols = (rng.integers(0, len(x), RANDOM_PAIRS) for x in (ja, en))
            shares = [self.share(i, i + 1, j, j + 1) for i, j in zip(rows, cols, strict=True)]
            self.offset = float(np.mean(shares))

    def _mask(self, i: int, j: int) -> tuple[int, int]:
        """Bits of Japanese sentence i's words glossed in English sentence j, and of j's words
        that gloss one of i's words."""
        if (i, j) not in self._masks:
            words, english = self.ja[i], set(self.en[j])
            glossed = frozenset().union(*words)
            ja_bits = sum(1 << k for k, keys in enumerate(words) if keys & english)
            en_bits = sum(1 << k for k, key in enumerate(self.en[j]) if key in glossed)
            self._masks[(i, j)] = (ja_bits, en_bits)
        return self._masks[(i, j)]

    def share(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Linked words over all words of the bead ja[i0:i1] - en[j0:j1] (0 without words)."""
        linked = total = 0
        en_bits = [0] * (j1 - j0)
        for i in range(i0, i1):
            ja_bits = 0
            for j in range(j0, j1):
                a, b = self._mask(i, j)
                ja_bits |= a
                en_bits[j - j0] |= b
            linked += ja_bits.bit_count()
            total += len(self.ja[i])
        linked += sum(b.bit_count() for b in en_bits)
        total += sum(len(self.en[j]) for j in range(j0, j1))
        return linked / total if total else 0.0

    def scores(self, ja_end: np.ndarray, a: int, en_end: np.ndarray, b: int) -> np.ndarray:
        """Centred shares of a-b beads (a Japanese sentences) ending at the given positions."""
        out = np.zeros(len(ja_end), dtype=np.float32)
        for k, (i, j) in enumerate(zip(ja_end.tolist(), en_end.tolist(), strict=True)):
            if i >= a and j >= b and i <= len(self.ja) and j <= len(self.en):
                out[k] = self.share(i - a, i, j - b, j) - self.offset
        return out
