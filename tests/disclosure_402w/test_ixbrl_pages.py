"""Item 402(w) tagged for EDGAR on the pages and over the API (docs/clawback-rules §1.10, "Tagged for EDGAR"):
the page lists each tagged value with where it came from, in plain words; the download and the API give the
same document, recorded on the audit trail with its SHA-256; the audience is the Item 402(w) document's, and
someone walled off from a case is refused with the reason."""

import hashlib

import pytest
from django.urls import reverse

from clawback.models import Executive
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import Company
from tests.clients import api_error, api_for, client_for
from tests.disclosure_402w.ixbrl_setup import FILED, demo_year
from tests.factories import UserFactory
from tests.test_plain_language import findings, visible_text

pytestmark = pytest.mark.django_db
QUERY = f"?year=FY2026&prepared_on={FILED.isoformat()}"
PAGE = reverse("clawback:disclosure-ixbrl") + QUERY
DOWNLOAD = reverse("clawback:disclosure-ixbrl-download") + QUERY
API = reverse("clawback-api:disclosure-ixbrl") + QUERY


@pytest.fixture
def demo():
    return demo_year()


def _exports():
    return AuditEvent.objects.filter(verb="clawback-export-ixbrl").order_by("seq")


def test_the_page_lists_every_tagged_value_with_where_it_came_from_in_plain_words(demo):
    response = client_for(demo.users["secretary"]).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="ixbrl-fact"') == len(demo.tagged.facts)
    for fact in demo.tagged.facts:
        assert f"<code>{fact.element}</code>" in page
    assert "$445,000.00" in page and "$115,000.00" in page and "$75,000.00" in page
    assert "From the approved determination of" in page and "Rule 10D-1(b)(1)(ii)" in page
    assert "alnt:DanaWhitfieldMember" in page and "SEC CIK 0000046129" in page
    assert DOWNLOAD.replace("&", "&amp;") in page
    assert findings(visible_text(page)) == []
    assert not _exports().exists()  # looking is not taking the document out


def test_the_download_is_the_document_and_is_recorded_with_its_sha256(demo):
    response = client_for(demo.users["auditor"]).get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xhtml+xml"
    assert response["Content-Disposition"] == 'attachment; filename="alnt-20261231-item402w-ixbrl.htm"'
    assert response.content == demo.tagged.xhtml.encode("ascii")
    (event,) = _exports()
    assert event.object_id == str(demo.company.pk) and event.actor_id == demo.users["auditor"].pk
    assert event.changes == {
        "fiscal_year": "FY2026",
        "prepared_on": "2027-02-15",
        "facts": len(demo.tagged.facts),
        "sha256": hashlib.sha256(response.content).hexdigest(),
    }


def test_the_api_gives_the_document_and_what_each_tag_says(demo):
    response = api_for(demo.users["counsel"]).get(API)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["document"] == demo.tagged.xhtml
    assert body["sha256"] == hashlib.sha256(demo.tagged.xhtml.encode("ascii")).hexdigest()
    assert (body["fiscal_year"], body["prepared_on"], body["taxonomy_year"]) == (
        "FY2026",
        "2027-02-15",
        "2024",
    )
    assert body["media_type"] == "application/xhtml+xml"
    assert {m["member"] for m in body["members"]} == {m.qname for m in demo.tagged.members}
    assert [(f["element"], f["value"], f["context"]) for f in body["facts"]] == [
        (f.element, f.value, f.context) for f in demo.tagged.facts
    ]
    (aggregate,) = [f for f in body["facts"] if f["element"] == "ecd:AggtErrCompAmt"]
    assert aggregate["shown"] == "$445,000.00" and aggregate["rule"] == "Item 402(w)(1)(i)(B)"
    assert aggregate["restatement_date"] == "2026-05-01" and aggregate["unit"] == "usd"
    assert _exports().count() == 1


def test_the_disclosure_page_and_the_documents_page_lead_to_it(demo):
    secretary = client_for(demo.users["secretary"])
    disclosure = secretary.get(reverse("clawback:disclosure") + QUERY).content.decode()
    assert 'data-testid="ixbrl-link"' in disclosure and reverse("clawback:disclosure-ixbrl") in disclosure
    documents = secretary.get(reverse("documents:document-list")).content.decode()
    assert 'data-testid="ixbrl-link"' in documents


def test_a_user_walled_off_from_a_case_is_refused_on_the_page_the_download_and_the_api(demo):
    # A Corporate Secretary who is also the covered executive of the demo case: walled off from it.
    secretary = UserFactory(username="whitfield-secretary", roles=[Role.SECRETARY])
    Executive.objects.filter(key="dwhitfield").update(user=secretary)
    for url in (PAGE, DOWNLOAD):
        response = client_for(secretary).get(url)
        assert response.status_code == 403
        page = response.content.decode()
        assert 'data-testid="ixbrl-refused"' in page and "walled off from at least one" in page
        assert "445,000" not in page and "ecd:AggtErrCompAmt" not in page
    error = api_error(api_for(secretary).get(API), 403)
    assert error["code"] == "walled_from_case"
    assert not _exports().exists()


def test_without_the_export_permission_the_page_is_refused(demo):
    for username in ("board", "ceo", "employee"):
        assert client_for(demo.users[username]).get(PAGE).status_code == 403
        assert api_for(demo.users[username]).get(API).status_code == 403


def test_a_company_without_a_cik_is_told_to_record_it(demo):
    Company.objects.filter(pk=demo.company.pk).update(cik="")
    response = client_for(demo.users["secretary"]).get(PAGE)
    assert response.status_code == 409
    assert "Record it in the company profile first" in response.content.decode()
    error = api_error(api_for(demo.users["secretary"]).get(API), 409)
    assert error["code"] == "not_taggable" and "SEC CIK" in error["message"]
    assert client_for(demo.users["secretary"]).get(DOWNLOAD).status_code == 409
    assert not _exports().exists()
