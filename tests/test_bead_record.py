"""The typed bead record: round trip, the one reader's error rule, migration, scoring in memory."""

from __future__ import annotations

import json
import shutil
from dataclasses import fields, replace
from pathlib import Path

import pytest

from align.errors import InputError
from align.model import (
    BEAD_SCHEMA,
    AlignedBead,
    Correction,
    Review,
    Scores,
    TermFlag,
    migrate_v1,
)
from align.rundir import iter_beads, migrate_run, read_beads, write_beads
from tests.beads import typed
from tests.conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data"
CONTROL = "a\x00b\x07c\x1b[0m\u2028d\ud800"  # NUL, BEL, ESC, line separator, a lone surrogate


def full_bead() -> AlignedBead:
    """A bead with every field and every block set, Japanese and control characters inside."""
    flag = TermFlag("wrong_rendering", "high", "rule-of-law", "法の支配", "rule of law",
                    "rules-based order", f"理由 {CONTROL}", [0, 4], [19, 36])  # fmt: skip
    scores = Scores(0.8123, ["terminology", "number"], ["用語「法の支配」", CONTROL],
                    {"numbers": {"missing": ["43兆円"]}, "probabilities": {"divergence": 0.8}},
                    "scorer:interp-align:0.1.0|embedder:use", stale=True)  # fmt: skip
    review = Review("final", f"メモ {CONTROL}", "keiko", "2026-01-01T00:00:00.000+00:00", 3,
                    [Correction("tgt", 1, "t2s1", "rules-based order", "rule of law")])  # fmt: skip
    return AlignedBead(
        event="2024-07-23-記者会見", date="2024-07-23", src_doc="ja_doc", tgt_doc="en_doc",
        src_lang="ja", tgt_lang="en", tgt_kind="interpretation", original_lang="ja", pair_index=2,
        src_turn=4, tgt_turn=5, src_speaker="kamikawa", tgt_speaker=None, via_interpreter=True,
        bead_index=7, bead="2-1", src_idx=[0, 1], tgt_idx=[1], src_ids=["t4s0", "t4s1"],
        tgt_ids=["t5s1"], src_text=f"法の支配を守る。{CONTROL}", tgt_text="rules-based order",
        confidence=0.4321, signature="interp-align:0.1.0|x:y", term_flags=[flag],
        scores=scores, review=review,
    )  # fmt: skip


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    bead = full_bead()
    assert AlignedBead.from_dict(bead.to_dict()) == bead
    assert AlignedBead.from_dict(json.loads(json.dumps(bead.to_dict()))) == bead
    run = tmp_path / "run"
    write_beads(run, [bead, replace(bead, scores=None, review=None, term_flags=None)])
    back = read_beads(run)
    assert back[0] == bead and back[1].scores is None and back[1].term_flags is None
    assert back[0].src_text.endswith(CONTROL) and back[0].review.note.endswith(CONTROL)
    stored = json.loads((run / "alignment.jsonl").read_text("utf-8").splitlines()[0])
    assert stored["schema"] == BEAD_SCHEMA
    assert {f.name for f in fields(AlignedBead)} - {"run"} == set(stored) - {"schema"}


def test_the_line_separator_inside_a_text_does_not_split_the_record(tmp_path: Path) -> None:
    write_beads(tmp_path, [full_bead(), full_bead()])
    assert len(list(iter_beads(tmp_path / "alignment.jsonl"))) == 2


def _lines(run: Path) -> list[str]:
    return (run / "alignment.jsonl").read_text("utf-8").splitlines(keepends=True)


def test_truncated_last_line_names_file_and_line_and_keeps_earlier_beads(tmp_path: Path) -> None:
    write_beads(tmp_path, [typed({"bead_index": i, "src_text": "文。"}) for i in range(3)])
    text = "".join(_lines(tmp_path))
    (tmp_path / "alignment.jsonl").write_text(text[:-40], encoding="utf-8")  # killed mid-write
    read = []
    with pytest.raises(InputError, match=r"alignment.jsonl: line 3: truncated record") as caught:
        read.extend(iter_beads(tmp_path / "alignment.jsonl"))
    assert "2 line(s) before it are intact" in str(caught.value)
    assert [b.bead_index for b in read] == [0, 1]


def test_another_schema_version_is_a_clear_error(tmp_path: Path) -> None:
    record = {**full_bead().to_dict(), "schema": 4}
    (tmp_path / "alignment.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: bead record of schema 4, this interp-align"):
        read_beads(tmp_path)


def test_schema_2_records_read_with_the_source_as_original(tmp_path: Path) -> None:
    """Schema 2 had no direction (the source was the original): read as schema 3, migrated."""
    old = {k: v for k, v in full_bead().to_dict().items() if k != "original_lang"}
    (tmp_path / "alignment.jsonl").write_text(json.dumps({**old, "schema": 2}) + "\n", "utf-8")
    bead = read_beads(tmp_path)[0]
    assert bead.original_lang == "ja" and bead.original_side == "src"
    assert migrate_run(tmp_path) == 1
    stored = json.loads((tmp_path / "alignment.jsonl").read_text("utf-8"))
    assert stored["schema"] == BEAD_SCHEMA == 3 and stored["original_lang"] == "ja"


def test_a_reversed_bead_names_its_original_side() -> None:
    bead = replace(full_bead(), original_lang="en")
    assert bead.original_side == "tgt" and bead.rendering_lang == "ja"
    assert AlignedBead.from_dict(bead.to_dict()).original_lang == "en"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: {**r, "colour": "red"}, "line 2: bead record: unknown key\\(s\\) colour"),
        (lambda r: {k: v for k, v in r.items() if k != "tgt_ids"}, "line 2: .*missing tgt_ids"),
        (lambda r: {**r, "scores": {**r["scores"], "extra": 1}}, "line 2: scores: unknown key"),
        (lambda r: {**r, "term_flags": [{"kind": "x"}]}, "line 2: term flag: missing severity"),
        (lambda r: {**r, "pair_index": "0"}, "line 2: bead record: wrong type for pair_index"),
        (lambda r: {**r, "src_idx": [0, "1"]}, "line 2: bead record: wrong type for src_idx"),
    ],
)
def test_bad_records_name_file_and_line(tmp_path: Path, change, message: str) -> None:
    good = full_bead().to_dict()
    lines = [json.dumps(good), json.dumps(change(good))]
    (tmp_path / "alignment.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_beads(tmp_path)
    assert str(tmp_path / "alignment.jsonl") in str(caught.value)


def test_cli_names_the_bad_line_and_exits_2(tmp_path: Path) -> None:
    record = {**full_bead().to_dict(), "colour": "red"}
    (tmp_path / "alignment.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run_cli("export", tmp_path, "--format", "csv", "--out", tmp_path / "x.csv")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"interp-align: error: {tmp_path / 'alignment.jsonl'}: line 1: bead record: "
        "unknown key(s) colour"
    )


def test_schema_1_runs_are_refused_then_migrated_on_request(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(DATA / "sample_alignment_v1.jsonl", run / "alignment.jsonl")
    with pytest.raises(InputError, match="schema 1.*interp-align migrate"):
        read_beads(run)
    old = [json.loads(x) for x in (DATA / "sample_alignment_v1.jsonl").read_text().splitlines()]
    result = run_cli("migrate", run)
    assert result.returncode == 0, result.stderr
    beads = read_beads(run)
    assert [b.to_dict() for b in beads] == [migrate_v1(r) for r in old]
    assert beads[0].src_text == old[0]["src_text"] and beads[0].scores is None
    assert migrate_run(run) == len(old)  # idempotent


def test_migration_moves_flat_scores_and_review_into_blocks() -> None:
    flat = {**json.loads((DATA / "sample_alignment_v1.jsonl").read_text().splitlines()[0]),
            "divergence": 0.5, "labels": ["omission"], "reasons": ["JA 「…」"],
            "signals": {"x": 1}, "scoring_signature": "s", "review_status": "final",
            "reviewed": True, "note": "n", "reviewed_by": "a", "reviewed_at": "t",
            "corrections": []}  # fmt: skip
    bead = AlignedBead.from_dict(migrate_v1(flat))
    assert bead.scores == Scores(0.5, ["omission"], ["JA 「…」"], {"x": 1}, "s")
    assert bead.review == Review("final", "n", "a", "t", None, [])


def test_score_beads_in_memory_labels_a_currency_mismatch_as_number() -> None:
    from align.embed import load_embedder
    from align.scoring.run import score_beads, scoring_context

    ja = "防衛力整備の水準を5年間で43兆円とします。"
    beads = [
        typed({"bead_index": 0, "src_text": ja, "tgt_text": "We will spend 43 trillion dollars "
               "on the defense buildup over five years."}),
        typed({"bead_index": 1, "src_text": ja, "tgt_text": "We will spend 43 trillion yen "
               "on the defense buildup over five years."}),
    ]  # fmt: skip
    context = scoring_context(load_embedder("use"))
    scored = score_beads(beads, context)
    assert all(b.scores is None for b in beads)  # the inputs are left as they were
    dollars, yen = scored
    assert "number" in dollars.scores.labels and "number" not in yen.scores.labels
    reason = dollars.scores.reasons[dollars.scores.labels.index("number")]
    assert "43兆円" in reason and "43 trillion dollars" in reason
    assert dollars.scores.signature == context.signature
