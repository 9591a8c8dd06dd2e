"""Sentence segmentation that keeps character offsets into the document text.

Every function returns `(start, end)` spans of the text it was given, so that
`text[start:end]` is exactly the sentence (no cleaning, no rewriting).
"""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]

# A leading list marker stays with its item's first sentence: "1. Today, ..." is one sentence.
_LIST_MARKER = re.compile(
    r"[ \t\u3000]*(?:\(?[0-9０-９]{1,3}[.)）．]|[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]"
    r"|[•・\-–*])[ \t\u3000]*"
)
_JA_ENDERS = "。！？!?．"
_JA_CLOSERS = "」』）)】〕］]\"”’"
_JA_OPENERS = {"「": "」", "『": "』"}
# Same-length quote folding: pysbd refuses to split inside a quotation, and mixed straight/curly
# quotes ("…” … “…”) look unbalanced to it, swallowing several sentences.
_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})


@lru_cache(maxsize=1)
def _english_segmenter():  # noqa: ANN202 - pysbd has no types
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _trim(text: str, start: int, end: int) -> Span | None:
    """Shrink a span to exclude surrounding whitespace; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _lines(text: str, start: int, end: int) -> list[Span]:
    """Non-empty lines of text[start:end]: a line break always ends a sentence."""
    spans, position = [], start
    while position < end:
        newline = text.find("\n", position, end)
        stop = end if newline == -1 else newline
        if (span := _trim(text, position, stop)) is not None:
            spans.append(span)
        position = stop + 1
    return spans


def _english_line(text: str, start: int, end: int) -> list[Span]:
    folded = text[start:end].translate(_QUOTE_FOLD)
    marker = _LIST_MARKER.match(folded)
    body = marker.end() if marker and marker.end() < len(folded) else 0
    spans: list[Span] = []
    cursor = body
    for piece in _english_segmenter().segment(folded[body:]):
        stripped = piece.strip()
        if not stripped:
            continue
        found = folded.find(stripped, cursor)
        if found == -1:  # pysbd rewrote the text: keep the rest as one sentence
            break
        spans.append((start + found, start + found + len(stripped)))
        cursor = found + len(stripped)
    rest = _trim(text, start + cursor, end)
    if rest is not None:
        spans.append(rest)
    if spans and body:
        spans[0] = (start, spans[0][1])
    return spans


def _japanese_line(text: str, start: int, end: int) -> list[Span]:
    """Split after 。！？ and their closing brackets; not inside 「…」 unless it is the sentence."""
    spans: list[Span] = []
    sentence_start = start
    quotes: list[tuple[str, int]] = []  # expected closer, position of the opener
    position = start
    while position < end:
        char = text[position]
        if char in _JA_OPENERS:
            quotes.append((_JA_OPENERS[char], position))
        elif quotes and char == quotes[-1][0]:
            quotes.pop()
        elif char in _JA_ENDERS and _may_split_here(quotes, sentence_start):
            stop = position + 1
            while stop < end and text[stop] in _JA_ENDERS + _JA_CLOSERS:
                if quotes and text[stop] == quotes[-1][0]:
                    quotes.pop()
                stop += 1
            if (span := _trim(text, sentence_start, stop)) is not None:
                spans.append(span)
            sentence_start = position = stop
            continue
        position += 1
    if (span := _trim(text, sentence_start, end)) is not None:
        spans.append(span)
    return spans


def _may_split_here(quotes: list[tuple[str, int]], sentence_start: int) -> bool:
    """Outside quotes always; inside only when the quotation opened the sentence."""
    return not quotes or all(opener <= sentence_start + 1 for _, opener in quotes)


def segment(text: str, start: int = 0, end: int | None = None, language: str = "en") -> list[Span]:
    """Sentence spans of text[start:end] in `language` (ja: rules; others: pysbd)."""
    end = len(text) if end is None else end
    split_line = _japanese_line if language in ("ja", "zh") else _english_line
    spans: list[Span] = []
    for line_start, line_end in _lines(text, start, end):
        spans.extend(split_line(text, line_start, line_end))
    return spans


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Convenience: the sentence strings of a text."""
    return [text[a:b] for a, b in segment(text, language=language)]
