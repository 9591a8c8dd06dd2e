"""Turn alignment: speaker identity, kinds, grouping and unmatched turns (deterministic vectors)."""

from __future__ import annotations

import numpy as np

from align.aligners.turns import align_turns
from align.model import Sentence, Turn

TOPICS: dict[int, int | tuple[int, int, float]] = {}  # id(turn) -> topic (or a mix of two)


def _turn(
    index: int,
    speaker: str | None,
    topic: int | tuple[int, int, float],
    kind: str = "speech",
    chars: int = 40,
) -> Turn:
    sentence = Sentence(f"t{index}s0", "x" * chars, 0, chars)
    turn = Turn(index, speaker, speaker or "", "en", kind=kind, sentences=[sentence])
    TOPICS[id(turn)] = topic
    return turn


def _vector(turn: Turn) -> np.ndarray:
    """One-hot topic: the same topic is a perfect translation, another topic unrelated; a mix
    (a, b, c) has cosine c with topic a."""
    vector = np.zeros(8)
    topic = TOPICS[id(turn)]
    if isinstance(topic, tuple):
        a, b, c = topic
        vector[a], vector[b] = c, np.sqrt(1 - c * c)
    else:
        vector[topic] = 1.0
    return vector


def _pairs(src: list[Turn], tgt: list[Turn]) -> list[tuple[list[int], list[int]]]:
    return [(p.src, p.tgt) for p in align_turns(src, tgt, _vector)]


def test_unmatched_english_turn_is_left_out_not_forced():
    src = [_turn(0, "kamikawa", 1), _turn(1, "kihara", 2)]
    tgt = [_turn(0, "kamikawa", 1), _turn(1, "blinken", 5), _turn(2, "kihara", 2)]
    assert _pairs(src, tgt) == [([0], [0]), ([], [1]), ([1], [2])]


def test_different_speaker_ids_pair_when_the_content_clearly_corresponds():
    """A respelt name, a title for a name, a mislabelled turn: each other's best turn pairs."""
    src = [_turn(0, "agawa", 1), _turn(1, "imai", 2)]
    tgt = [_turn(0, "akawa", 1), _turn(1, "the-client", 2)]
    assert _pairs(src, tgt) == [([0], [0]), ([1], [1])]


def test_different_speaker_ids_never_pair_turns_that_are_not_each_others_best():
    """An unmatched U.S. turn next to the minister's rendering is not pulled onto her original."""
    src = [_turn(0, "kamikawa", 1)]
    tgt = [_turn(0, "blinken", (1, 6, 0.8)), _turn(1, "kamikawa", 1)]
    assert _pairs(src, tgt) == [([], [0]), ([0], [1])]
    alone = _pairs([_turn(0, "kamikawa", 1)], [_turn(0, "blinken", (1, 6, 0.8)), _turn(1, None, 3)])
    assert ([0], [0]) in alone  # here it is the best: content decides


def test_a_matching_speaker_id_does_not_pair_unrelated_content():
    src = [_turn(0, "kamikawa", 1)]
    tgt = [_turn(0, "kamikawa", (1, 6, 0.15))]  # same label, other words
    assert sorted(_pairs(src, tgt)) == [([], [0]), ([0], [])]
    assert _pairs(src, [_turn(0, "kamikawa", (1, 6, 0.3))]) == [([0], [0])]


def test_two_turns_of_one_speaker_may_match_one_turn():
    src = [_turn(0, "motegi", 3, chars=80)]
    tgt = [_turn(0, "motegi", 3, chars=40), _turn(1, "motegi", 3, chars=40)]
    assert _pairs(src, tgt) == [([0], [0, 1])]


def test_headings_match_headings_not_speech():
    src = [_turn(0, None, 4, kind="heading"), _turn(1, "kamikawa", 1)]
    tgt = [_turn(0, "kamikawa", 4), _turn(1, None, 4, kind="heading"), _turn(2, "kamikawa", 1)]
    assert _pairs(src, tgt) == [([], [0]), ([0], [1]), ([1], [2])]
