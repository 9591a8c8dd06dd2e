"""Reading real transcripts and releases: turns, speakers, metadata, bad input."""

from __future__ import annotations

import json

import pytest

from align.errors import InputError
from align.ingest import parse_text, read_document
from align.model import Document
from tests.conftest import run_cli

SEED = "seed/2plus2-2024-07-28-opening.en.txt"


def test_seed_transcript_turns(shared):
    document = read_document(shared / SEED)
    speech = document.speech_turns()
    assert [t.speaker for t in speech] == [
        "kamikawa",
        "blinken",
        "kamikawa",
        "kihara",
        "kamikawa",
        "austin",
    ]
    assert [t.via_interpreter for t in speech] == [True, False, True, True, True, False]
    assert len(speech[2].sentences) <= 3 and len(speech[4].sentences) <= 3  # hand-over turns
    assert speech[0].label == "FOREIGN MINISTER KAMIKAWA"
    assert document.kind == "interpretation"
    every_sentence = " ".join(s.text for t in document.turns for s in t.sentences)
    for boilerplate in ("Public Release", "Mirage.News", "View in full here", "(Via interpreter)"):
        assert boilerplate not in every_sentence
    assert speech[0].sentences[0].text.startswith("Secretary Blinken, Secretary Austin")
    assert speech[0].sentences[-1].text == "So, Secretary Blinken, please."


def test_every_shared_file_reads(shared):
    files = sorted((shared / "sources").glob("*.txt")) + sorted((shared / "seed").glob("*.txt"))
    assert len(files) >= 30
    for path in files:
        document = read_document(path)
        assert document.sentences, path
        expected_lang = path.name[:2] if path.name[:2] in ("en", "ja") else "en"
        assert document.language == expected_lang, path
        for sentence in document.sentences:
            assert document.text[sentence.start : sentence.end] == sentence.text


def test_mofa_press_conference_pair(shared):
    ja = read_document(shared / "sources/ja_mofa_kaiken_20240723.txt")
    en = read_document(shared / "sources/en_mofa_kaiken_20240723.txt")
    assert (ja.language, ja.kind, ja.date) == ("ja", "original", "2024-07-23")
    assert (en.language, en.kind, en.date) == ("en", "translation", "2024-07-23")
    assert [t.speaker for t in ja.speech_turns()] == ["kamikawa", "kamikawa"]
    assert [t.speaker for t in en.speech_turns()] == ["kamikawa", "kamikawa"]
    assert en.speech_turns()[0].label == "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs"
    headings = [t.sentences[0].text for t in ja.turns if t.kind == "heading"]
    assert "冒頭発言" in headings and "(1)ASEAN関連外相会議出席" in headings
    assert ja.source.startswith("https://www.mofa.go.jp/")


def test_interpreter_mark_mid_turn_starts_a_new_turn(shared):
    document = read_document(shared / "sources/en_state_2p2_20210316_opening.txt")
    motegi = [t for t in document.speech_turns() if t.speaker == "motegi"]
    assert [t.via_interpreter for t in motegi] == [False, False, True]
    assert motegi[-1].sentences[0].text.startswith("This is the first time in history")


def test_japanese_speaker_marks():
    text = (
        "令和6年7月23日\n【上川外務大臣】本日は5件です。\n（林大臣）\nよろしくお願いします。\n"
        "○茂木大臣　ありがとうございます。\n岸田総理大臣：始めます。\n【記者】質問です。"
    )
    document = parse_text(text)
    assert document.language == "ja" and document.date == "2024-07-23"
    speakers = [t.speaker for t in document.speech_turns()]
    assert speakers == ["kamikawa", "hayashi", "motegi", "kishida", "question"]
    assert document.speech_turns()[1].sentences[0].text == "よろしくお願いします。"


def test_mofa_english_labels():
    text = (
        "Prime Minister KISHIDA: Good afternoon. Thank you.\n"
        "Minister Kamikawa: Second, as part of our support.\n"
        "Press Secretary KOBAYASHI: Next question.\n"
        "The below is attributable to Spokesperson Matthew Miller: nothing."
    )
    turns = parse_text(text).speech_turns()
    assert [t.speaker for t in turns] == ["kishida", "kamikawa", "kobayashi"]
    assert turns[-1].sentences[-1].text.startswith("The below is attributable")


def test_unknown_japanese_speaker_is_romanised():
    ja = parse_text("【松野官房長官】本日は以上です。")
    en = parse_text("CHIEF CABINET SECRETARY MATSUNO: That is all for today.")
    assert ja.speech_turns()[0].speaker == en.speech_turns()[0].speaker == "matsuno"


def test_stage_notes_and_other_interpreter_marks():
    text = "SECRETARY BLINKEN: Thank you. (Applause.)\nMINISTER HAYASHI: (As interpreted) Good."
    turns = parse_text(text).speech_turns()
    assert [s.text for s in turns[0].sentences] == ["Thank you."]
    assert turns[1].via_interpreter and turns[1].sentences[0].text == "Good."


def test_no_labels_is_one_turn_by_unknown_speaker(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("This has no labels. It is a plain text.\nAnd a second line.\n", "utf-8")
    document = read_document(path)
    assert len(document.turns) == 1
    assert document.turns[0].speaker is None and len(document.turns[0].sentences) == 3


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp", "iso2022_jp", "utf-8-sig", "utf-16"])
def test_japanese_encodings_decode(tmp_path, encoding):
    text = "【上川外務大臣】日米同盟の抑止力・対処力を強化します。ありがとうございました。\n"
    path = tmp_path / f"doc.{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert document.turns[0].speaker == "kamikawa"
    assert document.sentences[0].text == "日米同盟の抑止力・対処力を強化します。"


def test_html_page_main_text_only(tmp_path):
    filler = " ".join(["The alliance is strong and we will keep working together."] * 3)
    page = f"""<!DOCTYPE html><html><head><meta charset="shift_jis"><title>2+2 Remarks</title>
    <script>var secret = "SCRIPT_TEXT";</script><style>.x{{}}</style></head><body>
    <nav><ul><li>Home</li><li>NAVIGATION_TEXT</li></ul></nav>
    <article><h1>Remarks at the 2+2</h1>
    <p>FOREIGN MINISTER KAMIKAWA: (Via interpreter) 抑止力 matters. {filler}</p>
    <p>SECRETARY BLINKEN: Thank you, Yoko. {filler}</p></article>
    <footer>FOOTER_TEXT Copyright</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("shift_jis"))
    document = read_document(path)
    assert [t.speaker for t in document.speech_turns()] == ["kamikawa", "blinken"]
    assert document.speech_turns()[0].via_interpreter
    assert "抑止力 matters." in document.text
    for junk in ("SCRIPT_TEXT", "NAVIGATION_TEXT", "FOOTER_TEXT", "<p>"):
        assert junk not in document.text
    assert document.title and "2+2" in document.title


def test_document_json_round_trip(shared):
    document = read_document(shared / SEED)
    restored = Document.from_dict(json.loads(json.dumps(document.to_dict())))
    assert restored == document


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n ", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
        (bytes(range(256)) * 4, "binary"),
        (b"<html><body><script>x=1</script></body></html>", "no text found"),
    ],
)
def test_bad_input_is_one_line_input_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_cli_bad_inputs_exit_2_without_traceback(tmp_path):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    for target, cause in [
        (tmp_path / "missing.txt", "file not found"),
        (tmp_path, "is a directory"),
        (png, "PNG"),
    ]:
        result = run_cli("inspect", target)
        assert result.returncode == 2, result.stderr
        assert cause in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_cli_inspect_json(shared):
    result = run_cli("inspect", shared / SEED, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    speech = [t for t in data["turns"] if t["kind"] == "speech"]
    assert [t["speaker"] for t in speech][:2] == ["kamikawa", "blinken"]
    assert speech[0]["via_interpreter"] is True and speech[1]["via_interpreter"] is False
    assert speech[0]["label"] == "FOREIGN MINISTER KAMIKAWA"
    second = "I am delighted that we are able to hold Japan-U.S. 2+2 meeting."
    assert speech[0]["sentences"][1] == second


def test_cli_inspect_text_and_version(shared):
    result = run_cli("inspect", shared / SEED)
    assert result.returncode == 0
    assert "kamikawa" in result.stdout and "via interpreter" in result.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("interp-align ")


def test_twenty_megabyte_input_finishes_in_bounded_memory(tmp_path):
    script = (
        "import resource, sys\n"
        "from align.ingest import read_document\n"
        "d = read_document(sys.argv[1])\n"
        # VmHWM is this process's own peak; ru_maxrss also carries the parent's RSS at fork
        "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        "print(len(d.sentences), hwm[0] if hwm else resource.getrusage(0).ru_maxrss)\n"
    )
    block = "【上川外務大臣】日米同盟を強化します。「抑止力」を高めることが重要です。\n" * 1000
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        while handle.tell() < 20 * 2**20:
            handle.write(block)
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    sentences, max_rss_kb = map(int, done.stdout.split())
    assert sentences > 300_000
    assert max_rss_kb < 1_500_000  # bounded: well under 75x the input size


def test_presidency_project_style_labels():
    text = (
        "President Biden. Good afternoon. Today we met.\n"
        "Prime Minister Kishida. [Through an interpreter] Thank you, Joe. We agreed.\n"
        "Q. Mr. President, a question. Is it true?\n"
        "PRIME MINISTER KISHIDA: (As interpreted.) Thank you.\n"
    )
    turns = parse_text(text).speech_turns()
    assert [t.speaker for t in turns] == ["biden", "kishida", "question", "kishida"]
    assert [t.via_interpreter for t in turns] == [False, True, False, True]
    assert turns[1].sentences[0].text == "Thank you, Joe."
    assert turns[3].sentences[0].text == "Thank you."


def test_dialogue_labels_with_honorifics_name_one_speaker_in_both_languages():
    ja = parse_text("玉元さん：N社の玉元です。\n渋谷さん：玉元さん、渋谷です。\n田中氏: はい。\n")
    en = parse_text("AIKAWA-SAN: How are you? TAMAMOTO-SAN: Fine.\nMR. SHIBUYA: Hi.\n")
    spaced = parse_text("MIYAJIMA SAN: Good morning.\n\nYANAKA SAN: Morning.\n")
    assert [t.speaker for t in spaced.speech_turns()] == ["miyajima", "yanaka"]
    assert [(t.speaker, t.sentences[0].text) for t in ja.speech_turns()] == [
        ("tamamoto", "N社の玉元です。"),
        ("shibuya", "玉元さん、渋谷です。"),
        ("tanaka", "はい。"),
    ]
    assert [t.speaker for t in en.speech_turns()][0] == "aikawa"
    assert "shibuya" in [t.speaker for t in en.speech_turns()]


def test_kantei_heading_is_not_a_speaker_but_names_the_next_speech():
    text = "【岸田総理冒頭発言】\n本日、会談しました。\n【記者】\n質問です。\n"
    text += "【岸田総理】\nはい。\n"
    document = parse_text(text)
    heading = document.turns[0]
    assert heading.kind == "heading" and heading.sentences[0].kind == "heading"
    assert [(t.speaker, t.sentences[0].text) for t in document.speech_turns()] == [
        ("kishida", "本日、会談しました。"),
        ("question", "質問です。"),
        ("kishida", "はい。"),
    ]


def test_english_bracketed_heading_is_not_speech():
    text = "[Opening Statement by Prime Minister Kishida]\nPRESIDENT BIDEN: Thanks.\n"
    document = parse_text(text)
    assert document.turns[0].kind == "heading"
    assert [t.speaker for t in document.speech_turns()] == ["biden"]


def test_ministry_of_defense_style(shared):
    document = read_document(shared / "sources/ja_mod_2p2_jpc_20190419.txt")
    assert [t.speaker for t in document.speech_turns()] == ["pompeo"]  # （ポンペオ米国務長官）
    kinds = {s.text[:5]: s.kind for s in document.sentences}
    assert kinds["平成31年"] == "date" and kinds["※ポンペオ"] == "note"
