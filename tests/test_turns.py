"""Turn alignment: speaker identity, kinds, grouping and unmatched turns (deterministic vectors)."""

from __future__ import annotations

import numpy as np

from align.aligners.turns import align_turns
from align.model import Sentence, Turn

TOPICS: dict[int, int] = {}  # id(turn) -> topic, read by the test's vector function


def _turn(
    index: int, speaker: str | None, topic: int, kind: str = "speech", chars: int = 40
) -> Turn:
    sentence = Sentence(f"t{index}s0", "x" * chars, 0, chars)
    turn = Turn(index, speaker, speaker or "", "en", kind=kind, sentences=[sentence])
    TOPICS[id(turn)] = topic
    return turn


def _vector(turn: Turn) -> np.ndarray:
    """One-hot topic: the same topic is a perfect translation, another topic unrelated."""
    vector = np.zeros(8)
    vector[TOPICS[id(turn)]] = 1.0
    return vector


def _pairs(src: list[Turn], tgt: list[Turn]) -> list[tuple[list[int], list[int]]]:
    return [(p.src, p.tgt) for p in align_turns(src, tgt, _vector)]


def test_unmatched_english_turn_is_left_out_not_forced():
    src = [_turn(0, "kamikawa", 1), _turn(1, "kihara", 2)]
    tgt = [_turn(0, "kamikawa", 1), _turn(1, "blinken", 5), _turn(2, "kihara", 2)]
    assert _pairs(src, tgt) == [([0], [0]), ([], [1]), ([1], [2])]


def test_different_speakers_never_match_even_with_the_same_content():
    src = [_turn(0, "kamikawa", 1)]
    tgt = [_turn(0, "blinken", 1)]
    pairs = _pairs(src, tgt)
    assert sorted(pairs) == [([], [0]), ([0], [])]  # both unmatched, in either order


def test_two_turns_of_one_speaker_may_match_one_turn():
    src = [_turn(0, "motegi", 3, chars=80)]
    tgt = [_turn(0, "motegi", 3, chars=40), _turn(1, "motegi", 3, chars=40)]
    assert _pairs(src, tgt) == [([0], [0, 1])]


def test_headings_match_headings_not_speech():
    src = [_turn(0, None, 4, kind="heading"), _turn(1, "kamikawa", 1)]
    tgt = [_turn(0, "kamikawa", 4), _turn(1, None, 4, kind="heading"), _turn(2, "kamikawa", 1)]
    assert _pairs(src, tgt) == [([], [0]), ([0], [1]), ([1], [2])]
