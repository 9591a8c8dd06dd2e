"""Parquet through pyarrow: typed columns, written in row groups so memory stays flat.

The schema metadata holds the run signature(s) (`interp_align.signatures`, a JSON list), the
tool version and the language order, so a corpus file says how it was made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from align.export.formats import CREATION_TOOL, ExportInfo, Format, single_output
from align.export.pairs import META_FIELDS, Pair

ROW_GROUP = 10000
SIGNATURES_KEY = b"interp_align.signatures"
ARROW_TYPES: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    list: pa.list_(pa.string()),
}


def schema(info: ExportInfo) -> pa.Schema:
    """Columns (languages, then metadata) and file-level metadata."""
    fields = [pa.field(lang, pa.string(), nullable=False) for lang in info.langs]
    fields += [pa.field(name, ARROW_TYPES[kind]) for name, kind in META_FIELDS.items()]
    metadata = {
        SIGNATURES_KEY: json.dumps(list(info.signatures), ensure_ascii=False).encode(),
        b"interp_align.creationtool": f"{CREATION_TOOL} {info.version}".encode(),
        b"interp_align.languages": "-".join(info.langs).encode(),
    }
    return pa.schema(fields, metadata=metadata)


def _columns(pairs: Iterable[Pair], table_schema: pa.Schema) -> dict[str, list[Any]]:
    """Up to ROW_GROUP pairs, column-wise (no list of pairs is kept)."""
    columns: dict[str, list[Any]] = {name: [] for name in table_schema.names}
    first, second = (columns[name] for name in table_schema.names[:2])
    for pair in islice(pairs, ROW_GROUP):
        first.append(pair.texts[0])
        second.append(pair.texts[1])
        for name in META_FIELDS:
            columns[name].append(pair.meta[name])
    return columns


def write(pairs: Iterable[Pair], paths: Sequence[Path], info: ExportInfo) -> None:
    """Stream pairs into a Parquet file, one row group of ROW_GROUP beads at a time."""
    table_schema = schema(info)
    iterator = iter(pairs)
    with pq.ParquetWriter(paths[0], table_schema) as writer:
        while (columns := _columns(iterator, table_schema))[table_schema.names[0]]:
            table = pa.Table.from_pydict(columns, schema=table_schema)
            writer.write_table(table, row_group_size=ROW_GROUP)


def signatures(path: Path) -> list[str]:
    """The run signatures stored in a Parquet file's schema metadata."""
    metadata = pq.read_schema(path).metadata or {}
    return json.loads(metadata.get(SIGNATURES_KEY, b"[]"))


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Rows back, one row group at a time."""
    for batch in pq.ParquetFile(path).iter_batches():
        yield from batch.to_pylist()


FORMAT = Format("parquet", single_output, write, read)
