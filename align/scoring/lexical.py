"""Word-level coverage of the Japanese: the longest run of content words the English lacks.

Clause embeddings blur a dropped phrase inside a long clause; words do not. Each Japanese
content word (SudachiPy, split mode C: nouns, verbs, adjectives, adverbs; numerals, counters
and light words such as する or こと left out) is compared by cosine with every English word
and adjacent word pair of the bead, with the same embedder as the beads (USE handles single
words across languages well enough: 危機 ~ "crises" 0.85). Names, Latin-script words and
numbers are decided by their anchors (anchors.py) and termbase terms by the termbase pairing,
since the embedder knows neither transliterations nor abbreviations (国家安全保障戦略 ~ "NSS").

A word counts as covered when its best match beats `cover` (stats.json: the 90th percentile
of best matches against the English of *unrelated* Tanaka dev pairs). The longest run of
consecutive uncovered words locates a candidate omission; `rest` (uncovered words outside it)
tells a terse rewrite, whose misses are scattered, from one dropped phrase; and the length
z of the bead recomputed without the run's span (features.py) tells whether the English is
as long as the rest of the Japanese warrants (the span was dropped), longer (it was rendered
after all) or still much shorter (a rewrite that lost more than one phrase).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from align.embed.base import Pieces
from align.scoring.anchors import Anchor, editorial_spans
from align.scoring.vectors import VectorBank
from align.text.japanese import ChunkedTokenizer, sudachi

CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞")
SKIP_POS2 = ("非自立可能", "数詞", "代名詞")  # こと/ため-like nouns, numerals, pronouns
# Function-like lemmas whose rendering, if any, is grammar rather than a word.
LIGHT_WORDS = frozenset({
    "する", "ある", "いる", "なる", "行う", "こと", "もの", "ため", "旨", "等", "方",
    "上", "中", "下", "よう", "所", "為", "これ", "それ", "こう", "そう", "今回", "今般",
    "おる", "致す", "参る", "思う", "考える", "述べる", "以下", "とおり", "ところ",
})  # fmt: skip
EN_STOP = frozenset({
    "the", "a", "an", "of", "to", "and", "in", "on", "for", "with", "by", "as", "at", "from",
    "that", "this", "is", "are", "be", "will", "was", "were", "has", "have", "its", "it",
    "their", "our", "we", "i", "which", "who",
})  # fmt: skip
DEFAULT_COVER = 0.6


@dataclass(frozen=True)
class Word:
    """One Japanese content word: its text, its dictionary form (embedded) and its span."""

    surface: str
    lemma: str
    start: int
    end: int


@dataclass
class LexicalGap:
    """Word coverage of one bead's Japanese and its longest uncovered run."""

    words: list[Word]
    scores: list[float]
    run: tuple[int, int] = (0, 0)  # word indices [i, j) of the longest uncovered run
    span: tuple[int, int] = (0, 0)  # its character span in the Japanese
    uncovered: float = 0.0  # share of content words not covered
    cover: float = DEFAULT_COVER

    @property
    def length(self) -> int:
        return self.run[1] - self.run[0]

    @property
    def rest(self) -> float:
        """Share of uncovered words outside the run: high when the whole bead is reworded."""
        outside = self.scores[: self.run[0]] + self.scores[self.run[1] :]
        return float(np.mean([s < self.cover for s in outside])) if outside else 0.0

    def text(self, ja: str) -> str:
        return ja[self.span[0] : self.span[1]]


def _tokenizer() -> ChunkedTokenizer:
    """SudachiPy in its longest split, one tokenizer per thread."""
    return sudachi("C")


def _content(morpheme: Any) -> bool:
    pos, lemma = morpheme.part_of_speech(), morpheme.dictionary_form()
    if pos[0] not in CONTENT_POS or pos[1] in SKIP_POS2 or pos[2] == "助数詞可能":
        return False
    return lemma not in LIGHT_WORDS and not re.fullmatch(r"[\W\d_]+", morpheme.surface())


def _noun(morpheme: Any) -> bool:
    return morpheme.part_of_speech()[0] == "名詞"


def content_words(ja: str) -> list[Word]:
    """The content words of a Japanese text, in order; adjacent nouns form one compound.

    Sudachi splits 安全保障環境 into 安全/保障/環境, each a poor match for "security
    environment" on its own; the compound matches the English word pair. Words inside round
    brackets are editorial notes (私(上川大臣)) that translations leave out: not counted.
    """
    notes = editorial_spans(ja)
    out: list[Word] = []
    previous = None
    for morpheme in _tokenizer().tokenize(ja):
        inside = any(a <= morpheme.begin() < b for a, b in notes)
        if inside or not _content(morpheme):
            previous = None
            continue
        word = Word(
            morpheme.surface(), morpheme.dictionary_form(), morpheme.begin(), morpheme.end()
        )
        glued = previous is not None and out[-1].end == word.start
        if glued and _noun(previous) and _noun(morpheme):
            joined = out[-1].surface + word.surface
            out[-1] = Word(joined, joined, out[-1].start, word.end)
        else:
            out.append(word)
        previous = morpheme
    return out


def english_pieces(en: str) -> Pieces:
    """English words (stop words left out) and every adjacent pair of words, as pieces of the
    English (vectors.py: pooled from one pass over its words where the embedder can)."""
    words = re.findall(r"[A-Za-z][A-Za-z\-’']*", en)
    singles = [(i,) for i, w in enumerate(words) if w.lower() not in EN_STOP]
    pairs = [(i, i + 1) for i in range(len(words) - 1)]
    members = singles + pairs
    texts = [" ".join(words[i] for i in m) for m in members]
    return Pieces(tuple(words), tuple(members), tuple(texts))


def english_units(en: str) -> list[str]:
    """English words (stop words left out) and every adjacent pair of words."""
    return list(english_pieces(en).texts)


def prepare(ja: str, en: str) -> tuple[list[Word], list[str]]:
    """The words and English units of one bead (ask the bank for their texts)."""
    return content_words(ja), english_units(en)


def request(bank: VectorBank, en: str, words: list[Word]) -> None:
    """Ask the bank for one bead's word lemmas (embedded) and English units (pieces of `en`)."""
    bank.want([w.lemma for w in words])
    bank.want_pieces(("words", en), english_pieces(en))


def wanted(words: list[Word], units: list[str]) -> Iterable[str]:
    """The texts an exact embedder embeds for one bead: word lemmas and English units."""
    return [w.lemma for w in words] + units


def best_matches(
    words: list[str], units: list[str], vectors: Any, unit_vectors: Any = None
) -> np.ndarray:
    """Each word's best cosine against the units (`vectors` maps text -> unit vector;
    `unit_vectors`, where given, maps the units)."""
    if not words or not units:
        return np.zeros(len(words))
    left = np.array([vectors(w) for w in words])
    right = np.array([(unit_vectors or vectors)(u) for u in units])
    return (left @ right.T).max(axis=1)


def _decided(word: Word, anchors: list[Anchor], covered: list[tuple[int, int]]) -> float | None:
    """1 or 0 where an anchor, a rendered term or a matched number decides the word."""
    hits = [a for a in anchors if a.start < word.end and word.start < a.end]
    if hits:
        return 1.0 if all(a.found for a in hits) else 0.0
    if any(a < word.end and word.start < b for a, b in covered):
        return 1.0
    return None


def _longest_run(low: list[bool], scores: list[float]) -> tuple[int, int]:
    """The longest run of uncovered words (ties: the one with the lowest total score)."""
    best, best_key, start = (0, 0), (0, 0.0), None
    for index, flag in enumerate([*low, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            key = (index - start, -sum(scores[start:index]))
            if key > best_key:
                best, best_key = (start, index), key
            start = None
    return best


def _span(ja: str, words: list[Word], run: tuple[int, int]) -> tuple[int, int]:
    """From the run's first word to just before the next content word (its particles kept)."""
    start = words[run[0]].start
    end = words[run[1]].start if run[1] < len(words) else len(ja)
    stop = re.search(r"[、，,。！？!?]", ja[words[run[1] - 1].end : end])
    if stop:
        end = words[run[1] - 1].end + stop.end()
    return start, end


def locate(
    ja: str, words: list[Word], units: list[str], bank: VectorBank, anchors: list[Anchor],
    covered: list[tuple[int, int]], cover: float, en: str = "",
) -> LexicalGap:  # fmt: skip
    """Score every word against the English and find the longest uncovered run.

    `covered`: spans known to be rendered (termbase terms, numbers the English matches);
    `en`: the English the units are pieces of (request()).
    """
    if not words or not units:
        return LexicalGap(words, [1.0] * len(words), cover=cover)
    best = best_matches(
        [w.lemma for w in words], units, bank.one, lambda u: bank.piece(("words", en), u)
    )
    scores = []
    for word, value in zip(words, best, strict=True):
        decided = _decided(word, anchors, covered)
        scores.append(float(value) if decided is None else decided)
    low = [s < cover for s in scores]
    gap = LexicalGap(words, scores, uncovered=float(np.mean(low)), cover=cover)
    run = _longest_run(low, scores)
    if run[1] > run[0]:
        gap.run, gap.span = run, _span(ja, words, run)
    return gap
