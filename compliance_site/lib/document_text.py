"""The text of an uploaded document: a PDF (pypdf), an HTML page (the standard library's html.parser, scripts
and styles dropped) or plain text (UTF-8). Framework-free: bytes in, an `ExtractedText` out, or a
`TextExtractionError` whose message a person can act on ("save it as UTF-8 and upload it again").

Used where the words of a document are what the record is about: the library of the company's public
statements (docs/regfd-rules §2.9), which is searched for information already made public.
"""

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

PDF, HTML, TEXT = "pdf", "html", "text"
FORMATS = {".pdf": PDF, ".html": HTML, ".htm": HTML, ".txt": TEXT}
# A file is read page by page: a PDF of more pages than a filing ever has is refused before it is read whole.
MAX_PDF_PAGES = 2_000

# What the document's own text may not carry: NUL (PostgreSQL text cannot hold it) and the other control
# characters a PDF's text layer sometimes has, except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


class TextExtractionError(ValueError):
    """The document's text cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class ExtractedText:
    text: str
    format: str  # PDF, HTML or TEXT
    title: str = ""  # the document's own title (a PDF's metadata, an HTML page's <title>), when it has one


def format_of(name: str) -> str | None:
    """PDF, HTML or TEXT for a file name the extractor reads, None for any other."""
    return FORMATS.get(PurePath(name or "").suffix.lower())


def extract_text(data: bytes, *, name: str, max_chars: int) -> ExtractedText:
    """The text of the document `name` (its extension says how to read it), at most `max_chars` long.

    Refused with a TextExtractionError: a file of another type, an empty file, a file that is not what its
    extension says, a PDF that is encrypted, damaged or has no text layer (a scan), text that is not UTF-8,
    a document with no text, and a text longer than `max_chars`."""
    kind = format_of(name)
    if kind is None:
        accepted = ", ".join(sorted(FORMATS))
        raise TextExtractionError(f"Only these files can be read: {accepted}.")
    if not data:
        raise TextExtractionError("The file is empty.")
    if kind == PDF:
        text, title = _pdf(data, max_chars=max_chars)
    elif kind == HTML:
        text, title = _html(_decoded(data, what="web page"))
    else:
        text, title = _decoded(data, what="text file"), ""
    text = tidy(text)
    if not text:
        raise TextExtractionError("The document has no text to search.")
    if len(text) > max_chars:
        raise TextExtractionError(
            f"The document's text is longer than {max_chars:,} characters: split it into parts and add each."
        )
    return ExtractedText(text=text, format=kind, title=" ".join(title.split())[:300])


def tidy(text: str) -> str:
    """The text with control characters removed, runs of spaces made one, lines trimmed and at most one blank
    line in a row: what is stored and searched."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _decoded(data: bytes, *, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextExtractionError(
            f"The {what} is not UTF-8 text: save it as UTF-8 (Unicode) and upload it again."
        ) from None


# ---- PDF ------------------------------------------------------------------------------------------------


def _pdf(data: bytes, *, max_chars: int) -> tuple[str, str]:
    if not data.startswith(b"%PDF-"):
        raise TextExtractionError("The file is not a PDF, although its name ends in .pdf.")
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise TextExtractionError("The PDF is protected by a password: upload an unprotected copy.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise TextExtractionError(f"The PDF has more than {MAX_PDF_PAGES:,} pages: split it into parts.")
        parts, length = [], 0
        for page in reader.pages:
            part = page.extract_text() or ""
            parts.append(part)
            length += len(part)
            if length > 2 * max_chars:  # far too long already, whatever tidying removes: stop reading
                break
        metadata = reader.metadata
        title = str(metadata.title or "") if metadata is not None else ""
    except TextExtractionError:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside the parser
        raise TextExtractionError(
            "The PDF cannot be read (it may be damaged): save it again from its source and upload it."
        ) from exc
    text = "\n\n".join(parts)
    if not text.strip():
        raise TextExtractionError(
            "No text could be read from the PDF (a scanned image has none): upload a version with text."
        )
    return text, title


# ---- HTML -----------------------------------------------------------------------------------------------

_SKIPPED = {"script", "style", "template", "noscript"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip


class _PageText(HTMLParser):
    """The words of a page as a reader sees them: scripts and styles left out, the <title> kept apart, a line
    break (None) at every block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str | None] = []
        self.title: list[str] = []
        self.skipping: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag in _BLOCKS and not self.skipping:
            self.parts.append(None)

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS and not self.skipping:
            self.parts.append(None)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in _SKIPPED and tag in self.skipping:
            # Close up to the matching tag: a missing end tag inside must not hide the rest of the page.
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag in _BLOCKS and not self.skipping:
            self.parts.append(None)

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def _html(source: str) -> tuple[str, str]:
    parser = _PageText()
    parser.feed(source)
    parser.close()
    # A line break in the page's source is a space; the blocks made the line breaks that matter.
    text = "".join("\n" if part is None else _WHITESPACE.sub(" ", part) for part in parser.parts)
    return text, "".join(parser.title)
