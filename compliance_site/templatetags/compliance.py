from django import template
from django.utils import timezone
from django.utils.html import format_html

from compliance_site.accounts.permissions import has_capability
from compliance_site.lib import timefmt

register = template.Library()


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
        return format_html('<time datetime="{}">{}</time>', iso, et)
    return format_html(
        '<time datetime="{}">{}</time> <span class="text-body-secondary small">({}, your zone)</span>',
        iso,
        et,
        mine,
    )


@register.simple_tag(takes_context=True)
def remaining(context, instant):
    now = context.get("now") or timezone.now()
    return timefmt.describe_remaining(instant - now)


@register.filter
def can(user, capability):
    return has_capability(user, capability)


@register.simple_tag(takes_context=True)
def querystring_page(context, page_number):
    """The current query string with `page` replaced, so pagination keeps search and filters."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()
