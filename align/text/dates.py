"""Dates in Japanese (era and Gregorian) and English forms, normalised to ISO 8601."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for m in names
}
_JA_ERA = re.compile(
    r"(令和|平成|昭和|大正|明治)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_JA_GREGORIAN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EN_MDY = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),\s*(\d{4})\b")
_EN_DMY = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?\s+(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def era_year(era: str, year: str) -> int:
    """Gregorian year of a Japanese era year (元 = the first year)."""
    return ERAS[era] + (1 if year == "元" else int(year))


def find_date(text: str) -> str | None:
    """The first recognisable date in `text`, as YYYY-MM-DD."""
    text = unicodedata.normalize("NFKC", text)
    candidates: list[tuple[int, str]] = []
    for match in _ISO.finditer(text):
        if (iso := _iso(*map(int, match.groups()))) is not None:
            candidates.append((match.start(), iso))
    for match in _JA_ERA.finditer(text):
        era, year, month, day = match.groups()
        if (iso := _iso(era_year(era, year), int(month), int(day))) is not None:
            candidates.append((match.start(), iso))
    for match in _JA_GREGORIAN.finditer(text):
        if (iso := _iso(*map(int, match.groups()))) is not None:
            candidates.append((match.start(), iso))
    for match in _EN_MDY.finditer(text):
        month = MONTHS.get(match.group(1).lower())
        if month and (iso := _iso(int(match.group(3)), month, int(match.group(2)))):
            candidates.append((match.start(), iso))
    for match in _EN_DMY.finditer(text):
        month = MONTHS.get(match.group(2).lower())
        if month and (iso := _iso(int(match.group(3)), month, int(match.group(1)))):
            candidates.append((match.start(), iso))
    return min(candidates)[1] if candidates else None
