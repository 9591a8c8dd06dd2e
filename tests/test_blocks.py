"""Non-speech blocks typed by form, and the aligner keeping them out of speech beads."""

from __future__ import annotations

import json

import pytest

from align.aligners import align_sentences
from align.ingest import parse_text, read_document
from align.ingest.blocks import line_kind, spread_banners
from tests.test_sentences_aligner import FakeEmbedder


@pytest.mark.parametrize(
    ("line", "language", "kind"),
    [
        ("更新日:令和6年4月10日", "ja", "date"),
        ("2011年6月21日", "ja", "date"),
        ("[Date] December 16, 2022", "en", "date"),
        ("Tuesday, July 23, 2024, 12:45 p.m.", "en", "date"),
        ("首脳会談の様子", "ja", "caption"),
        ("写真提供:内閣広報室", "ja", "caption"),
        ("[Provisional translation]", "en", "note"),
        ("（仮訳）", "ja", "note"),
        ("Back to Top", "en", "chrome"),
        ("発信元サイトへ", "ja", "chrome"),
        ("Read the full text: English | Japanese", "en", "chrome"),
        ('"The World and Japan" Database (Project Leader: TANAKA Akihiko)', "en", "chrome"),
        ("[Source] Japan Ministry of Defense", "en", "chrome"),
        ("[Full text]", "en", "chrome"),
        ("外務省・新着情報", "ja", "chrome"),
        ("[文書名] 日米安全保障協議委員会(「2+2」)共同発表", "ja", "heading"),
        ("III Japan's Basic Defense Policy", "en", "heading"),
        ("2. Ⅰ 策定の趣旨", "ja", "heading"),
        ("1 Measures for protection of life,", "en", "heading"),  # numbered, cut off
        ("The Ministers met on June 21, 2011, and discussed the response.", "en", "speech"),
        ("閣僚は2011年6月21日に会し、協力について議論した。", "ja", "speech"),
        ("日本は、自国の防衛力の強化及び米国との緊密な連携の強化の着実", "ja", "speech"),  # cut
    ],
)
def test_line_kinds_by_form(line, language, kind):
    assert line_kind(line, language) == kind


def test_speech_turn_lines_stay_speech_unless_unmistakable():
    assert line_kind("Thank you very much", "en", speech_turn=True) == "speech"
    assert line_kind("Thank you very much", "en") == "heading"
    assert line_kind("Back to Top", "en", speech_turn=True) == "chrome"


def test_institute_line_under_a_database_banner_is_chrome():
    kinds = ["chrome", "heading", "heading", "date", "heading"]
    texts = [
        "Database of Japanese Politics",
        "National Graduate Institute",
        "[Title] X",
        "[Date] June 21, 2011",
        "Table of Contents",
    ]
    assert spread_banners(kinds, texts) == ["chrome", "chrome", "heading", "date", "heading"]


def test_reader_types_sentences_in_both_languages(shared):
    ja = read_document(shared / "sources/ja_mofa_fm_meeting_20240112.txt")
    en = read_document(shared / "sources/en_mofa_fm_meeting_20240112.txt")
    assert [s.kind for s in ja.sentences[:4]] == ["chrome", "date", "heading", "caption"]
    assert [s.kind for s in en.sentences[:2]] == ["heading", "date"]
    assert all(s.kind == "speech" for s in ja.sentences[4:])
    nds = read_document(shared / "sources/en_worldjpn_nds_2022_toc.txt")
    assert [s.kind for s in nds.sentences[:8]] == [
        "chrome",
        "chrome",
        "chrome",
        "date",
        "chrome",
        "chrome",
        "chrome",
        "heading",
    ]


def test_kinds_survive_the_json_round_trip():
    document = parse_text("2024年7月23日\n本日は晴天です。\n", doc_id="d")
    again = type(document).from_dict(document.to_dict())
    assert [s.kind for s in again.sentences] == ["date", "speech"]


def test_aligner_never_puts_a_caption_into_a_speech_bead():
    src = ["s1 caption", "s2", "s3"]
    tgt = ["t1 t2", "t3"]  # the fake embedder would merge the caption into the first bead
    free = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en")
    assert (0, 1) in {b.src for b in free.beads}
    typed = align_sentences(
        src,
        tgt,
        FakeEmbedder(),
        src_lang="ja",
        tgt_lang="en",
        src_kinds=["caption", "speech", "speech"],
        tgt_kinds=["speech", "speech"],
    )
    assert ((0,), ()) in {(b.src, b.tgt) for b in typed.beads}
    assert all(0 not in b.src or not b.tgt for b in typed.beads)


def test_headings_pair_with_headings_and_dates_with_dates():
    src = ["s1", "s2", "s3 s4", "s5"]
    tgt = ["t1", "t2", "t3", "t4", "t5"]
    result = align_sentences(
        src,
        tgt,
        FakeEmbedder(),
        src_lang="ja",
        tgt_lang="en",
        src_kinds=["heading", "date", "speech", "speech"],
        tgt_kinds=["heading", "date", "speech", "speech", "speech"],
    )
    pairs = {(b.src, b.tgt) for b in result.beads}
    assert {((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,))} <= pairs


def test_all_chrome_page_forces_no_beads(tmp_path):
    from tests.conftest import run_cli

    chrome = tmp_path / "chrome.txt"
    chrome.write_text("Back to Top\nRead the full text: English | Japanese\n[Full text]\n", "utf-8")
    ja = tmp_path / "ja.txt"
    ja.write_text("閣僚は2011年6月21日に会し、協力について議論した。\n", "utf-8")
    result = run_cli("run", ja, chrome, "--out", tmp_path / "r", "--no-score")
    assert result.returncode == 0, result.stderr
    assert "chrome.txt: no speech found" in result.stderr
    lines = (tmp_path / "r" / "alignment.jsonl").read_text("utf-8").splitlines()
    assert lines and all('"bead": "1-0"' in line or '"bead": "0-1"' in line for line in lines)


def test_inspect_shows_sentence_kinds(shared):
    from tests.conftest import run_cli

    path = shared / "sources/en_worldjpn_nds_2022_toc.txt"
    result = run_cli("inspect", path, "--json")
    assert result.returncode == 0, result.stderr
    turns = json.loads(result.stdout)["turns"]
    kinds = [k for t in turns for k in t["sentence_kinds"]]
    assert kinds[:4] == ["chrome", "chrome", "chrome", "date"] and "speech" not in kinds[:8]
    plain = run_cli("inspect", path)
    assert "date     [Date] December 16, 2022" in plain.stdout
