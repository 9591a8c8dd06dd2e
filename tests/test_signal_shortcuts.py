"""The scoring signals' shortcuts (caches, bounds, fast paths) give what the plain code gives."""

from __future__ import annotations

import difflib
import itertools

import numpy as np
from snowballstemmer.english_stemmer import EnglishStemmer

from align.scoring.anchors import SOUND_MATCH, _alike, fold_english, fold_romaji, romaji
from align.scoring.clauses import CACHED_CHARS, _clauses, clauses, ja_clauses
from align.terms.normalize import _nfkc_folded, _stemmer
from tests.embedders import Letters

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


def _plain_english_find(matcher, text: str) -> list:  # type: ignore[no-untyped-def]
    """Matcher.find for English without its prefilter: the full offset-mapped key."""
    keyed = matcher.keyed(text, "en")
    return [(*keyed.span(a, b), matcher._entries["en"][i])
            for i, a, b in matcher._automata["en"].find_matches_as_indexes(keyed.key)]  # fmt: skip


def test_english_term_prefilter_skips_only_texts_without_a_term() -> None:
    """Texts the prefilter skips have no match in the full matcher; the rest match alike."""
    from align.terms.annotate import term_matcher

    matcher = term_matcher()
    terms = [t.text for c in matcher.termbase.concepts for t in c.terms_in("en")]
    texts = [*terms, *(f"Our {t}, and the {t.upper()}-led one." for t in terms[::7]),
             "We discussed the weather and lunch.", "Japan-U.S. SDF-U.S. drills", "U.S.'s role",
             "the stand-off and the stand off", "It's a nice day, isn't it?", ""]  # fmt: skip
    skipped = [t for t in texts if t and not matcher._may_match_en(t)]
    assert skipped and all(matcher._may_match_en(t) for t in terms)
    for text in texts:
        got = [(m.start, m.end, m.entries) for m in matcher.find(text, "en")]
        assert got == _plain_english_find(matcher, text)
    assert all(not _plain_english_find(matcher, t) for t in skipped)


def test_english_negation_shortcut_agrees_with_masking() -> None:
    """A text with no negation word gives what masking the fixed phrases would give."""
    from align.scoring.polarity import _EN_FIXED, _EN_NEGATION, en_negations

    texts = ["We will visit Tokyo.", "We will not visit.", "not only Japan but also Korea",
             "Why don't we start?", "It can't be overstated.", "No doubt, nothing_more",
             "snot knot nobody_ cannot", "It isn’t, is it?", "Nonetheless.", ""]  # fmt: skip
    for text in texts:
        masked = _EN_FIXED.sub(lambda m: "_" * len(m.group()), text)
        assert en_negations(text) == [m.group() for m in _EN_NEGATION.finditer(masked)]
    assert en_negations("We will not visit.") == ["not"] and not en_negations("not only us")


def test_case_traps_are_every_non_ascii_letter_ignorecase_matches() -> None:
    """The number prefilter lower-cases ASCII; re.IGNORECASE matches these four letters too."""
    import re
    import string

    from align.text.numbers import _CASE_TRAPS

    letters = re.compile("|".join(string.ascii_lowercase), re.IGNORECASE)
    odd = [chr(c) for c in range(0x80, 0x110000) if letters.fullmatch(chr(c))]
    assert odd and all(_CASE_TRAPS.fullmatch(c) for c in odd) and len(odd) == 4


def test_number_prefilters_agree_with_every_rule() -> None:
    """find_en / find_ja with their prefilters give what running every rule gives."""
    import re

    import pytest

    from align.text import numbers

    words = [*numbers._EN_UNITS, *numbers._EN_TENS, *numbers._EN_SCALES, *numbers._EN_ORDINALS,
             *numbers._EN_IMPLIED, *(m.capitalize() for m in numbers._MONTHS)]  # fmt: skip
    english = [f"{pre} {w} {post}" for w in words for pre, post in
               (("In", "2024."), ("the", "ones"), ("A", "-fold"))]  # fmt: skip
    english += [w.upper() for w in words] + [f"It was {w.replace('i', 'ı')}." for w in words]
    english += ["We met at eight thirty.", "１２ people", "٣ days", "No number here.", "Mayor", ""]
    japanese = ["令和元年に", "両外相は", "日米韓の協力", "一層の強化", "今年も", "三つの柱",
                "３日", "平和と安定", "二〇二二年", "数十人", "日本の立場", ""]  # fmt: skip
    fast_en = [numbers.find_en(t) for t in english]
    fast_ja = [numbers.find_ja(t) for t in japanese]
    assert not all(numbers._en_may_hold(numbers._fold(t)) for t in english)
    assert not all(numbers._JA_MAY_HOLD.search(t) for t in japanese)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "_en_may_hold", lambda folded: True)
        patch.setattr(numbers, "_JA_MAY_HOLD", re.compile(""))
        assert fast_en == [numbers.find_en(t) for t in english]
        assert fast_ja == [numbers.find_ja(t) for t in japanese]
    assert any(fast_en) and any(fast_ja)


def _coverage_segments() -> list:  # type: ignore[no-untyped-def]
    from align.scoring.segment import Segment

    ja = "日本は、ASEANの中心性を支持し、連結性の強化に貢献してきました。"
    en = "Japan has supported ASEAN centrality, and it has contributed to connectivity."
    return [Segment(ja[i:] + ja[:i], en[i:] + en[:i], group="doc", origin=str(i % 5))
            for i in range(0, 24, 2)]  # fmt: skip


def test_cleared_beads_lend_the_same_windows_to_the_pools() -> None:
    """A deep bead's coverage is the same whether the others are cleared or measured in full
    (cleared beads build only their windows), and the pool's vectors and samples are those of
    the plain per-side gather and string comparison."""
    from align.scoring.coverage import _Pool, compute, pieces
    from align.scoring.vectors import VectorBank

    segments, prior = _coverage_segments(), {"random_mean": 0.1, "random_sd": 0.1}
    deep = [i % 3 == 0 for i in range(len(segments))]
    runs = [compute(segments, VectorBank(Letters()), prior, flags) for flags in
            (deep, [True] * len(segments))]  # fmt: skip
    kept = [i for i, keep in enumerate(deep) if keep]
    assert all(runs[0][i] == runs[1][i] and runs[0][i].src for i in kept)
    assert all(runs[0][i] is None for i, keep in enumerate(deep) if not keep)
    bank = VectorBank(Letters())
    sides = [pieces(s.tgt, "en", full=False) for s in segments]
    bank.want([w for side in sides for w in side.windows])
    bank.embed()
    origins = [s.origin for s in segments]
    pool = _Pool(bank, sides, origins)
    plain = np.vstack([bank.get(side.windows) for side in sides])
    assert np.array_equal(pool.vectors, plain) and len(pool.texts) > 20
    labels = [o for side, o in zip(sides, origins, strict=True) for _ in side.windows]
    labels = np.array(labels, dtype=object)
    assert np.array_equal(pool.sample("2", 0), plain[np.flatnonzero(labels != "2")])


def test_reversal_shortcut_agrees_with_every_axis() -> None:
    """A Japanese text the initials class misses gives what checking each axis gives."""
    import pytest

    from align.scoring import polarity

    pairs = [("日米同盟を強化する。", "We will weaken the alliance."),
             ("協力を継続する。", "We end it."), ("支持します。", "We oppose it."),
             ("おはようございます。", "We oppose and end it."),
             ("天気がいいですね。", "We will strengthen and weaken."), ("", "")]  # fmt: skip
    english = "We weaken, decrease, oppose, end, worsen, fail, ignore, refrain and provoke."
    words = [w for poles in polarity.AXES.values() for pole in poles[2:] for w in pole.split("|")]
    pairs += [(f"「{word}」。", english) for word in words]  # each pole word on its own
    fast = [polarity.reversals(ja, en) for ja, en in pairs]
    assert polarity._JA_INITIALS is not None and not polarity._JA_INITIALS.search(pairs[3][0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(polarity, "_JA_INITIALS", None)
        assert fast == [polarity.reversals(ja, en) for ja, en in pairs]
    assert fast[0] and fast[1] and not fast[3]
