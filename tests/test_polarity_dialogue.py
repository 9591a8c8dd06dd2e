"""Polarity on conversational Japanese and English: the false patterns of faithful dialogue turns
(BSD), each a class of construction, and the real negations that must still count."""

from __future__ import annotations

import pytest

from align.scoring.polarity import check_polarity, en_negations, ja_negations


@pytest.mark.parametrize(
    "ja",
    [
        "それって気まずくならない？",  # negative question: "that could be awkward, right?"
        "明日は一緒に行かないの？",  # invitation
        "でも本当、よかったじゃない。",  # tag after a predicate: "that's great, isn't it"
        "そうだね、頑張ったじゃないですか。",
        "先に行っててくださって構いませんよ。",  # 構わない "it's fine"
        "本当に申し訳ございませんでした。",  # 申し訳ない "sorry" through the humble ござる
        "じゃないとAltとTabを押し続けることになっちゃいます。",  # "otherwise"
        "俺も弁当買いに行かないとかな？",  # elliptical obligation before final particles
    ],
)
def test_conversational_constructions_are_not_negations(ja: str) -> None:
    assert ja_negations(ja) == []


@pytest.mark.parametrize(
    "ja",
    [
        "これはペンじゃない。",  # じゃない after a noun: "is not"
        "汁の麺類は持ち帰りにすると美味しくないよね？",  # a negation with a tag
        "一時解雇は無いのでご留意ください。",  # the adjective spelled 無い
        "分かったよ、心配するな。",  # prohibition
        "彼は来ないでしょう。",
    ],
)
def test_real_conversational_negations_still_count(ja: str) -> None:
    assert ja_negations(ja)


@pytest.mark.parametrize(
    "en",
    [
        "Why don’t you stop by my office tomorrow and I'll lend it to you.",
        "Aren't you coming with us tonight?",
        "So, can't you see it?",
        "Why not?",
        "It's not bad at all.",
    ],
)
def test_english_negative_questions_and_litotes_are_masked(en: str) -> None:
    assert en_negations(en) == []


def test_english_negations_inside_statements_still_count() -> None:
    assert en_negations("We don't know if it works?") == ["n't"]
    assert en_negations("I personally don't mind.") == ["n't"]


@pytest.mark.parametrize(
    ("ja", "en"),
    [
        (
            "この前例のない天気に大打撃を受けています。",
            "This unprecedented weather is wreaking havoc.",
        ),
        ("疲れ知らずの上司に連れ回されました。", "I was taken around by a tireless boss."),
        ("株の価値はなくなってしまう。", "The stock will be worthless."),
    ],
)
def test_a_negation_rendered_by_a_negative_word_is_rendered(ja: str, en: str) -> None:
    assert not check_polarity(ja, en).negation_mismatch


def test_negative_affix_words_do_not_hide_a_dropped_negation() -> None:
    assert check_polarity("ラオスを訪問しません。", "I will visit Laos.").negation_mismatch
    assert check_polarity("理解できない。", "I understand the universal rule.").negation_mismatch
