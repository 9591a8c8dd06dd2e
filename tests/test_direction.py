"""Transcripts with turns both ways: each turn pair's original side, in beads, scores and TMX.

The fixture (tests/data/bidirectional, see its README) is a MOD-style Japanese transcript whose
U.S. turns are the interpreter's Japanese, against a State-style English transcript whose
Japanese minister's turns are "(Via interpreter)".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from translate.storage import tmx

import align
from align.aligners.goldtext import score_run
from align.ingest import parse_text, read_document
from tests.conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data" / "bidirectional"
JA, EN = DATA / "ja_mod_style.txt", DATA / "en_state_style.txt"


def test_a_note_naming_interpreted_speakers_marks_their_turns() -> None:
    doc = read_document(JA)
    via = {t.speaker: t.via_interpreter for t in doc.turns if t.kind == "speech"}
    assert via == {"kamikawa": False, "blinken": True, "austin": True}


def test_a_speaker_named_for_part_of_their_words_stays_original() -> None:
    text = (
        "※ポンペオ国務長官の発言、河野外務大臣の一部英語による発言については、通訳者の発言を"
        "記載しています。\n\n（ポンペオ国務長官）\n 皆さんおはようございます。\n\n"
        "（河野外務大臣）\n ありがとうございます。\n"
    )
    doc = parse_text(text, language="ja")
    assert {t.speaker: t.via_interpreter for t in doc.turns if t.kind == "speech"} == {
        "pompeo": True, "kono": False,
    }  # fmt: skip


def test_mod_2019_transcript_marks_the_us_turns_interpreted(shared: Path) -> None:
    doc = read_document(shared / "sources" / "ja_mod_2p2_jpc_20190419.txt")
    turns = [t for t in doc.turns if t.speaker == "pompeo"]
    assert turns and all(t.via_interpreter for t in turns)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bidi") / "run"
    result = run_cli("run", JA, EN, "--out", out, "--no-pictures", "-q")
    assert result.returncode == 0, result.stderr
    return out


def _records(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "alignment.jsonl").open(encoding="utf-8")]


def test_each_turn_pair_carries_its_direction(run: Path) -> None:
    speech = [r for r in _records(run) if r["src_speaker"]]
    by_speaker = {(r["src_speaker"], r["original_lang"], r["via_interpreter"]) for r in speech}
    assert by_speaker == {("kamikawa", "ja", True), ("blinken", "en", True), ("austin", "en", True)}
    html = (run / "report.html").read_text("utf-8")
    assert "en original → ja rendering" in html and "ja original → en rendering" in html


def test_link_f1_per_direction_on_the_hand_gold(run: Path) -> None:
    for name in ("gold_ja_original", "gold_en_original"):
        folder = DATA / name
        result = score_run(folder / "ja.txt", folder / "en.txt", folder / "gold.txt", run)
        assert result.as_dict()["f1"] >= 0.9 and not result.unlocated, (name, result)


def test_tmx_puts_each_beads_original_first(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "bidi.tmx"
    result = run_cli("export", run, "-f", "tmx", "-o", out)
    assert result.returncode == 0, result.stderr
    store = tmx.tmxfile.parsefile(str(out))
    assert store.getsourcelanguage() == "*all*"
    first = {u.xmlelement.get("srclang"): u.source for u in store.units}
    assert first["en"].startswith(("As the U.S.-Japan", "The Ministers", "Recognizing"))
    assert first["ja"][0] in "私7ASEAN特第日昨2この五"


def _without(text: str, sentence: str) -> str:
    assert sentence in text
    return text.replace(sentence, "")


def test_scoring_labels_gaps_relative_to_each_turns_original() -> None:
    """An English original's sentence the Japanese interpreter added is an addition; a Japanese
    original's sentence missing from its English rendering is an omission."""
    en = EN.read_text("utf-8")
    en = _without(en, " The Ministers met on June 21, 2011, and discussed the close collaboration "
                  "between the Japanese and U.S. Governments in response to the March 11 "
                  "earthquake, tsunami, and nuclear emergency.")  # fmt: skip
    en = _without(en, " Coupled with the five ASEAN-related meetings, I will engage in "
                  "multilayered diplomacy.")  # fmt: skip
    beads = align.align(read_document(JA), parse_text(en, doc_id="en")).beads
    added = [b for b in beads if b.src_text.startswith("閣僚は2011")]
    found = [(b.bead, b.original_lang, "addition" in b.labels) for b in added]
    assert found == [("1-0", "en", True)]
    dropped = [b for b in beads if "五つのASEAN" in b.src_text]
    assert [(b.original_lang, "omission" in b.labels) for b in dropped] == [("ja", True)]


def test_an_unmarked_us_turn_is_an_english_original_by_its_speaker(shared: Path) -> None:
    """MOD's Japanese summary does not mark Blinken's part as rendered; the registry knows he
    speaks English, so his turn pair runs English original → Japanese rendering."""
    src = read_document(shared / "sources" / "ja_mod_2p2_jpc_20230111_summary.txt")
    tgt = read_document(shared / "sources" / "en_dod_2p2_jpc_20230111.txt")
    beads = align.align(src, tgt, score=False).beads
    blinken = [b for b in beads if b.src_speaker == "blinken" and b.src_text and b.tgt_text]
    assert len(blinken) >= 5 and {b.original_lang for b in blinken} == {"en"}
    assert {b.original_lang for b in beads if b.src_speaker is None} == {"ja"}
