"""Batch progress: plain lines in a log (done/total, ETA), bars on a terminal, none if quiet."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

from align.batch.progress import BatchProgress
from tests.test_batch_support import NSS, ROOT, cli, copy_event, write_config

LINE = re.compile(
    r"^batch: (\d+)/(\d+) events \(done \d+, skipped \d+, failed \d+\), "
    r"elapsed \d+:\d\d:\d\d, ETA (\d+:\d\d:\d\d|unknown)$"
)


def test_lines_every_interval_with_counts_and_eta() -> None:
    log = io.StringIO()
    with BatchProgress(4, mode="lines", stream=log, interval=0.05) as bar:
        for failed in (False, False, True):
            time.sleep(0.12)
            bar.event_finished(failed, computed=True)
        time.sleep(0.12)
        bar.event_finished(False, computed=False)
    lines = log.getvalue().splitlines()
    assert len(lines) >= 6, lines  # a first line, one per interval, and a last one
    assert all(LINE.match(line) for line in lines), lines
    done = [int(LINE.match(line).group(1)) for line in lines]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 4
    assert lines[-1].startswith("batch: 4/4 events (done 2, skipped 1, failed 1)")
    assert lines[-1].endswith("ETA 0:00:00")
    middle = next(line for line in lines if line.startswith("batch: 2/4"))
    assert "ETA unknown" not in middle


def test_auto_is_lines_off_a_terminal_and_quiet_is_silent() -> None:
    log = io.StringIO()
    assert BatchProgress(1, stream=log).mode == "lines"
    with BatchProgress(1, mode="quiet", stream=log, interval=0.01) as bar:
        time.sleep(0.05)
        bar.event_finished(False, computed=True)
    assert log.getvalue() == ""


def test_batch_log_file_shows_progress_lines(tmp_path: Path) -> None:
    copy_event(NSS, tmp_path / "events")
    steps = {"align": {"pictures": False}}
    config = write_config(tmp_path / "b.yaml", {"out": "out", "events": {"glob": "events/*"},
                                                "steps": steps})  # fmt: skip
    log = tmp_path / "batch.log"  # `interp-align batch b.yaml 2> batch.log`
    with log.open("w", encoding="utf-8") as stderr:
        done = subprocess.run([sys.executable, "-m", "align", "batch", str(config)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=stderr, timeout=300)  # fmt: skip
    assert done.returncode == 0, log.read_text("utf-8")
    lines = [line for line in log.read_text("utf-8").splitlines() if line.startswith("batch: ")]
    assert LINE.match(lines[0]) and lines[0].startswith("batch: 0/1 events")
    assert lines[-1].startswith("batch: 1/1 events (done 1, skipped 0, failed 0)")
    quiet = cli("batch", config, "--quiet")
    assert quiet.returncode == 0 and "batch: " not in quiet.stderr


def test_bar_mode_draws_a_rich_bar_with_the_counts() -> None:
    screen = io.StringIO()
    with BatchProgress(2, mode="bar", stream=screen) as bar:
        bar.event_finished(False, computed=True)
        bar.event_finished(True, computed=True)
    drawn = screen.getvalue()
    assert "━" in drawn and "2/2" in drawn and "failed 1" in drawn
    assert "events (done" not in drawn  # no plain-text lines on a terminal


def test_run_prints_one_counted_line_per_event_unless_quiet(tmp_path: Path) -> None:
    event = ROOT / "corpora" / "events" / NSS
    loud = cli("run", event, "--out", tmp_path / "a", "--no-score", "--no-pictures")
    assert loud.returncode == 0, loud.stderr
    assert re.search(rf"^aligning {NSS} \(1/1, 0:\d\d:\d\d elapsed\) …$", loud.stderr, re.M)
    quiet = cli("run", event, "--out", tmp_path / "b", "--no-score", "--no-pictures", "-q")
    assert quiet.returncode == 0 and "aligning" not in quiet.stderr
