"""Numbers, dates and quantities in Japanese and English, normalised so the two can be compared.

`find_ja` / `find_en` return `Mention`s (surface, offsets, normalised fields) and `compare`
matches them across the languages: 令和6年7月23日 and "July 23, 2024" are one date; 5年間で43兆円
and "43 trillion yen over five years" a duration and a sum; 約60分 and "about 60 minutes" one
duration; 四十三, ４３ and "forty-three" all 43.

A mention is *strong* when dropping or changing it changes what is said (digits, dates, times,
sums, counted things) and *weak* when the number is routinely rendered without a numeral (一 and
"one" ~ "a", 両 ~ "both", list markers, "first" as a discourse marker). Weak mentions satisfy
strong ones on the other side but are never reported missing, so equivalent forms pass.

Hand-written rather than a library: no maintained package reads Japanese era dates, kanji
numerals with 万/億/兆 and English spelled numbers while keeping character offsets.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
DATE_FIELDS = ("year", "month", "day", "rel_year")
CURRENCIES = ("JPY", "USD", "EUR")
IDENTIFIER = "identifier"  # G7, CV-22, 2+2: names that hold digits, never compared


@dataclass(frozen=True)
class Mention:
    """One number, date, time or quantity in a text, with its normalised fields."""

    text: str
    start: int
    end: int
    kind: str  # "date" | "time" | "quantity"
    fields: tuple[tuple[str, float], ...]
    unit: str | None = None
    strong: bool = True
    approx: bool = False
    meridiem: bool = True  # False: a clock time without a.m./p.m. (compared modulo 12)

    @property
    def data(self) -> dict[str, float]:
        return dict(self.fields)

    def describe(self) -> str:
        """The normalised value for a reason line: 2024-07-23, 13:45, 43 trillion JPY."""
        data = self.data
        if self.kind == "date":
            return _describe_date(data)
        if self.kind == "time":
            return f"{int(data['hour']):02d}:{int(data['minute']):02d}"
        value = _describe_value(data["value"])
        return f"{value} {self.unit}" if self.unit else value


@dataclass
class NumberCheck:
    """Numbers of a source segment compared with those of its rendering."""

    src: list[Mention]
    tgt: list[Mention]
    missing: list[Mention] = field(default_factory=list)  # strong source mentions unmatched
    added: list[Mention] = field(default_factory=list)  # strong target mentions unmatched

    @property
    def mismatch(self) -> bool:
        return bool(self.missing or self.added)

    def reasons(self, src_label: str = "JA", tgt_label: str = "EN") -> list[str]:
        """One line per unmatched mention; a changed value is shown beside its replacement."""
        lines, added = [], list(self.added)
        for mention in self.missing:
            partner = next((m for m in added if m.kind == mention.kind), None)
            if partner is None:
                lines.append(
                    f"{src_label} 「{mention.text}」 ({mention.describe()}) has no matching "
                    f"number in the {tgt_label}"
                )
                continue
            added.remove(partner)
            lines.append(
                f"{src_label} 「{mention.text}」 ({mention.describe()}) rendered as "
                f'"{partner.text}" ({partner.describe()})'
            )
        lines.extend(
            f'{tgt_label} "{m.text}" ({m.describe()}) has no counterpart in the {src_label}'
            for m in added
        )
        return lines


def _describe_date(data: dict[str, float]) -> str:
    if set(data) == {"day"}:
        return f"day {int(data['day'])}"
    parts = []
    if "year" in data:
        parts.append(f"{int(data['year']):04d}")
    elif "rel_year" in data:
        parts.append({-1: "last year", 0: "this year", 1: "next year"}[int(data["rel_year"])])
    parts += [f"{int(data[k]):02d}" for k in ("month", "day") if k in data]
    return "-".join(parts)


def _describe_value(value: float) -> str:
    for scale, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:g} {name}"
    return f"{value:g}"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _digits(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:g}"


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character's NFKC form where it is one character (cached: texts reuse few)."""
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def _fold(text: str) -> str:
    """NFKC where it keeps one character (full-width digits, brackets, ％); offsets unchanged."""
    if text.isascii():  # NFKC leaves ASCII alone
        return text
    return "".join(map(_fold_char, text)).replace("\u2013", "-").replace("\u2014", "-")


class _View:
    """A copy of a text with spelled or kanji numbers rewritten as digits, mapped to offsets."""

    def __init__(self, original: str, folded: str, numbers: list[tuple[int, int, float]]) -> None:
        self.original = original
        pieces, self.starts, self.ends, self.spelled = [], [], [], []
        position = 0
        for start, end, value in numbers + [(len(folded), len(folded), None)]:
            pieces.append(folded[position:start])  # unchanged characters map one to one
            self.starts += range(position, start)
            self.ends += range(position + 1, start + 1)
            self.spelled += [False] * (start - position)
            if value is not None:
                digits = _digits(value)
                pieces.append(digits)
                self._map(start, end, len(digits), True)
            position = end
        self.text = "".join(pieces)

    def _map(self, start: int, end: int, length: int, spelled: bool) -> None:
        self.starts += [start] * length
        self.ends += [end] * length
        self.spelled += [spelled] * length

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]

    def is_spelled(self, start: int, end: int) -> bool:
        return any(self.spelled[start:end])


_DIGIT = re.compile(r"\d")


class _Finder:
    """Collects mentions over a view; rules run in priority order and never share characters."""

    def __init__(self, view: _View) -> None:
        self.view = view
        self.taken = [False] * len(view.text)
        self.found: list[Mention] = []
        self.digits = _DIGIT.search(view.text) is not None  # most beads hold no number at all

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def add(self, span: re.Match[str] | tuple[int, int], kind: str, fields: dict, **kw) -> None:
        start, end = span.span() if isinstance(span, re.Match) else span
        text = self.view.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end or not self.free(start, end):
            return
        self.taken[start:end] = [True] * (end - start)
        o_start, o_end = self.view.span(start, end)
        surface = self.view.original[o_start:o_end]
        self.found.append(Mention(surface, o_start, o_end, kind, tuple(fields.items()), **kw))

    def add_value(self, match: re.Match[str], value: float, *, strong: bool = True, **kw) -> None:
        self.add(match, "quantity", {"value": value}, strong=strong and value != 1, **kw)

    def result(self) -> list[Mention]:
        return sorted(self.found, key=lambda m: (m.start, m.end))


def _needs_digits(rule: Callable[[_Finder, int | None], None]) -> Callable:
    """A rule whose every pattern holds a digit: skipped where the view has none."""

    @functools.wraps(rule)
    def checked(finder: _Finder, ref_year: int | None) -> None:
        if finder.digits:
            rule(finder, ref_year)

    return checked


def _is_list_marker(text: str, start: int, end: int) -> bool:
    """`1.`, `(1)`, `（2）` opening a line or the segment."""
    head = text[:start].rstrip(" (（")
    return (head == "" or head.endswith("\n")) and text[end : end + 1] in (".", ")", "）", "．")


def _with_rel_year(fields: dict[str, float], offset: int | None, ref_year: int | None) -> None:
    """昨年 / "last" year: absolute when the document's year is known, relative otherwise."""
    if offset is None:
        return
    if ref_year is not None:
        fields["year"] = ref_year + offset
    else:
        fields["rel_year"] = offset


# --------------------------------------------------------------------------- Japanese

_KANJI_DIGITS = dict(zip("〇零一二三四五六七八九", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
_JA_RUN = re.compile(
    rf"(?:{_ARABIC}|[〇零一二三四五六七八九十百千])(?:{_ARABIC}|[〇零一二三四五六七八九十百千万億兆])*"
)
# Words whose numeral is not a quantity (一層 "further", 二国間 "bilateral", 四国 Shikoku).
_JA_IDIOMS = re.compile(
    "一人一人|一人ひとり|一つ一つ|一層|一体|一致|一環|一部|一方|一般|一定|一同|一段|一緒|一連|一貫|一切|一員"
    "|一帯|一時|一度|一日も|一刻も|一堂|一新|一掃|一覧|一括|一助|一翼|一役|一因|一端|一角|一線|唯一|統一"
    "|同一|万一|万全|万博|千載一遇|四国|九州|三重|八重|五輪|七夕|十分(?![間0-9])|二国間|多国間|一朝一夕"
)
_JA_COUNTERS = (
    "か国|カ国|ヶ国|ヵ国|箇国|周年|か所|カ所|箇所|項目|分野|段階|番目|件目|回目|つ目|人目|年目|日目|件|人|名|回"
    "|国|点|つ|機|隻|発|基|個|本|社|歳|期|条|項|次|倍|隊|校|拠点|都市"
)
_JA_UNITS = {"年間": "year", "か月間": "month", "ヶ月間": "month", "カ月間": "month",
             "ヵ月間": "month", "か月": "month", "ヶ月": "month", "カ月": "month", "ヵ月": "month",
             "週間": "week", "日間": "day", "時間": "hour", "分間": "minute", "秒間": "second",
             "分": "minute", "秒": "second", "世紀": "century", "米ドル": "USD", "ドル": "USD",
             "円": "JPY", "ユーロ": "EUR", "%": "%", "パーセント": "%"}  # fmt: skip
_JA_REL_YEAR = {"昨年": -1, "前年": -1, "本年": 0, "今年": 0, "来年": 1, "翌年": 1}
_JA_APPROX = re.compile(r"(?:約|およそ|概ね|おおむね|ほぼ|最大)$")
_JA_APPROX_AFTER = re.compile(r"(?:余り|あまり|以上|超|程度|前後|ほど)")


_ARABIC_FULL = re.compile(_ARABIC)
_KANJI_TOKEN = re.compile(rf"{_ARABIC}|.")


def kanji_to_number(text: str) -> float | None:
    """四十三 → 43, 二〇二二 → 2022, 1億2000万 → 1.2e8, 5.3兆 → 5.3e12; None when not a number."""
    if not text or text[0] in _BIG_UNITS:
        return None
    if all(c in _KANJI_DIGITS for c in text):  # positional: 二〇二二
        return float("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, section, current = 0.0, 0.0, None
    for token in _KANJI_TOKEN.findall(text):
        if token[0].isdigit():
            current = _number(token)
        elif token in _KANJI_DIGITS:
            current = (current or 0) * 10 + _KANJI_DIGITS[token]
        elif token in _SMALL_UNITS:
            section += (1 if current is None else current) * _SMALL_UNITS[token]
            current = None
        elif token in _BIG_UNITS:
            total += (section + (current or 0)) * _BIG_UNITS[token]
            section, current = 0.0, None
        else:
            return None
    return total + section + (current or 0)


def _ja_numbers(folded: str) -> list[tuple[int, int, float]]:
    """Kanji numerals and 万/億/兆 amounts to rewrite as digits (plain digits stay as they are)."""
    idioms = [m.span() for m in _JA_IDIOMS.finditer(folded)]
    out = []
    for match in _JA_RUN.finditer(folded):
        start, end = match.span()
        if _ARABIC_FULL.fullmatch(match.group()) or any(a < end and start < b for a, b in idioms):
            continue
        value = kanji_to_number(match.group())
        if value is not None:
            out.append((start, end, value))
    return out


# Every rule but _ja_pairs needs one of these in the folded text: a digit (kanji numerals become
# digits only from 〇…千), 両 (両外相) or an era name (令和元年); 今年 alone adds nothing. Most
# beads hold none, and skipping the rules for them is exact.
_JA_MAY_HOLD = re.compile(rf"\d|[〇零一二三四五六七八九十百千両]|{'|'.join(ERAS)}")


def find_ja(text: str, ref_year: int | None = None) -> list[Mention]:
    """Numbers, dates, times and quantities in Japanese text (offsets into `text`)."""
    folded = _fold(text)
    found = _ja_pairs(text)
    if _JA_MAY_HOLD.search(folded):
        finder = _Finder(_View(text, folded, _ja_numbers(folded)))
        for rule in (_ja_identifiers, _ja_dates, _ja_days, _ja_times, _ja_units, _ja_counts,
                     _ja_rest):  # fmt: skip
            rule(finder, ref_year)
        found = [_vague(m, text) for m in finder.result()] + found
    return sorted(found, key=lambda m: (m.start, m.end))


_JA_PARTY = "日米中韓英仏独豪印露加伊朝台比越欧"
_JA_PAIR = re.compile(rf"(?<![\u4e00-\u9fff々])[{_JA_PARTY}]{{2,4}}")


def _vague(mention: Mention, text: str) -> Mention:
    """数十, 数百人, 十数年: "dozens", "hundreds", "over a decade" are vague; never required."""
    before = text[max(0, mention.start - 1) : mention.start]
    after = text[mention.end : mention.end + 1]
    vague = "数" in (before, after) or mention.text.startswith("数") or _ja_range(text, mention)
    if mention.kind == "quantity" and vague:
        return Mention(mention.text, mention.start, mention.end, mention.kind, mention.fields,
                       mention.unit, strong=False, approx=True)  # fmt: skip
    return mention


_RANGE_AFTER = re.compile(r"[、,・]\s*([0-9０-９一二三四五六七八九])")
_RANGE_BEFORE = re.compile(r"([0-9０-９一二三四五六七八九])\s*[、,・]$")


def _ja_range(text: str, mention: Mention) -> bool:
    """２、３個 / 二、三日: a number and its successor joined by 、 mean "a couple", "a few"."""
    value = mention.data.get("value")
    after = _RANGE_AFTER.match(text[mention.end :])
    before = _RANGE_BEFORE.search(text[: mention.start])
    near = [m.group(1) for m in (after, before) if m]
    values = {kanji_to_number(c) if not c.isdigit() else float(unicodedata.normalize("NFKC", c))
              for c in near}  # fmt: skip
    return value is not None and bool(values & {value + 1, value - 1})


def _ja_pairs(text: str) -> list[Mention]:
    """日米 / 日米韓: a compound of country initials implies "two/three countries" (weak)."""
    out = []
    for match in _JA_PAIR.finditer(text):
        count = len(match.group())
        out.append(Mention(match.group(), match.start(), match.end(), "quantity",
                           (("value", float(count)),), strong=False))  # fmt: skip
    return out


def _ja_approx(vt: str, start: int, end: int) -> bool:
    return bool(_JA_APPROX.search(vt[max(0, start - 3) : start])) or bool(
        _JA_APPROX_AFTER.match(vt, end)
    )


_JA_IDENTIFIER = re.compile(r"[A-Za-z]+-?\d+|\d+\+\d+|\d+[A-Za-z]+")


@_needs_digits
def _ja_identifiers(finder: _Finder, ref_year: int | None) -> None:
    for match in _JA_IDENTIFIER.finditer(finder.view.text):
        finder.add(match, "quantity", {"value": 0}, unit=IDENTIFIER, strong=False)


_JA_DATE = re.compile(
    r"(?:(?P<era>令和|平成|昭和|大正|明治)\s*(?P<ey>元|\d{1,2})\s*年|(?P<y>\d{4})\s*年(?!間|代|度)"
    r"|(?P<rel>昨年|前年|本年|今年|来年|翌年))(?:\s*(?:\([^)]{0,8}\))?\s*(?P<m>\d{1,2})\s*月"
    r"(?:(?P<d>\d{1,2})\s*日(?!間))?)?|(?P<m2>\d{1,2})\s*月(?:(?P<d2>\d{1,2})\s*日(?!間))?"
)


def _ja_dates(finder: _Finder, ref_year: int | None) -> None:
    for match in _JA_DATE.finditer(finder.view.text):
        g = match.groupdict()
        month, day = g["m"] or g["m2"], g["d"] or g["d2"]
        fields: dict[str, float] = {}
        if g["ey"]:
            fields["year"] = ERAS[g["era"]] + (1 if g["ey"] == "元" else int(g["ey"]))
        elif g["y"]:
            fields["year"] = int(g["y"])
        _with_rel_year(fields, _JA_REL_YEAR.get(g["rel"] or ""), ref_year)
        if month and 1 <= int(month) <= 12:
            fields["month"] = int(month)
        if day and "month" in fields:
            fields["day"] = int(day)
        if g["rel"] and "month" not in fields:
            continue  # 今年 alone is rendered "this year", not a number
        if fields:
            finder.add(match, "date", fields)


_JA_DAY = re.compile(r"(?<![\d月])(\d{1,2})\s*日(?![間本米中韓豪印独仏露英])")


@_needs_digits
def _ja_days(finder: _Finder, ref_year: int | None) -> None:
    """A lone day after a date (7月25日から28日まで; 日本時間13日)."""
    for match in _JA_DAY.finditer(finder.view.text):
        if 1 <= int(match.group(1)) <= 31 and not finder.view.is_spelled(*match.span(1)):
            finder.add(match, "date", {"day": int(match.group(1))})


_JA_TIME = re.compile(
    r"(?P<ampm>午前|午後)?\s*(?P<h>\d{1,2})\s*時(?!間|点|期|代)"
    r"(?:\s*(?P<min>\d{1,2})\s*分|(?P<half>半))?"
)


@_needs_digits
def _ja_times(finder: _Finder, ref_year: int | None) -> None:
    for match in _JA_TIME.finditer(finder.view.text):
        hour, ampm = int(match.group("h")), match.group("ampm")
        explicit = ampm or match.group("min") or match.group("half")
        if hour > 24 or (finder.view.is_spelled(*match.span("h")) and not explicit):
            continue  # 一時 ("for a while") is not one o'clock
        minute = int(match.group("min") or (30 if match.group("half") else 0))
        hour += 12 if ampm == "午後" and hour < 12 else 0
        hour -= 12 if ampm == "午前" and hour == 12 else 0
        clock = {"hour": hour, "minute": minute}
        finder.add(match, "time", clock, meridiem=bool(ampm) or hour > 12)


_JA_UNIT_WORDS = "|".join(sorted(map(re.escape, _JA_UNITS), key=len, reverse=True))
_JA_UNIT = re.compile(rf"{_NUM}\s*(?P<u>{_JA_UNIT_WORDS}|割)")
_JA_YEARS = re.compile(rf"(?<![\d.]){_NUM}\s*年(?![\d月間代度])")


@_needs_digits
def _ja_units(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for match in _JA_UNIT.finditer(vt):
        word, value = match.group("u"), _number(match.group("n"))
        if word == "分" and finder.view.is_spelled(*match.span("n")):
            continue  # 十分 (enough), 五分五分 (even): kanji minutes are not durations
        unit = "%" if word == "割" else _JA_UNITS[word]
        value *= 10 if word == "割" else 1
        sum_or_share = unit in CURRENCIES or unit == "%"
        approx = _ja_approx(vt, *match.span())
        finder.add(match, "quantity", {"value": value}, unit=unit, approx=approx,
                   strong=sum_or_share or value != 1)  # fmt: skip
    for match in _JA_YEARS.finditer(vt):
        finder.add_value(match, _number(match.group("n")), unit="year")


_JA_ORDINAL = re.compile(rf"第\s*{_NUM}")
_JA_COUNT = re.compile(rf"{_NUM}\s*(?:{_JA_COUNTERS})")
_JA_BOTH = re.compile(r"両(?=[外首大国者政閣氏防])")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def _ja_counts(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for match in _JA_ORDINAL.finditer(vt) if finder.digits else ():
        finder.add(match, "quantity", {"value": _number(match.group("n"))})  # 第一 is strong
    for match in _JA_COUNT.finditer(vt) if finder.digits else ():
        finder.add_value(match, _number(match.group("n")), approx=_ja_approx(vt, *match.span()))
    for match in _JA_BOTH.finditer(vt):
        finder.add_value(match, 2, strong=False)  # 両外相 = "the two ministers" / "both"


@_needs_digits
def _ja_rest(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for match in _DECIMAL.finditer(vt):
        if not finder.free(*match.span()):
            continue
        value = _number(match.group())
        kanji_small = finder.view.is_spelled(*match.span()) and value < 10  # 三原則, 四方
        weak = _is_list_marker(vt, *match.span()) or kanji_small
        finder.add_value(match, value, strong=not weak)


# --------------------------------------------------------------------------- English


def _word_table(words: str, values: range) -> dict[str, int]:
    """Number words to their values (one string per table keeps the tables readable)."""
    return dict(zip(words.split(), values, strict=True))


_EN_UNITS = _word_table(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen",
    range(20),
)
_EN_TENS = _word_table("twenty thirty forty fifty sixty seventy eighty ninety", range(20, 100, 10))
_EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
              "trillion": 10**12}  # fmt: skip
_EN_ORDINALS = _word_table(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth",
    range(1, 21),
)
# Words that imply a number; they satisfy one but are never required.
_EN_IMPLIED = {"both": 2, "bilateral": 2, "twice": 2, "double": 2, "pair": 2, "trilateral": 3,
               "dozen": 12, "half": 0.5, "once": 1}  # fmt: skip
_MONTHS = {
    name: index
    for index, names in enumerate(
        ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sep sept", "october oct", "november nov", "december dec"],
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_MONTH = (
    "(?P<mon>" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + ")"
)
_EN_DURATIONS = {"year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour",
                 "minute": "minute", "min": "minute", "second": "second", "decade": "decade",
                 "century": "century", "centurie": "century"}  # fmt: skip
_EN_CURRENCY_AFTER = {"yen": "JPY", "dollars": "USD", "dollar": "USD", "euros": "EUR",
                      "euro": "EUR"}  # fmt: skip
_EN_CURRENCY_BEFORE = {"¥": "JPY", "jpy": "JPY", "us$": "USD", "$": "USD", "usd": "USD",
                       "€": "EUR", "eur": "EUR"}  # fmt: skip
_EN_APPROX = re.compile(
    r"\b(?:about|approximately|approx\.|around|some|nearly|roughly|almost|over|more than|"
    r"less than|up to|at least|at most)\s+$",
    re.IGNORECASE,
)
_EN_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
_EN_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|mn|bn|tn)\b)?"
_SCALE_ABBREVIATIONS = {"mn": "million", "bn": "billion", "tn": "trillion"}


_WORD_GAP = re.compile(r"[\s-]+")


def words_to_number(words: str) -> float | None:
    """ "forty-three" → 43, "three hundred and five" → 305, "a hundred" → 100; else None."""
    tokens = [t for t in _WORD_GAP.split(words.lower()) if t and t != "and"]
    if tokens[:1] == ["a"] and len(tokens) > 1 and tokens[1] in _EN_SCALES:
        tokens[0] = "one"
    if not tokens or not (tokens[0] in _EN_UNITS or tokens[0] in _EN_TENS):
        return None  # a bare scale word ("billion" after digits) is read with its digits
    total, current = 0.0, 0.0
    for previous, token in zip([None, *tokens[:-1]], tokens, strict=True):
        if previous in _EN_UNITS and (token in _EN_UNITS or token in _EN_TENS):
            return None  # "eight thirty", "one two": not one cardinal (a time, a list)
        if token in _EN_UNITS or token in _EN_TENS:
            current += _EN_UNITS.get(token, _EN_TENS.get(token, 0))
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _EN_SCALES:
            total, current = total + (current or 1) * _EN_SCALES[token], 0.0
        else:
            return None
    return total + current


_NUMBER_WORD = "|".join([*_EN_UNITS, *_EN_TENS, *_EN_SCALES])
_SPELLED = re.compile(
    rf"\b(?:a[\s-]+(?=(?:hundred|thousand|million|billion|trillion)\b))?(?:{_NUMBER_WORD})\b"
    rf"(?:(?:[\s-]+(?:and[\s-]+)?)(?:{_NUMBER_WORD})\b)*",
    re.IGNORECASE,
)


def _en_numbers(folded: str) -> list[tuple[int, int, float]]:
    """Spelled cardinals to rewrite as digits ("forty-three" → 43); spelled clock times stay."""
    out = []
    for match in _SPELLED.finditer(folded):
        value = words_to_number(match.group())
        if value is not None:
            out.append((match.start(), match.end(), value))
        elif not _SPELLED_CLOCK.fullmatch(match.group()):
            out.extend(_en_numbers_each(folded, match))
    return out


_LETTERS = re.compile(r"[a-z]+", re.IGNORECASE)


def _en_numbers_each(folded: str, run: re.Match[str]) -> list[tuple[int, int, float]]:
    """The words of a run that is no single cardinal ("one two three"), one number each."""
    out = []
    for word in _LETTERS.finditer(run.group()):
        value = words_to_number(word.group())
        if value is not None:
            out.append((run.start() + word.start(), run.start() + word.end(), value))
    return out


_CLOCK_HOURS = list(_EN_UNITS)[1:13]
_CLOCK_MINUTES = {"fifteen": 15, "thirty": 30, "forty-five": 45, "forty five": 45}
# "eight thirty", "nine fifteen": an hour word and a minute word, read as a time, not a number.
_SPELLED_CLOCK = re.compile(
    rf"(?P<hw>{'|'.join(_CLOCK_HOURS)})[\s-]+(?P<mw>fifteen|thirty|forty[\s-]five)",
    re.IGNORECASE,
)


def _needles(words: Iterable[str]) -> tuple[str, ...]:
    """The words that hold no other word of the list: a text holding a word holds one of them."""
    kept = set(words)
    return tuple(sorted(w for w in kept if not any(o != w and o in w for o in kept)))


# Words one of which (lower-cased) every match of the rules that need no digit holds: number
# words (_SPELLED, _EN_SPELLED_CLOCK) and ordinals or implied numbers (_EN_WORD); and the
# month names of _EN_DATES, case-sensitive as there.
_EN_NEEDLES = _needles([*_EN_UNITS, *_EN_TENS, *_EN_SCALES, *_EN_ORDINALS, *_EN_IMPLIED])
_MONTH_NEEDLES = _needles(m.capitalize() for m in _MONTHS)
# The letters other than A-Z and a-z that re.IGNORECASE matches with an ASCII letter (Python's
# re documentation; tests/test_signal_shortcuts.py checks every code point).
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def _en_may_hold(folded: str) -> bool:
    """False only where no rule of find_en can match, so skipping them is exact: with no digit
    and no number word the view is the folded text and holds no digit, so only the month,
    spelled-clock and ordinal rules run, and each of their matches holds a needle."""
    if _DIGIT.search(folded) or _CASE_TRAPS.search(folded):
        return True
    lower = folded.lower()
    return any(w in lower for w in _EN_NEEDLES) or any(m in folded for m in _MONTH_NEEDLES)


def find_en(text: str, ref_year: int | None = None) -> list[Mention]:
    """Numbers, dates, times and quantities in English text (offsets into `text`)."""
    folded = _fold(text)
    if not _en_may_hold(folded):
        return []  # most English beads hold no number
    finder = _Finder(_View(text, folded, _en_numbers(folded)))
    rules = (_en_identifiers, _en_dates, _en_years, _en_times, _en_money, _en_units, _en_words,
             _en_rest)  # fmt: skip
    for rule in rules:
        rule(finder, ref_year)
    return finder.result()


def _en_approx(vt: str, start: int) -> bool:
    return bool(_EN_APPROX.search(vt[max(0, start - 20) : start]))


_EN_IDENTIFIER = re.compile(
    r"\b[A-Za-z]+-?\d+[A-Za-z]*\b|\b\d+\+\d+\b"
    r"|\b\d+[A-Za-z]*-(?!year|month|week|day|hour|minute)[A-Za-z]+\b"
)
_ORDINAL_DIGITS = re.compile(r"\d+(?:st|nd|rd|th)")


@_needs_digits
def _en_identifiers(finder: _Finder, ref_year: int | None) -> None:
    for match in _EN_IDENTIFIER.finditer(finder.view.text):
        if not _ORDINAL_DIGITS.fullmatch(match.group()):
            finder.add(match, "quantity", {"value": 0}, unit=IDENTIFIER, strong=False)


_EN_DATES = [
    re.compile(rf"\b{_MONTH}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(?P<y>\d{{4}})\b)?"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?"
    ),
    re.compile(
        rf"\b(?:(?P<rel>last|next|this)\s+)?{_MONTH}\b\.?(?:,?\s+(?:of\s+)?(?P<y>\d{{4}})\b)?"
    ),
]
_MONTH_CONTEXT = re.compile(
    r"\b(?:in|since|until|till|by|from|of|early|late|mid|end|during|through|before|after)\s*-?\s*$",
    re.IGNORECASE,
)


def _en_dates(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for pattern in _EN_DATES if finder.digits else _EN_DATES[2:]:  # the first two need a day
        for match in pattern.finditer(vt):
            g = match.groupdict()
            context = _MONTH_CONTEXT.search(vt[max(0, match.start() - 12) : match.start()])
            if not (g.get("d") or g.get("y") or g.get("rel") or context):
                continue  # a bare "May" or "March" is a verb more often than a month
            fields: dict[str, float] = {"month": _MONTHS[g["mon"].lower()]}
            if g.get("d"):
                if not 1 <= int(g["d"]) <= 31:
                    continue
                fields["day"] = int(g["d"])
            if g.get("y"):
                fields["year"] = int(g["y"])
            else:
                _with_rel_year(
                    fields, {"last": -1, "this": 0, "next": 1}.get(g.get("rel") or ""), ref_year
                )
            finder.add(match, "date", fields)


_EN_YEAR = re.compile(r"(?<![\w$¥.,])(?:19|20)\d{2}(?![\w%]|\s*(?:yen|dollars|people|percent))")


@_needs_digits
def _en_years(finder: _Finder, ref_year: int | None) -> None:
    for match in _EN_YEAR.finditer(finder.view.text):
        finder.add(match, "date", {"year": int(match.group())})


_AMPM = r"(?:\s*(?P<ap>[ap])\.?\s?m\.?(?![a-z]))"
_EN_CLOCKS = (
    re.compile(rf"\b(?P<h>\d{{1,2}}):(?P<min>\d{{2}}){_AMPM}?", re.IGNORECASE),
    re.compile(rf"\b(?P<h>\d{{1,2}}){_AMPM}", re.IGNORECASE),
)
_EN_OCLOCK = re.compile(r"\b(?P<h>\d{1,2})\s*o['’]\s?clock\b", re.I)
_EN_SPELLED_CLOCK = re.compile(rf"\b{_SPELLED_CLOCK.pattern}\b", re.I)


def _en_times(finder: _Finder, ref_year: int | None) -> None:
    for pattern in _EN_CLOCKS if finder.digits else ():
        for match in pattern.finditer(finder.view.text):
            hour, minute = int(match.group("h")), int(match.groupdict().get("min") or 0)
            marker = (match.group("ap") or "").lower()
            if hour > 24 or minute > 59:
                continue
            hour += 12 if marker == "p" and hour < 12 else 0
            hour -= 12 if marker == "a" and hour == 12 else 0
            clock = {"hour": hour, "minute": minute}
            finder.add(match, "time", clock, meridiem=bool(marker) or hour > 12)
    # "5 o'clock" (spelled hours are digits in the view by now) and "eight thirty": clock times
    # without a.m./p.m., compared with the Japanese hour modulo 12 (17時 = "five o'clock").
    for match in _EN_OCLOCK.finditer(finder.view.text) if finder.digits else ():
        if int(match.group("h")) <= 24:
            finder.add(match, "time", {"hour": int(match.group("h")), "minute": 0}, meridiem=False)
    for match in _EN_SPELLED_CLOCK.finditer(finder.view.text):
        hour = _EN_UNITS[match.group("hw").lower()]
        minute = _CLOCK_MINUTES[_WORD_GAP.sub("-", match.group("mw").lower())]
        finder.add(match, "time", {"hour": hour, "minute": minute}, meridiem=False)


def _en_value(match: re.Match[str]) -> float:
    scale = (match.groupdict().get("scale") or "").lower()
    return _number(match.group("n")) * _EN_SCALES.get(_SCALE_ABBREVIATIONS.get(scale, scale), 1)


_BEFORE = "|".join(map(re.escape, _EN_CURRENCY_BEFORE))
_AFTER = "|".join(_EN_CURRENCY_AFTER)
_EN_MONEY = (
    (re.compile(rf"(?P<cur>{_BEFORE})\s?{_EN_NUM}{_EN_SCALE}", re.I), _EN_CURRENCY_BEFORE),
    (
        re.compile(rf"{_EN_NUM}{_EN_SCALE}\s+(?:US\s+)?(?P<cur>{_AFTER})\b", re.I),
        _EN_CURRENCY_AFTER,
    ),
    (re.compile(rf"{_EN_NUM}{_EN_SCALE}\s*(?P<cur>%|percent\b|per cent\b)", re.I), {}),
)


@_needs_digits
def _en_money(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for pattern, currencies in _EN_MONEY:
        for match in pattern.finditer(vt):
            unit = currencies.get(match.group("cur").lower(), "%")
            approx = _en_approx(vt, match.start())
            finder.add(match, "quantity", {"value": _en_value(match)}, unit=unit, approx=approx)


_EN_DURATION = re.compile(
    rf"{_EN_NUM}(?:st|nd|rd|th)?[\s-]+(?P<u>{'|'.join(_EN_DURATIONS)})s?\b", re.IGNORECASE
)
_EN_NTH = re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th)\b")
_EN_SCALED = re.compile(rf"{_EN_NUM}{_EN_SCALE}", re.IGNORECASE)


@_needs_digits
def _en_units(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for match in _EN_DURATION.finditer(vt):
        unit = _EN_DURATIONS[match.group("u").lower()]
        approx = _en_approx(vt, match.start())
        finder.add_value(match, _number(match.group("n")), unit=unit, approx=approx)
    for match in _EN_NTH.finditer(vt):
        finder.add(match, "quantity", {"value": _number(match.group("n"))})
    for match in _EN_SCALED.finditer(vt):
        if match.group("scale"):
            finder.add_value(match, _en_value(match), approx=_en_approx(vt, match.start()))


_EN_WORD = re.compile(rf"\b(?:{'|'.join([*_EN_ORDINALS, *_EN_IMPLIED])})\b", re.IGNORECASE)


def _en_words(finder: _Finder, ref_year: int | None) -> None:
    """Spelled ordinals (third and up are strong) and words that imply a number."""
    for match in _EN_WORD.finditer(finder.view.text):
        word = match.group().lower()
        value = _EN_ORDINALS.get(word, _EN_IMPLIED.get(word, 0))
        finder.add(match, "quantity", {"value": value}, strong=word in _EN_ORDINALS and value > 2)


_EN_PLAIN = re.compile(rf"(?<![\w.]){_EN_NUM}(?!\w)")


@_needs_digits
def _en_rest(finder: _Finder, ref_year: int | None) -> None:
    vt = finder.view.text
    for match in _EN_PLAIN.finditer(vt):
        if finder.free(*match.span()):
            weak = _is_list_marker(vt, *match.span())
            approx = _en_approx(vt, match.start())
            finder.add_value(match, _number(match.group("n")), strong=not weak, approx=approx)


# --------------------------------------------------------------------------- comparison


def compatible(a: Mention, b: Mention) -> bool:
    """True when one can render the other: same date or time (shared fields agree), same amount.

    A plain number (no unit) matches any field of the other side: "28" renders 28日, "two"
    renders 二点. A date given in part (7月) matches a fuller one (July 23, 2024).
    """
    if IDENTIFIER in (a.unit, b.unit):
        return False
    da, db = a.data, b.data
    if a.kind == "quantity" and a.unit is None or b.kind == "quantity" and b.unit is None:
        bare, other = (a, b) if a.kind == "quantity" and a.unit is None else (b, a)
        values = [v for k, v in other.fields if k != "rel_year"]
        return any(_close(bare.data["value"], v) for v in values)
    if a.kind != b.kind:
        return False
    if a.kind == "date":
        shared = [k for k in DATE_FIELDS if k in da and k in db]
        return bool(shared) and all(_close(da[k], db[k]) for k in shared)
    if a.kind == "time":
        modulo = 24 if a.meridiem and b.meridiem else 12
        same_hour = _close(da["hour"] % modulo, db["hour"] % modulo)
        return same_hour and _close(da["minute"], db["minute"])
    (unit_a, value_a), (unit_b, value_b) = _base(a), _base(b)
    return unit_a == unit_b and _close(value_a, value_b)


# Units that are multiples of another: 70年 = "seven decades", 14日間 = "two weeks".
_UNIT_SCALE = {"decade": ("year", 10), "century": ("year", 100), "week": ("day", 7)}


def _base(mention: Mention) -> tuple[str | None, float]:
    """The mention's value in its base unit."""
    unit, factor = _UNIT_SCALE.get(mention.unit or "", (mention.unit, 1))
    return unit, mention.data["value"] * factor


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def compare(src: list[Mention], tgt: list[Mention]) -> NumberCheck:
    """Strong mentions on either side that nothing on the other side can render."""
    missing = [m for m in src if m.strong and not any(compatible(m, t) for t in tgt)]
    added = [t for t in tgt if t.strong and not any(compatible(m, t) for m in src)]
    return NumberCheck(src, tgt, missing, added)


def check_numbers(ja: str, en: str, ref_year: int | None = None) -> NumberCheck:
    """Compare the numbers of a Japanese segment with those of its English rendering."""
    return compare(find_ja(ja, ref_year), find_en(en, ref_year))
