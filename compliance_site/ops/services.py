import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from .models import Heartbeat

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)


@transaction.atomic
def record_heartbeat(*, name: str, now: datetime, detail: str = "") -> Heartbeat:
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now, "detail": detail})
    return beat


def heartbeat_is_stale(beat: Heartbeat | None, *, now: datetime) -> bool:
    return beat is None or now - beat.last_seen > STALE_AFTER


def broker_is_redis() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


def broker_queue_length(queue: str = "celery") -> int | None:
    """Messages waiting in the broker's queue, Redis or the filesystem broker of `make run` alike: kombu's
    queue declaration returns the count (for Redis, the lists of every priority step; for the filesystem
    broker, the message files). None when the broker does not answer within a second: the operations page
    must render regardless."""
    from compliance_site.celery import app

    try:
        # The URL from settings, the one broker_is_redis() judged (the same the app was configured with).
        with app.connection_for_read(settings.CELERY_BROKER_URL) as connection:
            connection.ensure_connection(max_retries=1, timeout=1)
            return int(connection.default_channel.queue_declare(queue=queue, passive=False).message_count)
    except Exception:  # the status page reports the broker as unreachable instead of failing
        logger.warning("could not read the broker queue length", exc_info=True)
        return None
