"""Reading input files safely: regular files only, OS failures and bad UTF-8 as InputErrors.

A FIFO or a device (/dev/zero) would block or never end, so anything that is not a regular file
is refused before it is opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from align.errors import InputError


def check_name(path: Path | str, what: str = "file name") -> None:
    """Names become document and event ids in every output: they must be clean text.

    A name that is not valid UTF-8 (Python shows its bytes as lone surrogates) or holds a
    control character could not be written to JSON, XML or the terminal.
    """
    if "\0" in str(path):
        raise InputError(f"{what} holds a NUL byte", repr(str(path)))
    name = Path(path).name
    if any("\ud800" <= ch <= "\udfff" for ch in name):
        raise InputError(f"{what} is not valid UTF-8: rename it", path)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InputError(f"{what} holds a control character: rename it", path)


def check_regular(path: Path) -> os.stat_result:
    """The file's stat; missing, a directory, a FIFO or a device is an InputError."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except PermissionError:
        raise InputError("permission denied (file not readable)", path) from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise InputError(f"cannot read file ({reason})", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, not a file", path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a pipe, socket or device cannot be read)", path)
    return info


def read_bytes(path: Path | str) -> bytes:
    """A regular file's bytes, mapping OS failures to one-line input errors."""
    path = Path(path)
    check_regular(path)
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


def read_utf8(path: Path | str, what: str = "file") -> str:
    """A UTF-8 text file (a BOM is dropped); invalid UTF-8 names the byte offset."""
    path = Path(path)
    if not os.path.lexists(path):
        raise InputError(f"{what} not found", path)
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{what} is not valid UTF-8 (byte offset {error.start}: {error.reason})", path
        ) from None
