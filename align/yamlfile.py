"""Reading the toolkit's small YAML files (event.yaml, batch configs) with one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from align.errors import InputError


def load_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping; missing, unreadable or malformed is an InputError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{what} not found", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {what} ({error})", path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"malformed YAML{where}", path) from None
    if not isinstance(data, dict):
        raise InputError(f"the {what} must be a YAML mapping", path)
    return data
