"""TMX 1.4b (LISA) through lxml's incremental writer: one <tu> per bead, streamed.

Metadata goes into `<prop type="x-…">` (TMX leaves prop types to the tool, `x-` marks them as
user-defined): bead-level fields on the <tu>, each side's speaker on its <tuv>, the run
signature once in the <header> (and on a <tu> only when it differs from the header's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from align.export.formats import CREATION_TOOL, ExportInfo, Format, single_output
from align.export.pairs import META_FIELDS, Pair, meta_from_text, meta_to_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
SPEAKERS = ("src_speaker", "tgt_speaker")
TU_FIELDS = [name for name in META_FIELDS if name not in (*SPEAKERS, "signature")]


def prop_type(name: str) -> str:
    """The TMX property type for a metadata field: x- plus the name in kebab case."""
    return "x-" + name.replace("_", "-")


PROP_FIELDS = {prop_type(name): name for name in TU_FIELDS}


def header_attributes(info: ExportInfo) -> dict[str, str]:
    """The seven attributes TMX 1.4b requires on <header>."""
    return {
        "creationtool": CREATION_TOOL,
        "creationtoolversion": info.version,
        "segtype": "sentence",
        "o-tmf": "interp-align-jsonl",
        "adminlang": "en",
        "srclang": info.langs[0],
        "datatype": "plaintext",
    }


def _prop(parent: Any, prop: str, text: str) -> None:
    """Append <prop type=...>text</prop> (lxml escapes &, <, >)."""
    etree.SubElement(parent, "prop", type=prop).text = text


def tu_element(pair: Pair, info: ExportInfo) -> Any:
    """One translation unit for one bead, built whole (a few kB) and then written."""
    meta = pair.meta
    tuid = f"{meta['event']}/{meta['pair_index']}/{meta['bead_index']}"
    tu = etree.Element("tu", tuid=tuid, srclang=pair.langs[0])  # the bead's own source
    for name in TU_FIELDS:
        text = meta_to_text(name, meta[name])
        if text is not None:
            _prop(tu, prop_type(name), text)
    if meta["signature"] and meta["signature"] != info.signature:
        _prop(tu, "x-signature", meta["signature"])
    for lang, text in zip(pair.langs, pair.texts, strict=True):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        speaker = meta["src_speaker"] if lang == meta["src_lang"] else meta["tgt_speaker"]
        if speaker:
            _prop(tuv, "x-speaker", speaker)
        etree.SubElement(tuv, "seg").text = text
    return tu


def write(pairs: Iterable[Pair], paths: Sequence[Path], info: ExportInfo) -> None:
    """Stream pairs into a TMX file; memory stays flat whatever the number of beads."""
    header = etree.Element("header", header_attributes(info))
    for signature in info.signatures:
        _prop(header, "x-signature", signature)
    with open(paths[0], "wb") as handle, etree.xmlfile(handle, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write_doctype(DOCTYPE)
        with xf.element("tmx", version="1.4"):
            xf.write("\n", header, "\n")
            with xf.element("body"):
                xf.write("\n")
                for pair in pairs:
                    xf.write(tu_element(pair, info), "\n")
            xf.write("\n")


def _props(element: Any) -> dict[str, str]:
    """An element's own <prop> children as {type: text}."""
    return {prop.get("type"): prop.text or "" for prop in element.findall("prop")}


def _row(tu: Any, signature: str | None) -> dict[str, Any]:
    """A flat row (languages then metadata) from one <tu>."""
    props = _props(tu)
    meta = {name: meta_from_text(name, props.get(prop)) for prop, name in PROP_FIELDS.items()}
    meta["signature"] = props.get("x-signature", signature)
    texts: dict[str, str] = {}
    for tuv in tu.findall("tuv"):
        lang = tuv.get(XML_LANG)
        texts[lang] = tuv.findtext("seg") or ""
        side = "src_speaker" if lang == meta["src_lang"] else "tgt_speaker"
        meta[side] = _props(tuv).get("x-speaker")
    return {**texts, **{name: meta.get(name) for name in META_FIELDS}}


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Rows back from a TMX written by `write`, streamed with iterparse."""
    signature = None
    for _, element in etree.iterparse(str(path), events=("end",), tag=("header", "tu")):
        if element.tag == "header":
            signature = _props(element).get("x-signature")
            continue
        yield _row(element, signature)
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


FORMAT = Format("tmx", single_output, write, read, original_first=True, mixed_originals=True)
