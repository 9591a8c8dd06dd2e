"""Sentence segmentation that keeps character offsets into the document text.

Every function returns `(start, end)` spans of the text it was given, so that
`text[start:end]` is exactly the sentence (no cleaning, no rewriting). English goes through
blingfire (a finite-state splitter, chosen on tests/data/sentence_gold by scripts/bench_segment.py);
Japanese through the rules below. A line longer than MAX_CHUNK is cut into bounded chunks first,
so time stays linear and memory bounded on text with no punctuation or line breaks.
"""

from __future__ import annotations

import bisect
import ctypes
import re
import threading
from collections.abc import Callable, Iterator
from itertools import pairwise
from typing import Any

import numpy as np

Span = tuple[int, int]
SentenceEnds = Callable[[str], list[int]]  # end offsets of the sentences of one string

MAX_CHUNK = 4_000  # characters handed to a splitter at once: bounds its time and memory

# A leading list marker stays with its item's first sentence: "1. Today, ..." is one sentence.
_LIST_MARKER = re.compile(
    r"[ \t\u3000]*(?:\(?[0-9０-９]{1,3}[.)）．]|[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]"
    r"|[•・\-–*])[ \t\u3000]*"
)
# Titles and abbreviations blingfire sometimes splits after ("Gen. Brown", "approx. 40"), and
# reference words that are abbreviations only before a number ("No. 5", but "No. I'm sorry").
_NO_SPLIT_AFTER = re.compile(
    r"(?:^|[\s(\"'])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Adm|Lt|Col|Capt|Sgt|Sen|Rep|Gov|Amb|Hon|St"
    r"|approx|vs|i\.e|e\.g)\.$"
)
_NO_SPLIT_BEFORE_NUMBER = re.compile(r"(?:^|[\s(\"'])(?:No|Nos|Art|Fig|Vol|pp?)\.$")
_NUMBER_NEXT = re.compile(r"\s*\d")
_JA_ENDERS = "。！？!?．"
_JA_CLOSERS = '」』）)】〕］]"”’'
_JA_QUOTATIVE = "とっ"  # particles that continue a sentence after a quotation
_JA_OPENERS = {"「": "」", "『": "』", "（": "）", "(": ")"}
_MAY_END_EN = re.compile(r"[.!?…。！？]")  # without one of these, blingfire finds one sentence
_BREAK_EN = re.compile(r"[.!?][\"')\]]*\s")


class _Buffers(threading.local):
    """Output buffers for blingfire, reused and grown per thread (allocating them per call cost
    more than the splitting)."""

    size = 0
    out: Any = None
    starts: Any = None
    ends: Any = None

    def at_least(self, size: int) -> _Buffers:
        if size > self.size:
            self.size = max(size, 2 * self.size, 1 << 14)
            self.out = ctypes.create_string_buffer(self.size)
            self.starts = (ctypes.c_int32 * self.size)()
            self.ends = (ctypes.c_int32 * self.size)()
        return self


_BUFFERS = _Buffers()


def _blingfire_byte_ends(data: bytes) -> list[int]:
    """Exclusive UTF-8 byte ends of blingfire's sentences (its own wrapper maps bytes in Python,
    byte by byte, which costs ten times the splitting itself)."""
    import blingfire

    held = _BUFFERS.at_least(len(data) * 2 + 16)
    length = blingfire.blingfire.TextToSentencesWithOffsets(
        ctypes.c_char_p(data), ctypes.c_int(len(data)), ctypes.byref(held.out),
        ctypes.byref(held.starts), ctypes.byref(held.ends), ctypes.c_int(held.size),
    )  # fmt: skip
    if length <= 0 or length > held.size:
        return []
    count = ctypes.string_at(held.out, length).rstrip(b"\0").count(b"\n") + 1
    return [end + 1 for end in held.ends[:count]]


def blingfire_ends(text: str) -> list[int]:
    """Sentence ends blingfire finds, less those right after a title or a reference word."""
    if not _MAY_END_EN.search(text):
        return []
    data = text.encode("utf-8", errors="surrogatepass")
    byte_ends = _blingfire_byte_ends(data)
    if len(data) == len(text):
        char_ends = byte_ends
    else:  # char index = number of UTF-8 lead bytes before the byte offset
        leads = np.concatenate(([0], np.cumsum((np.frombuffer(data, np.uint8) & 0xC0) != 0x80)))
        char_ends = [int(leads[end]) for end in byte_ends]
    return [end for end in char_ends if not _abbreviation_before(text, end)]


def _abbreviation_before(text: str, end: int) -> bool:
    """True when text[:end] ends with an abbreviation that does not end a sentence there."""
    tail = text[max(0, end - 12) : end]
    if _NO_SPLIT_AFTER.search(tail):
        return True
    return bool(_NO_SPLIT_BEFORE_NUMBER.search(tail) and _NUMBER_NEXT.match(text, end))


def _trim(text: str, start: int, end: int) -> Span | None:
    """Shrink a span to exclude surrounding whitespace; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _lines(text: str, start: int, end: int) -> Iterator[Span]:
    """Non-empty lines of text[start:end]: a line break always ends a sentence."""
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        stop = end if newline == -1 else newline
        if (span := _trim(text, position, stop)) is not None:
            yield span
        position = stop + 1


def _cut(text: str, start: int, limit: int, japanese: bool) -> int:
    """Where to end a chunk at or before `limit`: after the last sentence end, else at a space."""
    floor = start + (limit - start) // 2
    if japanese:
        found = max(text.rfind(char, floor, limit) for char in "。！？")
        return found + 1 if found != -1 else limit
    breaks = [match.end() for match in _BREAK_EN.finditer(text, floor, limit)]
    if breaks:
        return breaks[-1]
    space = text.rfind(" ", floor, limit)
    return space + 1 if space != -1 else limit


def _chunks(text: str, start: int, end: int, japanese: bool) -> Iterator[Span]:
    """A line in pieces of at most MAX_CHUNK characters, each cut where a sentence likely ends."""
    while end - start > MAX_CHUNK:
        stop = _cut(text, start, start + MAX_CHUNK, japanese)
        yield start, stop
        start = stop
    yield start, end


def _blocks(units: list[Span]) -> Iterator[list[Span]]:
    """Consecutive units grouped so each group spans at most MAX_CHUNK characters of text."""
    group: list[Span] = []
    for unit in units:
        if group and unit[1] - group[0][0] > MAX_CHUNK:
            yield group
            group = []
        group.append(unit)
    if group:
        yield group


def _english_block(text: str, units: list[Span], ends: SentenceEnds) -> list[Span]:
    """Sentences of some lines by one splitter call; a line end always ends a sentence, and a
    leading list marker ("1.", "(2)", "-") stays with its item's first sentence."""
    start, stop = units[0][0], units[-1][1]
    cuts = sorted({start + end for end in ends(text[start:stop])})
    spans: list[Span] = []
    for unit_start, unit_end in units:
        first = bisect.bisect_right(cuts, unit_start)
        last = bisect.bisect_left(cuts, unit_end, lo=first)
        edges = [unit_start, *cuts[first:last], unit_end]
        pieces = [span for a, b in pairwise(edges) if (span := _trim(text, a, b)) is not None]
        if len(pieces) > 1 and _LIST_MARKER.fullmatch(text, pieces[0][0], pieces[0][1]):
            pieces[:2] = [(pieces[0][0], pieces[1][1])]
        spans.extend(pieces)
    return spans


def _japanese_line(text: str, start: int, end: int) -> list[Span]:
    """Split after 。！？ and their closers; not inside 「…」 or (…) unless it is the sentence."""
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
            if stop < end and text[stop] in _JA_QUOTATIVE and text[stop - 1] in "」』":
                position = stop  # 「…か？」と尋ねた: the quotation is part of a longer sentence
                continue
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


def segment(
    text: str,
    start: int = 0,
    end: int | None = None,
    language: str = "en",
    ends: SentenceEnds = blingfire_ends,
) -> list[Span]:
    """Sentence spans of text[start:end] in `language` (ja/zh: rules; others: `ends`)."""
    end = len(text) if end is None else end
    japanese = language in ("ja", "zh")
    units = [
        chunk
        for line_start, line_end in _lines(text, start, end)
        for chunk in _chunks(text, line_start, line_end, japanese)
    ]
    if japanese:
        return [span for a, b in units for span in _japanese_line(text, a, b)]
    return [span for block in _blocks(units) for span in _english_block(text, block, ends)]


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Convenience: the sentence strings of a text."""
    return [text[a:b] for a, b in segment(text, language=language)]
