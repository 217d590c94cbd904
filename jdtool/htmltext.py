"""HTML to plain text with a map from every output character back to the raw HTML.

The converter uses the standard library's HTML parser (tolerant of broken markup), drops
`<script>`, `<style>` and other non-content elements, turns block elements into line breaks,
list items into `- ` bullets and headings into Markdown `#` headings, so that the extractor sees
the same structure it sees in Markdown postings. `offsets[i]` is the index in the raw HTML of
output character `i`, which lets jdtool report phrase offsets into the text exactly as given.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "ul",
    "ol",
    "dl",
    "table",
    "tr",
    "blockquote",
    "pre",
    "form",
    "fieldset",
    "figure",
    "nav",
    "hr",
    "dd",
    "dt",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HTML_HINT = re.compile(
    r"<\s*(html|body|p|div|ul|ol|li|h[1-6]|br|span|strong|table|section)\b[^>]*>", re.IGNORECASE
)
_WS = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """True when `text` carries enough block markup to be treated as an HTML document."""
    return len(_HTML_HINT.findall(text[:20000])) >= 2


class _Converter(HTMLParser):
    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0]
        for m in re.finditer("\n", raw):
            self.line_starts.append(m.end())
        self.out: list[str] = []
        self.map: list[int] = []
        self.skip_depth = 0
        self.list_depth = 0
        self.pending_space = False

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, s: str, raw_pos: int) -> None:
        for ch in s:
            self.out.append(ch)
            self.map.append(raw_pos)

    def _at_line_start(self) -> bool:
        return not self.out or self.out[-1] == "\n"

    def _newline(self, n: int = 1) -> None:
        pos = self._pos()
        trailing = 0
        for ch in reversed(self.out):
            if ch != "\n":
                break
            trailing += 1
        # never more than one blank line; none at the very start
        while self.out and self.out[-1] == " ":
            self.out.pop()
            self.map.pop()
        if self.out:
            self._emit("\n" * max(0, n - trailing), pos)
        self.pending_space = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in ("ul", "ol"):
            self.list_depth += 1
            self._newline(1 if self.list_depth > 1 else 2)
        elif tag == "li":
            self._newline(1)
            self._emit("  " * max(0, self.list_depth - 1) + "- ", self._pos())
        elif tag in _HEADINGS:
            self._newline(2)
            self._emit("#" * int(tag[1]) + " ", self._pos())
        elif tag == "br":
            self._newline(1)
        elif tag in _BLOCK or tag in ("td", "th"):
            self._newline(2 if tag in _BLOCK else 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in ("ul", "ol"):
            self.list_depth = max(0, self.list_depth - 1)
            self._newline(2 if self.list_depth == 0 else 1)
        elif tag in _HEADINGS or tag in _BLOCK:
            self._newline(2)
        elif tag == "li":
            self._newline(1)

    def _text(self, data: str, raw_pos: int, raw_len: int | None = None) -> None:
        if self.skip_depth:
            return
        i = 0
        for m in _WS.finditer(data):
            if m.start() > i:
                if self.pending_space and not self._at_line_start():
                    self._emit(" ", raw_pos + i - 1)
                self.pending_space = False
                seg = data[i : m.start()]
                for k, ch in enumerate(seg):
                    self.out.append(ch)
                    self.map.append(raw_pos + (i + k if raw_len is None else 0))
            self.pending_space = True
            i = m.end()
        if i < len(data):
            if self.pending_space and not self._at_line_start():
                self._emit(" ", raw_pos + max(0, i - 1))
            self.pending_space = False
            seg = data[i:]
            for k, ch in enumerate(seg):
                self.out.append(ch)
                self.map.append(raw_pos + (i + k if raw_len is None else 0))

    def handle_data(self, data: str) -> None:
        self._text(data, self._pos())

    def handle_entityref(self, name: str) -> None:
        self._text(html.unescape(f"&{name};"), self._pos(), raw_len=len(name) + 2)

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};"), self._pos(), raw_len=len(name) + 3)


def html_to_text(raw: str) -> tuple[str, list[int]]:
    """Convert HTML to text; return the text and, per character, its index in `raw`.

    The returned list has one entry more than the text: the raw end position, so that a span
    `(s, e)` of the text maps to `(offsets[s], offsets[e - 1] + 1)` in the raw HTML.
    """
    conv = _Converter(raw)
    conv.feed(raw)
    conv.close()
    out, mp = conv.out, conv.map
    # trim leading/trailing white space of the whole document
    start, end = 0, len(out)
    while start < end and out[start].isspace():
        start += 1
    while end > start and out[end - 1].isspace():
        end -= 1
    text = "".join(out[start:end])
    offsets = mp[start:end] + [len(raw)]
    return text, offsets


def map_span(offsets: list[int], raw: str, start: int, end: int) -> tuple[int, int]:
    """Map a `(start, end)` span of converted text to the smallest covering span of the raw HTML."""
    if end <= start:
        return offsets[start], offsets[start]
    rs = offsets[start]
    last = offsets[end - 1]
    # the last character may come from an entity: extend over it
    re_ = last + 1
    if raw[last] == "&":
        semi = raw.find(";", last, last + 12)
        if semi != -1:
            re_ = semi + 1
    return rs, re_
