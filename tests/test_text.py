"""Segmentation with offsets, dates, speakers' romanisation, and their properties."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.errors import InputError
from align.ingest import parse_text
from align.ingest.decode import decode
from align.ingest.speakers import default_registry, romanise
from align.text.dates import find_date
from align.text.segment import segment, split_sentences


def test_english_abbreviations_and_numbered_items_stay_whole():
    text = (
        "The U.S. and Japan met at 3 p.m. at No. 5 Kasumigaseki. Mr. Smith agreed.\n"
        '  1. Today, a new "National Security Strategy (NSS)” was adopted by the Cabinet. '
        "The “National Defense Strategy (NDS)” was also adopted."
    )
    assert split_sentences(text) == [
        "The U.S. and Japan met at 3 p.m. at No. 5 Kasumigaseki.",
        "Mr. Smith agreed.",
        '1. Today, a new "National Security Strategy (NSS)” was adopted by the Cabinet.',
        "The “National Defense Strategy (NDS)” was also adopted.",
    ]


def test_japanese_sentences_quotes_and_headings():
    text = (
        "冒頭発言\n(1)ASEAN関連外相会議出席\n彼は「これは大事だ。皆で守ろう。」と述べた。次に進みます！"
        "「全文が引用です。二文目です。」\n（拍手）"
    )
    assert split_sentences(text, "ja") == [
        "冒頭発言",
        "(1)ASEAN関連外相会議出席",
        "彼は「これは大事だ。皆で守ろう。」と述べた。",
        "次に進みます！",
        "「全文が引用です。",
        "二文目です。」",
        "（拍手）",
    ]


def test_dates_in_era_and_english_forms():
    assert find_date("(令和6年7月23日(火曜日)12時45分)") == "2024-07-23"
    assert find_date("平成31年4月19日(22:58~23:35)") == "2019-04-19"
    assert find_date("令和元年5月1日") == "2019-05-01"
    assert find_date("Tuesday, July 23, 2024, 12:45 p.m.") == "2024-07-23"
    assert find_date("２０２２年１２月１６日") == "2022-12-16"
    assert find_date("no date here") is None


def test_romanisation_of_unregistered_names():
    assert romanise("林") == "hayashi"
    assert romanise("茂木") == "motegi"
    assert romanise("河野") == "kono"  # long vowel folded as in official romanisation
    registry = default_registry()
    assert registry.resolve("岸田総理大臣", "ja") == "kishida"  # not 岸 (Kishi)
    assert registry.resolve("DEPUTY SECRETARY CAMPBELL", "en") == "campbell"


_PIECES = list("abcXYZ .,!?。、！？「」『』（）()【】:：\n\t 　上川外務大臣日米同盟です")
_MIXED = st.lists(
    st.sampled_from(
        [*_PIECES, "U.S.", "Mr.", "FOREIGN MINISTER KAMIKAWA: ", "【林大臣】", "(Via interpreter)"]
    ),
    max_size=120,
).map("".join) | st.text(max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MIXED, st.sampled_from(["en", "ja"]))
def test_segment_offsets_map_back(text, language):
    for start, end in segment(text, language=language):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MIXED)
def test_parser_sentences_map_back_or_input_error(text):
    try:
        document = parse_text(text)
    except InputError:
        return
    for sentence in document.sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_raise_only_input_error(data):
    try:
        text, _ = decode(data, "fuzz.bin")
        document = parse_text(text, origin="fuzz.bin")
    except InputError as error:
        assert "fuzz.bin" in str(error)
        return
    for sentence in document.sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text


def test_registry_resolves_both_languages_to_one_id():
    registry = default_registry()
    assert registry.resolve("【上川外務大臣】", "ja") == registry.resolve(
        "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs", "en"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MIXED, _MIXED)
def test_html_reader_on_arbitrary_text(title, body):
    page = f"<!DOCTYPE html><html><head><title>{title}</title></head>"
    page += f"<body><p>{body}</p></body></html>"
    try:
        document = parse_text(page)
    except InputError:
        return
    for sentence in document.sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text
