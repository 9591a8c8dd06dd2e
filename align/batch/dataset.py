"""Every event's beads as one partitioned Parquet dataset (a part file per event), with one schema.

Both engines write the parts with pyarrow, the Dask engine as one task per part on the cluster
(through dask.dataframe's `to_parquet` the same dataset cost 60 times as long). Keys the schema
does not name (added by later steps) travel as one JSON column, `extra`, so no partition can
disagree on types.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from align.model import AlignedBead

DATASET = "beads"
SCHEMA = pa.schema(
    [
        ("event", pa.string()), ("date", pa.string()), ("src_doc", pa.string()),
        ("tgt_doc", pa.string()), ("src_lang", pa.string()), ("tgt_lang", pa.string()),
        ("tgt_kind", pa.string()), ("pair_index", pa.int64()), ("src_turn", pa.int64()),
        ("tgt_turn", pa.int64()), ("src_speaker", pa.string()), ("tgt_speaker", pa.string()),
        ("via_interpreter", pa.bool_()), ("bead_index", pa.int64()), ("bead", pa.string()),
        ("src_idx", pa.list_(pa.int64())), ("tgt_idx", pa.list_(pa.int64())),
        ("src_ids", pa.list_(pa.string())), ("tgt_ids", pa.list_(pa.string())),
        ("src_text", pa.string()), ("tgt_text", pa.string()), ("confidence", pa.float64()),
        ("divergence", pa.float64()), ("labels", pa.list_(pa.string())),
        ("reasons", pa.list_(pa.string())), ("term_flags", pa.list_(pa.string())),
        ("term_concepts", pa.list_(pa.string())), ("review_status", pa.string()),
        ("note", pa.string()), ("signature", pa.string()), ("extra", pa.string()),
    ]
)  # fmt: skip
_NAMED = frozenset(SCHEMA.names)


def _row(bead: AlignedBead) -> dict[str, Any]:
    """One bead in the schema's shape: scores, flags and review as typed columns (the full
    blocks, signals included, stay in `extra`)."""
    record = bead.to_dict()
    row = {name: record.get(name) for name in SCHEMA.names}
    flags = bead.term_flags or []
    row.update(
        divergence=bead.divergence, labels=list(bead.labels), reasons=list(bead.reasons),
        term_flags=[f.reason for f in flags], term_concepts=[f.concept_id for f in flags],
        review_status=bead.review_status or "initial",
        note=bead.review.note if bead.review else None,
    )  # fmt: skip
    extra = {  # term_flags in full (severity, spans) beside the column of their reasons
        k: v for k, v in record.items() if (k not in _NAMED or k == "term_flags") and k != "schema"
    }
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    return row


def beads_table(run_dir: str | Path) -> pa.Table:
    """One event's beads as an Arrow table with the dataset schema."""
    from align.rundir import read_beads

    return pa.Table.from_pylist([_row(b) for b in read_beads(Path(run_dir))], schema=SCHEMA)


def part_name(index: int) -> str:
    """File name of one partition, the same as Dask's default."""
    return f"part.{index}.parquet"


def write_local(run_dirs: Sequence[Path], out: Path) -> Path:
    """Write the dataset with pyarrow, one part per event, swapped into place at the end."""
    import pyarrow.parquet as pq

    with staged_folder(out / DATASET) as temporary:
        for index, run_dir in enumerate(run_dirs):
            pq.write_table(beads_table(run_dir), temporary / part_name(index))
    return out / DATASET


def write_part(run_dir: str, path: str) -> None:
    """One event's part file: a task any worker (or this process) can run."""
    import pyarrow.parquet as pq

    pq.write_table(beads_table(run_dir), path)


@contextmanager
def dask_parts(out: Path, client: Any) -> Iterator[Callable[[int, str], None]]:
    """Build the dataset on the Dask cluster while events are still running.

    Yields `add(position, run_dir)`: the event at `position` (in the batch's order) is written
    by a task that runs ahead of queued events on the next free worker, so the parts cost no
    time after the last event (written after it: +0.3-0.7 s measured); at the end they are
    renamed part.0, part.1, … in the events' order, as the local engine numbers them.
    """
    with staged_folder(out / DATASET) as temporary:
        written: dict[int, Any] = {}

        def add(position: int, run_dir: str) -> None:
            path = str(temporary / f"event.{position}.parquet")
            written[position] = client.submit(write_part, run_dir, path, priority=1, pure=False)

        yield add
        client.gather(list(written.values()))
        for index, position in enumerate(sorted(written)):
            os.replace(temporary / f"event.{position}.parquet", temporary / part_name(index))


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A temporary sibling folder that replaces `target` only if the block succeeds."""
    temporary = target.with_name(f".{target.name}.partial")  # a killed run's is cleared here
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(temporary, target)
    shutil.rmtree(old, ignore_errors=True)
