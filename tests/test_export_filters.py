"""Filters, direction, gaps, dedupe, input errors and laziness of the export pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from align.errors import EmptyResultError, InputError
from align.export import FilterLog, Filters, export_runs, get_format, iter_records
from align.export.filters import pipeline
from tests.beads import record, typed, write_alignment


def bead(index: int, **extra: Any) -> dict[str, Any]:
    """A minimal alignment record: JA original, EN rendering, unique texts."""
    record = {
        "event": "ev-a",
        "date": "2024-07-28",
        "src_lang": "ja",
        "tgt_lang": "en",
        "pair_index": 0,
        "bead_index": index,
        "bead": "1-1",
        "src_ids": [f"t0s{index}"],
        "tgt_ids": [f"t0s{index}"],
        "src_speaker": "上川",
        "tgt_speaker": "Kamikawa",
        "src_text": f"文{index}。",
        "tgt_text": f"Sentence {index}.",
        "confidence": 0.9,
        "signature": "sig",
    }
    record.update(extra)
    return record


def write_run(folder: Path, records: list[dict[str, Any]]) -> Path:
    return write_alignment(folder, records)


def exported(tmp_path: Path, records: list[dict[str, Any]], **options: Any) -> list[str]:
    """Export as JSONL and return the English side of what was written."""
    run = write_run(tmp_path / "run", records)
    out = tmp_path / "out.jsonl"
    export_runs([run], "jsonl", out, **options)
    return [row["en"] for row in get_format("jsonl").read(out)]


def test_min_confidence_keeps_beads_at_or_above(tmp_path: Path) -> None:
    records = [bead(0, confidence=0.2), bead(1, confidence=0.5), bead(2, confidence=0.8)]
    kept = exported(tmp_path, records, filters=Filters(min_confidence=0.5))
    assert kept == ["Sentence 1.", "Sentence 2."]


def test_max_divergence_keeps_scored_beads_at_or_below(tmp_path: Path) -> None:
    records = [bead(0, divergence=0.1), bead(1, divergence=0.7), bead(2), bead(3, divergence=0.4)]
    kept = exported(tmp_path, records, filters=Filters(max_divergence=0.4))
    assert kept == ["Sentence 0.", "Sentence 3."]  # unscored bead 2 cannot pass


def test_score_presence_is_judged_before_other_filters_drop_beads(tmp_path: Path) -> None:
    records = [bead(0, confidence=0.1, divergence=0.1, reviewed=True), bead(1, confidence=0.9)]
    both = Filters(min_confidence=0.5, max_divergence=0.5)
    with pytest.raises(EmptyResultError):  # scores exist, the filters just leave nothing
        exported(tmp_path / "a", records, filters=both)
    reviewed = Filters(min_confidence=0.5, reviewed_only=True)
    with pytest.raises(EmptyResultError):
        exported(tmp_path / "b", records, filters=reviewed)


def test_max_divergence_without_any_score_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no bead has a divergence score"):
        exported(tmp_path, [bead(0), bead(1)], filters=Filters(max_divergence=0.5))
    assert not (tmp_path / "out.jsonl").exists()


def test_bead_types(tmp_path: Path) -> None:
    records = [bead(0, bead="1-1"), bead(1, bead="1-2"), bead(2, bead="2-1"), bead(3, bead="2-2")]
    kept = exported(tmp_path, records, filters=Filters(bead_types=frozenset({"1-2", "2-1"})))
    assert kept == ["Sentence 1.", "Sentence 2."]


def test_reviewed_only_uses_status_then_the_reviewed_flag(tmp_path: Path) -> None:
    records = [
        bead(0, review_status="final"),
        bead(1, review_status="reviewed"),
        bead(2, review_status="initial"),
        bead(3, review_status="rejected", reviewed=True),
        bead(4, reviewed=True),
        bead(5, reviewed=False),
        bead(6),
    ]
    kept = exported(tmp_path, records, filters=Filters(reviewed_only=True))
    assert kept == ["Sentence 0.", "Sentence 1.", "Sentence 4."]


def test_reviewed_only_without_review_data_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(EmptyResultError, match="no bead has been reviewed"):
        exported(tmp_path, [bead(0)], filters=Filters(reviewed_only=True))


def test_speaker_matches_either_side_case_insensitively(tmp_path: Path) -> None:
    records = [bead(0), bead(1, src_speaker="ブリンケン", tgt_speaker="Blinken"), bead(2)]
    records[2]["src_speaker"] = records[2]["tgt_speaker"] = None
    by_english = Filters(speakers=frozenset({"BLINKEN"}))
    assert exported(tmp_path / "a", records, filters=by_english) == ["Sentence 1."]
    by_japanese = Filters(speakers=frozenset({"上川"}))
    assert exported(tmp_path / "b", records, filters=by_japanese) == ["Sentence 0."]


def test_event_filter(tmp_path: Path) -> None:
    records = [bead(0, event="ev-a"), bead(1, event="ev-b"), bead(2, event="ev-c")]
    kept = exported(tmp_path, records, filters=Filters(events=frozenset({"ev-b", "ev-c"})))
    assert kept == ["Sentence 1.", "Sentence 2."]


def test_gaps_are_skipped_unless_asked_for(tmp_path: Path) -> None:
    records = [bead(0), bead(1, bead="0-1", src_text="", src_ids=[]), bead(2, tgt_text="  ")]
    assert exported(tmp_path, records) == ["Sentence 0."]
    (tmp_path / "out.jsonl").unlink()
    run = tmp_path / "run"
    export_runs([run], "jsonl", tmp_path / "out.jsonl", filters=Filters(include_gaps=True))
    rows = list(get_format("jsonl").read(tmp_path / "out.jsonl"))
    assert [(r["en"], r["ja"]) for r in rows] == [
        ("Sentence 0.", "文0。"),
        ("Sentence 1.", ""),
        ("  ", "文2。"),
    ]


def test_dedupe_keeps_the_first_of_exact_duplicate_pairs(tmp_path: Path) -> None:
    records = [
        bead(0),
        bead(1, src_text="文0。", tgt_text="Sentence 0."),  # same pair as bead 0
        bead(2, src_text="文0。", tgt_text="Sentence 0!"),  # differs on one side
    ]
    run = write_run(tmp_path / "run", records)
    out = tmp_path / "out.jsonl"
    result = export_runs([run], "jsonl", out, filters=Filters(dedupe=True))
    rows = list(get_format("jsonl").read(out))
    assert [(r["en"], r["bead_index"]) for r in rows] == [("Sentence 0.", 0), ("Sentence 0!", 2)]
    assert result.log.dropped["dedupe"] == 1


def test_direction_must_match_the_records_languages(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ja-ko, not --direction en-ja"):
        exported(tmp_path, [bead(0, tgt_lang="ko")])


def test_filter_that_leaves_nothing_raises_empty_result_and_writes_nothing(
    tmp_path: Path,
) -> None:
    with pytest.raises(EmptyResultError, match=r"read 2 beads, wrote 0 \(dropped: event 2\)"):
        exported(tmp_path, [bead(0), bead(1)], filters=Filters(events=frozenset({"none"})))
    assert list(tmp_path.glob("out*")) == [] and list(tmp_path.glob(".out*")) == []


def test_a_failed_forced_export_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous corpus\n", encoding="utf-8")
    run = write_run(tmp_path / "run", [bead(0)])
    with pytest.raises(EmptyResultError):
        export_runs([run], "jsonl", out, force=True, filters=Filters(min_confidence=1.0))
    assert out.read_text(encoding="utf-8") == "previous corpus\n"


def test_several_runs_are_read_in_order(tmp_path: Path) -> None:
    first = write_run(tmp_path / "a", [bead(0), bead(1)])
    second = write_run(tmp_path / "b", [bead(2, event="ev-b")])
    out = tmp_path / "all.jsonl"
    result = export_runs([first, second], "jsonl", out)
    assert [r["en"] for r in get_format("jsonl").read(out)] == [
        "Sentence 0.",
        "Sentence 1.",
        "Sentence 2.",
    ]
    assert result.log.summary() == "read 3 beads, wrote 3"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no alignment records"),
        ("\n\n", "holds no alignment records"),
        ('{"src_lang": "ja"\n', "line 1: not valid JSON"),
        ("[1, 2]\n", "line 1: bead record: expected a JSON object"),
        ('{"src_lang": "ja", "tgt_lang": "en"}\n', "line 1: bead record of schema 1"),
        ('{"schema": 2, "src_lang": "ja"}\n', "line 1: bead record: missing event, date"),
        (
            json.dumps(record({"src_text": 1, "confidence": "x"})) + "\n",
            "line 1: bead record: wrong type for src_text, confidence",
        ),
        (json.dumps({**record({}), "colour": 1}) + "\n", "line 1: bead record: unknown key"),
    ],
)
def test_bad_alignment_files_are_input_errors_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "alignment.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        export_runs([run], "csv", tmp_path / "out.csv")
    assert str(run / "alignment.jsonl") in str(caught.value)


def test_a_bad_line_later_in_the_file_names_its_line_number(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [bead(0), bead(1)])
    with (run / "alignment.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("not json\n")
    with pytest.raises(InputError, match="line 3: not valid JSON"):
        export_runs([run], "tmx", tmp_path / "out.tmx")
    assert not (tmp_path / "out.tmx").exists()


def test_missing_run_directory_and_missing_alignment(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run directory does not exist"):
        export_runs([tmp_path / "nope"], "csv", tmp_path / "out.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no alignment.jsonl"):
        export_runs([tmp_path / "empty"], "csv", tmp_path / "out.csv")


def test_unknown_format_and_bad_direction(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [bead(0)])
    with pytest.raises(InputError, match="unknown export format 'docx'"):
        export_runs([run], "docx", tmp_path / "out.docx")
    with pytest.raises(InputError, match="bad --direction"):
        export_runs([run], "csv", tmp_path / "out.csv", direction="en")


def test_pipeline_is_lazy(tmp_path: Path) -> None:
    """Records are pulled one at a time: nothing is read ahead of what the writer takes."""
    pulled = []

    def records() -> Any:
        for index in range(1_000_000):
            pulled.append(index)
            yield typed(bead(index))

    pairs = pipeline(records(), Filters(), ("en", "ja"), FilterLog(), "test")
    first = next(pairs)
    assert first.texts == ("Sentence 0.", "文0。")
    assert pulled == [0]


def test_iter_records_streams_the_file(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [bead(i) for i in range(3)])
    records = iter_records(run / "alignment.jsonl")
    assert next(records).bead_index == 0
    assert [r.bead_index for r in records] == [1, 2]
