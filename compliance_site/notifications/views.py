"""The notification center: a person's own notifications, marked read one by one or all at once."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required
from compliance_site.paging import CappedCountPaginator

from . import services
from .selectors import notifications_for


@capability_required("notifications.view")
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    qs = notifications_for(request.user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = CappedCountPaginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "unread_only": unread_only})


@capability_required("notifications.view")
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with `open`, go on to its record."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk], now=timezone.now())
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@capability_required("notifications.view")
@require_POST
def notification_read_all(request):
    services.mark_read(user=request.user, now=timezone.now())
    return redirect("notifications:list")
