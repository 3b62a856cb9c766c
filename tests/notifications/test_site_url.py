"""Links in reminder e-mails come from SITE_URL, the address users reach (issue #15), and `make run` sets it
from the HOST and PORT it serves on, unless it is set already."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from compliance_site.notifications import services
from compliance_site.notifications.selectors import reminders_for_record
from tests.factories import IncidentFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_reminder_links_to_the_record_under_site_url(users):
    now = timezone.now()
    incident = IncidentFactory(due_at=now + timedelta(minutes=30))
    (reminder,) = reminders_for_record(incident).filter(due_at__lte=now)
    with override_settings(SITE_URL="http://localhost:8123/"):
        assert services.send_reminder(reminder_id=reminder.pk, now=now) == "sent"
    (message,) = mail.outbox
    assert f"Open the record: http://localhost:8123/regfd/incidents/{incident.pk}/\n" in message.body
    assert ":8000" not in message.body


def test_run_all_sets_site_url_from_its_host_and_port_unless_already_set():
    script = (ROOT / "scripts" / "run-all.sh").read_text()
    assert "HOST=${1:-127.0.0.1}" in script and "PORT=${2:-8000}" in script
    line = 'export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"'
    assert line in script
    # Exported before any of the three processes starts, so web, worker and beat all see it.
    assert script.index(line) < min(script.index(name) for name in ("celery -A", "gunicorn "))


def test_make_run_passes_its_host_and_port_to_run_all():
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"^run:.*?(?=^\S)", makefile, flags=re.MULTILINE | re.DOTALL).group(0)
    assert "scripts/run-all.sh $(HOST) $(PORT)" in run
