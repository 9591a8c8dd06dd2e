"""Clause splitting, so a Japanese clause left out of the English can be found and quoted.

Japanese: after 、，, and sentence ends, and after the conjunctions ので けれども けれど ものの
(a bare が or ため is too often a particle to split on without a comma). English: after , ; :
and sentence ends, and before the words that open a clause (but, while, which, because …), not
before prepositions or an infinitive's "to" ("we are planning | to meet", "come up | with
ideas" left frames with no content of their own).
Nothing splits inside brackets or quotes; pieces too short to carry content join a neighbour.
"""

from __future__ import annotations

import functools
import re

Span = tuple[int, int]

_JA_BREAK = re.compile(r"(?:ので|けれども|けれど|ものの)[、，,]?|[、，,。！？!?；;：:]")
_JA_OPEN, _JA_CLOSE = '「『（(【〔［[“"', '」』）)】〕］]”"'
_EN_BREAK = re.compile(
    r"(?<=[,;:])\s+|(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(]?[A-Z0-9])"
    r"|\s+(?=(?:but|while|whereas|which|who|whom|whose|where|because|although|though"
    r"|including|in order to|so that|as|following)\b)"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Ms|Mrs|Dr|St|No|Jr|Sr|Prof|Gen|Lt|Col"
    r"|Gov|Sen|Rep|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)$"
)
MIN_JA_CHARS = 6
MIN_EN_WORDS = 3
MIN_EN_CONTENT = 2  # words outside FUNCTION_WORDS: "do you want", "We are planning" join on
# English function words (pronouns, determiners, auxiliaries and modals, prepositions,
# conjunctions, a few degree adverbs): a piece made of these and one content word is a frame
# whose content is in its neighbour, not a clause of its own.
_FUNCTION = """
a an the this that these those my your his her its our their me him us them i you he she it we
they who whom whose which what there here be am is are was were been being do does did done have
has had having will would shall should can could may might must to of in on at by for from with
about as into onto than then so and or but if not no just very really quite too also only even
still all any some each every much many more most such own same let get got go going gonna want
s ll re ve d m t
"""
FUNCTION_WORDS = frozenset(_FUNCTION.split())
_NOT_CONTENT = re.compile(r"[\s\W\d_]+")
_DAY_COMMA = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?,$")
_YEAR = re.compile(r"\d{4}\b")
_LETTERS = re.compile(r"[A-Za-z]+")


def _content(text: str) -> int:
    return len(_NOT_CONTENT.sub("", text))


def _merge(text: str, spans: list[Span], long_enough) -> list[Span]:
    """Join each piece too short to carry content to the next (the last one to the previous)."""
    merged: list[Span] = []
    pending: Span | None = None
    for span in spans:
        span = (pending[0], span[1]) if pending else span
        pending = None
        if long_enough(text[span[0] : span[1]]):
            merged.append(span)
        else:
            pending = span
    if pending:
        if merged:
            merged[-1] = (merged[-1][0], pending[1])
        else:
            merged.append(pending)
    return merged


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def ja_clauses(text: str) -> list[Span]:
    """Clause spans of a Japanese segment (each keeps its trailing 、 or 。)."""
    spans, start, depth = [], 0, 0
    for match in _JA_BREAK.finditer(text):
        depth = _depth(text, start, match.start(), depth)
        if depth > 0:
            continue
        if (span := _trimmed(text, start, match.end())) is not None:
            spans.append(span)
        start = match.end()
        depth = 0
    if (span := _trimmed(text, start, len(text))) is not None:
        spans.append(span)
    return _merge(text, spans, lambda piece: _content(piece) >= MIN_JA_CHARS)


def _depth(text: str, start: int, end: int, depth: int) -> int:
    """Bracket depth at `end`, counting from `start` at `depth` (straight quotes toggle)."""
    for char in text[start:end]:
        if char in _JA_OPEN and char not in _JA_CLOSE:
            depth += 1
        elif char in _JA_CLOSE and char not in _JA_OPEN:
            depth = max(0, depth - 1)
    return depth


def en_clauses(text: str) -> list[Span]:
    """Clause spans of an English segment."""
    spans, start = [], 0
    for match in _EN_BREAK.finditer(text):
        before = text[start : match.start()]
        date_comma = _DAY_COMMA.search(before) and _YEAR.match(text[match.end() :])
        if (
            _inside_brackets(text, start, match.start())
            or _ABBREVIATION.search(before)
            or date_comma
        ):
            continue
        if (span := _trimmed(text, start, match.start())) is not None:
            spans.append(span)
        start = match.end()
    if (span := _trimmed(text, start, len(text))) is not None:
        spans.append(span)
    return _merge(text, spans, _en_clause_sized)


def _en_clause_sized(piece: str) -> bool:
    """At least MIN_EN_WORDS words, MIN_EN_CONTENT of them content words."""
    words = [w.lower() for w in _LETTERS.findall(piece)]
    content = [w for w in words if w not in FUNCTION_WORDS]
    return len(words) >= MIN_EN_WORDS and len(content) >= MIN_EN_CONTENT


def _inside_brackets(text: str, start: int, end: int) -> bool:
    piece = text[start:end]
    return piece.count("(") > piece.count(")") or piece.count("“") > piece.count("”")


CACHED_CHARS = 2000  # longer texts are split afresh: the cache holds 4096 texts at most


def clauses(text: str, language: str) -> list[Span]:
    """Clause spans of `text` in `language` (ja and zh by the Japanese rules, else English)."""
    if len(text) > CACHED_CHARS:
        return _split(text, language)
    return list(_clauses(text, language))


@functools.lru_cache(maxsize=4096)
def _clauses(text: str, language: str) -> tuple[Span, ...]:
    """Cached: the screen and clause coverage both split every bead of a document."""
    return tuple(_split(text, language))


def _split(text: str, language: str) -> list[Span]:
    return ja_clauses(text) if language in ("ja", "zh") else en_clauses(text)


def windows(spans: list[Span], longest: int) -> list[Span]:
    """Every run of 1..`longest` consecutive clauses, plus the whole segment."""
    out = {
        (spans[i][0], spans[j - 1][1])
        for i in range(len(spans))
        for j in range(i + 1, min(len(spans), i + longest) + 1)
    }
    if spans:
        out.add((spans[0][0], spans[-1][1]))
    return sorted(out)
