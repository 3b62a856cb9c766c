"""Evidence files: uploaded through the web view, checked (type, contents, size), stored content-addressed
under MEDIA_ROOT with their SHA-256, versioned rather than overwritten, and served only to users who may see
the record."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compliance_site.attachments.models import Attachment
from compliance_site.attachments.services import add_attachment
from compliance_site.audit.models import AuditEvent
from tests.foundation.conftest import PDF_BYTES, make_incident, pdf_upload


@pytest.fixture
def incident(users):
    return make_incident(users["secretary"])


@pytest.fixture
def secretary_client(users):
    client = Client()
    client.force_login(users["secretary"])
    return client


def upload_url(incident):
    return reverse("attachments:upload", args=["regfd.incident", incident.pk])


def post_file(client, incident, upload, **extra):
    data = {"file": upload, "kind": Attachment.Kind.EVIDENCE, "description": "Analyst call notes", **extra}
    return client.post(upload_url(incident), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_stores_hash_size_and_type_under_media_root(incident, secretary_client, users):
    response = post_file(secretary_client, incident, pdf_upload("Call notes.pdf"))
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "attachments:record", args=["regfd.incident", incident.pk]
    )
    [attachment] = Attachment.objects.all()
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.sha256 == digest
    assert attachment.size == len(PDF_BYTES)
    assert attachment.media_type == "application/pdf"
    assert attachment.original_name == "Call notes.pdf"
    assert attachment.version == 1 and attachment.is_current and attachment.supersedes is None
    assert attachment.uploaded_by == users["secretary"]
    assert attachment.record == incident
    assert any(digest[:12] in m for m in messages_of(response))

    path = Path(attachment.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert f"attachments/{digest[:2]}/{digest}/" in path.as_posix()
    assert path.read_bytes() == PDF_BYTES
    assert stored_files() == [path]
    # The upload is in the audit trail, attributed to the uploader.
    event = AuditEvent.objects.get(object_type="attachments.attachment", object_id=str(attachment.pk))
    assert event.actor == users["secretary"] and event.changes["sha256"] == [None, digest]


def test_text_types_are_accepted(incident, secretary_client):
    post_file(secretary_client, incident, SimpleUploadedFile("notes.txt", b"Plain notes\n"))
    post_file(secretary_client, incident, SimpleUploadedFile("list.csv", b"a,b\n1,2\n"))
    assert sorted(Attachment.objects.values_list("media_type", flat=True)) == ["text/csv", "text/plain"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "File type .exe is not accepted"),
        ("no-extension", b"%PDF-1.4 hi", "File type (none) is not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a valid .pdf file"),
        ("fake.png", b"%PDF-1.4 wrong magic", "not a valid .png file"),
        ("binary.txt", b"text\x00with a NUL", "not text"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_uploads_are_rejected_with_a_message_and_nothing_stored(
    incident, secretary_client, name, content, message
):
    count = AuditEvent.objects.count()
    response = post_file(secretary_client, incident, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    shown = messages_of(response)
    assert any(message in m for m in shown), shown
    assert Attachment.objects.count() == 0
    assert stored_files() == []
    assert AuditEvent.objects.count() == count


def test_oversized_upload_is_rejected(incident, secretary_client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = PDF_BYTES + b"0" * 2048
    response = post_file(secretary_client, incident, pdf_upload("big.pdf", big))
    assert any("larger than" in m for m in messages_of(response)), messages_of(response)
    assert Attachment.objects.count() == 0 and stored_files() == []
    # Exactly at the limit is fine.
    exact = PDF_BYTES + b"0" * (1024 - len(PDF_BYTES))
    post_file(secretary_client, incident, pdf_upload("exact.pdf", exact))
    assert Attachment.objects.get().size == 1024


def test_very_long_file_name_is_refused_cleanly(incident, secretary_client):
    """Nothing a person uploads may cause a server error or leave an orphan file behind."""
    name = "a" * 300 + ".pdf"
    response = post_file(secretary_client, incident, pdf_upload(name))
    assert response.status_code == 200
    attachments = list(Attachment.objects.all())
    if attachments:  # accepted with a shortened name
        assert len(attachments[0].original_name) <= 255
        assert [Path(attachments[0].file.path)] == stored_files()
    else:
        assert messages_of(response) and stored_files() == []


def test_new_version_supersedes_and_keeps_the_old(incident, secretary_client):
    post_file(secretary_client, incident, pdf_upload("minutes.pdf"))
    old = Attachment.objects.get()
    corrected = PDF_BYTES + b"% corrected\n"
    response = post_file(secretary_client, incident, pdf_upload("minutes.pdf", corrected), supersedes=old.pk)
    assert response.status_code == 200
    new = Attachment.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert new.version == 2 and new.supersedes == old and new.is_current
    assert not old.is_current and old.superseded_by == new
    assert Path(old.file.path).read_bytes() == PDF_BYTES  # never overwritten
    assert Path(new.file.path).read_bytes() == corrected
    assert new.sha256 == hashlib.sha256(corrected).hexdigest()
    html = response.content.decode()
    assert "superseded" in html and "v2" in html and "v1" in html

    # The old version cannot be superseded a second time.
    response = post_file(secretary_client, incident, pdf_upload("minutes.pdf"), supersedes=old.pk)
    assert any("already been replaced" in m for m in messages_of(response))
    assert Attachment.objects.count() == 2


def test_new_version_must_belong_to_the_same_record(users, incident, secretary_client):
    other = make_incident(users["secretary"], title="Another call")
    post_file(secretary_client, other, pdf_upload("theirs.pdf"))
    theirs = Attachment.objects.get()
    response = post_file(secretary_client, incident, pdf_upload("mine.pdf"), supersedes=theirs.pk)
    assert any("same record" in m or "this record" in m for m in messages_of(response)), messages_of(response)
    assert Attachment.objects.count() == 1


def test_superseding_an_unknown_attachment_is_refused(incident, secretary_client):
    """As in the API ('No such attachment on this record.'): asking to replace a file that does not exist
    must not silently store an unrelated version 1."""
    response = post_file(secretary_client, incident, pdf_upload("minutes.pdf"), supersedes=999999)
    assert Attachment.objects.count() == 0, "stored as a new v1 although the replaced file does not exist"
    assert messages_of(response)


def test_download_serves_the_bytes_to_those_who_may_see_the_record(users, incident):
    attachment = add_attachment(actor=users["secretary"], record=incident, uploaded=pdf_upload("Notes.pdf"))
    url = reverse("attachments:download", args=[attachment.pk])
    for role in ("secretary", "counsel", "auditor", "officer", "board", "admin"):
        client = Client()
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert (
            response["Content-Disposition"].startswith("attachment;")
            and "Notes.pdf" in response["Content-Disposition"]
        )


def test_download_is_404_for_users_who_may_not_see_the_record(users, incident):
    attachment = add_attachment(actor=users["secretary"], record=incident, uploaded=pdf_upload())
    for role in ("employee", "committee"):
        client = Client()
        client.force_login(users[role])
        assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404, role
        assert (
            client.get(reverse("attachments:record", args=["regfd.incident", incident.pk])).status_code == 404
        )
        assert client.get(f"/api/attachments/{attachment.pk}/download/").status_code == 404
    anonymous = Client().get(reverse("attachments:download", args=[attachment.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert Client().get(reverse("attachments:download", args=[999999])).status_code == 302
    client = Client()
    client.force_login(users["secretary"])
    assert client.get(reverse("attachments:download", args=[999999])).status_code == 404


def test_reporter_sees_files_on_own_report_but_cannot_attach(users):
    own = make_incident(users["employee"], title="My report")
    attachment = add_attachment(actor=users["secretary"], record=own, uploaded=pdf_upload())
    client = Client()
    client.force_login(users["employee"])
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 200
    page = client.get(reverse("attachments:record", args=["regfd.incident", own.pk]))
    assert page.status_code == 200 and page.context["can_attach"] is False
    response = client.post(upload_url(own), {"file": pdf_upload(), "kind": "evidence"})
    assert response.status_code == 403
    assert Attachment.objects.count() == 1


def test_officer_sees_but_cannot_attach(users, incident):
    client = Client()
    client.force_login(users["officer"])
    assert client.get(reverse("attachments:record", args=["regfd.incident", incident.pk])).status_code == 200
    assert client.post(upload_url(incident), {"file": pdf_upload(), "kind": "evidence"}).status_code == 403
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    "record_type", ["auth.group", "accounts.user", "audit.auditevent", "nosuch.model", "x"]
)
def test_record_types_without_a_visibility_rule_are_404(users, record_type, secretary_client):
    assert secretary_client.get(reverse("attachments:record", args=[record_type, "1"])).status_code == 404
    response = secretary_client.post(
        reverse("attachments:upload", args=[record_type, "1"]), {"file": pdf_upload(), "kind": "evidence"}
    )
    assert response.status_code == 404
    assert Attachment.objects.count() == 0


def test_a_refused_attachment_leaves_no_orphan_file(users, incident):
    """If the record fails model validation after the checks on the file, the file must not stay on disk
    (nothing in the database points at it, so nobody would ever clean it up)."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        add_attachment(
            actor=users["secretary"], record=incident, uploaded=pdf_upload(), description="x" * 301
        )
    assert Attachment.objects.count() == 0
    assert stored_files() == []
