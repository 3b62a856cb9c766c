from django.db import models


class Heartbeat(models.Model):
    """When a background component last proved it was alive (beat's periodic task, a worker's ping)."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}Z"
