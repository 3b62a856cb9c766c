from datetime import datetime, timedelta

from django.db import transaction

from .models import Heartbeat

STALE_AFTER = timedelta(minutes=5)


@transaction.atomic
def record_heartbeat(*, name: str, now: datetime, detail: str = "") -> Heartbeat:
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now, "detail": detail})
    return beat


def heartbeat_is_stale(beat: Heartbeat | None, *, now: datetime) -> bool:
    return beat is None or now - beat.last_seen > STALE_AFTER
