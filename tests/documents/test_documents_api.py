"""The documents API (/api/documents/): the same selectors, services and FINAL rules as the documents pages.

Listing versions with filters and constant queries, requesting a generation (202, rendered on commit by the
worker: Celery eager here), polling its status as the page does, downloading the file with its SHA-256,
regenerating, and the auditor export bundle; every role's access; bad input as a 400 in the one error format.
"""

import hashlib
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from clawback.models import Executive
from compliance_site.accounts.roles import Role
from compliance_site.accounts.tokens import issue_token
from compliance_site.audit.models import AuditEvent
from compliance_site.documents.bundle import verify_bundle
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.periods import quarter_of
from compliance_site.documents.services import request_document
from compliance_site.wsgi import application
from regfd.services import close_not_required
from tests.api.test_api_fuzz import CHECKS, fuzz_schema
from tests.clients import api_error, token_api_for
from tests.documents.matrix import world_document
from tests.factories import UserFactory, add_fiscal_years, report_incident

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
DOCUMENTS = "/api/documents/"
# Roles holding the capabilities of at least one kind of document (clawback.export or regfd.export).
DOCUMENT_ROLES = {"admin", "committee", "committee2", "secretary", "counsel", "auditor"}
NO_DOCUMENTS = {"board", "officer", "employee"}
REGFD_EXPORT = {"admin", "secretary", "counsel", "auditor"}
INCIDENT_QUARTER = "2026-Q1"


@pytest.fixture
def api(users):
    """api("auditor"): an API client authenticated with that persona's token."""
    return lambda role: token_api_for(users[role])


def _open_incident(actor, minute=0):
    return report_incident(
        actor,
        disclosed_at=datetime(2026, 3, 3, 14, minute, tzinfo=ET),
        learned_at=datetime(2026, 3, 3, 15, minute, tzinfo=ET),
    )


@pytest.fixture
def incident(users, company):
    """An open 2026-Q1 incident reported by the employee persona."""
    return _open_incident(users["employee"])


@pytest.fixture
def case(company, clawback_case):
    """The shared clawback case (the officer persona is covered, committee2 recused), with the fiscal
    calendar its evaluation needs."""
    add_fiscal_years(company, range(2023, 2027))
    return clawback_case


@pytest.fixture
def queued(users, incident, case):
    """Two queued documents (never rendered: no on_commit here): the incident record and a DRAFT
    determination for the clawback case."""
    now = timezone.now()
    return {
        "incident": request_document(
            actor=users["secretary"], kind="regfd_incident", record=incident, now=now
        ),
        "case": request_document(
            actor=users["committee"], kind="clawback_determination", record=case, now=now
        ),
    }


def post_request(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(DOCUMENTS, data, format="json")


# Request, render, status, download ------------------------------------------------------------------


def test_a_generation_requested_through_the_api_renders_and_downloads_with_its_sha256(
    api, incident, django_capture_on_commit_callbacks
):
    client = api("secretary")
    response = post_request(
        client, django_capture_on_commit_callbacks, kind="regfd_incident", record_id=incident.pk
    )
    assert response.status_code == 202, response.content
    body = response.json()
    document = GeneratedDocument.objects.get(pk=body["id"])
    assert body["reference"] == document.reference and body["status"] == "draft" and body["version"] == 1
    assert body["record_type"] == "incident" and body["record_id"] == incident.pk
    assert response["Location"] == reverse("documents-api:document-status", args=[document.pk])

    status = client.get(response["Location"]).json()
    assert status["state"] == "done", status["error"]
    assert status["progress"] == 100 and len(status["sha256"]) == 64
    assert status["download_url"] == reverse("documents-api:document-download", args=[document.pk])

    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-SHA256"] == status["sha256"] == hashlib.sha256(download.content).hexdigest()
    assert f'filename="{status["filename"]}"' in download["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="download_document", object_id=str(document.pk)).exists()
    # Asking for the file's own type gets the file, not a 406.
    assert client.get(status["download_url"], HTTP_ACCEPT="application/pdf").content == download.content

    detail = client.get(f"{DOCUMENTS}{document.pk}/").json()
    assert detail["state"] == "done" and detail["sha256"] == status["sha256"]
    assert detail["download_url"] == status["download_url"]


def test_the_status_has_the_fields_the_page_polls(api, users, queued):
    document = queued["incident"]
    page = Client()
    page.force_login(users["secretary"])
    page_status = page.get(reverse("documents:document-status", args=[document.pk])).json()
    api_status = api("secretary").get(f"{DOCUMENTS}{document.pk}/status/").json()
    assert set(api_status) == set(page_status)
    assert {k: v for k, v in api_status.items() if k != "download_url"} == {
        k: v for k, v in page_status.items() if k != "download_url"
    }
    assert (
        api_status["state"] == "queued" and api_status["progress"] == 0 and api_status["download_url"] == ""
    )


def test_a_document_not_done_yet_is_a_409_to_download(api, queued):
    error = api_error(api("secretary").get(f"{DOCUMENTS}{queued['incident'].pk}/download/"), 409)
    assert error["code"] == "not_ready" and "not ready" in error["message"]


def test_a_stored_file_that_no_longer_matches_its_hash_is_not_served(
    api, incident, django_capture_on_commit_callbacks
):
    client = api("secretary")
    created = post_request(
        client, django_capture_on_commit_callbacks, kind="regfd_incident", record_id=incident.pk
    ).json()
    document = GeneratedDocument.objects.get(pk=created["id"])
    with open(document.file.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"X")
    error = api_error(client.get(f"{DOCUMENTS}{document.pk}/download/"), 500)
    assert "does not match its recorded SHA-256" in error["message"]
    assert not AuditEvent.objects.filter(verb="download_document", object_id=str(document.pk)).exists()


def test_regenerate_makes_a_new_version_from_the_same_snapshot(
    api, incident, django_capture_on_commit_callbacks
):
    client = api("secretary")
    first = post_request(
        client, django_capture_on_commit_callbacks, kind="regfd_incident", record_id=incident.pk
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{DOCUMENTS}{first['id']}/regenerate/")
    assert response.status_code == 202, response.content
    second = response.json()
    assert second["version"] == 2 and second["regenerated_from"] == first["id"]
    assert second["snapshot_sha256"] == first["snapshot_sha256"]
    assert client.get(f"{DOCUMENTS}{second['id']}/status/").json()["state"] == "done"


def test_regenerating_a_document_still_being_generated_is_a_400(api, queued):
    error = api_error(api("secretary").post(f"{DOCUMENTS}{queued['incident'].pk}/regenerate/"), 400)
    assert "still being generated" in error["message"]


# FINAL only from an approved snapshot ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "data", "reason"),
    [
        ("committee", {"kind": "clawback_determination"}, "needs an approved determination"),
        ("auditor", {"kind": "bundle_restatement"}, "needs an approved determination"),
        ("secretary", {"kind": "regfd_incident"}, "The incident is still open"),
        ("secretary", {"kind": "regfd_quarterly_log", "period": "current"}, "has not ended"),
        ("auditor", {"kind": "bundle_period", "period": INCIDENT_QUARTER}, "still open"),
    ],
)
def test_final_is_refused_without_an_approved_snapshot(api, incident, case, role, data, reason):
    data = {**data, "status": "final"}
    if data["kind"].startswith("clawback") or data["kind"] == "bundle_restatement":
        data["record_id"] = case.pk
    elif data["kind"] == "regfd_incident":
        data["record_id"] = incident.pk
    if data.get("period") == "current":
        data["period"] = quarter_of(timezone.now())
    error = api_error(api(role).post(DOCUMENTS, data, format="json"), 400)
    assert error["code"] == "invalid" and reason in error["message"]
    assert error["fields"] == {"non_field_errors": [error["message"]]}
    assert not GeneratedDocument.objects.exists()


def test_final_is_granted_once_the_snapshot_is_approved(
    api, users, incident, django_capture_on_commit_callbacks
):
    close_not_required(actor=users["secretary"], incident=incident, reason="Not material: public already.")
    response = post_request(
        api("secretary"),
        django_capture_on_commit_callbacks,
        kind="regfd_incident",
        record_id=incident.pk,
        status="final",
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "final"
    assert GeneratedDocument.objects.get(pk=response.json()["id"]).state == "done"


# The auditor export bundle --------------------------------------------------------------------------


def test_the_auditor_requests_and_downloads_a_verifiable_period_bundle(
    api, users, incident, django_capture_on_commit_callbacks, tmp_path
):
    close_not_required(actor=users["secretary"], incident=incident, reason="Not material.")
    client = api("auditor")
    kinds = {k["kind"]: k for k in client.get(f"{DOCUMENTS}kinds/").json()}
    assert kinds["bundle_period"]["media_type"] == "application/zip"
    assert kinds["bundle_period"]["period"] == "quarter"
    response = post_request(
        client,
        django_capture_on_commit_callbacks,
        kind="bundle_period",
        period=INCIDENT_QUARTER.lower(),
        status="final",
    )
    assert response.status_code == 202, response.content
    created = response.json()
    assert created["period"] == INCIDENT_QUARTER and created["record_type"] == "company"
    download = client.get(f"{DOCUMENTS}{created['id']}/download/")
    assert download.status_code == 200, download.content
    assert download["Content-Type"] == "application/zip"
    assert download["X-Content-SHA256"] == hashlib.sha256(download.content).hexdigest()
    path = tmp_path / "bundle.zip"
    path.write_bytes(download.content)
    report = verify_bundle(path)
    assert report.ok and report.checked > 0, report.problems


def test_the_bundle_needs_audit_export_as_well(api, case):
    # The secretary holds clawback.export but not audit.export (roles.py): the page offers no bundle either.
    kinds = {k["kind"] for k in api("secretary").get(f"{DOCUMENTS}kinds/").json()}
    assert "bundle_restatement" not in kinds and "clawback_determination" in kinds
    response = api("secretary").post(
        DOCUMENTS, {"kind": "bundle_restatement", "record_id": case.pk}, format="json"
    )
    assert "export bundle" in api_error(response, 403)["message"]


# Who may do what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(DOCUMENT_ROLES | NO_DOCUMENTS))
def test_each_role_lists_only_what_it_may_see(api, queued, role):
    response = api(role).get(DOCUMENTS)
    if role in NO_DOCUMENTS:
        api_error(response, 403)
        api_error(api(role).get(f"{DOCUMENTS}kinds/"), 403)
        return
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    # Every role with documents holds clawback.export and sees the case; Reg FD ones need regfd.export.
    expected = {queued["case"].pk} | ({queued["incident"].pk} if role in REGFD_EXPORT else set())
    assert listed == expected


@pytest.mark.parametrize("role", sorted(DOCUMENT_ROLES | NO_DOCUMENTS))
@pytest.mark.parametrize("endpoint", ["", "status/", "download/"])
def test_each_role_reads_a_document_only_if_it_may_see_it(api, queued, role, endpoint):
    url = f"{DOCUMENTS}{queued['incident'].pk}/{endpoint}"
    response = api(role).get(url)
    if role in NO_DOCUMENTS:
        api_error(response, 403)
    elif role not in REGFD_EXPORT:  # the committee: documents, but not Reg FD ones
        api_error(response, 404)
    elif endpoint == "download/":
        api_error(response, 409)  # visible, not rendered yet
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "kind", "expected"),
    [
        ("secretary", "regfd_incident", 202),
        ("counsel", "regfd_incident", 202),
        ("committee", "regfd_incident", 403),  # no regfd.export
        ("committee", "clawback_determination", 202),
        ("committee2", "clawback_determination", 202),  # recused from the vote, still sees the case
        ("auditor", "bundle_restatement", 202),
        ("secretary", "bundle_restatement", 403),  # no audit.export
        ("counsel", "bundle_period", 403),
        ("board", "clawback_determination", 403),
        ("officer", "regfd_incident", 403),
        ("employee", "regfd_incident", 403),
    ],
)
def test_each_role_requests_only_the_kinds_it_may(api, incident, case, role, kind, expected):
    data = {"kind": kind}
    if kind == "bundle_period":
        data["period"] = INCIDENT_QUARTER
    else:
        data["record_id"] = incident.pk if kind == "regfd_incident" else case.pk
    response = api(role).post(DOCUMENTS, data, format="json")
    if expected == 202:
        assert response.status_code == 202, response.content
        assert GeneratedDocument.objects.get(pk=response.json()["id"]).requested_by.username == role
    else:
        api_error(response, expected)
        assert not GeneratedDocument.objects.exists()


def test_a_covered_executive_sees_no_document_about_their_case(api, users, company, queued, case):
    member = UserFactory(username="covered-member", roles=[Role.COMMITTEE])
    users["covered-member"] = member
    case.covered_executives.add(
        Executive.objects.create(company=company, key="cao", name="Casey Accounting", user=member)
    )
    client = api("covered-member")
    assert client.get(DOCUMENTS).json()["results"] == []
    for endpoint in ("", "status/", "download/", "regenerate/"):
        method = client.post if endpoint == "regenerate/" else client.get
        api_error(method(f"{DOCUMENTS}{queued['case'].pk}/{endpoint}"), 404)
    response = client.post(DOCUMENTS, {"kind": "clawback_determination", "record_id": case.pk}, format="json")
    api_error(response, 404)
    # Nor the Item 402(w) table, which sums every case, their own included.
    kinds = {k["kind"] for k in client.get(f"{DOCUMENTS}kinds/").json()}
    assert "clawback_402w" in kinds  # the capability, but not the sight of every case:
    response = client.post(DOCUMENTS, {"kind": "clawback_402w", "period": "FY2025"}, format="json")
    api_error(response, 403)


def test_anonymous_requests_are_401(queued):
    for url in (DOCUMENTS, f"{DOCUMENTS}kinds/", f"{DOCUMENTS}{queued['incident'].pk}/download/"):
        assert api_error(APIClient().get(url), 401)["code"] == "not_authenticated"
    api_error(APIClient().post(DOCUMENTS, {"kind": "regfd_incident"}, format="json"), 401)


# Filters and pagination -----------------------------------------------------------------------------


def test_the_list_filters_by_kind_record_period_status_and_state(api, users, company, incident, case, queued):
    other = _open_incident(users["secretary"], minute=30)
    now = timezone.now()
    second = request_document(actor=users["secretary"], kind="regfd_incident", record=other, now=now)
    log = request_document(
        actor=users["secretary"], kind="regfd_quarterly_log", record=company,
        period=INCIDENT_QUARTER, now=now,
    )  # fmt: skip
    client = api("admin")

    def ids(**query):
        response = client.get(DOCUMENTS, query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    everything = {queued["incident"].pk, queued["case"].pk, second.pk, log.pk}
    assert ids() == everything
    assert ids(kind="regfd_incident") == {queued["incident"].pk, second.pk}
    assert ids(record_type="incident", record_id=other.pk) == {second.pk}
    assert ids(record_type="restatement", record_id=case.pk) == {queued["case"].pk}
    assert ids(record_type="company") == {log.pk}
    assert ids(period=INCIDENT_QUARTER) == {log.pk}
    assert ids(status="draft") == everything and ids(status="final") == set()
    assert ids(state="queued") == everything and ids(state="done") == set()
    page = client.get(DOCUMENTS, {"page_size": 1}).json()
    assert page["count"] == 4 and len(page["results"]) == 1 and page["next"]


def test_list_queries_are_constant_as_rows_grow(api, users, incident, case):
    client = api("admin")

    def make(n):
        for _ in range(n):
            request_document(
                actor=users["secretary"], kind="regfd_incident", record=incident, now=timezone.now()
            )
            request_document(
                actor=users["committee"],
                kind="clawback_determination",
                record=case,
                now=timezone.now(),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(DOCUMENTS)
        assert response.status_code == 200, response.content
        return len(context.captured_queries)

    make(1)
    one = count()
    make(19)
    twenty = count()
    assert client.get(DOCUMENTS).json()["count"] == 40
    assert twenty == one, f"{one} queries for 2 rows, {twenty} for 40"


# Bad input: a 400 that says what is wrong, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({}, "kind", "required"),
        ({"kind": "board_minutes"}, "kind", "not a valid choice"),
        ({"kind": "regfd_incident"}, "record_id", "Choose the incident"),
        ({"kind": "clawback_determination", "record_id": "abc"}, "record_id", "valid integer"),
        ({"kind": "clawback_determination", "record_id": 0}, "record_id", "greater than or equal to 1"),
        (
            {"kind": "regfd_quarterly_log", "record_id": 1, "period": "2026-Q1"},
            "record_id",
            "give no record_id",
        ),
        ({"kind": "regfd_quarterly_log"}, "period", "Give the period"),
        ({"kind": "regfd_incident", "record_id": 1, "period": "2026-Q1"}, "period", "takes no period"),
        ({"kind": "regfd_incident", "record_id": 1, "status": "signed"}, "status", "not a valid choice"),
        ({"kind": "regfd_quarterly_log", "period": "2026-Q9"}, "non_field_errors", "not a quarter"),
        ({"kind": "clawback_402w", "period": "FY1999"}, "non_field_errors", "not a fiscal period"),
        ({"kind": "regfd_quarterly_log", "period": "x" * 21}, "period", "no more than 20"),
    ],
)
def test_a_bad_request_is_a_400_naming_the_field(api, company, data, field, says):
    error = api_error(api("admin").post(DOCUMENTS, data, format="json"), 400)
    assert field in error["fields"], error
    assert says in " ".join(error["fields"][field]), error
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=nonsense", "kind"),
        ("status=signed", "status"),
        ("state=lost", "state"),
        ("record_type=executive", "record_type"),
        ("record_id=abc&record_type=incident", "record_id"),
        ("record_id=5", "record_type"),
        ("page_size=abc", None),
    ],
)
def test_bad_list_filters_are_400_with_field_errors(api, query, field):
    response = api("auditor").get(f"{DOCUMENTS}?{query}")
    if field is None:  # DRF's page_size falls back to the default on garbage
        assert response.status_code == 200
        return
    assert field in api_error(response, 400)["fields"]


@pytest.mark.parametrize("pk", ["abc", "0", "99999999999999999999999", "-1"])
def test_an_unknown_or_malformed_document_id_is_a_404(api, pk):
    for endpoint in ("", "status/", "download/"):
        response = api("auditor").get(f"{DOCUMENTS}{pk}/{endpoint}")
        api_error(response, 404)
    api_error(api("auditor").post(f"{DOCUMENTS}{pk}/regenerate/"), 404)


def test_a_case_that_cannot_be_evaluated_yet_is_a_400_saying_why(api, clawback_case):
    # No fiscal calendar: the service refuses with the engine's reason, as the page shows it.
    response = api("committee").post(
        DOCUMENTS, {"kind": "clawback_determination", "record_id": clawback_case.pk}, format="json"
    )
    assert "cannot be evaluated yet" in api_error(response, 400)["message"]


@pytest.mark.parametrize("kind", ["regfd_incident", "clawback_determination", "bundle_restatement"])
def test_a_record_that_does_not_exist_is_a_404(api, incident, case, kind):
    response = api("admin").post(DOCUMENTS, {"kind": kind, "record_id": 999999}, format="json")
    api_error(response, 404)


def test_the_schema_documents_every_documents_operation(api):
    paths = api("employee").get("/api/schema/?format=json").json()["paths"]
    assert {
        "/api/documents/",
        "/api/documents/kinds/",
        "/api/documents/{id}/",
        "/api/documents/{id}/status/",
        "/api/documents/{id}/download/",
        "/api/documents/{id}/regenerate/",
    } <= set(paths)
    download = paths["/api/documents/{id}/download/"]["get"]["responses"]
    assert "X-Content-SHA256" in download["200"]["headers"] and "409" in download
    assert "202" in paths["/api/documents/"]["post"]["responses"]


@pytest.fixture
def wsgi_app():
    """The WSGI application called in-process, as the fuzz tests call it (tests/api/test_api_fuzz.py)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_real_responses_match_the_schema(wsgi_app, users, incident):
    # The fuzz tests rarely meet a document that exists, is done, or is created: check those answers too.
    done = world_document(SimpleNamespace(incident=incident, users=users))
    queued = request_document(
        actor=users["secretary"], kind="regfd_incident", record=incident, now=timezone.now()
    )
    created = {"kind": "regfd_incident", "record_id": incident.pk}
    calls = [
        ("/api/documents/", "GET", {}, {"kind": "regfd_incident", "state": "done"}, None, 200),
        ("/api/documents/kinds/", "GET", {}, {}, None, 200),
        ("/api/documents/{id}/", "GET", {"id": done.pk}, {}, None, 200),
        ("/api/documents/{id}/status/", "GET", {"id": done.pk}, {}, None, 200),
        ("/api/documents/{id}/status/", "GET", {"id": queued.pk}, {}, None, 200),
        ("/api/documents/{id}/download/", "GET", {"id": done.pk}, {}, None, 200),
        ("/api/documents/{id}/download/", "GET", {"id": queued.pk}, {}, None, 409),
        ("/api/documents/{id}/regenerate/", "POST", {"id": done.pk}, {}, None, 202),
        ("/api/documents/{id}/regenerate/", "POST", {"id": queued.pk}, {}, None, 400),
        ("/api/documents/", "POST", {}, {}, created, 202),
        ("/api/documents/", "POST", {}, {}, {**created, "status": "final"}, 400),
    ]
    headers = {"Authorization": f"Token {issue_token(user=users['secretary'])[1]}"}
    for path, method, path_parameters, query, body, expected in calls:
        extra = {"body": body, "media_type": "application/json"} if body is not None else {}
        case = fuzz_schema[path][method].Case(path_parameters=path_parameters, query=query, **extra)
        response = case.call(app=wsgi_app, headers=headers)
        assert response.status_code == expected, (method, path, response.status_code)
        case.validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("period", ["0000-Q1", "9999-Q1", "9999-Q4", "1899-Q4"])
def test_a_quarter_outside_the_record_years_is_refused_in_words(api, incident, period):
    """Year 0 answered Python's "year 0 is out of range"; 9999-Q1 rendered a log for the year 9999."""
    data = {"kind": "regfd_quarterly_log", "period": period}
    error = api_error(api("secretary").post(DOCUMENTS, data, format="json"), 400)
    assert "is not a quarter between 1900 and 2199" in str(error) and "out of range" not in str(error)
    assert not GeneratedDocument.objects.exists()
