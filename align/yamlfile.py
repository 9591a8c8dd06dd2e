"""Reading the toolkit's small YAML files (event.yaml, batch configs) with one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from align.errors import InputError
from align.textfile import read_utf8

# libyaml's safe loader where PyYAML was built with it (same data, about 10x faster to parse).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping; missing, unreadable or malformed is an InputError."""
    try:
        data = yaml.load(read_utf8(path, what), Loader=_LOADER)  # a safe loader, never yaml.Loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"malformed YAML{where}", path) from None
    except (ValueError, OverflowError, RecursionError) as error:  # 2024-13-45 read as a date
        raise InputError(f"invalid value in YAML ({error})", path) from None
    if not isinstance(data, dict):
        raise InputError(f"the {what} must be a YAML mapping", path)
    return data
