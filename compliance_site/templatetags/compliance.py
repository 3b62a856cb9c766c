from django import template
from django.utils import timezone
from django.utils.html import format_html

from compliance_site.accounts.permissions import has_capability
from compliance_site.lib import timefmt

register = template.Library()


@register.filter(is_safe=True)
def clip(value, length):
    """Django's `truncatechars`, at a fraction of the cost for text that already fits: a list page clips
    over a thousand values, and `truncatechars` walks every character of each (it may have combining
    characters, which do not count). Text no longer than `length` characters can never be cut, so it is
    returned at once; longer text goes through `truncatechars` itself."""
    from django.template.defaultfilters import truncatechars

    text = str(value)
    return text if len(text) <= int(length) else truncatechars(text, length)


@register.simple_tag(takes_context=True)
def dual_time(context, instant):
    """An instant in ET and, when different, in the viewer's zone — both labelled."""
    if instant is None:
        return "—"
    et = timefmt.label(instant, timefmt.EXCHANGE_TZ)
    user_zone = timezone.get_current_timezone()
    mine = timefmt.label(instant, user_zone)
    iso = instant.isoformat()
    if getattr(user_zone, "key", None) == timefmt.EXCHANGE_TZ.key:
        return format_html('<time class="text-nowrap" datetime="{}">{}</time>', iso, et)
    return format_html(
        '<time class="text-nowrap" datetime="{}">{}</time> '
        '<span class="text-body-secondary small text-nowrap">({}, your zone)</span>',
        iso,
        et,
        mine,
    )


@register.simple_tag(takes_context=True)
def remaining(context, instant):
    now = context.get("now") or timezone.now()
    return timefmt.describe_remaining(instant - now)


@register.filter
def sentence(value):
    """Text that a page follows with more sentences, ended with a full stop unless it already ends one: a
    reason typed as "Wrong ticker." must not read "Wrong ticker.." on the page."""
    text = str(value or "").rstrip()
    return text if not text or text[-1] in ".!?" else f"{text}."


@register.filter
def can(user, capability):
    return has_capability(user, capability)


@register.simple_tag(takes_context=True)
def querystring_page(context, page_number):
    """The current query string with `page` replaced, so pagination keeps search and filters."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.filter
def audit_lines(event):
    """An audit event's changes as readable lines: details of an action as `key: value`, field changes as
    before → after, leaving out fields that were empty before and after."""
    if event.action == "action":
        return [
            {"field": key, "value": value, "detail": True} for key, value in (event.changes or {}).items()
        ]
    lines = []
    for field, pair in (event.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if before in (None, "") and after in (None, ""):
            continue
        lines.append({"field": field, "before": before, "after": after, "detail": False})
    return lines


@register.filter
def plain_number(value):
    """A Decimal without trailing zeros in its fraction: 6000.000000 -> 6,000; 62.50 -> 62.5."""
    from decimal import Decimal

    from django.contrib.humanize.templatetags.humanize import intcomma

    if value is None:
        return "—"
    if not isinstance(value, Decimal):
        return value
    text = (
        format(value.normalize(), "f")
        if value == value.to_integral_value()
        else format(value, "f").rstrip("0")
    )
    return intcomma(text)


@register.filter
def usd(value):
    """An amount in US dollars as the pages write it everywhere: 1200000 -> $1,200,000.00 (lib/numbers.py,
    the documents' `usd`); empty -> —."""
    from compliance_site.lib.numbers import usd as dollars

    return dollars(value)


_LABELS = {
    "NOT_INCENTIVE_BASED": "Not incentive-based",
    "PRE_EFFECTIVE_DATE": "Received before 2023-10-02 (listing standard effective date)",
    "OUTSIDE_LOOKBACK": "Received outside the recovery period",
    "NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD": "Not an executive officer during the performance period",
    "RECEIVED_BEFORE_EXECUTIVE_SERVICE": "Received before beginning service as an executive officer",
    "NOT_LISTED": "Received while not listed",
    "board_concluded": "Board concluded a restatement is required",
    "committee_concluded": "Committee concluded a restatement is required",
    "officers_concluded": "Authorized officers concluded a restatement is required",
    "should_have_concluded": "Reasonably should have concluded",
    "directed_by_court_or_regulator": "Directed by a court or regulator",
}


@register.filter
def rule_label(code):
    return _LABELS.get(str(code), str(code))


@register.filter
def policy_text(text):
    """A policy's text as headings, paragraphs and lists, its defined terms in bold (lib/policytext.py)."""
    from compliance_site.lib.policytext import policy_html

    return policy_html(text)


@register.simple_tag
def term(anchor, text):
    """`{% term "big-r" "Big R" %}`: the words, linked to their entry in the glossary (/glossary/#big-r)."""
    from django.urls import reverse

    return format_html('<a class="glossary-term" href="{}#{}">{}</a>', reverse("glossary"), anchor, text)
