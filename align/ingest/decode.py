"""Bytes to text: BOMs, Japanese legacy encodings, and refusing binary files early."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from align.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (e.g. DOCX/XLSX)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}
# Order matters: the strict decoders that rarely accept the wrong bytes come first.
_JAPANESE_CANDIDATES = ("euc_jp", "cp932")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def read_bytes(path: Path) -> bytes:
    """Read a file, mapping OS failures to one-line input errors."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path) from None
    except PermissionError:
        raise InputError("permission denied (file not readable)", path) from None
    except OSError as error:
        raise InputError(f"cannot read file ({error.strerror})", path) from None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess_with_library(data: bytes) -> tuple[str, str] | None:
    # charset-normalizer's chaos/coherence scoring beats any hand-written heuristic here.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    text = _strict(data, best.encoding)
    return (text, best.encoding) if text is not None else None


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode bytes to (text, encoding); refuse empty and binary input."""
    if not data.strip():
        raise InputError("file is empty", path)
    kind = _binary_kind(data)
    if kind and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"not a text or HTML document: looks like {kind}", path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise InputError(f"invalid {encoding} after its byte-order mark", path)
            return text, encoding
    declared = _declared_charset(data)
    if declared and (text := _strict(data, declared)) is not None:
        return text, declared
    if b"\x1b$B" in data or b"\x1b$@" in data:  # ISO-2022-JP is 7-bit: UTF-8 would accept it
        text = _strict(data, "iso2022_jp")
        if text is not None:
            return text, "iso2022_jp"
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    for encoding in _JAPANESE_CANDIDATES:
        text = _strict(data, encoding)
        if text is not None and _plausible(text) and _looks_japanese(text):
            return text, encoding
    guessed = _guess_with_library(data)
    if guessed is None:
        raise InputError("cannot detect the text encoding (binary or corrupt file?)", path)
    return guessed


def _plausible(text: str) -> bool:
    """Reject decodings that produce control characters or private-use junk."""
    bad = sum(1 for ch in text[:20000] if _is_junk(ch))
    return bad <= max(2, len(text[:20000]) // 1000)


def _looks_japanese(text: str) -> bool:
    """Kana are frequent in real Japanese and rare in mis-decoded Western text."""
    non_ascii = [ch for ch in text[:20000] if ord(ch) > 127]
    kana = sum(1 for ch in non_ascii if "\u3040" <= ch <= "\u30ff")
    return bool(non_ascii) and kana / len(non_ascii) > 0.2


def _is_junk(ch: str) -> bool:
    code = ord(ch)
    if ch in "\n\r\t\f\v":
        return False
    return code < 32 or 0x7F <= code < 0xA0 or 0xE000 <= code <= 0xF8FF
