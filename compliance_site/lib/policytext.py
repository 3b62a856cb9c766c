"""A policy's text as the Board adopted it, shown as a document: the texts are plain text with the light
marks of the seeds (compliance_site/company/seeds/): paragraphs separated by a blank line, a heading on a line
of its own, list items starting with "- ", defined terms in **bold**. Nothing else is read as markup, and
everything is escaped first, so a policy's text can never inject HTML into the page."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITEM = re.compile(r"^\s*[-*]\s+")
_MAX_HEADING = 80


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def _is_heading(lines: list[str]) -> bool:
    """One short line that does not end a sentence or a clause: "Recovery Period", "I. Core policies"."""
    if len(lines) != 1:
        return False
    line = lines[0].strip().lstrip("#").strip()
    return 0 < len(line) <= _MAX_HEADING and not line.endswith((".", ",", ";", ":"))


def policy_html(text: str) -> SafeString:
    """The text as headings, paragraphs and lists."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if _is_heading(lines):
            html.append(f'<h2 class="h5 mt-4">{_inline(lines[0].strip().lstrip("#").strip())}</h2>')
            continue
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if _ITEM.match(line):
                if paragraph:
                    html.append(f"<p>{'<br>'.join(paragraph)}</p>")
                    paragraph = []
                items.append(f"<li>{_inline(_ITEM.sub('', line))}</li>")
            else:
                if items:
                    html.append(f"<ul>{''.join(items)}</ul>")
                    items = []
                paragraph.append(_inline(line.strip()))
        if paragraph:
            html.append(f"<p>{'<br>'.join(paragraph)}</p>")
        if items:
            html.append(f"<ul>{''.join(items)}</ul>")
    return mark_safe("\n".join(html))  # noqa: S308 (every piece of text is escaped above)
