"""Fuzz targets: every reader and loader of user files, fed mutated bytes.

Shared by tests/test_fuzz.py (hypothesis, a few hundred inputs within the suite's time) and
scripts/fuzz_inputs.py (100,000 inputs, outside the suite). A target gets raw bytes, writes
them where its loader expects a file, and runs the loader. The only exception allowed out is
the toolkit's InputError; where a loader returns documents, every sentence's offsets must map
back into the text (`text[start:end] == sentence`).
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
NSS = ROOT / "corpora" / "events" / "2022-12-16-nss-statement"

EN_DOC = (
    "SOURCE: https://example.org/x\nTITLE: Press availability\nDATE: 2024-07-28\nLANG: en\n\n"
    "SECRETARY BLINKEN: Good morning. Today’s meeting matters, and the U.S. stands ready.\n"
    "FOREIGN MINISTER KAMIKAWA: (Via interpreter) Thank you. We adopted No. 5 at 3 p.m.\n"
    "(Applause.)\nMODERATOR: Questions?\n"
)
JA_DOC = (
    "【上川外務大臣】本日、新たな国家安全保障戦略を決定しました。「法の支配」を守ります。\n"
    "（記者）質問です。防衛力を抜本的に強化しますか？\n令和6年7月23日\n"
)
HTML_DOC = (
    "<!DOCTYPE html><html><head><title>Statement</title><meta charset='utf-8'></head><body>"
    "<nav>Home | Menu</nav><main><h1>Statement</h1><p>We adopted a new strategy today.</p>"
    "<p>It is the most severe environment since the war.</p></main><footer>(c)</footer></body>"
    "</html>"
)
EVENT_YAML = (
    "date: 2024-07-28\ntitle: Test\nlicence: CC BY 4.0\ndocuments:\n"
    "  - {file: ja.txt, language: ja, kind: original, source: x}\n"
    "  - {file: en.txt, language: en, kind: translation}\n"
    "gold:\n  - {src: ja, tgt: en, file: gold.txt}\n"
)
GOLD = "[0]:[0]\n[1]:[1, 2]\n[2]:[]\n"
BATCH_YAML = (
    "out: out\nevents:\n  glob: ev*\nworkers: 1\nevent_timeout: 60\n"
    "steps:\n  align: {max_bead: 3}\n  terms: {drift: true}\n"
    "  export: {formats: [tmx, jsonl], min_confidence: 0.3}\n  report: {title: x}\n"
    "fetch: {rate_limit: 1, retries: 2, max_bytes: 1000000}\n"
)
MANIFEST = (
    "event,src,tgt,src_lang,tgt_lang\ne1,ja.txt,en.txt,ja,en\ne2,https://x.example/a,en.txt,,\n"
)
SENTENCES = "本日、新たな戦略を決定しました。\n\nWe adopted a strategy.\n"
RUN_JSON = json.dumps({"toolkit": "interp-align 0.1.0", "event": "e", "documents": []})
REQUEST = json.dumps(
    {"action": "note", "bead": 1, "versions": {"1": 2}, "text": "a note", "reviewer": "bob"}
)
HOSTILE = [
    b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\xe2\x80", b"\r", b"\n", b"\t", b"\x1b$B",
    b"\\ud800", b"Infinity", b"NaN", b"1e400", b"2024-13-45", b"null", b"~", b"[", b"]", b"{",
    b"}", b":", b"- ", b",", b'"', b"'", b"<", b">", b"&", b"<div>" * 40, b"<p>", b"</p>",
    b"\xe3\x80\x82", b"\xe2\x80\x99", b"-1", b"99999999999999999999", b"!!python/object", b"*a",
    b"&a ", "。".encode() * 3, "【".encode(), "：".encode(), b"(Via interpreter)", b"QUESTION:",
    b"[0]:[0]", b"[]:[]", b"[-1]:[0]", b"\x85", rb"\u2028", "\u2028".encode(), b"\x7f",
]  # fmt: skip


def mutate(seed: bytes, rng: random.Random) -> bytes:
    """A few random edits of a valid input: flips, hostile tokens, cuts, repeats."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(data))
        choice = rng.random()
        if choice < 0.25 and data:
            data[min(at, len(data) - 1)] ^= 1 << rng.randint(0, 7)
        elif choice < 0.55:
            data[at:at] = rng.choice(HOSTILE)
        elif choice < 0.7:
            del data[at : at + rng.randint(1, 40)]
        elif choice < 0.8:
            data[at:at] = data[at : at + rng.randint(1, 60)] * rng.randint(2, 30)
        elif choice < 0.9:
            data[at:at] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
        else:
            del data[at:]
    return bytes(data)


def random_bytes(rng: random.Random) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))


def check_offsets(document: object) -> None:
    """Every sentence's offsets select its text from the document's text."""
    text = document.text  # type: ignore[attr-defined]
    for turn in document.turns:  # type: ignore[attr-defined]
        for sentence in turn.sentences:
            assert text[sentence.start : sentence.end] == sentence.text, sentence


@dataclass
class Target:
    """A loader under fuzz: sample inputs and how to feed it one input."""

    name: str
    seeds: list[bytes]
    feed: Callable[[bytes, Path], object]


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _decode(data: bytes, folder: Path) -> None:
    from align.ingest.decode import decode_report

    decode_report(data, "fuzz.txt")


def _document(data: bytes, folder: Path) -> None:
    from align.ingest import read_document

    check_offsets(read_document(_write(folder, "doc.txt", data)))


def _page(data: bytes, folder: Path) -> None:
    from align.batch.fetch import page_text
    from align.batch.http import Page

    page_text(Page("u", "u", 200, "text/html", random.choice([None, "utf-8", "shift_jis"]), data))


def _event_folder(folder: Path, yaml_bytes: bytes, gold: bytes) -> Path:
    event = folder / "event"
    if event.exists():
        shutil.rmtree(event)
    event.mkdir()
    _write(event, "ja.txt", JA_DOC.encode())
    _write(event, "en.txt", EN_DOC.encode())
    _write(event, "gold.txt", gold)
    _write(event, "event.yaml", yaml_bytes)
    return event


def _event(data: bytes, folder: Path) -> None:
    from align.ingest.event import load_event

    for document in load_event(_event_folder(folder, data, GOLD.encode())).documents:
        check_offsets(document)


def _gold_in_event(data: bytes, folder: Path) -> None:
    from align.ingest.event import load_event

    load_event(_event_folder(folder, EVENT_YAML.encode(), data))


def _gold(data: bytes, folder: Path) -> None:
    from align.aligners.evaluate import read_alignments

    read_alignments(_write(folder, "gold.txt", data))


def _batch(data: bytes, folder: Path) -> None:
    from align.batch.config import read_config

    read_config(_write(folder, "batch.yaml", data))


def _manifest(data: bytes, folder: Path) -> None:
    from align.batch.manifest import read_manifest

    _write(folder, "ja.txt", JA_DOC.encode())
    _write(folder, "en.txt", EN_DOC.encode())
    read_manifest(_write(folder, "pairs.csv", data))


def _termbase_csv(data: bytes, folder: Path) -> None:
    from align.terms import load_termbase

    load_termbase(_write(folder, "tb.csv", data))


def _termbase_tbx(data: bytes, folder: Path) -> None:
    from align.terms import load_termbase

    load_termbase(_write(folder, "tb.tbx", data))


def _run_folder(folder: Path, alignment: bytes, run_json: bytes = RUN_JSON.encode()) -> Path:
    run = folder / "run"
    if run.exists():
        shutil.rmtree(run)
    run.mkdir()
    _write(run, "alignment.jsonl", alignment)
    _write(run, "run.json", run_json)
    return run


def _alignment(data: bytes, folder: Path) -> None:
    from align.rundir import read_beads

    read_beads(_run_folder(folder, data))


def _export_records(data: bytes, folder: Path) -> None:
    from align.export.filters import FilterLog, Filters, pipeline
    from align.export.records import iter_all

    path = _run_folder(folder, data) / "alignment.jsonl"
    list(pipeline(iter_all([path]), Filters(), ("en", "ja"), FilterLog(), str(path)))


def _review(data: bytes, folder: Path) -> None:
    from align.review.store import open_store

    open_store(_run_folder(folder, data)).close()


def _terms_beads(data: bytes, folder: Path) -> None:
    from align.terms.check import check_beads
    from align.terms.matcher import Matcher
    from align.terms.runs import read_beads

    check_beads(_matcher(Matcher), read_beads(_run_folder(folder, data)))


_MATCHERS: list[object] = []


def _matcher(kind: type) -> object:
    if not _MATCHERS:
        from align.terms import load_termbase

        _MATCHERS.append(kind(load_termbase()))
    return _MATCHERS[0]


def _run_json(data: bytes, folder: Path) -> None:
    from align.scoring.run import _run_summary

    _run_summary(_run_folder(folder, b"", data) / "run.json")


def _sentences(data: bytes, folder: Path) -> None:
    from align.cli.sentences import read_sentences
    from align.scoring.pairs import read_lines

    path = _write(folder, "s.txt", data)
    read_sentences(path)
    read_lines(path)


def _request(data: bytes, folder: Path) -> None:
    from align.review.requests import parse_action

    try:
        parse_action(data)
    except ValueError as error:  # the server answers it 400
        raise InputError(str(error)) from None


def _records_bytes() -> bytes:
    from tests.beads import record as schema2
    from tests.e2e.rundir import records

    return "".join(json.dumps(schema2(r), ensure_ascii=False) + "\n" for r in records()).encode()


def _small_tbx() -> bytes:
    """The shipped termbase cut to its first three concepts, as TBX."""
    import dataclasses

    from align.terms import load_termbase
    from align.terms.tbx import tbx_bytes

    termbase = load_termbase()
    return tbx_bytes(dataclasses.replace(termbase, concepts=termbase.concepts[:3]))


def targets() -> list[Target]:
    """Every loader, with valid seeds its mutations start from."""
    tbx = _small_tbx()
    csv_lines = (ROOT / "corpora" / "termbase" / "security.csv").read_bytes().splitlines()
    tb_csv = b"\n".join(csv_lines[:12]) + b"\n"
    nss = [p.read_bytes()[:3000] for p in sorted(NSS.glob("*.txt"))]
    records = _records_bytes()
    documents = [EN_DOC.encode(), JA_DOC.encode(), HTML_DOC.encode(), *nss,
                 JA_DOC.encode("cp932"), EN_DOC.encode("utf-16")]  # fmt: skip
    return [
        Target("decode", documents, _decode),
        Target("document", documents, _document),
        Target("fetched page", [HTML_DOC.encode(), JA_DOC.encode("shift_jis")], _page),
        Target("event.yaml", [EVENT_YAML.encode()], _event),
        Target("gold file in event", [GOLD.encode()], _gold_in_event),
        Target("gold file", [GOLD.encode()], _gold),
        Target("batch config", [BATCH_YAML.encode()], _batch),
        Target("manifest csv", [MANIFEST.encode()], _manifest),
        Target("termbase csv", [tb_csv], _termbase_csv),
        Target("termbase tbx", [tbx], _termbase_tbx),
        Target("alignment.jsonl", [records], _alignment),
        Target("export records", [records], _export_records),
        Target("review import", [records], _review),
        Target("terms check", [records], _terms_beads),
        Target("run.json", [RUN_JSON.encode()], _run_json),
        Target("sentence file", [SENTENCES.encode()], _sentences),
        Target("review request", [REQUEST.encode()], _request),
    ]


ACCEPTED, REFUSED, ESCAPED = "accepted", "refused", "escaped"


def run_one(target: Target, data: bytes, folder: Path) -> tuple[str, str]:
    """(accepted | refused | escaped, detail): refused is an InputError, escaped anything else."""
    try:
        target.feed(data, folder)
    except InputError as error:
        return REFUSED, str(error)
    except Exception as error:
        return ESCAPED, f"{type(error).__name__}: {error}"[:300]
    return ACCEPTED, ""
