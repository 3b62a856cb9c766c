"""Fixtures for the foundation tests: a fast password hasher, media under tmp_path, and one record of each
kind the URL patterns need (an incident with an attachment, a policy version, an award, an audit event)."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance_site.attachments.services import add_attachment
from compliance_site.audit.models import AuditEvent
from compliance_site.company.services import add_policy_version
from regfd.services import open_incident
from tests.factories import AwardFactory

PDF_BYTES = b"%PDF-1.4\n% foundation test document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_hasher_and_media(settings, tmp_path):
    # PBKDF2 at Django 6.1's work factor makes every persona cost ~0.3 s; these tests are about roles.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_incident(actor, *, title="CFO call with analyst", hours_ago=2):
    now = timezone.now()
    return open_incident(
        actor=actor,
        now=now,
        title=title,
        disclosed_by="Chief Financial Officer",
        recipient_name="Ann Analyst",
        recipient_firm="Example Securities",
        recipient_category="analyst",
        information="Quarterly revenue guidance ahead of the earnings release.",
        disclosed_at=now - timedelta(hours=hours_ago),
        learned_at=now - timedelta(hours=hours_ago) + timedelta(minutes=30),
        learned_by="General Counsel",
    )


def pdf_upload(name="memo.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(users, company, clawback_case):
    """Every record a URL pattern of the project needs, created through the services."""
    secretary = users["secretary"]
    incident = make_incident(secretary)
    attachment = add_attachment(actor=secretary, record=incident, uploaded=pdf_upload())
    policy = add_policy_version(
        actor=secretary,
        kind="regfd",
        version="1",
        title="Reg FD policy",
        text="Policy text.",
        effective_date=date(2025, 1, 1),
        approved_on=date(2024, 12, 15),
        approved_by="Board of Directors",
    )
    cfo = clawback_case.covered_executives.get(key="cfo")
    award = AwardFactory(executive=cfo, key="cfo-bonus-2024")
    event = AuditEvent.objects.filter(object_type="regfd.incident", object_id=str(incident.pk)).order_by(
        "seq"
    )[0]
    return SimpleNamespace(
        users=users,
        company=company,
        case=clawback_case,
        incident=incident,
        attachment=attachment,
        policy=policy,
        executive=cfo,
        award=award,
        event=event,
    )
