"""The e-mail channel over a real SMTP conversation: Django 6.1's mailers (settings.MAILERS) with the SMTP
backend, configured from the environment as in production, talking to a local SMTP sink on a socket (what
Mailpit is in docker-compose)."""

import email
import os
import socketserver
import subprocess
import sys
import threading
from datetime import timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest
from django.utils import timezone

from compliance_site.notifications import services
from compliance_site.notifications.models import Notification
from compliance_site.notifications.selectors import reminders_for_record
from tests.factories import IncidentFactory

ROOT = Path(__file__).resolve().parents[2]


class _SMTPSession(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greet, accept every command, collect each DATA section."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        data: list[bytes] | None = None
        for line in self.rfile:
            if data is not None:
                if line == b".\r\n":
                    self.server.messages.append(
                        email.message_from_bytes(b"".join(data), policy=default_policy)
                    )
                    data = None
                    self.reply("250 2.0.0 queued")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)  # dot-unstuffing
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 sink")
            elif verb == b"DATA":
                data = []
                self.reply("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSession)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_a_reminder_goes_out_over_smtp_with_a_stable_message_id(users, settings, smtp_sink):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_sink.server_address[1], "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "compliance@allient.example"
    now = timezone.now()
    incident = IncidentFactory(due_at=now + timedelta(minutes=30), reported_by=users["secretary"])
    (reminder,) = reminders_for_record(incident).filter(due_at__lte=now)
    assert services.send_reminder(reminder_id=reminder.pk, now=now) == "sent"
    (message,) = smtp_sink.messages
    assert message["To"] == users["secretary"].email
    assert message["From"] == "compliance@allient.example"
    assert message["Message-ID"] == f"<reminder-{reminder.pk}-{users['secretary'].pk}@allient.example>"
    assert message["Subject"].startswith(f"[Compliance] {incident.reference}: public disclosure due")
    assert f"https://compliance.example.com/regfd/incidents/{incident.pk}/" in message.get_content()
    assert Notification.objects.get().emailed_at == now


def test_smtp_settings_come_from_the_environment(smtp_sink):
    """EMAIL_BACKEND / EMAIL_HOST / EMAIL_PORT / DEFAULT_FROM_EMAIL, as docker-compose sets them for
    Mailpit, reach Django's default mailer: a fresh process sends through the sink."""
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.server_address[1]),
        "EMAIL_USE_TLS": "false",
        "DEFAULT_FROM_EMAIL": "reminders@allient.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "secretary@allient.example"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (message,) = smtp_sink.messages
    assert message["To"] == "secretary@allient.example"
    assert message["From"] == "reminders@allient.example"
