"""The case page's own actions: the Board determination PDF is requested from the case itself (the same
request as the Documents menu's: documents:document-request), DRAFT always and FINAL once the case is signed
off; the case's attachments are called Attachments, not Documents (which names the generated documents)."""

import re

from django.urls import reverse

from compliance_site.documents.models import GeneratedDocument
from tests.clawback.workflow_setup import approved_example_2
from tests.clients import client_for


def _board_form(html: str) -> str:
    match = re.search(r'<form [^>]*data-testid="board-determination".*?</form>', html, re.S)
    assert match, "no Board determination form on the case page"
    return match.group(0)


def _case_page(user, case) -> str:
    response = client_for(user).get(reverse("clawback:restatement-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_committee_sees_a_draft_board_determination_action_on_an_open_case(users, clawback_case):
    html = _case_page(users["committee"], clawback_case)
    form = _board_form(html)
    assert f'action="{reverse("documents:document-request")}"' in form and 'method="post"' in form
    assert 'name="kind" value="clawback_determination"' in form
    assert f'name="record_id" value="{clawback_case.pk}"' in form
    assert "Board determination PDF (DRAFT)" in form
    assert "(FINAL)" not in form  # no approved determination yet


def test_a_signed_off_case_also_offers_the_final_board_determination(users):
    case = approved_example_2(users)
    form = _board_form(_case_page(users["committee"], case))
    assert "Board determination PDF (DRAFT)" in form
    assert 'name="final" value="on"' in form and "Board determination PDF (FINAL)" in form


def test_the_case_links_call_the_attachments_attachments(users, clawback_case):
    html = _case_page(users["committee"], clawback_case)
    attachments = reverse("attachments:record", args=["clawback.restatement", clawback_case.pk])
    assert f'href="{attachments}">Attachments</a>' in html
    assert f'href="{attachments}">Documents</a>' not in html


def test_the_board_determination_action_is_not_offered_without_the_export_capability(users, clawback_case):
    html = _case_page(users["board"], clawback_case)
    assert 'data-testid="board-determination"' not in html and "Attachments" in html


def test_the_draft_action_queues_the_board_determination_for_this_case(users):
    case = approved_example_2(users)
    form = _board_form(_case_page(users["committee"], case))
    assert f'name="record_id" value="{case.pk}"' in form
    # What the DRAFT button sends (the FINAL button adds final=on).
    response = client_for(users["committee"]).post(
        reverse("documents:document-request"), {"kind": "clawback_determination", "record_id": case.pk}
    )
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document-detail", args=[document.pk])
    assert (document.kind, document.record_id, document.status) == (
        "clawback_determination",
        case.pk,
        "draft",
    )
