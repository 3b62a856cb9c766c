"""The pages: request a document, watch its progress, download it through the permission check; set the
branding; read the dashboards (charts with their numbers as tables)."""

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from clawback.models import Determination, Executive
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.documents.models import Branding, GeneratedDocument
from compliance_site.documents.services import generate_document, request_document
from compliance_site.documents.tasks import render_document_task
from regfd.models import Incident
from tests.documents import demo_case as D
from tests.documents.conftest import pdf_text
from tests.factories import UserFactory


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_request_progress_and_download_through_the_pages(demo, django_capture_on_commit_callbacks):
    client = login(demo.users["secretary"])
    page = client.get(reverse("documents:document-list"))
    assert page.status_code == 200 and demo.case.title in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:document-request"),
            {"kind": "clawback_determination", "record_id": demo.case.pk},
        )
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:document-detail", args=[document.pk]
    )

    detail = client.get(response["Location"]).content.decode()
    # Done by then (Celery eager): the page shows the link, and no longer polls (tests/documents/
    # test_document_progress.py has the queued page).
    assert reverse("documents:document-download", args=[document.pk]) in detail and "hx-trigger" not in detail

    status = client.get(reverse("documents:document-status", args=[document.pk])).json()
    assert status["state"] == "done" and status["progress"] == 100 and len(status["sha256"]) == 64
    assert status["download_url"] == reverse("documents:document-download", args=[document.pk])

    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download["X-Content-SHA256"] == status["sha256"]
    assert "attachment;" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="download_document", object_id=str(document.pk)).exists()


def test_a_queued_document_reports_its_progress_until_the_worker_renders_it(demo):
    document = request_document(
        actor=demo.users["auditor"], kind="clawback_estimates", record=demo.case, now=D.NOW
    )
    client = login(demo.users["auditor"])
    url = reverse("documents:document-status", args=[document.pk])
    queued = client.get(url).json()
    assert queued["state"] == "queued" and queued["progress"] == 0 and queued["download_url"] == ""
    assert client.get(reverse("documents:document-download", args=[document.pk])).status_code == 409
    render_document_task(document.pk)
    done = client.get(url).json()
    assert done["state"] == "done" and done["download_url"]
    first = GeneratedDocument.objects.get(pk=document.pk)
    render_document_task(document.pk)  # safe to run twice: nothing changes
    again = GeneratedDocument.objects.get(pk=document.pk)
    assert (again.sha256, again.generated_at, again.file.name) == (
        first.sha256,
        first.generated_at,
        first.file.name,
    )


def test_a_failed_document_says_why(demo, generate):
    final = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    Determination.objects.filter(pk=final.snapshot["data"]["determination"]["id"]).update(
        invalidated_at=D.NOW
    )
    copy = GeneratedDocument.objects.create(
        kind=final.kind, title=final.title, content_type=final.content_type, record_id=final.record_id,
        version=final.version + 1, status=final.status, snapshot=final.snapshot,
        snapshot_sha256=final.snapshot_sha256, requested_by=final.requested_by, requested_at=D.NOW,
    )  # fmt: skip
    failed = generate_document(document_id=copy.pk, now=D.NOW)
    assert failed.state == "failed" and "no longer an approved determination" in failed.error
    status = login(demo.users["committee"]).get(reverse("documents:document-status", args=[copy.pk])).json()
    assert status["state"] == "failed" and "not rendered as FINAL" in status["error"]


def test_a_stored_file_that_no_longer_matches_its_hash_is_not_served(demo, generate):
    document = generate(demo.users["secretary"], "clawback_impracticability", demo.case)
    with open(document.file.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"X")
    response = login(demo.users["secretary"]).get(reverse("documents:document-download", args=[document.pk]))
    assert response.status_code == 500
    assert b"does not match its recorded SHA-256" in response.content


def test_a_stored_file_that_is_gone_is_said_to_be_missing_not_a_traceback(demo, generate):
    document = generate(demo.users["secretary"], "clawback_impracticability", demo.case)
    Path(document.file.path).unlink()
    response = login(demo.users["secretary"]).get(reverse("documents:document-download", args=[document.pk]))
    assert response.status_code == 500
    assert b"the stored file is missing" in response.content


def test_a_covered_executive_sees_none_of_the_documents_about_their_case(demo, generate):
    document = generate(demo.users["secretary"], "clawback_determination", demo.case)
    member = UserFactory(username="covered-member", roles=[Role.COMMITTEE])
    executive = Executive.objects.create(
        company=demo.company, key="cao", name="Casey Accounting", user=member
    )
    demo.case.covered_executives.add(executive)
    client = login(member)
    for name in ("document-detail", "document-status", "document-download"):
        assert client.get(reverse(f"documents:{name}", args=[document.pk])).status_code == 404, name
    assert document.reference not in client.get(reverse("documents:document-list")).content.decode()
    response = client.post(reverse("documents:document-request"),
                           {"kind": "clawback_determination", "record_id": demo.case.pk})  # fmt: skip
    assert response.status_code == 404
    # Nor the Item 402(w) table, which sums every case (their own included).
    disclosure = request_document(
        actor=demo.users["secretary"], kind="clawback_402w", record=demo.company, period="FY2026", now=D.NOW
    )
    assert client.get(reverse("documents:document-status", args=[disclosure.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        request_document(actor=member, kind="clawback_402w", record=demo.company, period="FY2026", now=D.NOW)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 60, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_administrators_set_the_legend_and_logo_printed_on_documents(demo, generate):
    admin = login(demo.users["admin"])
    assert admin.get(reverse("documents:branding")).status_code == 200
    response = admin.post(
        reverse("documents:branding"),
        {"legend_override": "Privileged & Confidential — Board Eyes Only",
         "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png")},
    )  # fmt: skip
    assert response.status_code == 302
    branding = Branding.objects.get()
    assert branding.logo_sha256 and branding.logo.name.startswith(f"branding/{branding.logo_sha256}/")
    assert login(demo.users["secretary"]).get(reverse("documents:branding")).status_code == 403
    bad = admin.post(
        reverse("documents:branding"),
        {"logo": SimpleUploadedFile("logo.png", b"GIF89a not a png", content_type="image/png")},
    )
    assert bad.status_code == 200 and "PNG or JPEG" in bad.content.decode()  # fmt: skip

    document = generate(demo.users["secretary"], "clawback_estimates", demo.case)
    assert "PRIVILEGED & CONFIDENTIAL — BOARD EYES ONLY" in pdf_text(document).upper()
    images = subprocess.run(["pdfimages", "-list", document.file.path], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) > 2  # the header rows, then one image per page


@pytest.mark.parametrize("who", ["committee only", "admin"])
def test_dashboards_show_the_numbers_as_tables(demo, who):
    user = demo.users.get(who) or UserFactory(username="committee-only", roles=[Role.COMMITTEE])
    page = login(user).get(reverse("documents:dashboards"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert 'id="table-recovery"' in html and "1,384,000.00" in html and "904,000.00" in html
    assert "240,000.00" in html and "40,000.00" in html  # recovered by cancellation / forgone
    assert "180 days or more" in html
    # The demo's two cases: this one, and the one `clawback.demo` walks into recovery.
    chart = page.context["clawback_recovery"]
    recovered = dict(zip(chart["labels"], chart["series"][0]["values"], strict=True))
    assert set(recovered) == {demo.case.title, "FY2023–FY2025 operating income restatement"}
    assert json.loads(recovered[demo.case.title]) == 440000  # 240k + 200k
    assert json.loads(recovered["FY2023–FY2025 operating income restatement"]) == 310000  # 250k + 60k
    if who == "admin":  # regfd.view: the Reg FD half too
        assert 'id="table-time-left"' in html and 'id="table-on-time"' in html
        buckets = {b["label"]: b["count"] for b in page.context["regfd"]["buckets"]}
        assert sum(buckets.values()) == Incident.objects.filter(status=Incident.Status.OPEN).count() >= 3
    else:  # clawback.view without regfd.view: the clawback half only
        assert 'id="table-time-left"' not in html


def test_employees_have_no_dashboards_or_documents(demo):
    client = login(demo.users["employee"])
    assert client.get(reverse("documents:dashboards")).status_code == 403
    assert client.get(reverse("documents:document-list")).status_code == 403
