"""HTML pages to main text with a real extractor (trafilatura; selectolax as the fallback)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:p|div|br|article|section|h[1-6]|span|table)\b[^>]*>", re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Real pages nest 20-60 deep; parsers slow down superlinearly on 10,000s of levels.
MAX_DEPTH = 512


@dataclass
class ExtractedPage:
    """The main text of a page and the metadata the page itself declares."""

    text: str
    title: str | None
    date: str | None


def looks_like_html(text: str) -> bool:
    """HTML by content: a document prologue, or markup dense enough to be a page."""
    if _HTML_START.match(text[:4096]):
        return True
    head = text[:8192]
    return len(_HTML_TAGS.findall(head)) >= 3 and head.lstrip().startswith("<")


def extract_main_text(html: str) -> ExtractedPage:
    """Main content without navigation, scripts and footers, one paragraph per line."""
    import trafilatura

    html = cap_depth(html)
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    # extensive=False: htmldate's dateparser fallback took 7-15 s on a 280-byte page (locale
    # loading) and read "2024-13-45" as 2024-01-01; our own date finder covers the body text.
    metadata = trafilatura.extract_metadata(html, extensive=False)
    title = metadata.title if metadata else None
    date = metadata.date if metadata else None
    if not text or not text.strip():
        text = _selectolax_text(html)
    return ExtractedPage(text=text or "", title=title or _selectolax_title(html), date=date)


def cap_depth(html: str, limit: int = MAX_DEPTH) -> str:
    """Drop the tags nested deeper than `limit` (their text stays), in one linear pass."""
    depth, deepest = 0, 0
    for match in _TAG.finditer(html):
        depth = _step(depth, match)
        deepest = max(deepest, depth)
    if deepest <= limit:
        return html
    parts, last, depth = [], 0, 0
    for match in _TAG.finditer(html):
        before = depth
        depth = _step(depth, match)
        if max(before, depth) > limit:
            parts.append(html[last : match.start()])
            last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def _step(depth: int, tag: re.Match[str]) -> int:
    closing, name, selfclosing = tag.group(1), tag.group(2).lower(), tag.group(3)
    if name in _VOID or selfclosing:
        return depth
    return max(0, depth - 1) if closing else depth + 1


def _selectolax_text(html: str) -> str:
    """Fallback for pages too small for trafilatura's content heuristics."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "nav", "header", "footer", "aside", "form"])
    body = tree.body or tree.root
    if body is None:
        return ""
    lines = (line.strip() for line in body.text(separator="\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _selectolax_title(html: str) -> str | None:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    node = HTMLParser(html).css_first("title")
    return node.text(strip=True) if node else None
