"""The two-stage screen, the length register read from the Japanese, and English clause frames."""

from __future__ import annotations

import pytest

from align.scoring.clauses import en_clauses
from align.scoring.segment import Segment
from tests.embedders import Counting

EVERYDAY = [  # short faithful pairs of unrelated topics, as in an everyday text
    ("駅までバスで行きます。", "I will go to the station by bus."),
    ("この本はとても面白かった。", "This book was very interesting."),
    ("明日は雨が降るそうです。", "They say it will rain tomorrow."),
    ("彼女は毎朝コーヒーを飲む。", "She drinks coffee every morning."),
    ("私の兄は医者です。", "My brother is a doctor."),
    ("猫が窓のそばで寝ている。", "The cat is sleeping by the window."),
    ("夏休みに海へ行った。", "I went to the sea during the summer vacation."),
    ("この店のパンはおいしい。", "The bread at this shop is delicious."),
]
OMISSION_JA = "日本は、ASEANの中心性・一体性を支持し、連結性の強化に貢献してきました。"
OMISSION_EN = "Japan has supported ASEAN centrality and unity."


@pytest.fixture(scope="module")
def use():
    from align.embed import load_embedder

    return load_embedder("use", use_cache=False)


def _segments() -> list[Segment]:
    beads = [Segment(ja, en, group="doc", origin=str(i)) for i, (ja, en) in enumerate(EVERYDAY)]
    return [*beads, Segment(OMISSION_JA, OMISSION_EN, group="doc", origin="omitted")]


def test_a_clear_faithful_bead_skips_the_costly_signals(use) -> None:
    from align.scoring.features import measure
    from align.scoring.lexical import content_words

    screened, full = Counting(use), Counting(use)
    gated = measure(_segments(), screened)
    measure(_segments(), full, screen=None)
    faithful = gated[0]
    assert faithful.cleared and faithful.coverage is None and faithful.lexical is None
    lemmas = {w.lemma for w in content_words(EVERYDAY[0][0])} - {EVERYDAY[0][0]}
    assert lemmas and lemmas <= set(full.texts)  # measured in full, its words are embedded
    assert not lemmas & set(screened.texts)  # cleared: none of them is
    assert len(set(screened.texts)) < len(set(full.texts))
    assert faithful.features()["om_absence"] == pytest.approx(faithful.neutral["om_absence"])
    from align.scoring.engine import score_segments

    signals = score_segments(_segments(), use)[0]["signals"]
    assert signals["screen"] == {"cleared": True, "deep": [], "word_coverage": False}
    assert signals["omission"] is None


INJECTED = "2024-07-23-mofa-press-conference:11:76af49ae54"  # a dropped clause (test split)


def test_an_injected_omission_still_gets_the_costly_signals_and_its_label(use) -> None:
    from align.scoring.composite import Weights, decide
    from align.scoring.engine import score_segments
    from align.scoring.features import measure
    from align.scoring.labelled import load_labelled

    items = load_labelled()
    group = next(x.segment.group for x in items if x.id == INJECTED)
    chosen = [x for x in items if x.segment.group == group]
    counting = Counting(use)
    measured = dict(
        zip([x.id for x in chosen], measure([x.segment for x in chosen], counting), strict=True)
    )
    omitted = measured[INJECTED]
    assert not omitted.cleared and omitted.deep_reasons
    assert omitted.lexical is not None and omitted.lexical.length >= 2
    assert {w.lemma for w in omitted.lexical.words} <= set(counting.texts)  # its words embedded
    assert "omission" in decide(omitted, Weights.load()).labels
    result = score_segments([x.segment for x in chosen], use)[
        [x.id for x in chosen].index(INJECTED)
    ]
    screen = {"cleared": False, "deep": omitted.deep_reasons, "word_coverage": True}
    assert result["signals"]["screen"] == screen
    assert "omission" in result["labels"]


CLAUSED = [  # faithful, but a clause more on the Japanese side: deep by the clause count
    ("夜になって、家へ帰った。", "When night came on, we returned home."),
    ("私は雨が降っていたが出かけた。", "I went out although it was raining."),
]


def test_a_deep_bead_whose_clauses_all_match_skips_word_coverage(use) -> None:
    from align.scoring.composite import Weights
    from align.scoring.features import measure
    from align.scoring.lexical import content_words
    from align.scoring.screen import WORD_FEATURES

    extra = [Segment(ja, en, group="doc", origin=f"c{i}") for i, (ja, en) in enumerate(CLAUSED)]
    counting = Counting(use)
    measured = measure(_segments() + extra, counting)
    gate = Weights.load().screen.words
    assert gate is not None
    for item, (ja, _) in zip(measured[-2:], CLAUSED, strict=True):
        assert not item.cleared and item.deep_reasons == ["clauses"]
        assert item.coverage is not None and item.lexical is None  # clauses yes, words no
        assert gate.skips(item.features())
        lemmas = {w.lemma for w in content_words(ja)} - {ja}
        assert lemmas and not lemmas & set(counting.texts)  # none of its words embedded
        values = item.features()
        assert all(values[k] == item.words_neutral[k] for k in WORD_FEATURES)
    omitted = measured[len(EVERYDAY)]  # its dropped clause keeps its word coverage
    assert not omitted.cleared and omitted.lexical is not None


def test_a_loanword_the_english_renders_natively_does_not_send_a_bead_deep(use) -> None:
    from align.scoring.features import cheap_flags, measure

    smoke, name = measure(
        [Segment("タバコは吸いません。", "I don't smoke."),
         Segment("ブリンケン長官と会談しました。", "I held a meeting with the Secretary.")],
        use, screen=None,
    )  # fmt: skip
    assert [(a.text, a.found, a.loanword) for a in smoke.anchors] == [("タバコ", False, True)]
    assert "anchor" not in cheap_flags(smoke)
    assert [(a.text, a.loanword) for a in name.anchors if not a.found] == [("ブリンケン", False)]
    assert "anchor" in cheap_flags(name)  # an unknown katakana word is a name, not a loanword


def test_the_screen_is_in_the_scoring_signature(use) -> None:
    from align.model import Signature
    from align.scoring.composite import Weights
    from align.scoring.engine import scoring_signature

    weights = Weights.load()
    fields = Signature.parse(scoring_signature(use, weights, None)).as_dict()
    assert weights.screen is not None and fields["screen"] == weights.screen.signature


def test_conversational_japanese_is_scored_in_the_everyday_register() -> None:
    from align.scoring.features import _length_z, _registers
    from align.scoring.length import length_model, register_for

    turn = Segment(
        "どうせみんな、パーティーは大好きだしね。", "We love parties anyway.", group="talk"
    )
    chat = [turn, Segment("うん、わかった、じゃあまたね。", "Okay, see you then.", group="talk")]
    assert register_for([s.src for s in chat]) == "everyday"
    assert register_for(["日米同盟は地域の平和と安定の礎である。"]) == "official"
    assert length_model().z(len(turn.src), len(turn.tgt)) < -2.0  # the official model: "compressed"
    assert _length_z(turn, _registers(chat)["talk"]) > -2.0  # ordinary for a dialogue


@pytest.mark.parametrize(
    "en",
    [
        "We are planning to meet with all of the employees in your department.",
        "I bought pad-thai today, do you want to try it?",
        "I think people would come up with more ideas about new products.",
    ],
)
def test_english_frames_and_prepositions_do_not_make_clauses(en: str) -> None:
    pieces = [en[a:b] for a, b in en_clauses(en)]
    assert all(len([w for w in p.split() if len(w) > 3]) >= 2 for p in pieces), pieces
    assert not any(p.startswith(("to ", "with ")) for p in pieces)


def test_english_clauses_still_split_at_punctuation_and_clause_words() -> None:
    en = "The ministers reaffirmed the alliance, which remains the cornerstone of regional peace."
    assert len(en_clauses(en)) == 2
