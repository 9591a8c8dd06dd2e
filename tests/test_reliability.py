"""Reliability: no silent corruption in decoding, no hangs, no half-written runs, bounded batches.

Hostile fixtures are built here from real corpus text (damaged UTF-8, UTF-16 without BOM, NULs
past the first 8 KB, 60,000-deep HTML, a FIFO, a 30,000-character Japanese sentence).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from align.batch import worker
from align.batch.spec import EventSpec
from align.batch.steps import Settings, StepPlan
from align.embed.base import Embedder
from align.errors import InputError
from align.export.table import neutralise
from align.ingest import parse_text, read_document
from align.ingest.decode import decode_report
from align.ingest.html import cap_depth
from align.text.japanese import MAX_CHARS, chunked, pieces
from tests.test_bad_inputs import cli

ROOT = Path(__file__).resolve().parents[1]
NSS = ROOT / "corpora" / "events" / "2022-12-16-nss-statement"
EN = next(NSS.glob("en_*.txt")).read_text(encoding="utf-8")
JA = next(NSS.glob("ja_*.txt")).read_text(encoding="utf-8")


def _damage(text: str, marker: str) -> tuple[bytes, int]:
    """The UTF-8 bytes with the last `marker` character cut to its first byte."""
    data = text.encode("utf-8")
    at = data.rindex(marker.encode("utf-8"))
    return data[: at + 1] + data[at + len(marker.encode("utf-8")) :], at


def test_one_bad_byte_in_english_is_replaced_with_a_warning_naming_the_offset(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = EN + "\nToday’s meeting matters.\n"
    data, at = _damage(text, "’")
    with caplog.at_level(logging.WARNING):
        decoded = decode_report(data, "en.txt")
    assert decoded.encoding == "utf-8" and decoded.replaced == [at]
    assert "Today\ufffds meeting" in decoded.text, "decoded as UTF-8, not as a legacy code page"
    assert EN.splitlines()[5] in decoded.text
    assert f"en.txt: invalid UTF-8 replaced by U+FFFD at byte offset(s) {at}" in caplog.text
    assert "replaced" in decoded.label


def test_one_bad_byte_in_japanese_is_replaced_not_refused() -> None:
    data, at = _damage(JA, "国")
    decoded = decode_report(data, "ja.txt")
    assert decoded.encoding == "utf-8" and decoded.replaced == [at]
    assert JA.splitlines()[-1] in decoded.text


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "iso2022_jp", "utf-16-le", "utf-16-be"])
def test_japanese_encodings_and_utf16_without_bom(encoding: str) -> None:
    decoded = decode_report(JA.encode(encoding), "ja.txt")
    assert decoded.encoding.replace("_", "-") == encoding.replace("_", "-")
    assert decoded.text == JA and not decoded.replaced


def test_western_legacy_text_only_on_clear_evidence() -> None:
    text = EN.replace("’", "'") + "\nCafé, naïve résumé, Zürich, São Paulo — déjà vu.\n"
    decoded = decode_report(text.encode("cp1252"), "en.txt")
    assert decoded.encoding == "cp1252" and decoded.text == text


def test_nul_bytes_past_the_first_8_kb_are_not_text() -> None:
    data = ("a sentence. " * 1000).encode() + b"\x00\x00binary"
    with pytest.raises(InputError, match="NUL byte at about byte offset 12000"):
        decode_report(data, "x.txt")


def test_run_json_and_inspect_show_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_bytes(_damage(EN + "\nToday’s meeting.\n", "’")[0])
    document = read_document(path)
    assert document.encoding == "utf-8 (1 invalid byte(s) replaced)"
    code, _ = cli("inspect", path)
    assert code == 0


def test_60000_deep_html_is_fast() -> None:
    html = "<html><body>" + "<div>" * 60_000 + "<p>Deep text here.</p>" + "</div>" * 60_000
    started = time.perf_counter()
    document = parse_text(html + "</body></html>")
    assert time.perf_counter() - started < 10.0
    assert "Deep text here." in document.text
    shallow = "<div><p>a</p></div>"
    assert cap_depth(shallow) == shallow, "real pages are left alone"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_non_regular_files_are_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    for args in (["inspect", path], ["sentences", path, path]):
        code, err = cli(*args)
        assert code == 2 and "not a regular file" in err, err


def test_max_bead_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a\nb\n", encoding="utf-8")
    code, _ = cli("sentences", tmp_path / "a", tmp_path / "a", "--max-bead", "1000")
    assert code == 2


def test_long_japanese_text_is_tokenised_in_pieces_with_offsets_kept() -> None:
    from sudachipy import Dictionary, SplitMode

    text = "日本政府は、国際社会と連携しながら防衛力を抜本的に強化していく方針を示し" * 900
    assert len(text.encode("utf-8")) > 49_149, "over SudachiPy's input limit"
    assert "".join(piece for _, piece in pieces(text)) == text
    assert all(len(piece) <= MAX_CHARS for _, piece in pieces(text))
    morphemes = list(chunked(Dictionary().tokenizer(mode=SplitMode.C)).tokenize(text))
    assert all(text[m.begin() : m.end()] == m.surface() for m in morphemes)
    assert morphemes[-1].end() == len(text)


def test_signals_score_a_30000_character_japanese_sentence() -> None:
    from align.scoring.anchors import _tokenizer as anchor_tokenizer
    from align.scoring.lexical import content_words

    sentence = "防衛力を抜本的に強化していくための取組を進め" * 1400
    words = content_words(sentence)
    assert words and words[-1].end <= len(sentence)
    assert sum(1 for _ in anchor_tokenizer().tokenize(sentence)) > 1000


def test_signals_tokenise_japanese_from_two_threads_at_once() -> None:
    """The review server rescores on a worker thread while requests tokenise too."""
    import threading

    from align.scoring.lexical import content_words
    from align.scoring.polarity import check_polarity
    from align.terms.normalize import japanese_keyed

    sentence = "日米同盟の抑止力・対処力を一層強化していかなければなりません。"
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(300):
                content_words(sentence)
                check_polarity(sentence, "We must further strengthen the alliance.")
                japanese_keyed(sentence)
        except BaseException as error:  # the failure is reported below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_failure_late_in_a_run_leaves_no_half_written_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import align.runner as runner
    from align.runner import RunOptions, run_event

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the report failed after the run's other files were written")

    monkeypatch.setattr(runner, "render_report", broken)
    from align.ingest.event import load_event

    event = load_event(NSS)
    out = tmp_path / "run"
    with pytest.raises(RuntimeError):
        run_event(event, out, _FakeEmbedder(), RunOptions(pictures=False))
    assert not out.exists(), "nothing is left where the run would be"
    assert not list(tmp_path.iterdir()), "the scratch directory is removed too"


class _FakeEmbedder(Embedder):
    """Deterministic vectors from each text's CRC: alignment runs without a model."""

    name, version = "fake", "1"

    @property
    def dim(self) -> int:
        return 16

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=16) for t in texts]
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), 16)


@pytest.fixture
def hanging_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Batch settings with a 0.5 s event limit, whose align step hangs for the event "slow"."""

    def step(event: EventSpec, run_dir: Path, step: StepPlan, settings: Settings) -> list:
        if event.id == "slow":
            while True:  # a hang in Python code
                time.sleep(0.01)
        return []

    monkeypatch.setitem(worker.EVENT_STEPS, "align", step)
    monkeypatch.setattr(worker, "event_row", lambda event, run_dir, result: ({}, []))
    settings = Settings(str(tmp_path), (StepPlan("align"),), event_timeout=0.5)
    return settings


def test_the_batch_time_limit_fails_one_event_and_the_next_runs(hanging_batch: Settings) -> None:
    settings = hanging_batch
    started = time.perf_counter()
    slow = worker.process_event(EventSpec("slow", "test"), settings)
    assert time.perf_counter() - started < 5
    assert slow.steps == {"align": "failed"}
    assert "time limit of 0.5 s" in slow.errors[0][1]
    fast = worker.process_event(EventSpec("fast", "test"), settings)
    assert fast.steps == {"align": "done"} and not fast.errors


def test_the_time_limit_holds_in_a_worker_thread_as_dask_runs_tasks(
    hanging_batch: Settings,
) -> None:
    import threading

    settings = hanging_batch
    results: dict[str, worker.EventResult] = {}

    def task(name: str) -> None:
        results[name] = worker.process_event(EventSpec(name, "test"), settings)

    for name in ("slow", "fast"):
        thread = threading.Thread(target=task, args=(name,))
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive(), f"{name} event still running past its time limit"
    assert results["slow"].steps == {"align": "failed"}
    assert "time limit of 0.5 s" in results["slow"].errors[0][1]
    assert results["fast"].steps == {"align": "done"} and not results["fast"].errors
    time.sleep(0.7)  # a cancelled timer must not fire into the thread pool later


PARENT = """
import sys, time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing, os
from align.batch.local import exit_with_parent
if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with_parent, initargs=(os.getpid(),))
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 60)
    time.sleep(60)
"""


def start_parent(tmp_path: Path, source: str) -> subprocess.Popen:
    """Run `source` as a batch-like parent process that prints its workers' pids."""
    script = tmp_path / "parent.py"
    script.write_text(source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, env=env)


def kill_and_wait(parent: subprocess.Popen, children: list[int], seconds: float) -> list[int]:
    """SIGKILL the parent (no chance to clean up); the children still alive after `seconds`."""
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.1)
    return [pid for pid in children if _alive(pid)]


def test_workers_exit_when_the_batch_parent_is_killed(tmp_path: Path) -> None:
    parent = start_parent(tmp_path, PARENT)
    try:
        child = int(parent.stdout.readline())
        assert not kill_and_wait(parent, [child], 5), "the worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.split(")", 1)[1].split()[0] != "Z"


def test_formula_cells_are_neutralised_and_read_back_exactly(tmp_path: Path) -> None:
    from align.export.table import read

    assert neutralise('=HYPERLINK("http://evil.example","x")').startswith("'=")
    for cell in ("+1", "-1", "@SUM(A1)", "\tx", "'quoted"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("Today we adopted") == "Today we adopted"
    run = tmp_path / "run"
    from tests.e2e.rundir import write_run

    write_run(run)
    lines = (run / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("Today we adopted", '=HYPERLINK(\\"x\\")Today we adopted')
    (run / "alignment.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = cli("export", run, "-f", "csv", "-o", tmp_path / "x.csv")
    assert code == 0, err
    raw = (tmp_path / "x.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw
    rows = list(read(tmp_path / "x.csv"))
    assert rows[0]["en"].startswith('=HYPERLINK("x")Today'), "read back exactly"
    code, err = cli("export", run, "-f", "csv", "-o", tmp_path / "y.csv", "--no-formula-guard")
    assert code == 0 and "'=HYPERLINK" not in (tmp_path / "y.csv").read_text(encoding="utf-8")


def test_run_json_names_each_documents_encoding(tmp_path: Path) -> None:
    import json

    from align.ingest.event import load_event
    from align.runner import RunOptions, run_event

    event_dir = tmp_path / "event"
    event_dir.mkdir()
    for doc in NSS.iterdir():
        if doc.is_file():
            (event_dir / doc.name).write_bytes(doc.read_bytes())
    en = next(event_dir.glob("en_*.txt"))
    en.write_bytes(_damage(en.read_text(encoding="utf-8") + "\nToday’s meeting.\n", "’")[0])
    (event_dir / "event.yaml").write_text(
        "\n".join(
            line
            for line in (NSS / "event.yaml").read_text("utf-8").splitlines()
            if "gold" not in line
        ),  # fmt: skip
        encoding="utf-8",
    )
    out = tmp_path / "run"
    run_event(load_event(event_dir), out, _FakeEmbedder(), RunOptions(pictures=False, score=False))
    documents = json.loads((out / "run.json").read_text(encoding="utf-8"))["documents"]
    encodings = {d["id"]: d["encoding"] for d in documents}
    assert encodings[en.stem] == "utf-8 (1 invalid byte(s) replaced)"
    assert set(encodings.values()) >= {"utf-8"}
