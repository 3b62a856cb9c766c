"""Fixtures for the foundation tests: a fast password hasher, media under tmp_path, and one record of each
kind the URL patterns need (an incident with an attachment, a policy version, an award, an audit event)."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance_site.attachments.services import add_attachment
from compliance_site.audit.models import AuditEvent
from tests.factories import AwardFactory, policy_version, report_incident

PDF_BYTES = b"%PDF-1.4\n% foundation test document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_hasher_and_media(settings, tmp_path):
    # PBKDF2 at Django 6.1's work factor makes every persona cost ~0.3 s; these tests are about roles.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_incident(actor, *, title="CFO call with analyst", hours_ago=2):
    now = timezone.now()
    disclosed_at = now - timedelta(hours=hours_ago)
    return report_incident(
        actor,
        now=now,
        title=title,
        disclosed_at=disclosed_at,
        learned_at=disclosed_at + timedelta(minutes=30),
    )


def pdf_upload(name="memo.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(users, company, clawback_case):
    """Every record a URL pattern of the project needs, created through the services."""
    secretary = users["secretary"]
    incident = make_incident(secretary)
    attachment = add_attachment(actor=secretary, record=incident, uploaded=pdf_upload())
    policy = policy_version(secretary, approved_on=date(2024, 12, 15), approved_by="Board of Directors")
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
