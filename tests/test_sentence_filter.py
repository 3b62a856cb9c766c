"""The `sentence` filter: a typed reason followed by more text on a page ends with exactly one stop."""

import pytest

from compliance_site.templatetags.compliance import sentence


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Wrong ticker", "Wrong ticker."),
        ("Wrong ticker.", "Wrong ticker."),
        ("Wrong ticker.  ", "Wrong ticker."),
        ("Is this right?", "Is this right?"),
        ("Entered twice!", "Entered twice!"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_reason_ends_with_one_full_stop(typed, shown):
    assert sentence(typed) == shown
