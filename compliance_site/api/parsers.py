"""The API's JSON parser: DRF's, bounded, so no request body can reach a 500 (docs/architecture.md).

Python's json module recurses once per nesting level: a body of 5,000 nested arrays raises RecursionError
deep inside it, and even a depth it survives would make every later walk over the data (serializers, the
audit recorder) recurse as deep. The parser measures the nesting first, with a linear scan that skips
string literals, and refuses anything deeper than MAX_DEPTH; it also refuses a body larger than
DATA_UPLOAD_MAX_MEMORY_SIZE (the middleware refuses those before any view runs; this is the backstop for a
body without a Content-Length) and a NUL character in any key or value (PostgreSQL text cannot hold one).
Each refusal is a ParseError: a 400 in the API's error format (compliance_site/api/errors.py).
"""

import json
import re
from collections.abc import Iterator

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

MAX_DEPTH = 64

# A JSON string literal (escapes included), then the four characters that open or close a level.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str, *, stop_at: int | None = None) -> int:
    """How deeply arrays and objects nest in the JSON `text` (brackets inside strings do not count);
    stops counting once `stop_at` is exceeded. Linear in the length of `text`, and never recursive."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    break
        else:
            depth -= 1
    return deepest


def _strings(value) -> Iterator[str]:
    """Every key and string value of parsed JSON (nesting is bounded by MAX_DEPTH by then)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class BoundedJSONParser(JSONParser):
    """JSONParser with bounds on size, nesting depth and NUL characters; the API's default JSON parser."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise ParseError(f"The request body is larger than {limit} bytes.")
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if nesting_depth(text, stop_at=self.max_depth) > self.max_depth:
            raise ParseError(f"JSON parse error - nested more than {self.max_depth} levels deep.")
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if any("\x00" in s for s in _strings(data)):
            raise ParseError("JSON parse error - text must not contain NUL (\\u0000) characters.")
        return data
