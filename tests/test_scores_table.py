"""scores.csv and scores.parquet hold what a pandas frame of the rows holds."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from align.scoring import table


def _rows() -> list[dict]:
    return [
        {"event": "e1", "bead": "[0]:[0]", "src_text": 'a "quoted", comma', "divergence": 0.25,
         "similarity_z": None, "terminology_flags": 0, "p_omission": 0.1},
        {"event": "e1", "bead": "[1]:[]", "src_text": "改行\nあり", "divergence": 1.0,
         "similarity_z": math.nan, "terminology_flags": 2},  # no probabilities: a one-sided bead
    ]  # fmt: skip


def test_tables_match_a_pandas_frame_of_the_rows(tmp_path: Path, monkeypatch) -> None:
    rows = _rows()
    monkeypatch.setattr(table, "row", lambda record: record)
    table.write_tables(rows, tmp_path)  # type: ignore[arg-type]
    frame = pd.DataFrame(rows)
    assert (tmp_path / "scores.csv").read_text("utf-8") == frame.to_csv(index=False)
    read = pd.read_parquet(tmp_path / "scores.parquet")
    pd.testing.assert_frame_equal(read, frame, check_dtype=False)
    assert not list(tmp_path.glob(".*.tmp"))


def test_no_beads_write_empty_tables(tmp_path: Path) -> None:
    table.write_tables([], tmp_path)
    assert (tmp_path / "scores.csv").read_text("utf-8").strip() == ""
    assert len(pd.read_parquet(tmp_path / "scores.parquet")) == 0
