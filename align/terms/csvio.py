"""CSV import and export of a termbase, one row per term, for editing in a spreadsheet.

Concept-level columns repeat on every row of the concept; the first non-empty value wins.
The csv module (not pandas) keeps exact line numbers for error messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from align.errors import InputError
from align.terms.model import (
    Concept,
    Term,
    Termbase,
    base_language,
    parse_criticality,
    parse_status,
    validate,
)

COLUMNS = (
    "concept_id", "criticality", "subject", "definition", "concept_note",
    "lang", "term", "status", "source", "term_note",
)  # fmt: skip
REQUIRED = ("concept_id", "lang", "term", "status")


def read_csv(path: str | Path) -> Termbase:
    """Read a termbase CSV (UTF-8, with or without BOM) into a validated Termbase."""
    try:
        return _read_csv(Path(path))
    except csv.Error as error:  # e.g. a field over the csv module's 128 KB limit
        raise InputError(f"malformed CSV ({error})", path) from None


def _read_csv(path: Path) -> Termbase:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read termbase CSV: {error}", path) from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"line 1: CSV is missing column(s): {', '.join(missing)}", path)
    concepts: dict[str, Concept] = {}
    rated: set[str] = set()  # concepts whose criticality a row already set
    for row in reader:
        _add_row(concepts, rated, row, reader.line_num, str(path))
    return validate(Termbase(list(concepts.values()), path=str(path)))


def _add_row(
    concepts: dict[str, Concept], rated: set[str], row: dict[str, str], line: int, path: str
) -> None:
    values = {k: (v or "").strip() for k, v in row.items() if k is not None}
    if not any(values.values()):
        return
    empty = [c for c in REQUIRED if c != "status" and not values.get(c)]
    if empty:
        raise InputError(f"line {line}: empty {', '.join(empty)}", path)
    concept = concepts.get(values["concept_id"])
    if concept is None:
        concept = Concept(values["concept_id"], [], line=line)
        concepts[concept.id] = concept
    if values.get("criticality") and concept.id not in rated:
        concept.criticality = parse_criticality(values["criticality"], path, line)
        rated.add(concept.id)
    for column, attribute in (("subject", "subject"), ("definition", "definition")):
        if values.get(column) and not getattr(concept, attribute):
            setattr(concept, attribute, values[column])
    if values.get("concept_note") and not concept.note:
        concept.note = values["concept_note"].replace("\\n", "\n")
    concept.terms.append(
        Term(
            text=values["term"],
            lang=base_language(values["lang"]),
            status=parse_status(values["status"], path, line),
            source=values.get("source", ""),
            note=values.get("term_note", ""),
            line=line,
        )
    )


def term_rows(termbase: Termbase) -> Iterator[dict[str, str]]:
    """One row per term in the CSV layout, concepts in order."""
    for concept in termbase.concepts:
        for term in concept.terms:
            yield {
                "concept_id": concept.id,
                "criticality": concept.criticality,
                "subject": concept.subject,
                "definition": concept.definition,
                "concept_note": concept.note.replace("\n", "\\n"),
                "lang": term.lang,
                "term": term.text,
                "status": term.status,
                "source": term.source,
                "term_note": term.note,
            }


def csv_text(termbase: Termbase) -> str:
    """The termbase as CSV text, one row per term, concepts in order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(term_rows(termbase))
    return buffer.getvalue()
