"""Term matching: Japanese and English folds, longest match first, offsets into the original."""

from __future__ import annotations

import pytest

from align.terms.matcher import Matcher
from align.terms.model import Concept, Term, Termbase, validate


def make_termbase(*concepts: tuple[str, list[str], list[str]]) -> Termbase:
    """Concepts as (id, Japanese terms, English terms); the first of each language preferred."""
    built = []
    for cid, ja, en in concepts:
        terms = [Term(t, "ja", "preferred" if i == 0 else "admitted") for i, t in enumerate(ja)]
        terms += [Term(t, "en", "preferred" if i == 0 else "admitted") for i, t in enumerate(en)]
        built.append(Concept(cid, terms))
    return validate(Termbase(built))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(
        make_termbase(
            ("standoff", ["スタンド・オフ防衛能力"], ["stand-off defense capabilities"]),
            ("deterrence", ["抑止力", "抑止"], ["deterrence"]),
            ("dr", ["抑止力・対処力"], ["deterrence and response capabilities"]),
            ("ed", ["拡大抑止"], ["extended deterrence"]),
            ("effort", ["取組"], ["initiatives"]),
            ("raise", ["引上げ"], ["raising"]),
            ("security", ["セキュリティー"], ["security"]),
            ("jjoc", ["統合作戦司令部"], ["JJOC"]),
            ("sdf", ["自衛隊"], ["Self-Defense Forces"]),
            ("usfj", ["在日米軍"], ["U.S. Forces in Japan"]),
            ("organisation", ["組織"], ["defence organisation"]),
        )
    )


def found(matcher: Matcher, text: str, lang: str) -> list[tuple[str, str]]:
    """(concept, original substring) per match; also checks the offsets give the surface."""
    matches = matcher.find(text, lang)
    for match in matches:
        assert text[match.start : match.end] == match.surface
    return [(sorted(m.concept_ids)[0], m.surface) for m in matches]


@pytest.mark.parametrize(
    "text",
    [
        "スタンド・オフ防衛能力を強化",  # the official form
        "スタンドオフ防衛能力を強化",  # no middle dot
        "スタンド･オフ防衛能力を強化",  # half-width middle dot
        "ｽﾀﾝﾄﾞ･ｵﾌ防衛能力を強化",  # half-width katakana with a voicing mark
        "スタンド‐オフ防衛能力を強化",  # U+2010 hyphen, which NFKC keeps
        "スタンド·オフ防衛能力を強化",  # U+00B7 middle dot, which NFKC keeps
    ],
)
def test_japanese_dots_hyphens_and_width_fold(matcher: Matcher, text: str) -> None:
    ((concept_id, surface),) = found(matcher, text, "ja")
    assert concept_id == "standoff"
    assert surface == text[: text.index("能力") + 2]  # offsets point into the original text


@pytest.mark.parametrize(
    ("text", "concept_id", "surface"),
    [
        ("新たな取り組みを進める", "effort", "取り組み"),  # 取組 = 取り組み (okurigana)
        ("新たな取組みを進める", "effort", "取組み"),
        ("税率の引き上げ", "raise", "引き上げ"),  # 引上げ = 引き上げ
        ("セキュリティの確保", "security", "セキュリティ"),  # long vowel
        ("ＪＪＯＣの創設", None, None),  # full-width Latin in Japanese text is not a JA term
    ],
)
def test_japanese_okurigana_and_long_vowels(
    matcher: Matcher, text: str, concept_id: str | None, surface: str | None
) -> None:
    expected = [(concept_id, surface)] if concept_id else []
    assert found(matcher, text, "ja") == expected


def test_nested_terms_count_once_longest_first(matcher: Matcher) -> None:
    text = "拡大抑止の強化と日米同盟の抑止力・対処力、そして抑止力"
    assert found(matcher, text, "ja") == [
        ("ed", "拡大抑止"),
        ("dr", "抑止力・対処力"),
        ("deterrence", "抑止力"),
    ]
    english = "extended deterrence and deterrence and response capabilities, and deterrence"
    assert found(matcher, english, "en") == [
        ("ed", "extended deterrence"),
        ("dr", "deterrence and response capabilities"),
        ("deterrence", "deterrence"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Stand-off defense capabilities",
        "STANDOFF DEFENCE CAPABILITY",  # case, closed compound, British spelling, singular
        "stand off defense capability",  # open compound
        "stand‑off defence capabilities",  # U+2011 non-breaking hyphen
    ],
)
def test_english_case_hyphens_spelling_and_number(matcher: Matcher, text: str) -> None:
    assert found(matcher, f"We will build {text} soon.", "en") == [("standoff", text)]


def test_english_token_boundaries_and_abbreviations(matcher: Matcher) -> None:
    assert found(matcher, "nondeterrence and deterrences", "en") == [("deterrence", "deterrences")]
    assert found(matcher, "the US Forces in Japan and U.S. forces in Japan", "en") == [
        ("usfj", "US Forces in Japan"),
        ("usfj", "U.S. forces in Japan"),
    ]
    assert found(matcher, "Japan Self Defense Forces' role", "en") == [
        ("sdf", "Self Defense Forces")
    ]
    assert found(matcher, "a new Defence Organization", "en") == [
        ("organisation", "Defence Organization")
    ]


def test_offsets_survive_text_before_the_match(matcher: Matcher) -> None:
    text = "（１）日米の「拡大抑止」に関する協議"
    ((_, surface),) = found(matcher, text, "ja")
    assert surface == "拡大抑止" and text.index(surface) == matcher.find(text, "ja")[0].start
