"""TBX-Basic (ISO 30042:2019, DCA style) read and write with lxml, keeping every term.

translate-toolkit keeps only the first term of a language; here every termSec survives with
its administrative status. Criticality has no TBX-Basic data category, so it is written as a
concept-level `<note>criticality: high</note>`, which any TBX-Basic tool keeps as a note.
TBX 2008 files (`martif` / `termEntry` / `langSet` / `tig`) are read too.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from align.errors import InputError
from align.terms.model import (
    Concept,
    Term,
    Termbase,
    base_language,
    parse_criticality,
    parse_status,
    tbx_status,
    validate,
)

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RNG = (
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"'
)
CRITICALITY_NOTE = "criticality:"
CONCEPT_TAGS = {"conceptEntry", "termEntry"}
LANG_TAGS = {"langSec", "langSet"}
TERM_TAGS = {"termSec", "tig", "ntig"}


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _parse_xml(path: Path) -> etree._Element:
    """Parse without entities or network; a syntax error names its line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except OSError as error:
        raise InputError(f"cannot read termbase: {error}", path) from error
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else "?")
        raise InputError(f"malformed TBX at line {line}: {error.msg}", path) from error


def read_tbx(path: str | Path) -> Termbase:
    """Read a TBX-Basic file into a validated Termbase."""
    path = Path(path)
    root = _parse_xml(path)
    if _local(root) not in {"tbx", "martif"}:
        raise InputError(f"not a TBX file: root element is <{_local(root)}>", path)
    concepts = [_read_concept(el, path) for el in root.iter() if _local(el) in CONCEPT_TAGS]
    title = next((_text(el) for el in root.iter() if _local(el) == "title"), "")
    description = next((_text(el) for el in root.iter() if _local(el) == "sourceDesc"), "")
    return validate(Termbase(concepts, title, description, path=str(path)))


def _read_concept(element: etree._Element, path: Path) -> Concept:
    concept = Concept(id=element.get("id", ""), terms=[], line=element.sourceline)
    notes = []
    for child in element:
        tag, kind = _local(child), child.get("type")
        if tag == "descrip" and kind == "subjectField":
            concept.subject = _text(child)
        elif tag == "descrip" and kind == "definition":
            concept.definition = _text(child)
        elif tag == "note" and _text(child).lower().startswith(CRITICALITY_NOTE):
            value = _text(child)[len(CRITICALITY_NOTE) :]
            concept.criticality = parse_criticality(value, str(path), child.sourceline)
        elif tag == "note":
            notes.append(_text(child))
        elif tag in LANG_TAGS:
            lang = base_language(child.get(XML_LANG) or child.get("lang") or "")
            concept.terms.extend(_read_term(t, lang, path) for t in child if _local(t) in TERM_TAGS)
    concept.note = "\n".join(notes)
    return concept


def _read_term(element: etree._Element, lang: str, path: Path) -> Term:
    fields = {"text": "", "status": None, "source": "", "note": ""}
    for child in element.iter():
        tag, kind = _local(child), child.get("type")
        if tag == "term":
            fields["text"] = _text(child)
        elif tag == "termNote" and kind == "administrativeStatus":
            fields["status"] = parse_status(_text(child), str(path), child.sourceline)
        elif tag == "admin" and kind == "source":
            fields["source"] = _text(child)
        elif tag == "note":
            fields["note"] = _text(child)
    if not fields["text"]:
        raise InputError(f"line {element.sourceline}: empty <term>", path)
    status = fields.pop("status") or "admitted"
    return Term(lang=lang, status=status, line=element.sourceline, **fields)


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{TBX_NS}}}{tag}", **attrs)
    if text:
        element.text = text
    return element


def tbx_bytes(termbase: Termbase) -> bytes:
    """Serialise as TBX-Basic v3 (DCA), pretty-printed UTF-8."""
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, "en")
    file_desc = _sub(_sub(root, "tbxHeader"), "fileDesc")
    if termbase.title:
        _sub(_sub(file_desc, "titleStmt"), "title", termbase.title)
    _sub(_sub(file_desc, "sourceDesc"), "p", termbase.description or "interp-align termbase")
    body = _sub(_sub(root, "text"), "body")
    for concept in termbase.concepts:
        _write_concept(body, concept)
    etree.indent(root, space="  ")
    document = etree.ElementTree(root)
    root.addprevious(etree.ProcessingInstruction("xml-model", RNG))
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _write_concept(body: etree._Element, concept: Concept) -> None:
    entry = _sub(body, "conceptEntry", id=concept.id)
    if concept.subject:
        _sub(entry, "descrip", concept.subject, type="subjectField")
    if concept.definition:
        _sub(entry, "descrip", concept.definition, type="definition")
    _sub(entry, "note", f"{CRITICALITY_NOTE} {concept.criticality}")
    for note in filter(None, concept.note.split("\n")):
        _sub(entry, "note", note)
    languages = list(dict.fromkeys(t.lang for t in concept.terms))
    for lang in languages:
        lang_sec = _sub(entry, "langSec", **{XML_LANG: lang})
        for term in (t for t in concept.terms if t.lang == lang):
            term_sec = _sub(lang_sec, "termSec")
            _sub(term_sec, "term", term.text)
            _sub(term_sec, "termNote", tbx_status(term.status), type="administrativeStatus")
            if term.source:
                _sub(term_sec, "admin", term.source, type="source")
            if term.note:
                _sub(term_sec, "note", term.note)


def write_tbx(termbase: Termbase, path: str | Path) -> None:
    Path(path).write_bytes(tbx_bytes(termbase))
