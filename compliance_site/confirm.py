"""Asking before a step that freezes, approves, records money or closes, in plain words.

The step's form posts as it always did. Without `confirmed=1` the view validates the form as usual (errors
shown as always, nothing run) and, when it is valid, answers with this confirmation page instead of calling
the service: a heading, what will happen in one paragraph, a "Confirm: …" button that posts the very same
values again with confirmed=1, and a Cancel link back. Server-side, so it works without JavaScript and with
the keyboard (the confirm button has the focus). The API is not involved: an API client confirms by calling.

    if needs_confirmation(request):
        return confirmation_page(
            request, title=..., statement=..., action_label=..., cancel_url=..., form=form
        )

What is repeated is the submitted POST itself (every value of every name, so checkboxes such as
members_present keep all their values, and fields a form reads beside its declared ones, like `next`, come
back too), less the CSRF token, which the page renders afresh.

Files cannot travel through hidden inputs, and asking someone to attach a file a second time invites the
wrong one: a step whose form uploads a file confirms on the form itself instead (a required "I confirm …"
checkbox whose label says what will happen), and `confirmation_page` refuses a multipart form outright.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"
TEMPLATE = "includes/confirm.html"
_NOT_REPEATED = {CONFIRMED, "csrfmiddlewaretoken"}


def needs_confirmation(request) -> bool:
    """True unless the POST carries confirmed=1 (sent only by the confirmation page's button)."""
    return request.POST.get(CONFIRMED) != "1"


def confirmed_data(data: Mapping[str, object] | None = None) -> dict:
    """`data` as the confirmation page posts it back: the same values and confirmed=1 (for tests and scripts
    that drive the pages)."""
    return {**(data or {}), CONFIRMED: "1"}


def quoted(text: str) -> str:
    """“text” for a statement, closing the sentence unless the text already does."""
    text = text.strip()
    return f"“{text}”" + ("" if text.endswith((".", "!", "?")) else ".")


def hidden_fields(request, *, extra: Mapping[str, object] | None = None) -> list[tuple[str, str]]:
    """(name, value) pairs repeating the submitted POST, one per value; `extra` adds or replaces names."""
    extra = dict(extra or {})
    pairs = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPEATED and name not in extra
        for value in values
    ]
    for name, value in extra.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((name, "" if v is None else str(v)) for v in values)
    return pairs


def confirmation_page(
    request,
    *,
    title: str,
    statement: str,
    action_label: str,
    cancel_url: str,
    form=None,
    extra: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The page asking to confirm the step posted to this URL (status 200; nothing has been done yet).

    - `title`: the page heading, e.g. "Submit the case for review?"
    - `statement`: what will happen, in plain words and with the figures it is about.
    - `action_label`: the button reads "Confirm: <action_label>".
    - `cancel_url`: where Cancel goes (the case or incident page).
    - `form`: the valid bound form of the step; only checked, since its values travel in the POST itself.
    - `extra`: hidden values to add to, or replace in, the repeated POST.
    """
    if form is not None and form.is_multipart():
        raise ImproperlyConfigured(
            f"{type(form).__name__} uploads a file, which a confirmation page cannot carry: confirm that "
            "step with a required checkbox on the form itself."
        )
    context = {
        "title": title,
        "statement": statement,
        "action_label": action_label,
        "cancel_url": cancel_url,
        "action_url": request.get_full_path(),
        "hidden": hidden_fields(request, extra=extra),
        "confirmed_name": CONFIRMED,
    }
    return render(request, TEMPLATE, context)
