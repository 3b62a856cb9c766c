"""A document's page updates itself: while the document is queued or running, its live part (state, bar,
size, download link, versions) polls the page's own URL through htmx and is swapped in whole; once the
document is done or failed the part sent back no longer polls. The bar never reads 100% beside "Queued"."""

import re

from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.services import request_document
from compliance_site.documents.tasks import render_document_task
from tests.documents import demo_case as D

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queued(demo) -> GeneratedDocument:
    return request_document(
        actor=demo.users["auditor"], kind="clawback_estimates", record=demo.case, now=D.NOW
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _size(size: int) -> str:
    """The size as the page writes it, its no-break space read as a space (like _text)."""
    return str(filesizeformat(size)).replace("\xa0", " ")


def test_the_live_part_of_a_queued_document_polls_and_offers_no_download(demo):
    document = _queued(demo)
    url = reverse("documents:document-detail", args=[document.pk])
    response = _client(demo.users["auditor"]).get(url, **HTMX)
    body = _text(response)
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["documents/document_progress.html"]
    assert "<html" not in body and 'data-testid="nav"' not in body
    assert "Queued — this page updates by itself." in body
    assert f'hx-get="{url}"' in body and 'hx-trigger="every 1s"' in body and 'hx-swap="outerHTML"' in body
    assert reverse("documents:document-download", args=[document.pk]) not in body
    assert "Known once generated" in body and "0 bytes" not in body
    assert "HX-Request" in response["Vary"]


def test_the_live_part_of_a_done_document_shows_state_size_and_link_and_stops_polling(demo):
    document = _queued(demo)
    render_document_task(document.pk)
    document.refresh_from_db()
    response = _client(demo.users["auditor"]).get(
        reverse("documents:document-detail", args=[document.pk]), **HTMX
    )
    body = _text(response)
    assert response.status_code == 200
    assert 'data-testid="document-state">Done<' in body and "Queued" not in body
    assert 'data-width="100"' in body and "100%" in body
    assert f'href="{reverse("documents:document-download", args=[document.pk])}"' in body
    assert document.size > 0 and f'data-testid="document-size">{_size(document.size)}<' in body
    assert "hx-trigger" not in body and "hx-get" not in body


def test_a_queued_document_is_never_shown_beside_a_full_bar(demo):
    document = _queued(demo)
    # A progress of 100 with the state still queued (a worker that stopped between the two writes).
    GeneratedDocument.objects.filter(pk=document.pk).update(progress=100)
    body = _text(
        _client(demo.users["auditor"]).get(reverse("documents:document-detail", args=[document.pk]), **HTMX)
    )
    assert "Queued" in body and "100%" not in body and 'data-width="99"' in body


def test_the_full_page_holds_the_live_part_and_only_the_page_is_sent_without_htmx(demo):
    document = _queued(demo)
    response = _client(demo.users["auditor"]).get(reverse("documents:document-detail", args=[document.pk]))
    body = _text(response)
    names = [t.name for t in response.templates]
    assert "documents/document_detail.html" in names and "documents/document_progress.html" in names
    assert 'data-testid="nav"' in body and 'id="document-live"' in body and 'hx-trigger="every 1s"' in body


def test_the_live_part_is_as_private_as_the_page(demo):
    document = _queued(demo)
    response = _client(demo.users["employee"]).get(
        reverse("documents:document-detail", args=[document.pk]), **HTMX
    )
    assert response.status_code == 404
