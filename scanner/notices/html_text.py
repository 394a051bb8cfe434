"""HTML to plain text that keeps the line structure labels need.

Block elements (``<div>``, ``<br>``, ``<li>``, ``<tr>`` ...) end lines, paragraph-level ones (``<p>``,
headings, tables, lists) also leave a blank line, as a mail client shows them; table cells in one
row are joined by a tab, so a two-cell row ``<td>ASIN</td><td>B0TEST0001</td>`` reads ``ASIN<TAB>B0TEST0001``
and a header row of a table reads as tab-separated column names. Scripts, styles and the ``<head>`` are
dropped; character references are decoded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements that end a line.
_BLOCK = {
    "address", "article", "aside", "body", "center", "dd", "div", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "header", "html", "li", "main", "nav", "section", "tbody", "tfoot", "thead", "caption",
}
#: Elements that end a paragraph (a blank line).
_PARA = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dl", "ol", "ul", "pre", "table", "hr"}
_LINE, _PARAGRAPH, _BR = "\x00L", "\x00P", "\x00B"  # break markers, resolved when text is assembled
_BREAKS = re.compile(r"(?:[ \t]*\x00[LPB][ \t]*)+")
_SKIP = {"script", "style", "head", "template", "noscript"}
_CELL = {"td", "th"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.pre = 0
        self.cells: list[int] = []  # cells seen in the current row, one counter per open table
        self.title: list[str] = []
        self.in_title = False

    def _newline(self, marker: str = _LINE) -> None:
        self.parts.append(marker)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "br":
            self._newline(_BR)
        elif tag == "table":
            self.cells.append(0)
            self._newline(_PARAGRAPH)
        elif tag == "tr":
            if self.cells:
                self.cells[-1] = 0
            self._newline()
        elif tag in _CELL:
            if self.cells:
                if self.cells[-1] > 0:
                    self.parts.append("\t")
                self.cells[-1] += 1
        elif tag in _BLOCK or tag in _PARA:
            if tag == "pre":
                self.pre += 1
            self._newline(_PARAGRAPH if tag in _PARA else _LINE)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._newline(_BR)
        elif tag == "hr":
            self._newline(_PARAGRAPH)
        elif tag in _CELL:  # <td/>: an empty cell still takes a column
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag == "table":
            if self.cells:
                self.cells.pop()
            self._newline(_PARAGRAPH)
        elif tag == "tr" or tag in _BLOCK or tag in _PARA:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._newline(_PARAGRAPH if tag in _PARA else _LINE)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip:
            return
        if self.pre:
            self.parts.append(data.replace("\r\n", "\n"))
        else:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of an HTML document or fragment, one block or table row per line."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = []
    text = _BREAKS.sub(_resolve_breaks, "".join(parser.parts))
    for line in text.split("\n"):
        cells = [re.sub(" {2,}", " ", c).strip(" ") for c in line.split("\t")]
        while cells and not cells[0]:  # layout cells that only held a nested table
            cells.pop(0)
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _resolve_breaks(m: re.Match) -> str:
    run = m.group(0)
    return "\n\n" if _PARAGRAPH in run or run.count(_BR) > 1 else "\n"


def html_title(html: str) -> str:
    """The document's ``<title>`` text (saved Amazon pages and emails often carry the subject there)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.title).split())


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML file declares in a ``<meta>`` tag within its first 4 KB, if any."""
    m = _META_CHARSET.search(raw[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document or fragment."""
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<table", "<div", "<p>"))
