"""The calendar feed, opened by its link's secret (no sign-in: a calendar application cannot sign in), and
the two steps on the preferences page that make and turn off a person's link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import services
from .feed import absolute
from .selectors import user_for_token


@require_safe
def feed(request, token):
    """The deadlines of the link's owner as an iCalendar feed. An unknown, revoked or mistyped link, or the
    link of a deactivated user, is a 404 with nothing of any feed in it."""
    user = user_for_token(token)
    if user is None:
        raise Http404("No such calendar.")
    body = services.publish_feed(user=user, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="compliance-deadlines.ics"'
    # The link is the key: keep the feed out of caches, search engines and the Referer of the links in it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
@never_cache
def link_create(request):
    """Make the signed-in person a new calendar link (the old one, if any, stops working) and show it, once:
    only its hash is kept, so this page is the only place it is ever shown."""
    token = services.issue_feed_link(user=request.user, now=timezone.now())
    address = absolute(settings.SITE_URL, reverse("calendar_feed:feed", args=[token]))
    context = {"address": address, "webcal": "webcal://" + address.split("://", 1)[-1]}
    return render(request, "calendar_feed/link_created.html", context)


@login_required
@require_POST
def link_revoke(request):
    """Turn off the signed-in person's calendar link."""
    if services.revoke_feed_link(user=request.user, now=timezone.now()):
        messages.success(
            request, "Your calendar link is turned off: calendars subscribed to it get nothing more."
        )
    else:
        messages.info(request, "You had no calendar link to turn off.")
    return redirect("accounts:preferences")
