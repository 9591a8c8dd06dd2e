"""`interp-align run` end to end with the real default embedder: turns, beads, report, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.aligners.evaluate import read_alignments
from align.aligners.synthetic import detokenise_en, detokenise_ja
from align.embed import load_embedder
from align.ingest import parse_text, read_document
from align.ingest.event import Event
from align.pipeline import align_documents
from align.rundir import read_beads
from tests.conftest import ROOT, run_cli

EVENTS = ROOT / "corpora" / "events"


def _dev_pairs(shared: Path, start: int, count: int) -> list[tuple[str, str]]:
    base = shared / "parallel/small_parallel_enja"
    ja = (base / "dev.ja").read_text("utf-8").splitlines()[start : start + count]
    en = (base / "dev.en").read_text("utf-8").splitlines()[start : start + count]
    return [(detokenise_ja(j), detokenise_en(e)) for j, e in zip(ja, en, strict=True)]


def test_turns_match_by_speaker_and_unmatched_turn_is_reported(shared):
    kamikawa, kihara, blinken = (_dev_pairs(shared, s, 4) for s in (0, 10, 20))
    ja_text = "【上川外務大臣】" + "".join(j for j, _ in kamikawa) + "\n"
    ja_text += "【木原防衛大臣】" + "".join(j for j, _ in kihara) + "\n"
    en_text = "FOREIGN MINISTER KAMIKAWA: (Via interpreter) " + " ".join(e for _, e in kamikawa)
    en_text += "\nSECRETARY BLINKEN: " + " ".join(e for _, e in blinken)
    en_text += "\nDEFENSE MINISTER KIHARA: (Via interpreter) " + " ".join(e for _, e in kihara)
    ja = parse_text(ja_text, doc_id="ja", kind="original")
    en = parse_text(en_text, doc_id="en")
    assert [t.speaker for t in ja.turns] == ["kamikawa", "kihara"]
    assert [t.speaker for t in en.turns] == ["kamikawa", "blinken", "kihara"]
    event = Event("synthetic", None, None, None, [ja, en])
    result = align_documents(event, ja, en, load_embedder("use"))
    turn_pairs = [(p.pair.src, p.pair.tgt) for p in result.pairs]
    assert turn_pairs == [([0], [0]), ([], [1]), ([1], [2])]
    matched = [b for p in result.pairs if p.pair.matched for b in p.beads]
    assert sum(b.type in ("1-1", "2-1", "1-2") for b in matched) >= 7
    unmatched = [b for p in result.pairs if not p.pair.matched for b in p.beads]
    assert {b.type for b in unmatched} == {"0-1"}
    assert len(unmatched) == len(en.turns[1].sentences)


def test_run_event_writes_every_output(tmp_path, shared):
    out = tmp_path / "nss"
    result = run_cli("run", EVENTS / "2022-12-16-nss-statement", "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)[0]
    assert summary["gold"][0]["f1_strict"] >= 0.9
    records = [json.loads(line) for line in (out / "alignment.jsonl").read_text().splitlines()]
    assert records and {r["src_lang"] for r in records} == {"ja"}
    first = next(r for r in records if r["bead"] == "1-1")
    assert set(first) >= {
        "event",
        "date",
        "src_doc",
        "tgt_doc",
        "pair_index",
        "src_turn",
        "tgt_turn",
        "src_speaker",
        "tgt_speaker",
        "via_interpreter",
        "bead",
        "src_ids",
        "tgt_ids",
        "src_text",
        "tgt_text",
        "confidence",
        "signature",
    }
    assert "embedder:use-multilingual-v3" in first["signature"]
    assert "length_weight:0.2" in first["signature"]
    document_beads = read_alignments(out / "beads" / f"{first['src_doc']}__{first['tgt_doc']}.txt")
    assert len(document_beads) == len(records)
    report = (out / "report.html").read_text("utf-8")
    assert "data:image/png;base64," in report and "国家安全保障戦略" in report
    assert 'src="http' not in report and "<link" not in report  # self-contained
    assert (out / "run.json").is_file() and (out / "documents").is_dir()


def test_report_escapes_document_text(tmp_path):
    ja = tmp_path / "ja.txt"
    en = tmp_path / "en.txt"
    ja.write_text("【上川外務大臣】<script>alert(1)</script>を表示します。ありがとう。\n", "utf-8")
    en.write_text("MINISTER KAMIKAWA: <script>alert(2)</script> is shown. Thanks.\n", "utf-8")
    result = run_cli("run", ja, en, "--out", tmp_path / "run")
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "run" / "report.html").read_text("utf-8")
    assert "<script>alert" not in report and "alert(1)</script>" not in report
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in report


def test_unrelated_documents_warn_and_strict_exits_3(tmp_path, shared):
    pairs = _dev_pairs(shared, 100, 12)
    others = _dev_pairs(shared, 300, 12)
    ja, en = tmp_path / "ja.txt", tmp_path / "en.txt"
    ja.write_text("\n".join(j for j, _ in pairs), "utf-8")
    en.write_text("\n".join(e for _, e in others), "utf-8")
    relaxed = run_cli("run", ja, en, "--out", tmp_path / "a")
    assert relaxed.returncode == 0 and "low alignment confidence" in relaxed.stderr
    strict = run_cli("run", ja, en, "--out", tmp_path / "b", "--strict")
    assert strict.returncode == 3
    en.write_text("\n".join(e for _, e in pairs), "utf-8")
    matching = run_cli("run", ja, en, "--out", tmp_path / "c", "--strict")
    assert matching.returncode == 0, matching.stderr


def test_one_sentence_against_two_hundred(tmp_path, shared):
    pairs = _dev_pairs(shared, 0, 200)
    ja, en = tmp_path / "ja.txt", tmp_path / "en.txt"
    ja.write_text(pairs[57][0], "utf-8")
    en.write_text("\n".join(e for _, e in pairs), "utf-8")
    result = run_cli("run", ja, en, "--out", tmp_path / "r", "--json")
    assert result.returncode == 0, result.stderr
    records = (tmp_path / "r" / "alignment.jsonl").read_text().splitlines()
    beads = [json.loads(line) for line in records]
    matched = [b for b in beads if b["src_idx"] and b["tgt_idx"]]
    assert len(matched) == 1 and pairs[57][1] in matched[0]["tgt_text"]
    assert sum(len(b["tgt_idx"]) for b in beads) == len(read_document(en).sentences)


@pytest.mark.parametrize(
    ("content", "cause"), [("", "file is empty"), ("\x00\x01\x02" * 50, "not a text")]
)
def test_one_side_unreadable_is_exit_2(tmp_path, content, cause):
    good, bad = tmp_path / "en.txt", tmp_path / "ja.txt"
    good.write_text("SECRETARY BLINKEN: Thank you.\n", "utf-8")
    bad.write_text(content, "utf-8")
    result = run_cli("run", bad, good, "--out", tmp_path / "r")
    assert result.returncode == 2 and cause in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.stderr


def test_embedder_path_that_does_not_exist(tmp_path):
    result = run_cli(
        "run",
        EVENTS / "2022-12-16-nss-statement",
        "--out",
        tmp_path / "r",
        "--embedder",
        f"hf:{tmp_path / 'no-such-model'}",
    )
    assert result.returncode == 2 and "no-such-model" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unsupported_language_names_the_supported_ones(tmp_path):
    event = tmp_path / "event"
    event.mkdir()
    (event / "a.txt").write_text("नमस्ते। यह एक वाक्य है।\n", "utf-8")
    (event / "b.txt").write_text("Hello. This is a sentence.\n", "utf-8")
    (event / "event.yaml").write_text(
        "date: 2024-01-01\ndocuments:\n"
        "  - {file: a.txt, language: hi, kind: original}\n"
        "  - {file: b.txt, language: en, kind: translation}\n",
        "utf-8",
    )
    result = run_cli("run", event, "--out", tmp_path / "r")
    assert result.returncode == 2
    assert "hi" in result.stderr and "ja" in result.stderr and "en" in result.stderr
    assert "does not support language 'hi'" in result.stderr and "supported: " in result.stderr


def test_event_yaml_unknown_key_is_an_error(tmp_path):
    event = tmp_path / "event"
    event.mkdir()
    (event / "event.yaml").write_text("date: 2024-01-01\ncolour: blue\ndocuments: []\n")
    result = run_cli("run", event, "--out", tmp_path / "r")
    assert result.returncode == 2 and "colour" in result.stderr


def test_english_only_event_flags_the_known_slip(tmp_path):
    out = tmp_path / "opening"
    result = run_cli("run", EVENTS / "2024-07-28-2plus2-opening", "--out", out)
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "run.json").read_text("utf-8"))
    flags = summary["document_term_flags"]["2plus2-2024-07-28-opening.en"]
    slip = [f for f in flags if f["concept_id"] == "stand-off-defense-capabilities"]
    assert slip and slip[0]["found"] == "standard defense capability"
    assert slip[0]["speaker"] == "kihara"
    report = (out / "report.html").read_text("utf-8")
    assert "standard defense capability" in report and "no counterpart in this event" in report


def test_bead_records_carry_term_flags(tmp_path):
    out = tmp_path / "kaiken"
    assert run_cli("run", EVENTS / "2024-07-23-mofa-press-conference", "--out", out).returncode == 0
    beads = read_beads(out)
    assert beads and all(isinstance(b.term_flags, list) for b in beads)
    assert all(b.scores and 0.0 <= b.scores.divergence <= 1.0 for b in beads)
    assert any(b.scores.labels for b in beads) and all(not b.scores.stale for b in beads)
    assert (out / "scores.parquet").is_file() and (out / "scores.csv").is_file()
    report = (out / "report.html").read_text("utf-8")
    assert "<th>div.</th>" in report
