"""Review app speed on a loopback server: page load and action latency for N synthetic beads.

    python scripts/bench_review.py --n 2000 --small 200

Writes synthetic runs of --small and --n beads (20 per turn pair, with documents/, divergence
scores and some term flags), starts `python -m align review RUN --port 0` for each, and measures
over one keep-alive HTTP connection: GET /api/counts (the baseline: the cheapest request the
server answers), GET / (the whole page), and confirm / note / merge+undo / split actions (POST,
each one durable SQLite transaction). With Chromium (/usr/bin/chromium) and Playwright installed
it also times the page in a real browser (navigation to load event, to the first bead selected)
and a keypress `c` until the server's answer is drawn. Prints medians, p95 and ratios: each
request against the baseline, and the --n run against the --small run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from align.model import AlignedBead, migrate_v1
from align.rundir import write_beads

ROOT = Path(__file__).resolve().parents[1]
PER_PAIR = 20
JA = (
    "日米同盟の抑止力と対処力を一層強化していくことで一致しました。"
    "反撃能力の保有について説明しました。"
)
EN = [
    "the",
    "alliance",
    "security",
    "deterrence",
    "Japan",
    "will",
    "continue",
    "to",
    "strengthen",
    "our",
    "cooperation",
    "in",
    "the",
    "region",
    "counter-strike",
    "capability",
    "<b>",
    "&",
]
FLAG = {
    "kind": "wrong_rendering",
    "severity": "high",
    "ja_term": "反撃能力",
    "found": "counter-strike capability",
    "reason": "bench flag",
}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _beads(rng: random.Random) -> list[tuple[list[int], list[int]]]:
    """One turn pair's beads: mostly 1-1, some 1-2 (source and target positions)."""
    beads, s, t = [], 0, 0
    for b in range(PER_PAIR):
        width = 2 if b == 5 or rng.random() < 0.1 else 1
        beads.append(([s], list(range(t, t + width))))
        s, t = s + 1, t + width
    return beads


def write_run(out: Path, n: int, seed: int = 7) -> Path:
    """A synthetic run directory of n beads (alignment.jsonl, run.json, documents/)."""
    rng = random.Random(seed)
    records, turns = [], {"ja": [], "en": []}
    for p in range(n // PER_PAIR):
        beads = _beads(rng)
        ja = [JA[rng.randrange(20) :][: rng.randint(25, 45)] + "。" for _ in beads]
        en = [
            " ".join(rng.choices(EN, k=rng.randint(8, 25))) + "."
            for _ in range(beads[-1][1][-1] + 1)
        ]
        for lang, texts in (("ja", ja), ("en", en)):
            sentences = [
                {"id": f"t{p}s{i}", "text": x, "start": 0, "end": len(x)}
                for i, x in enumerate(texts)
            ]
            turns[lang].append(
                {
                    "index": p,
                    "speaker": "Kamikawa",
                    "label": "Kamikawa",
                    "language": lang,
                    "kind": "speech",
                    "sentences": sentences,
                }
            )
        for b, (src, tgt) in enumerate(beads):
            record = {
                "event": "bench",
                "date": "2024-07-28",
                "src_doc": "ja_bench",
                "tgt_doc": "en_bench",
                "src_lang": "ja",
                "tgt_lang": "en",
                "tgt_kind": "interpretation",
                "pair_index": p,
                "src_turn": p,
                "tgt_turn": p,
                "src_speaker": "Kamikawa",
                "tgt_speaker": "Kamikawa",
                "via_interpreter": True,
                "bead_index": b,
                "bead": f"{len(src)}-{len(tgt)}",
                "src_idx": src,
                "tgt_idx": tgt,
                "src_ids": [f"t{p}s{i}" for i in src],
                "tgt_ids": [f"t{p}s{j}" for j in tgt],
                "src_text": "".join(ja[i] for i in src),
                "tgt_text": " ".join(en[j] for j in tgt),
                "confidence": round(rng.random(), 3),
                "divergence": round(rng.random(), 3),
                "signature": "bench",
                "term_flags": [FLAG] if rng.random() < 0.05 else [],
            }
            records.append(record)
    out.mkdir(parents=True, exist_ok=True)
    write_beads(out, [AlignedBead.from_dict(migrate_v1(r)) for r in records])
    (out / "documents").mkdir(exist_ok=True)
    for lang, kind in (("ja", "original"), ("en", "interpretation")):
        doc = {
            "id": f"{lang}_bench",
            "language": lang,
            "kind": kind,
            "text": "",
            "turns": turns[lang],
        }
        (out / "documents" / f"{lang}_bench.json").write_text(json.dumps(doc, ensure_ascii=False))
    (out / "run.json").write_text(json.dumps({"event": "bench"}))
    return out


class Served:
    """A review server process on a free loopback port, with one keep-alive connection."""

    def __init__(self, run_dir: Path) -> None:
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "align", "review", str(run_dir), "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stderr.readline()
        match = re.search(r"at (http://[^\s]+)", line)
        if not match:
            self.process.kill()
            raise SystemExit(f"server did not start: {line}{self.process.stderr.read()}")
        self.url = match.group(1)
        host, port = re.match(r"http://([^:/]+):(\d+)/", self.url).groups()
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.get("/api/counts")  # the first answer: the server is up
        self.startup = time.perf_counter() - started
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', self.get("/")[1]).group(1)

    def get(self, path: str) -> tuple[int, str]:
        self.conn.request("GET", path)
        reply = self.conn.getresponse()
        return reply.status, reply.read().decode()

    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}
        self.conn.request("POST", "/api/action", json.dumps(body), headers)
        reply = self.conn.getresponse()
        data = json.loads(reply.read())
        if reply.status != 200:
            raise SystemExit(f"{body['action']} failed: {reply.status} {data['message']}")
        return data

    def beads(self) -> list[dict[str, Any]]:
        return json.loads(self.get("/api/beads")[1])

    def stop(self) -> None:
        self.conn.close()
        self.process.terminate()
        self.process.wait(timeout=10)


def timed(action: Callable[[], Any], repeat: int) -> list[float]:
    """Wall milliseconds of each of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _act(
    server: Served, name: str, bead: dict[str, Any], *others: dict[str, Any], **params: Any
) -> dict:
    versions = {str(b["id"]): b["version"] for b in (bead, *others)}
    return server.post({"action": name, "bead": bead["id"], "versions": versions, **params})


def http_timings(server: Served, repeat: int) -> dict[str, list[float]]:
    """Baseline, page and action latencies over HTTP."""
    beads = server.beads()
    out = {"GET /api/counts (baseline)": timed(lambda: server.get("/api/counts"), repeat * 2)}
    out["GET / (whole page)"] = timed(lambda: server.get("/"), max(5, repeat // 4))
    targets = iter(beads[:: max(1, len(beads) // repeat)])
    out["POST confirm"] = timed(lambda: _act(server, "confirm", next(targets)), repeat)
    notes = iter(server.beads()[1 :: max(1, len(beads) // repeat)])
    out["POST note"] = timed(lambda: _act(server, "note", next(notes), text="check"), repeat)
    merges, splits = [], []
    for unit in range(1, min(repeat, len(beads) // PER_PAIR) + 1):
        first, second = [b for b in server.beads() if b["unit"] == unit][:2]
        merges += timed(lambda a=first, b=second: _act(server, "merge", a, b), 1)
        server.post({"action": "undo"})
        wide = next(b for b in server.beads() if b["unit"] == unit and len(b["tgt"]) == 2)
        splits += timed(lambda w=wide: _act(server, "split", w), 1)
    out["POST merge"], out["POST split"] = merges, splits
    return out


def browser_timings(url: str, repeat: int) -> dict[str, list[float]]:
    """Page load and a confirm keypress in headless Chromium, if it is installed."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    if not Path("/usr/bin/chromium").exists():
        return {}
    out: dict[str, list[float]] = {"browser load event": [], "browser first bead selected": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(max(3, repeat // 10)):
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            start = time.perf_counter()
            page.goto(url, wait_until="load")
            page.wait_for_selector(".bead.current")
            out["browser first bead selected"].append((time.perf_counter() - start) * 1000)
            nav = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            out["browser load event"].append(nav)
            page.close()
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(url)
        page.wait_for_selector(".bead.current")
        presses = []
        for _ in range(repeat):
            before = page.evaluate("document.body.dataset.saved || ''")
            start = time.perf_counter()
            page.keyboard.press("c")
            page.wait_for_function("(b) => (document.body.dataset.saved || '') !== b", arg=before)
            presses.append((time.perf_counter() - start) * 1000)
        out["browser keypress c → drawn"] = presses
        browser.close()
    return out


def measure(n: int, repeat: int, use_browser: bool) -> dict[str, list[float]]:
    """All timings for a fresh run of n beads."""
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = write_run(Path(tmp) / "run", n)
        server = Served(run_dir)
        try:
            results = {"server start (first open)": [server.startup * 1000]}
            results |= http_timings(server, repeat)
            if use_browser:
                results |= browser_timings(server.url, repeat)
        finally:
            server.stop()
    return results


def p95(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def report(big: dict[str, list[float]], small: dict[str, list[float]], n: int, k: int) -> None:
    """One line per measurement: median and p95 at --n, ratio to baseline and to --small."""
    base = statistics.median(big["GET /api/counts (baseline)"])
    head = f"{'measurement':34} {'median ms':>10} {'p95 ms':>8} {'x baseline':>10}"
    print(f"{head} {f'x {k} beads':>12}")
    for name, values in big.items():
        median = statistics.median(values)
        scale = median / statistics.median(small[name]) if name in small else float("nan")
        print(f"{name:34} {median:10.1f} {p95(values):8.1f} {median / base:10.1f} {scale:12.2f}")
    print(f"({n} beads; baseline GET /api/counts median {base:.2f} ms; ratios in the same run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="Beads in the measured run.")
    parser.add_argument("--small", type=int, default=200, help="Beads in the comparison run.")
    parser.add_argument("--repeat", type=int, default=40, help="Actions of each kind.")
    parser.add_argument("--no-browser", action="store_true", help="HTTP timings only.")
    args = parser.parse_args()
    small = measure(args.small, args.repeat, not args.no_browser)
    big = measure(args.n, args.repeat, not args.no_browser)
    report(big, small, args.n, args.small)


if __name__ == "__main__":
    main()
