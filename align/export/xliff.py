"""XLIFF 2.0 (OASIS) through lxml's incremental writer: one <unit> per bead, streamed.

`<segment state>` comes from the review status: initial (not reviewed), reviewed, final;
a rejected bead is `state="initial" subState="interp-align:rejected"` (XLIFF has no rejected
state). Metadata goes into the unit's `<notes>` as `<note category="field">`, the run
signature into the file's notes. xml:space="preserve" on <file> keeps spacing exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from align.export.formats import CREATION_TOOL, ExportInfo, Format, single_output
from align.export.pairs import META_FIELDS, Pair, meta_from_text, meta_to_text

NS = "urn:oasis:names:tc:xliff:document:2.0"
# Written literally: lxml's xmlfile would map the XML namespace to a bad ns0 prefix.
XML_SPACE = "xml:space"
STATES = {"reviewed": "reviewed", "final": "final"}
NOTE_FIELDS = [name for name in META_FIELDS if name != "signature"]


def q(tag: str) -> str:
    """A tag in the XLIFF 2.0 namespace."""
    return f"{{{NS}}}{tag}"


def segment_state(status: str | None) -> dict[str, str]:
    """The <segment> state attributes for a review status."""
    if status == "rejected":
        return {"state": "initial", "subState": f"{CREATION_TOOL}:rejected"}
    return {"state": STATES.get(status or "", "initial")}


def _element(xf: Any, tag: str, text: str, attrib: dict[str, str] | None = None) -> None:
    """One namespaced element holding text (lxml escapes &, <, >)."""
    with xf.element(q(tag), attrib or {}):
        xf.write(text)


def _notes(xf: Any, notes: Iterable[tuple[str, str]]) -> None:
    """A <notes> block, skipped when there is nothing to say."""
    notes = list(notes)
    if notes:
        with xf.element(q("notes")):
            for category, text in notes:
                _element(xf, "note", text, {"category": category})


def _unit(xf: Any, number: int, pair: Pair, info: ExportInfo) -> None:
    """Write one unit for one bead."""
    meta = pair.meta
    name = f"{meta['event']}/{meta['pair_index']}/{meta['bead_index']}"
    with xf.element(q("unit"), id=f"u{number}", name=name):
        notes = [(n, meta_to_text(n, meta[n])) for n in NOTE_FIELDS]
        if meta["signature"] and meta["signature"] != info.signature:
            notes.append(("signature", meta["signature"]))
        _notes(xf, [(n, text) for n, text in notes if text is not None])
        with xf.element(q("segment"), segment_state(meta["review_status"])):
            _element(xf, "source", pair.texts[0])
            _element(xf, "target", pair.texts[1])
    xf.write("\n")


def write(pairs: Iterable[Pair], paths: Sequence[Path], info: ExportInfo) -> None:
    """Stream pairs into an XLIFF 2.0 file."""
    root = {"version": "2.0", "srcLang": info.langs[0], "trgLang": info.langs[1]}
    with open(paths[0], "wb") as handle, etree.xmlfile(handle, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(q("xliff"), root, nsmap={None: NS}):
            xf.write("\n")
            with xf.element(q("file"), {"id": "f1", XML_SPACE: "preserve"}):
                xf.write("\n")
                tool = [("creationtool", f"{CREATION_TOOL} {info.version}")]
                _notes(xf, tool + [("signature", s) for s in info.signatures])
                xf.write("\n")
                for number, pair in enumerate(pairs, 1):
                    _unit(xf, number, pair, info)
            xf.write("\n")


def _file_context(file: Any) -> tuple[tuple[str, str], str | None]:
    """Languages (from <xliff>) and the first run signature (from the file's notes)."""
    root = file.getparent()
    signatures = file.xpath("x:notes/x:note[@category='signature']/text()", namespaces={"x": NS})
    return (root.get("srcLang"), root.get("trgLang")), (signatures[0] if signatures else None)


def _row(unit: Any, langs: tuple[str, str], signature: str | None) -> dict[str, Any]:
    """A flat row from one <unit>."""
    notes = {n.get("category"): n.text or "" for n in unit.iterfind(f"{q('notes')}/{q('note')}")}
    segment = unit.find(q("segment"))
    row = {
        langs[0]: segment.findtext(q("source")) or "",
        langs[1]: segment.findtext(q("target")) or "",
    }
    row.update({name: meta_from_text(name, notes.get(name)) for name in NOTE_FIELDS})
    row["signature"] = notes.get("signature", signature)
    return row


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Rows back from an XLIFF written by `write`, streamed with iterparse."""
    context = None
    for _, unit in etree.iterparse(str(path), events=("end",), tag=q("unit")):
        context = context or _file_context(unit.getparent())
        yield _row(unit, *context)
        unit.clear()
        while (previous := unit.getprevious()) is not None and previous.tag == q("unit"):
            unit.getparent().remove(previous)


FORMAT = Format("xliff", single_output, write, read, original_first=True)
