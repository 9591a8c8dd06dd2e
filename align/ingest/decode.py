"""Bytes to text: BOMs, Japanese legacy encodings, and refusing binary files early."""

from __future__ import annotations

import codecs
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.textfile import read_bytes

__all__ = ["Decoded", "decode", "decode_report", "read_bytes"]
log = logging.getLogger(__name__)

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
# Damaged UTF-8 (see _almost_utf8); at most MAX_REPLACED offsets are kept for the warning.
RUNS_PER_VALID = 4
FEW_RUNS = 3
MAX_REPLACED = 1000
# charset-normalizer's "chaos" (mess ratio) above which its guess is not clear evidence.
MAX_CHAOS = 0.1
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: NUL bytes on one parity only (ASCII-range characters)."""
    sample = data[:8192]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.3 * len(zeros) and other.count(0) <= 0.02 * len(other):
            text = _strict(data[: len(data) // 2 * 2], encoding)
            if text is not None and _plausible(text):
                return encoding
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
    """A legacy code page, only on clear evidence: charset-normalizer sure and the text clean."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    text = _strict(data, best.encoding)
    if text is None or not _plausible(text):
        return None
    return text, best.encoding


@dataclass
class Decoded:
    """Decoded text, the encoding used, and the byte offsets of any bytes replaced."""

    text: str
    encoding: str
    replaced: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The encoding as shown by `inspect` and in run.json."""
        if not self.replaced:
            return self.encoding
        return f"{self.encoding} ({len(self.replaced)} invalid byte(s) replaced)"


_NON_ASCII = bytes(range(128, 256))
_damage = threading.local()


def _record_damage(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: replace like 'replace', remembering where (per thread)."""
    _damage.runs += 1
    if len(_damage.offsets) <= MAX_REPLACED:
        _damage.offsets.extend(range(error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("interp-align-record", _record_damage)


def _utf8_damage(data: bytes) -> tuple[str, list[int], int, int]:
    """UTF-8 with replacement, the invalid bytes' offsets (the first MAX_REPLACED), the number
    of invalid runs and the number of valid multi-byte characters.

    One pass in C; ASCII bytes always decode to themselves, so the valid multi-byte characters
    are what remains of the text after the ASCII ones and the replacement characters.
    """
    _damage.offsets, _damage.runs = [], 0
    text = data.decode("utf-8", errors="interp-align-record")
    ascii_count = len(data.translate(None, _NON_ASCII))
    return text, _damage.offsets, _damage.runs, len(text) - ascii_count - _damage.runs


def _almost_utf8(runs: int, valid_multibyte: int) -> bool:
    """Damaged UTF-8: valid multi-byte characters far outnumber the broken runs, or only a
    few runs are broken. Shift_JIS and EUC-JP text read as UTF-8 gives at most 0.4 valid
    characters per broken run (16 Japanese files of ../shared/sources; 0.49 at most on 139
    held-out chunks of BSD and NAIST-SIC Japanese, all decoded right), so 4 is a wide margin;
    Western legacy text gives none."""
    return valid_multibyte >= RUNS_PER_VALID * runs or runs <= FEW_RUNS


def decode_report(data: bytes, path: Path | str = "<bytes>") -> Decoded:
    """Decode bytes, saying which encoding was used and which bytes (if any) were replaced."""
    if not data.strip():
        raise InputError("file is empty", path)
    kind = _binary_kind(data)
    if kind and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"not a text or HTML document: looks like {kind}", path)
    decoded = _decode_text(data, path)
    nul = decoded.text.find("\x00")
    if nul >= 0:
        where = decoded.text[:nul].encode(decoded.encoding.replace("-sig", ""), "replace")
        raise InputError(
            f"not a text document: NUL byte at about byte offset {len(where)} (binary data?)", path
        )
    if decoded.replaced:
        shown = ", ".join(str(o) for o in decoded.replaced[:10])
        more = f" and {len(decoded.replaced) - 10} more" if len(decoded.replaced) > 10 else ""
        log.warning(
            "interp-align: warning: %s: invalid UTF-8 replaced by U+FFFD at byte offset(s) %s%s",
            path, shown, more,
        )  # fmt: skip
    return decoded


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode bytes to (text, encoding label); refuse empty and binary input."""
    decoded = decode_report(data, path)
    return decoded.text, decoded.label


def _decode_text(data: bytes, path: Path | str) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise InputError(f"invalid {encoding} after its byte-order mark", path)
            return Decoded(text, encoding)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data[: len(data) // 2 * 2].decode(utf16), utf16)
    if b"\x00" in data[:8192]:
        raise InputError("not a text or HTML document: looks like binary data (NUL bytes)", path)
    declared = _declared_charset(data)
    if declared and (text := _strict(data, declared)) is not None:
        return Decoded(text, declared)
    if b"\x1b$B" in data or b"\x1b$@" in data:  # ISO-2022-JP is 7-bit: UTF-8 would accept it
        text = _strict(data, "iso2022_jp")
        if text is not None:
            return Decoded(text, "iso2022_jp")
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    replaced, bad, runs, valid_multibyte = _utf8_damage(data)
    if _almost_utf8(runs, valid_multibyte):
        return Decoded(replaced, "utf-8", bad)
    for encoding in _JAPANESE_CANDIDATES:
        text = _strict(data, encoding)
        if text is not None and _plausible(text) and _looks_japanese(text):
            return Decoded(text, encoding)
    text = _strict(data, "cp1252")  # the Western legacy encoding of English transcripts
    if text is not None and _plausible(text) and _looks_western(text):
        return Decoded(text, "cp1252")
    guessed = _guess_with_library(data)
    if guessed is None:
        raise InputError("cannot detect the text encoding (binary or corrupt file?)", path)
    return Decoded(*guessed)


def _plausible(text: str) -> bool:
    """Reject decodings that produce control characters or private-use junk."""
    bad = sum(1 for ch in text[:20000] if _is_junk(ch))
    return bad <= max(2, len(text[:20000]) // 1000)


def _looks_japanese(text: str) -> bool:
    """Kana are frequent in real Japanese and rare in mis-decoded Western text."""
    non_ascii = [ch for ch in text[:20000] if ord(ch) > 127]
    kana = sum(1 for ch in non_ascii if "\u3040" <= ch <= "\u30ff")
    return bool(non_ascii) and kana / len(non_ascii) > 0.2


def _looks_western(text: str) -> bool:
    """Mostly ASCII letters, with Latin-1 letters and punctuation: Western European text."""
    sample = text[:20000]
    non_ascii = [ch for ch in sample if ord(ch) > 127]
    latin = sum(1 for ch in non_ascii if ch.isalpha() or ch in "‘’“”–—… ")
    return len(non_ascii) <= 0.1 * len(sample) and latin >= 0.9 * len(non_ascii)


def _is_junk(ch: str) -> bool:
    code = ord(ch)
    if ch in "\n\r\t\f\v":
        return False
    return code < 32 or 0x7F <= code < 0xA0 or 0xE000 <= code <= 0xF8FF
