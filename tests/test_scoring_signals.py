"""Omission evidence beyond clause similarity: anchors, word coverage, and the fitted cuts."""

from __future__ import annotations

import numpy as np
import pytest

from align.scoring.anchors import KATAKANA, LATIN, find_anchors, fold_english, romaji, sounds_like
from align.scoring.fit import _best_threshold
from align.scoring.lexical import _longest_run, content_words
from align.text.numbers import check_numbers

MINES_JA = (
    "先日、カンボジア訪問の際に発表した地雷パッケージのように、日・ASEANが、"
    "共に地域や世界の平和と安定のために貢献する将来を目指します。"
)
MINES_EN = (
    "We will aim for a future in which both Japan and ASEAN contribute to the peace and "
    "stability of the region and the world, as we seek to do with the mine action package "
    "announced during my recent visit to Cambodia."
)


@pytest.fixture(scope="module")
def embedder():
    from align.embed import load_embedder

    return load_embedder("use")


def test_katakana_names_are_found_by_sound_and_missed_when_dropped() -> None:
    kept = {a.text: a for a in find_anchors(MINES_JA, MINES_EN)}
    assert kept["カンボジア"].found and kept["パッケージ"].found and kept["ASEAN"].found
    assert kept["ASEAN"].kind == LATIN and kept["カンボジア"].kind == KATAKANA
    dropped = MINES_EN.replace(" announced during my recent visit to Cambodia", "")
    missing = [a.text for a in find_anchors(MINES_JA, dropped) if not a.found]
    assert missing == ["カンボジア"]


def test_sound_match_is_not_fooled_by_unrelated_words() -> None:
    assert sounds_like(romaji("ブリンケン"), [fold_english("Blinken")])
    assert sounds_like(romaji("パートナーシップ"), [fold_english("partnership")])
    unrelated = [fold_english(w) for w in ("the", "region", "partnership", "international")]
    assert not sounds_like(romaji("ブリンケン"), unrelated)


def test_bracketed_notes_and_matched_numbers_are_not_anchors() -> None:
    ja = "まず、7月25日から28日まで、私(上川大臣)は、ラオスを訪問します。"
    en = "First, I will visit Laos from July 25 to 28."
    anchors = find_anchors(ja, en, check_numbers(ja, en))
    assert [a.text for a in anchors] == ["ラオス"] and anchors[0].found
    latin = find_anchors("本日のSCC会合において", "at the meeting today")
    assert [(a.text, a.found) for a in latin] == [("SCC", False)]
    changed = "First, I will visit Laos from July 25 to 27."
    numbers = find_anchors(ja, changed, check_numbers(ja, changed))
    assert [a.text for a in numbers if not a.found] == ["28日"]  # no 27 in the JA, no partner


def test_content_words_join_compounds_and_skip_editorial_notes() -> None:
    text = "複雑な安全保障環境に置かれる中、私(上川大臣)は述べた"
    words = [w.surface for w in content_words(text)]
    assert "安全保障環境" in words
    assert not any("上川" in w for w in words)
    assert "中" not in words and "述べ" not in words  # light words


def test_longest_uncovered_run_prefers_the_poorer_of_equal_runs() -> None:
    low = [False, True, True, False, True, True, False]
    scores = [0.9, 0.5, 0.55, 0.9, 0.2, 0.3, 0.8]
    assert _longest_run(low, scores) == (4, 6)
    assert _longest_run([False, False], [0.9, 0.9]) == (0, 0)


def test_lexical_gap_locates_a_dropped_clause(embedder) -> None:
    from align.scoring.features import measure
    from align.scoring.segment import Segment

    ja = "日本は、ASEANの中心性・一体性を支持し、連結性の強化に貢献してきました。"
    full = (
        "Japan has supported ASEAN centrality and unity, and has contributed to strengthening "
        "connectivity in the region."
    )
    cut = "Japan has supported ASEAN centrality and unity."
    pair = [Segment(ja, full, origin="a"), Segment(ja, cut, origin="b")]
    whole, dropped = measure(pair, embedder, screen=None)  # both measured in full
    assert dropped.lexical.length >= 2 and "連結性" in dropped.lexical.text(ja)
    assert whole.lexical.length == 0
    features = dropped.features()
    assert features["lex_len_neg"] > -2.0  # as long as the rest of the Japanese warrants


def test_missing_term_in_an_editorial_note_is_no_terminology_slip(embedder) -> None:
    from align.scoring import score_segments
    from align.scoring.segment import Segment
    from align.scoring.terminology import load_checker

    checker = load_checker()
    assert checker is not None, "the shipped termbase did not load"
    ja = "私(上川外務大臣)は、ラオスを訪問します。"
    flags = checker.check(ja, "I will visit Laos.")
    assert any(f.kind == "missing" for f in flags), "the termbase should flag 外務大臣"
    result = score_segments([Segment(ja, "I will visit Laos.")], embedder, checker)[0]
    assert "terminology" not in result["labels"]


def test_threshold_maximises_the_smaller_of_precision_and_recall() -> None:
    truth = np.array([False, False] + [True] * 8 + [False, False, True, True, False, False])
    scores = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35,
                       0.3, 0.1, 0.05])  # fmt: skip
    # cut 0.5: P 8/10, R 8/10 (min 0.8, F1 0.8); cut 0.3: P 10/14, R 1 (min 0.71, F1 0.83)
    assert _best_threshold(scores, truth) == pytest.approx(0.5)
