"""Batch runs on real events: a bad event is recorded, finished work is skipped, a kill resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from align.batch import build_plan, run_batch
from align.batch.markers import marker_path
from align.batch.results import connect
from align.batch.tables import read_errors
from tests.test_batch_support import (
    KAIKEN,
    NSS,
    ROOT,
    TANAKA,
    broken_event,
    cli,
    copy_event,
    different_files,
    tanaka_event,
    write_config,
)

NO_PICTURES = {"align": {"pictures": False}, "report": {}}


def _beads(run_dir: Path) -> int:
    return sum(1 for line in (run_dir / "alignment.jsonl").open(encoding="utf-8") if line.strip())


def test_bad_event_is_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    copy_event(NSS, tmp_path / "events")
    broken_event(tmp_path / "events")
    ja = f"events/{NSS}/ja_mofa_nss_statement_20221216.txt"
    en = f"events/{NSS}/en_mofa_nss_statement_20221216.txt"
    (tmp_path / "pairs.csv").write_text(f"event,src,tgt\nmanifest-nss,{ja},{en}\n", "utf-8")
    title = "<script>alert('x')</script> & co"
    inline = {"id": "inline-nss", "title": title, "documents": [{"file": ja}, {"file": en}]}
    config = write_config(
        tmp_path / "batch.yaml",
        {
            "out": "out",
            "events": {"glob": "events/*", "manifest": "pairs.csv", "inline": [inline]},
            "steps": NO_PICTURES,
        },
    )
    result = cli("batch", config)
    assert result.returncode == 1, result.stderr
    out = tmp_path / "out"
    errors = read_errors(out / "errors.csv")
    assert [(e["event"], e["step"]) for e in errors] == [("broken", "align")]
    assert "ja.txt" in errors[0]["message"] and "PNG" in errors[0]["message"]
    assert "failed: broken [align]" in result.stdout
    for event in (NSS, "manifest-nss", "inline-nss"):
        assert _beads(out / "events" / event) > 5
        assert marker_path(out / "events" / event, "align").is_file()
    assert not marker_path(out / "events" / "broken", "align").exists()
    connection = connect(out)
    rows = dict(connection.execute("SELECT event, status FROM events").fetchall())
    beads = connection.execute("SELECT SUM(beads) FROM events").fetchall()[0][0]
    connection.close()
    assert rows == {NSS: "ok", "broken": "failed", "manifest-nss": "ok", "inline-nss": "ok"}
    assert beads == ds.dataset(out / "beads").count_rows() > 15
    html = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="events/{NSS}/report.html"' in html
    assert 'href="events/inline-nss/report.html"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def _outputs(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_finished_steps_are_skipped_until_inputs_change(tmp_path: Path) -> None:
    first, second = copy_event(NSS, tmp_path / "events"), copy_event(KAIKEN, tmp_path / "events")
    config = write_config(
        tmp_path / "batch.yaml",
        {"out": "out", "events": {"glob": "events/*"}, "steps": NO_PICTURES},
    )
    assert run_batch(build_plan(config), progress=False).counts["computed"] == 2
    events_dir = tmp_path / "out" / "events"
    before = _outputs(events_dir)
    again = run_batch(build_plan(config), progress=False)
    assert again.counts == {"events": 2, "computed": 0, "skipped": 2, "failed": 0}
    assert _outputs(events_dir) == before
    edited = next(first.glob("en_*.txt"))
    edited.write_text(edited.read_text("utf-8") + "\nA sentence added later.\n", "utf-8")
    changed = run_batch(build_plan(config), progress=False)
    assert [r.steps["align"] for r in changed.results] == ["done", "skipped"]
    assert "A sentence added later." in (events_dir / NSS / "alignment.jsonl").read_text("utf-8")
    forced = run_batch(build_plan(config, overwrite=True), progress=False)
    assert forced.counts["computed"] == 2
    assert second.name in {r.event for r in forced.results}


@pytest.mark.skipif(not TANAKA.is_dir(), reason="../shared is not present")
def test_resume_after_kill_recomputes_only_unfinished_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events"
    copy_event(NSS, events, "a-first")
    tanaka_event(events, "b-long", pairs=160)
    copy_event(KAIKEN, events, "c-last")
    data = {"events": {"glob": "events/*"}, "steps": NO_PICTURES}
    killed = write_config(tmp_path / "killed.yaml", {"out": "killed", **data})
    reference = write_config(tmp_path / "reference.yaml", {"out": "reference", **data})
    env = {**os.environ, "INTERP_ALIGN_CACHE": str(tmp_path / "cache-killed")}
    process = subprocess.Popen(
        [sys.executable, "-m", "align", "batch", str(killed)],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    first = marker_path(tmp_path / "killed" / "events" / "a-first", "align")
    deadline = time.monotonic() + 120
    while not first.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert first.exists(), "the batch died before finishing its first event"
    last = marker_path(tmp_path / "killed" / "events" / "c-last", "align")
    if last.exists():
        pytest.skip("the batch finished before it could be killed")
    resumed = cli("batch", killed, "--json", env=env)
    report = json.loads(resumed.stdout)
    steps = {e["event"]: e["steps"]["align"] for e in report["events"]}
    assert steps == {"a-first": "skipped", "b-long": "done", "c-last": "done"}
    monkeypatch.setenv("INTERP_ALIGN_CACHE", str(tmp_path / "cache-reference"))  # cold too
    run_batch(build_plan(reference), progress=False)
    assert different_files(tmp_path / "killed", tmp_path / "reference") == []
