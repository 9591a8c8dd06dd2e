"""Parse speed (seconds per MB) for text and HTML, and peak memory for a 20 MB input.

Each input is built from the real seed transcript and a real MOFA release; the baseline is
decoding plus splitting lines in the same process, so the ratio says what parsing costs.
Run: python scripts/bench_ingest.py [--mb 20]
"""

from __future__ import annotations

import argparse
import html
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _make_inputs(folder: Path, megabytes: float) -> dict[str, Path]:
    english = (SHARED / "seed/2plus2-2024-07-28-opening.en.txt").read_text("utf-8")
    japanese = (SHARED / "sources/ja_mofa_kaiken_20240723.txt").read_text("utf-8")
    japanese = japanese.split("\n\n", 1)[1]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in english.split("\n") if p.strip())
    page = (
        "<!DOCTYPE html><html><head><title>t</title></head><body><nav>menu</nav>"
        "<article>\n{}</article></body></html>"
    )
    inputs = {"text-en": english, "text-ja": japanese + "\n"}
    size = int(megabytes * 2**20)
    paths = {}
    for name, unit in inputs.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(unit * (size // len(unit.encode()) + 1), "utf-8")
    html_unit = paragraphs
    paths["html-en"] = folder / "html-en.html"
    paths["html-en"].write_text(page.format(html_unit * (size // 4 // len(html_unit.encode()) + 1)))
    return paths


_CHILD = """
import resource, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
if mode == "baseline":
    from align.ingest.decode import decode
    text, _ = decode(path.read_bytes(), path)
    count = len(text.split("\\n"))
else:
    from align.ingest import read_document
    count = len(read_document(path).sentences)
elapsed = time.perf_counter() - start
print(elapsed, count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _measure(mode: str, path: Path) -> tuple[float, int, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(path)], capture_output=True, text=True, check=True
    )
    seconds, count, rss_kb = done.stdout.split()
    return float(seconds), int(count), int(rss_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="input size in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = _make_inputs(Path(folder), args.mb)
        print(
            f"{'input':<8} {'MB':>6} {'parse s':>8} {'s/MB':>6} {'MB/s':>6} "
            f"{'sentences':>9} {'peak MB':>8} {'vs baseline':>11}"
        )
        for name, path in paths.items():
            mb = path.stat().st_size / 2**20
            base, _, _ = _measure("baseline", path)
            seconds, count, peak = _measure("parse", path)
            print(
                f"{name:<8} {mb:>6.1f} {seconds:>8.2f} {seconds / mb:>6.2f} {mb / seconds:>6.2f} "
                f"{count:>9} {peak:>8.0f} {seconds / base:>10.1f}x"
            )
    print(f"(parent peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
