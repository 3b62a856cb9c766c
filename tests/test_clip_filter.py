"""`clip` gives what `truncatechars` gives, for text that fits, text that does not, and combining characters."""

import pytest
from django.template.defaultfilters import truncatechars

from compliance_site.templatetags.compliance import clip


@pytest.mark.parametrize(
    "text",
    ["", "short", "x" * 60, "x" * 61, "é" * 70, "e\u0301" * 40, "a long value " * 10, 1234567, None],
)
@pytest.mark.parametrize("length", [1, 5, 60])
def test_clip_is_truncatechars(text, length):
    import unicodedata

    assert unicodedata.normalize("NFC", clip(text, length)) == truncatechars(text, length)
