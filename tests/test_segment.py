"""Sentence segmentation against the boundary golds, and its bounds on pathological input."""

from __future__ import annotations

import time
import tracemalloc
from itertools import pairwise
from pathlib import Path

import pytest

from align.ingest import read_document
from align.text.segment import segment, split_sentences

GOLD = Path(__file__).parent / "data" / "sentence_gold"
MARK = "¦"


def _gold(language: str) -> list[tuple[str, str, set[int]]]:
    """(name, text, in-line boundary offsets) of every document in a gold file."""
    docs: list[tuple[str, list[str]]] = []
    for line in (GOLD / f"{language}.txt").read_text(encoding="utf-8").split("\n"):
        if line.startswith("=== "):
            docs.append((line[4:].split("|")[0].strip(), []))
        else:
            docs[-1][1].append(line)
    out = []
    for name, lines in docs:
        pieces = "\n".join(lines).rstrip().split(MARK)
        bounds = {sum(len(p) for p in pieces[: i + 1]) for i in range(len(pieces) - 1)}
        out.append((name, "".join(pieces), bounds))
    return out


def _inline_ends(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {end for _, end in spans if text[end:].split("\n", 1)[0].strip()}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_boundaries_match_the_gold(language):
    tp = fp = fn = 0
    for _, text, bounds in _gold(language):
        spans = segment(text, language=language)
        assert all(text[a:b] == text[a:b].strip() and a < b for a, b in spans)
        assert all(b1 <= a2 for (_, b1), (a2, _) in pairwise(spans))
        found = _inline_ends(text, spans)
        tp, fp, fn = tp + len(found & bounds), fp + len(found - bounds), fn + len(bounds - found)
    assert tp + fn >= 50  # the gold is really there
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.97 and recall >= 0.95, (precision, recall)


def test_english_hard_cases():
    text = (
        "The delegation of approx. 120 officials arrived. See Annex No. 5 for details. "
        "Gen. Brown met Dr. Lee at 2 p.m. in the U.S. Embassy. "
        "We need to enhance the deterrence - the power to deter - of our alliance. Thank you."
    )
    assert split_sentences(text) == [
        "The delegation of approx. 120 officials arrived.",
        "See Annex No. 5 for details.",
        "Gen. Brown met Dr. Lee at 2 p.m. in the U.S. Embassy.",
        "We need to enhance the deterrence - the power to deter - of our alliance.",
        "Thank you.",
    ]
    assert split_sentences("  1. The Ministers met. They agreed.") == [
        "1. The Ministers met.",
        "They agreed.",
    ]


def test_japanese_quotation_and_parenthesis_stay_inside():
    text = "「本当ですか？」と記者が尋ねた。閣僚(以下「閣僚」という。)は会合した。以上です。"
    assert split_sentences(text, "ja") == [
        "「本当ですか？」と記者が尋ねた。",
        "閣僚(以下「閣僚」という。)は会合した。",
        "以上です。",
    ]


def test_ten_megabytes_without_punctuation_or_line_breaks(tmp_path):
    words = ("alliance", "deterrence", "the", "minister", "cooperation", "region")
    text = " ".join(words[i % 6] for i in range(1_500_000))[:10_000_000]
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        doc = read_document(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 25 * len(text)  # a few copies of the text, not a quadratic table
    sentences = doc.sentences
    assert max(len(s.text) for s in sentences) <= 10_000  # bounded pieces, not one 10 MB sentence
    assert sum(len(s.text) for s in sentences) >= len(text) - len(sentences)  # nothing dropped


def test_hundred_thousand_one_word_lines(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("\n".join(f"word{i}" for i in range(100_000)), encoding="utf-8")
    doc = read_document(path)
    assert [s.text for s in doc.sentences[:2]] == ["word0", "word1"]
    assert len(doc.sentences) == 100_000


def _seconds(text: str, language: str) -> float:
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        segment(text, language=language)
        best = min(best, time.perf_counter() - began)
    return best


@pytest.mark.parametrize(
    ("language", "unit"),
    [("en", "the alliance "), ("en", "It is. "), ("ja", "同盟の強化"), ("ja", "同盟だ。")],
)
def test_time_is_linear_in_line_length(language, unit):
    short = unit * (40_000 // len(unit))
    ratio = _seconds(short * 10, language) / _seconds(short, language)
    assert ratio < 30, ratio  # linear is ~10; quadratic would be ~100
