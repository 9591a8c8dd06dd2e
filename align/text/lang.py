"""Language tags and how sentences of a language are joined (one copy for every stage)."""

from __future__ import annotations

# Languages written without spaces between sentences: their segments are joined with nothing.
UNSPACED_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo"})


def base_language(code: str) -> str:
    """Reduce a tag (ja-JP, zh_TW, EN) to its ISO 639-1 base code."""
    return code.strip().replace("_", "-").split("-")[0].lower()


def joiner(language: str) -> str:
    """The string that glues consecutive sentences of `language` into one segment."""
    return "" if base_language(language) in UNSPACED_LANGUAGES else " "
