"""Export runs as parallel corpora: TMX, Moses, JSONL, CSV/TSV, Parquet, XLIFF 2.0.

Records stream from alignment.jsonl through generator filters into incremental writers, so
memory does not grow with the number of beads (except under --dedupe). Writer modules load
lazily: importing this package imports neither lxml nor pyarrow.
"""

from align.export.exporter import DEFAULT_DIRECTION, ExportResult, export_runs, parse_direction
from align.export.filters import FilterLog, Filters
from align.export.formats import FORMATS, get_format
from align.export.records import iter_records

__all__ = [
    "DEFAULT_DIRECTION",
    "FORMATS",
    "ExportResult",
    "FilterLog",
    "Filters",
    "export_runs",
    "get_format",
    "iter_records",
    "parse_direction",
]
