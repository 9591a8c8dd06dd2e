"""The scoring signals' shortcuts (caches, bounds, fast paths) give what the plain code gives."""

from __future__ import annotations

import difflib
import itertools

from snowballstemmer.english_stemmer import EnglishStemmer

from align.scoring.anchors import SOUND_MATCH, _alike, fold_english, fold_romaji, romaji
from align.scoring.clauses import CACHED_CHARS, _clauses, clauses, ja_clauses
from align.terms.normalize import _nfkc_folded, _stemmer

KANA = [
    "カンボジア",
    "パッケージ",
    "ブリンケン",
    "オースティン",
    "ロシア",
    "ウクライナ",
    "ミサイル",
    "ネットワーク",
    "アセアン",
    "サプライチェーン",
    "パートナー",
]
ENGLISH = ["Cambodia", "package", "Blinken", "Austin", "Russia", "Ukraine", "missile", "network",
           "ASEAN", "global", "supply", "chain", "partners", "the", "Minister", "cooperation",
           "a", "Rush", "packaged", "Blink", "nets"]  # fmt: skip


def test_sound_match_bounds_agree_with_difflib_ratio() -> None:
    """The length and letter bounds only skip pairs whose ratio is below the cut."""
    folded = [fold_romaji(romaji(k)) for k in KANA]
    words = [fold_english(w) for w in ENGLISH]
    pairs = list(itertools.product(folded, words))
    plain = [difflib.SequenceMatcher(None, a, b).ratio() >= SOUND_MATCH for a, b in pairs]
    assert [_alike(a, b) for a, b in pairs] == plain
    assert any(plain) and not all(plain)


def test_stems_are_snowball_english_stems() -> None:
    """The stemmer in use (PyStemmer where installed) stems as Snowball's own Python code."""
    words = ["deterrence", "capabilities", "organization", "generously", "dying", "skies",
             "news", "proceeding", "succeeded", "cooperation", "sdf", "alliance's", "running",
             "exceedingly", "hopeful", "relational", "conditional", "agreed", "fly"]  # fmt: skip
    assert [_stemmer().stemWord(w) for w in words] == [EnglishStemmer().stemWord(w) for w in words]


def test_cached_clauses_are_a_fresh_list_each_call() -> None:
    text = "日米同盟を強化し、地域の平和と安定に貢献していきたいと考えております。"
    first = clauses(text, "ja")
    first.append((0, 1))
    assert clauses(text, "ja") == first[:-1] and len(first[:-1]) == 2


def test_long_texts_are_split_without_entering_the_clause_cache() -> None:
    text = "防衛力を抜本的に強化し、" * (CACHED_CHARS // 12 + 1)
    held = _clauses.cache_info().currsize
    assert clauses(text, "ja") == ja_clauses(text) and len(text) > CACHED_CHARS
    assert _clauses.cache_info().currsize == held


def test_term_fold_fast_path_keeps_offsets_and_widening() -> None:
    """Plain text maps one key character per character; ㈱ widens; ﾄﾞ stays one cluster."""
    assert _nfkc_folded("ＳＤＦ・日本") == (list("sdf日本"), [0, 1, 2, 4, 5], [1, 2, 3, 5, 6])
    assert _nfkc_folded("㈱日本") == (list("(株)日本"), [0, 0, 0, 1, 2], [1, 1, 1, 2, 3])
    assert _nfkc_folded("ﾄﾞア") == (["ド", "ア"], [0, 2], [2, 3])


def test_kana_romaji_is_pykakasis_without_its_kanji_dictionaries() -> None:
    """romaji() builds pykakasi's kanji converter only on a kanji; kana read as pykakasi's."""
    import pykakasi

    from align.scoring import anchors

    anchors._kakasi.cache_clear()
    anchors.romaji.cache_clear()
    words = [*KANA, "ヴァージニア", "ぎょうせい", "キャンプ・デービッド", "ッ", "ー", "シュッ"]
    plain = pykakasi.kakasi()
    assert [romaji(w) for w in words] == [
        "".join(item["hepburn"] for item in plain.convert(w)) for w in words
    ]
    assert anchors._kakasi()._jconv._converter is None  # never needed for kana
    assert romaji("岸田") == "".join(item["hepburn"] for item in plain.convert("岸田")) == "kishida"
    assert anchors._kakasi()._jconv._converter is not None


def test_a_found_name_is_rendered_by_the_reading_it_was_found_by() -> None:
    """A kanji name's anchor keeps Sudachi's reading: 林 is "Hayashi" in a short clause."""
    from align.scoring.anchors import NAME, find_anchors, renders

    found = find_anchors("林外務大臣が出席した。", "Foreign Minister Hayashi attended.")
    name = next(a for a in found if a.kind == NAME)
    assert name.found and name.sound == "hayashi"
    assert renders(name, "with Hayashi,") and not renders(name, "with Kamikawa,")


def test_a_pairing_is_built_once_per_bead_and_never_changed() -> None:
    """The run's term flags and the scoring's terminology signal share one Pairing."""
    import dataclasses

    import pytest

    from align.terms.annotate import term_matcher
    from align.terms.check import check_pair, flags_for
    from align.terms.pairing import pair_texts

    matcher = term_matcher()
    ja, en = "反撃能力を保有する。", "We will possess counterattack capabilities."
    first = pair_texts(matcher, ja, en)
    assert pair_texts(matcher, ja, en) is first and first.uses
    assert flags_for(first) == check_pair(matcher, ja, en) == flags_for(first)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.uses = []  # type: ignore[misc]
