from django.shortcuts import render
from django.utils import timezone

from compliance_site.accounts.permissions import capability_required

from .models import Heartbeat
from .services import heartbeat_is_stale


@capability_required("ops.view")
def status(request):
    now = timezone.now()
    beats = {beat.name: beat for beat in Heartbeat.objects.all()}
    rows = [
        {"name": name, "beat": beats.get(name), "stale": heartbeat_is_stale(beats.get(name), now=now)}
        for name in ("beat", "worker")
    ]
    return render(request, "ops/status.html", {"rows": rows, "now": now})
