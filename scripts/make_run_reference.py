"""Write the reference outputs of `run` on the shipped events (tests/test_run_reference.py).

    interp-align run corpora/events/* --out /tmp/ref
    python scripts/make_run_reference.py /tmp/ref

The reference (tests/data/run_reference.json) holds every output of every event in a comparable
form: bead records (schema 2; older flat records are migrated), bead files and run.json as they
are, scores.json without its run_dir, scores.csv rows, and digests of the report (pictures left
out) and of the parsed documents (source paths left out). The turn DP's part of the signature is
compared separately. Regenerate the reference when a change is meant to alter the outputs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from align.model import AlignedBead, migrate_v1

REFERENCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "run_reference.json"
_PICTURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
_TURNS = re.compile(r"turns:dp\([^)]*\)")  # the turn DP's settings, compared separately


def normalise(text: str) -> str:
    """Text with the turn-DP signature part replaced by a placeholder."""
    return _TURNS.sub("turns:dp(…)", text)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _document_digest(path: Path) -> str:
    """The parsed document without its source path (which depends on where `run` was called)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("path", None)
    return _digest(json.dumps(document, ensure_ascii=False, sort_keys=True))


def _beads(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bead = AlignedBead.from_dict(record if "schema" in record else migrate_v1(record))
        out.append(json.loads(normalise(json.dumps(bead.to_dict(), ensure_ascii=False))))
    return out


def event_outputs(run: Path) -> dict[str, Any]:
    """Every output of one event's run directory, in the comparable form."""
    files = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    out: dict[str, Any] = {"files": files, "beads": _beads(run / "alignment.jsonl")}
    out["bead_files"] = {
        name: (run / name).read_text(encoding="utf-8")
        for name in files
        if name.startswith("beads/")
    }
    out["run"] = json.loads(normalise((run / "run.json").read_text(encoding="utf-8")))
    if (run / "scores.json").is_file():
        scores = json.loads((run / "scores.json").read_text(encoding="utf-8"))
        scores.pop("run_dir")
        out["scores"] = scores
        with (run / "scores.csv").open(encoding="utf-8", newline="") as handle:
            out["scores_csv"] = list(csv.reader(handle))
    out["documents"] = {
        name: _document_digest(run / name) for name in files if name.startswith("documents/")
    }
    report = (run / "report.html").read_text(encoding="utf-8")
    out["report"] = _digest(normalise(_PICTURE.sub("", report)))
    return out


def main(out_dir: str) -> None:
    runs = sorted(p for p in Path(out_dir).iterdir() if p.is_dir())
    reference = {run.name: event_outputs(run) for run in runs}
    REFERENCE.write_text(json.dumps(reference, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {REFERENCE} ({len(reference)} events)")


if __name__ == "__main__":
    main(sys.argv[1])
