"""The five-line metadata header of the shared source files (SOURCE/TITLE/DATE/LANG/NOTE)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIELD = re.compile(r"^(SOURCE|TITLE|DATE|LANG|NOTE):[ \t]*(.*)$")


@dataclass
class Header:
    """Metadata lines found at the top of a file, and where the body starts."""

    fields: dict[str, str]
    body_start: int


def parse_header(text: str) -> Header:
    """Read leading `KEY: value` lines; the body starts after them and one blank line."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        match = _FIELD.match(text[position:end].rstrip("\r"))
        if not match or match.group(1).lower() in fields:
            break
        fields[match.group(1).lower()] = match.group(2).strip()
        position = end + 1
    if len(fields) < 2:  # one stray "NOTE:" line is speech, not a header
        return Header({}, 0)
    return Header(fields, position)


def kind_from_lang_field(value: str) -> str | None:
    """Map the LANG field's comment, e.g. 'en (official MOFA translation)', to a kind."""
    lowered = value.lower()
    if "interpret" in lowered:
        return "interpretation"
    if "translation" in lowered:
        return "translation"
    if "original" in lowered:
        return "original"
    return None


def language_from_lang_field(value: str) -> str | None:
    """The ISO code at the start of the LANG field."""
    match = re.match(r"\s*([a-z]{2})\b", value)
    return match.group(1) if match else None
