"""Hostile inputs found by a reliability session: each is a one-line input error, exit 2.

Every case runs the real CLI entry point in this process (fast), and asserts exit code 2, one
stderr line starting `interp-align: error:`, no "internal error" and no traceback.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from align.cli import main
from tests.e2e.rundir import write_run

ROOT = Path(__file__).resolve().parents[1]
NSS = ROOT / "corpora" / "events" / "2022-12-16-nss-statement"
JA_LINE = "本日、新たな国家安全保障戦略を決定しました。\n"
EN_LINE = "Today we adopted a new National Security Strategy.\n"


def cli(*args: str | Path) -> tuple[int, str]:
    """Run `interp-align ARGS` in-process; (exit code, stderr)."""
    err = io.StringIO()
    old_argv, old_err = sys.argv, sys.stderr
    sys.argv, sys.stderr = ["interp-align", *map(str, args)], err
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv, sys.stderr = old_argv, old_err
    return code, err.getvalue()


def _event(tmp: Path, yaml_text: str, name: str = "event") -> Path:
    """A copy of the NSS event's documents with the given event.yaml."""
    folder = tmp / name
    folder.mkdir()
    for doc in NSS.glob("*.txt"):
        (folder / doc.name).write_bytes(doc.read_bytes())
    (folder / "gold").mkdir()
    (folder / "gold" / "g.txt").write_text("[0]:[0]\n", encoding="utf-8")
    (folder / "event.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


def _docs() -> str:
    ja = next(NSS.glob("ja_*.txt")).name
    en = next(NSS.glob("en_*.txt")).name
    return f"documents:\n  - {{file: {ja}}}\n  - {{file: {en}}}\n"


def _ids() -> tuple[str, str]:
    return next(NSS.glob("ja_*.txt")).stem, next(NSS.glob("en_*.txt")).stem


def _run_event(yaml_text: str) -> Callable[[Path], list]:
    def make(tmp: Path) -> list:
        return ["run", _event(tmp, yaml_text), "--out", tmp / "out", "--no-score"]

    return make


def _gold(entry: str) -> Callable[[Path], list]:
    return _run_event(_docs() + f"gold:\n  - {entry}\n")


def _run_dir(tmp: Path, edit: Callable[[Path], None] | None = None) -> Path:
    run = write_run(tmp / "run")
    if edit:
        edit(run)
    return run


def _bad_utf8(run: Path) -> None:
    data = (run / "alignment.jsonl").read_bytes()
    (run / "alignment.jsonl").write_bytes(data[:40] + b"\xff\xfe" + data[40:])


def _corrupt_run_json(run: Path) -> None:
    (run / "run.json").write_text('{"event": "x", ', encoding="utf-8")


def _run_json_list(run: Path) -> None:
    (run / "run.json").write_text("[1, 2]", encoding="utf-8")


def _signed(run: Path, signature: str) -> None:
    lines = (run / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    records = [{**json.loads(line), "signature": signature} for line in lines]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (run / "alignment.jsonl").write_text(text, encoding="utf-8")


def _bad_signature(run: Path) -> None:
    _signed(run, "interp-align:0.1.0|no-colon-here")


def _with_run_json(spoil: Callable[[Path], None]) -> Callable[[Path], None]:
    """A run with well-formed signatures whose run.json is then spoiled."""
    return lambda run: (_signed(run, "interp-align:0.1.0|embedder:use"), spoil(run))


def _not_json_line(run: Path) -> None:
    with (run / "alignment.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("{not json\n")


def _array_line(run: Path) -> None:
    with (run / "alignment.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("[1, 2, 3]\n")


def _surrogate(run: Path) -> None:
    lines = (run / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["tgt_text"] = "broken \\ud800 text"
    lines[0] = json.dumps(record).replace("\\\\ud800", "\\ud800")
    (run / "alignment.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _control_event(run: Path) -> None:
    lines = (run / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        record["event"] = "event\x01name"
        record["src_speaker"] = "Kishida\x07"
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (run / "alignment.jsonl").write_text(text, encoding="utf-8")


def _pair(tmp: Path, ja: bytes = JA_LINE.encode(), en: bytes = EN_LINE.encode()) -> list[Path]:
    (tmp / "a.ja").write_bytes(ja)
    (tmp / "b.en").write_bytes(en)
    return [tmp / "a.ja", tmp / "b.en"]


def _big_csv_field(tmp: Path) -> Path:
    path = tmp / "big.csv"
    text = "concept_id,lang,term,status\nc1,ja," + "あ" * 140_000 + ",preferred\n"
    path.write_text(text, encoding="utf-8")
    return path


def _manifest_config(tmp: Path, name: str = "a" * 140_000) -> Path:
    (tmp / "pairs.csv").write_text(f"event,src,tgt\ne1,{name},b\n", "utf-8")
    config = tmp / "batch.yaml"
    config.write_text("out: out\nevents:\n  manifest: pairs.csv\n", encoding="utf-8")
    return config


def _odd_name(tmp: Path, suffix: str) -> Path:
    name = os.fsdecode(b"\xff\xfe-" + suffix.encode())
    return tmp / name


def _odd_named_pair(tmp: Path) -> list:
    ja, en = _odd_name(tmp, "ja.txt"), _odd_name(tmp, "en.txt")
    ja.write_bytes(next(NSS.glob("ja_*.txt")).read_bytes())
    en.write_bytes(next(NSS.glob("en_*.txt")).read_bytes())
    return ["run", ja, en, "--out", tmp / "out", "--no-score"]


def _odd_named_event(tmp: Path) -> list:
    folder = _event(tmp, _docs(), name=os.fsdecode(b"ev\xff\xfent"))
    return ["run", folder, "--out", tmp / "out", "--no-score"]


def _control_named_event(tmp: Path) -> list:
    folder = _event(tmp, _docs(), name="ev\x01ent")
    return ["run", folder, "--out", tmp / "out", "--no-score"]


JA_ID, EN_ID = _ids()
CASES: dict[str, Callable[[Path], list]] = {
    # event.yaml
    "event date 2024-13-45": _run_event("date: 2024-13-45\n" + _docs()),
    "event date quoted 2024-02-30": _run_event('date: "2024-02-30"\n' + _docs()),
    "event document file: null": _run_event("documents:\n  - {file: null}\n"),
    "event document without file": _run_event("documents:\n  - {language: ja}\n"),
    "event documents not a list": _run_event("documents: {a: b}\n"),
    "event document not a mapping": _run_event("documents:\n  - just-a-name\n"),
    "event.yaml is a list": _run_event("- a\n- b\n"),
    "event.yaml deeply nested": _run_event("a: " + "[" * 5000 + "]" * 5000 + "\n"),
    "event gold without file": _gold(f"{{src: {JA_ID}, tgt: {EN_ID}}}"),
    "event gold without tgt": _gold(f"{{src: {JA_ID}, file: gold/g.txt}}"),
    "event gold file: null": _gold(f"{{src: {JA_ID}, tgt: {EN_ID}, file: null}}"),
    "event gold file missing": _gold(f"{{src: {JA_ID}, tgt: {EN_ID}, file: gold/none.txt}}"),
    "event gold unknown document": _gold(f"{{src: nope, tgt: {EN_ID}, file: gold/g.txt}}"),
    "event gold unknown key": _gold(f"{{src: {JA_ID}, tgt: {EN_ID}, file: gold/g.txt, x: 1}}"),
    "event gold not a list": _run_event(_docs() + "gold: gold/g.txt\n"),
    "event gold out of range": lambda tmp: _then(
        _gold(f"{{src: {JA_ID}, tgt: {EN_ID}, file: gold/g.txt}}")(tmp),
        lambda: (tmp / "event" / "gold" / "g.txt").write_text("[0]:[0]\n[9999]:[1]\n"),
    ),
    "event unknown document key": _run_event(
        f"documents:\n  - {{file: {next(NSS.glob('ja_*.txt')).name}, lang: ja}}\n"
    ),
    "event.yaml invalid UTF-8": lambda tmp: _then(
        _run_event(_docs())(tmp),
        lambda: (tmp / "event" / "event.yaml").write_bytes(b"title: \xff\xfe\n" + _docs().encode()),
    ),
    # --out
    "run --out is an existing file": lambda tmp: [
        "run",
        *_odd_pair_files(tmp),
        "--out",
        _file(tmp / "out.txt"),
        "--no-score",
    ],
    "run event --out is an existing file": lambda tmp: [
        "run",
        _event(tmp, _docs()),
        "--out",
        _file(tmp / "out.txt"),
        "--no-score",
    ],
    "fetch --out is an existing file": lambda tmp: [
        "fetch",
        "http://127.0.0.1:9/a",
        "--out",
        _file(tmp / "out.txt"),
    ],
    "batch out is an existing file": lambda tmp: [
        "batch",
        _config(tmp, f"out: out.txt\nevents:\n  glob: {NSS}\n", _file(tmp / "out.txt")),
    ],
    # run directories: score, terms, export, review
    "score invalid UTF-8 alignment.jsonl": lambda t: ["score", _run_dir(t, _bad_utf8)],
    "score corrupt run.json": lambda t: ["score", _run_dir(t, _with_run_json(_corrupt_run_json))],
    "score run.json not an object": lambda t: [
        "score",
        _run_dir(t, _with_run_json(_run_json_list)),
    ],
    "terms check invalid UTF-8": lambda t: ["terms", "check", _run_dir(t, _bad_utf8)],
    "terms drift invalid UTF-8": lambda t: [
        "terms",
        "drift",
        _run_dir(t, _bad_utf8),
        "--out",
        t / "drift",
    ],
    "score malformed signature": lambda t: ["score", _run_dir(t, _bad_signature)],
    "export invalid UTF-8": lambda t: [
        "export",
        _run_dir(t, _bad_utf8),
        "-f",
        "jsonl",
        "-o",
        t / "x.jsonl",
    ],
    "terms check alignment.jsonl line not JSON": lambda t: [
        "terms",
        "check",
        _run_dir(t, _not_json_line),
    ],
    "export alignment.jsonl line not an object": lambda t: [
        "export",
        _run_dir(t, _array_line),
        "-f",
        "tmx",
        "-o",
        t / "x.tmx",
    ],
    # CSV fields over 128 KB
    "terms import CSV field over 128 KB": lambda t: [
        "terms",
        "import",
        _big_csv_field(t),
        "--out",
        t / "tb.tbx",
    ],
    "terms check --termbase CSV field over 128 KB": lambda t: [
        "terms",
        "check",
        _run_dir(t),
        "--termbase",
        _big_csv_field(t),
    ],
    "batch manifest CSV field over 128 KB": lambda t: ["batch", _manifest_config(t)],
    "batch manifest file name with a NUL byte": lambda t: [
        "batch",
        _manifest_config(t, "ja.t\x00xt"),
    ],
    "batch manifest file name too long": lambda t: ["batch", _manifest_config(t, "a" * 5000)],
    # file names that are not UTF-8, control characters in names
    "run two files with non-UTF-8 names": _odd_named_pair,
    "run an event folder with a non-UTF-8 name": _odd_named_event,
    "run an event folder with a control character": _control_named_event,
    "inspect a file with a non-UTF-8 name": lambda t: [
        "inspect",
        _copy(next(NSS.glob("en_*.txt")), _odd_name(t, "en.txt")),
    ],
    # sentence files
    "sentences invalid UTF-8": lambda t: ["sentences", *_pair(t, ja=b"\xff\xfe\xfa\n")],
    "divergence invalid UTF-8": lambda t: ["divergence", *_pair(t, en=b"ok\n\xff\n")],
    "evaluate gold invalid UTF-8": lambda t: [
        "evaluate",
        "--gold",
        _write(t / "g.txt", b"[0]:[\xff]\n"),
        "--test",
        _write(t / "t.txt", b"[0]:[0]\n"),
    ],
}


def _then(args: list, action: Callable[[], object]) -> list:
    """The arguments, after doing `action` (which spoils a file the arguments name)."""
    action()
    return args


def _file(path: Path) -> Path:
    path.write_text("not a directory\n", encoding="utf-8")
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def _odd_pair_files(tmp: Path) -> list[Path]:
    return [
        _copy(p, tmp / p.name) for p in (next(NSS.glob("ja_*.txt")), next(NSS.glob("en_*.txt")))
    ]


def _config(tmp: Path, text: str, *_: object) -> Path:
    path = tmp / "batch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _check(code: int, err: str) -> None:
    """Exit 2 and exactly one error line (progress lines such as `scoring …` may precede it)."""
    errors = [line for line in err.splitlines() if line.startswith("interp-align: error: ")]
    assert code == 2, err
    assert "internal error" not in err and "Traceback" not in err, err
    assert len(errors) == 1, err


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_a_one_line_input_error(name: str, tmp_path: Path) -> None:
    _check(*cli(*CASES[name](tmp_path)))


def _locked(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Opening anything under `locked` fails as it would without permission (we may be root)."""
    real_open, real_os_open = builtins.open, os.open

    def refuse(path: object) -> None:
        if isinstance(path, (str, os.PathLike)) and str(locked) in os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))

    def guarded_open(file, *args, **kwargs):
        refuse(file)
        return real_open(file, *args, **kwargs)

    def guarded_os_open(path, *args, **kwargs):
        refuse(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)


def test_permission_errors_are_input_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    pair = _pair(locked)
    run = _run_dir(tmp_path)
    commands = [
        ["sentences", *pair],
        ["divergence", *pair],
        ["export", run, "-f", "csv", "-o", locked / "x.csv"],
        ["export", run, "-f", "tmx", "-o", locked / "x.tmx"],
    ]
    with monkeypatch.context() as patch:
        _locked(patch, locked)
        for args in commands:
            code, err = cli(*args)
            _check(code, err)
            assert "permission denied" in err.lower(), err
    with monkeypatch.context() as patch:
        _locked(patch, run)
        code, err = cli("score", run)
        _check(code, err)
        assert "permission denied" in err.lower(), err


def test_control_characters_in_metadata_are_cleaned_in_every_xml_format(tmp_path: Path) -> None:
    run = _run_dir(tmp_path, _control_event)
    for fmt, name in (("tmx", "x.tmx"), ("xliff", "x.xlf")):
        code, err = cli("export", run, "-f", fmt, "-o", tmp_path / name)
        assert code == 0, err
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "eventname" in text and "\x01" not in text and "\x07" not in text
        assert "removed characters XML 1.0 cannot carry" in err


def _string_positions(run: Path) -> None:
    lines = (run / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["tgt_idx"] = ["t0s3"]  # found by scripts/fuzz_inputs.py
    lines[2] = json.dumps(record, ensure_ascii=False)
    (run / "alignment.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("spoil", [_bad_utf8, _surrogate, _array_line, _string_positions])
def test_review_refuses_a_hostile_alignment_with_an_input_error(
    tmp_path: Path, spoil: Callable[[Path], None]
) -> None:
    from align.errors import InputError
    from align.review.store import open_store

    run = _run_dir(tmp_path, spoil)
    with pytest.raises(InputError, match="alignment.jsonl"):
        open_store(run)
