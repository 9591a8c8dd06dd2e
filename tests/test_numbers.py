"""Japanese/English numbers, dates and quantities: normalisation, equivalence and mismatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.text.numbers import check_numbers, find_en, find_ja, kanji_to_number, words_to_number

SET = Path(__file__).resolve().parent / "data" / "divergence" / "beads.jsonl"


def _values(mentions) -> list[str]:
    return [m.describe() for m in mentions if m.strong]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年7月23日", ["2024-07-23"]),
        ("令和元年8月", ["2019-08"]),
        ("2022年末", ["2022"]),
        ("5年間で43兆円", ["5 year", "43 trillion JPY"]),
        ("約60分", ["60 minute"]),
        ("四十三人", ["43"]),
        ("４３件", ["43"]),
        ("1億2000万円", ["120 million JPY"]),
        ("30%", ["30 %"]),
        ("3割", ["30 %"]),
        ("午後1時45分", ["13:45"]),
        ("第二に", ["2"]),
    ],
)
def test_japanese_forms_normalise(text: str, expected: list[str]) -> None:
    assert _values(find_ja(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 23, 2024", ["2024-07-23"]),
        ("by the end of 2022", ["2022"]),
        ("43 trillion yen over five years", ["43 trillion JPY", "5 year"]),
        ("about 60 minutes", ["60 minute"]),
        ("forty-three delegates", ["43"]),
        ("1:30 p.m.", ["13:30"]),
        ("¥1.5 billion", ["1.5 billion JPY"]),
        ("the 21st century", ["21 century"]),
    ],
)
def test_english_forms_normalise(text: str, expected: list[str]) -> None:
    assert _values(find_en(text)) == expected


def test_number_words_and_kanji() -> None:
    assert kanji_to_number("四十三") == 43
    assert kanji_to_number("二〇二二") == 2022
    assert kanji_to_number("三万五千") == 35000
    assert words_to_number("three hundred and five") == 305
    assert words_to_number("a hundred") == 100
    assert words_to_number("billion") is None


def test_idioms_are_not_numbers() -> None:
    assert _values(find_ja("一層強化し、二国間会談で一人一人の尊厳を十分に守る")) == []
    assert _values(find_en("one of the two-thirds, May I ask, G7 and CV-22")) == []


@pytest.mark.parametrize(
    ("ja", "en"),
    [
        ("令和6年7月23日", "Tuesday, July 23, 2024"),
        ("2022年末", "end of 2022"),
        ("5年間で43兆円", "43 trillion yen over five years"),
        ("約60分", "about 60 minutes"),
        ("四十三", "forty-three"),
        ("２件", "two items"),
        ("7月25日から28日まで", "from July 25 to 28"),
        ("2019年(令和元年)8月以来", "since August 2019"),
        ("昨年12月", "last December"),
        ("両外相は", "The two ministers"),
        ("次の二点", "the following two points"),
        ("12時45分", "12:45 p.m."),
        ("第一に", "First,"),
    ],
)
def test_equivalent_forms_are_never_flagged(ja: str, en: str) -> None:
    result = check_numbers(ja, en, 2024)
    assert not result.mismatch, result.reasons()


@pytest.mark.parametrize(
    ("ja", "en", "fragment"),
    [
        ("約60分", "approximately 45 minutes", "60分"),
        ("令和4年12月16日", "December 6, 2022", "令和4年12月16日"),
        ("5件", "four announcements", "5件"),
        ("2019年8月", "August 2018", "2019年8月"),
        ("午後1時45分", "1:30 p.m.", "午後1時45分"),
        ("会談した", "They met 200 times", "200"),
    ],
)
def test_changed_numbers_are_flagged_with_a_reason(ja: str, en: str, fragment: str) -> None:
    result = check_numbers(ja, en, 2024)
    assert result.mismatch
    assert fragment in " ".join(result.reasons())


def test_no_number_flag_on_the_official_pairs() -> None:
    """Every untouched official bead whose hand label has no number divergence passes."""
    rows = [json.loads(x) for x in SET.read_text(encoding="utf-8").splitlines() if x.strip()]
    official = [r for r in rows if "edit" not in r and "number" not in r["labels"]]
    both = [r for r in official if r["src_text"] and r["tgt_text"]]
    assert len(both) >= 30
    flagged = [r["id"] for r in both if check_numbers(r["src_text"], r["tgt_text"], 2024).mismatch]
    assert flagged == []


@pytest.mark.parametrize(
    ("ja", "en", "mismatch"),
    [
        ("頼むよ、17時は流石に遅すぎる。", "Yes, please, 5 o'clock is a bit too late.", False),
        ("17時は遅すぎる。", "Five o’clock is too late.", False),
        ("予定は8時半名古屋発でしたっけ？", "The one departing Nagoya at eight thirty?", False),
        ("予定は8時半名古屋発でしたっけ？", "The one departing Nagoya at nine thirty?", True),
        ("17時は遅すぎる。", "6 o'clock is too late.", True),
    ],
)
def test_clock_times_without_am_pm_match_the_24_hour_japanese(
    ja: str, en: str, mismatch: bool
) -> None:
    assert check_numbers(ja, en).mismatch is mismatch


def test_an_hour_word_and_a_minute_word_are_a_time_not_one_cardinal() -> None:
    assert words_to_number("eight thirty") is None
    assert words_to_number("thirty-eight") == 38
    assert [m.describe() for m in find_en("at eight thirty")] == ["08:30"]
    assert [m.describe() for m in find_en("one two three")] == ["1", "2", "3"]
