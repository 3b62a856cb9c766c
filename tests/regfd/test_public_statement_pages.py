"""The library of public statements on the pages and over the API (docs/regfd-rules §2.9): the list and its
search, adding a statement by upload, its page and voiding it; from an incident, searching the library for the
information disclosed, attaching the match and removing it with a reason; counsel's conclusion citing the
attached statements; who may do each; and lists that cost the same number of queries whatever their length."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance_site.confirm import confirmed_data
from compliance_site.lib.timefmt import EXCHANGE_TZ, label
from regfd.models import Incident, PublicStatement, StatementEvidence
from regfd.services.public_statements import attach_public_statement
from tests.clients import api_error, api_for, client_for
from tests.regfd.incident_setup import detail
from tests.regfd.statements_setup import GUIDANCE_TEXT, add_statement, upload

pytestmark = pytest.mark.django_db

LIST = reverse("regfd:statement-list")
ADD = reverse("regfd:statement-import")
API = "/api/regfd/public-statements/"
EVIDENCE_API = "/api/regfd/statement-evidence/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def statement(users):
    return add_statement(users["secretary"], published_at=timezone.now() - timedelta(days=3))


@pytest.fixture
def guidance_incident(users):
    """An incident whose information the statement had already made public."""
    from tests.factories import report_incident

    now = timezone.now()
    return report_incident(
        users["secretary"],
        now=now,
        disclosed_at=now - timedelta(hours=2),
        learned_at=now - timedelta(hours=1),
        title="Guidance hint at a breakout",
        information="Indicated full-year revenue guidance would be lowered.",
    )


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


# ---- The library's pages -------------------------------------------------------------------------------


def test_the_list_searches_and_shows_each_match_in_context(users, statement):
    add_statement(users["secretary"], title="Dividend declared", text="A quarterly dividend.")
    client = client_for(users["auditor"])
    html = page(client, LIST)
    assert "Allient updates its outlook" in html and "Dividend declared" in html
    assert "Add a statement" not in html  # auditors read, they add nothing

    html = page(client, LIST, q="Guidance LOWERED")
    assert "Allient updates its outlook" in html and "Dividend declared" not in html
    assert [word.lower() for word in marked(html)] == ["guidance", "lowered"]
    assert "No statement matches your search" in page(client, LIST, q="guidance dividend")


def test_a_statement_is_added_by_uploading_its_file(users):
    client = client_for(users["counsel"])
    form = page(client, ADD)
    assert 'enctype="multipart/form-data"' in form
    for name in ("file", "kind", "title", "published_at", "time_zone", "where_published"):
        assert f'for="id_{name}"' in form and f'id="id_{name}"' in form

    response = client.post(
        ADD,
        {
            "file": upload("outlook.html", f"<title>Outlook</title><p>{GUIDANCE_TEXT}</p>"),
            "kind": PublicStatement.Kind.PRESS_RELEASE,
            "title": "",
            "published_at": "2026-03-03T16:05",
            "time_zone": "America/New_York",
            "where_published": "https://investors.example.com/news/outlook",
        },
    )
    statement = PublicStatement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "regfd:statement-detail", args=[statement.pk]
    )
    assert statement.title == "Outlook" and statement.text == GUIDANCE_TEXT
    # Typed as New York wall-clock time, stored as the instant (UTC), shown in ET and the reader's zone.
    assert statement.published_at.astimezone(EXCHANGE_TZ).strftime("%Y-%m-%d %H:%M") == "2026-03-03 16:05"
    users["counsel"].time_zone = "Europe/London"
    users["counsel"].save()
    html = page(client, reverse("regfd:statement-detail", args=[statement.pk]))
    assert "2026-03-03 16:05 EST" in html and "2026-03-03 21:05 GMT" in html
    assert "outlook.html" in html and statement.source_file.sha256 in html


def test_a_refused_upload_shows_why_on_the_form_and_saves_nothing(users):
    response = client_for(users["secretary"]).post(
        ADD,
        {
            "file": upload("notes.txt", "Caf\u00e9".encode("latin-1")),
            "kind": PublicStatement.Kind.WEBSITE,
            "published_at": "2026-03-03T16:05",
            "time_zone": "America/New_York",
            "where_published": "https://example.com/",
        },
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not PublicStatement.all_objects.exists()


def test_a_statement_is_voided_from_its_page_with_a_reason(users, statement):
    client = client_for(users["secretary"])
    url = reverse("regfd:statement-void", args=[statement.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "The wrong file"})
    assert response.status_code == 302
    html = page(client, reverse("regfd:statement-detail", args=[statement.pk]))
    assert "Voided" in html and "The wrong file" in html
    assert "Allient updates its outlook" not in page(client, LIST)
    assert "Allient updates its outlook" in page(client, LIST, show_voided="1")


def test_who_may_read_and_keep_the_library(users, statement):
    detail_url = reverse("regfd:statement-detail", args=[statement.pk])
    for role in ("employee", "committee"):
        client = client_for(users[role])
        assert client.get(LIST).status_code == 403 and client.get(detail_url).status_code == 403
    for role in ("auditor", "board", "officer"):
        client = client_for(users[role])
        assert client.get(detail_url).status_code == 200 and client.get(ADD).status_code == 403
        assert (
            client.post(reverse("regfd:statement-void", args=[statement.pk]), {"reason": "x"}).status_code
            == 403
        )
    assert client_for(users["counsel"]).get(ADD).status_code == 200


# ---- From an incident ----------------------------------------------------------------------------------


def test_the_incident_page_offers_the_search_prefilled_with_the_information(users, guidance_incident):
    html = page(client_for(users["secretary"]), detail(guidance_incident))
    assert "Already public?" in html and "No public statement attached." in html
    assert '<textarea class="form-control" id="library-q" name="q"' in html
    assert ">Indicated full-year revenue guidance would be lowered.</textarea>" in html
    # Readers see the section without the search; the reporter of an incident sees neither.
    auditor = page(client_for(users["auditor"]), detail(guidance_incident))
    assert "Already public?" in auditor and "library-q" not in auditor


def test_the_reporter_who_is_not_an_officer_sees_no_library_on_their_incident(users, incident, statement):
    attach_public_statement(
        actor=users["secretary"], now=timezone.now(), incident=incident, statement=statement
    )
    html = page(client_for(users["employee"]), detail(incident))
    assert "Already public?" not in html and statement.title not in html


def test_the_library_is_searched_for_the_incidents_information_and_the_match_attached(
    users, guidance_incident, statement
):
    add_statement(users["secretary"], title="Dividend declared", text="A quarterly dividend.")
    client = client_for(users["counsel"])
    url = reverse("regfd:incident-statements", args=[guidance_incident.pk])
    html = page(client, url)  # no `q`: the incident's information is the search
    assert "One match" in html and "Allient updates its outlook" in html and "Dividend declared" not in html
    assert "Before the disclosure" in html
    assert f'id="attach{statement.pk}_note"' in html and f'for="attach{statement.pk}_note"' in html

    response = client.post(
        reverse("regfd:incident-attach-statement", args=[guidance_incident.pk]),
        {"statement": statement.pk, "note": "Says the guidance cut", "q": "guidance"},
    )
    assert response.status_code == 302 and response["Location"] == detail(guidance_incident)
    evidence = StatementEvidence.objects.get()
    assert (evidence.incident, evidence.statement, evidence.attached_by) == (
        guidance_incident,
        statement,
        users["counsel"],
    )
    assert evidence.note == "Says the guidance cut"

    html = page(client, detail(guidance_incident))
    assert 'data-testid="attached-statement"' in html and "Says the guidance cut" in html
    assert label(statement.published_at, EXCHANGE_TZ) in html
    assert "Attached to this incident" in page(client, url)
    # Twice is refused on the search page, with the reason.
    again = client.post(
        reverse("regfd:incident-attach-statement", args=[guidance_incident.pk]),
        {"statement": statement.pk, "q": "guidance"},
    )
    assert again.status_code == 400 and "already attached" in again.content.decode()


def test_attaching_a_statement_no_longer_in_the_library_says_so(users, guidance_incident, statement):
    client = client_for(users["secretary"])
    client.post(reverse("regfd:statement-void", args=[statement.pk]), {"reason": "Wrong file"})
    response = client.post(
        reverse("regfd:incident-attach-statement", args=[guidance_incident.pk]),
        {"statement": statement.pk, "q": "guidance"},
    )
    assert response.status_code == 400
    assert "That statement is no longer in the library: search again." in response.content.decode()
    assert not StatementEvidence.all_objects.exists()


def test_searching_from_an_incident_with_other_words(users, guidance_incident, statement):
    html = page(
        client_for(users["secretary"]),
        reverse("regfd:incident-statements", args=[guidance_incident.pk]),
        q="dividend",
    )
    assert "No statement matches" in html and "Try fewer words" in html


def test_an_attached_statement_is_removed_with_a_reason_and_stays_listed_as_removed(
    users, guidance_incident, statement
):
    evidence = attach_public_statement(
        actor=users["secretary"], now=timezone.now(), incident=guidance_incident, statement=statement
    )
    client = client_for(users["secretary"])
    url = reverse("regfd:incident-remove-statement", args=[guidance_incident.pk, evidence.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and f'id="unlink{evidence.pk}_error"' in refused.content.decode()
    assert client.post(url, {"reason": "A different quarter"}).status_code == 302
    html = page(client, detail(guidance_incident))
    assert "No public statement attached." in html and "Removed from the evidence (1)" in html
    assert "A different quarter" in html
    assert client_for(users["auditor"]).post(url, {"reason": "x"}).status_code == 403


def test_counsels_conclusion_cites_the_attached_statements_and_shows_them(
    users, guidance_incident, statement
):
    attach_public_statement(
        actor=users["secretary"], now=timezone.now(), incident=guidance_incident, statement=statement
    )
    client = client_for(users["counsel"])
    html = page(client, detail(guidance_incident))
    assert "Public statements the conclusion cites" in html
    assert f'value="{statement.pk}"' in html and 'id="id_cited_statements_0"' in html

    data = {
        "conclusion": Incident.CounselConclusion.ALREADY_PUBLIC,
        "rationale": "The release said it the day before.",
        "cited_statements": [statement.pk],
    }
    url = reverse("regfd:incident-conclude", args=[guidance_incident.pk])
    asked = client.post(url, data)
    assert asked.status_code == 200 and f"It cites “{statement.title}”" in asked.content.decode()
    assert client.post(url, confirmed_data(data)).status_code == 302

    guidance_incident.refresh_from_db()
    assert list(guidance_incident.counsel_cited_statements.all()) == [statement]
    html = page(client, detail(guidance_incident))
    cited = html.split('data-testid="cited-statements"')[1].split("</dd>")[0]
    assert statement.title in cited and label(statement.published_at, EXCHANGE_TZ) in cited


def test_the_conclusion_form_offers_no_citation_without_evidence(users, guidance_incident):
    assert "Public statements the conclusion cites" not in page(
        client_for(users["counsel"]), detail(guidance_incident)
    )


def test_who_may_search_attach_and_remove_from_an_incident(users, guidance_incident, statement):
    search = reverse("regfd:incident-statements", args=[guidance_incident.pk])
    attach = reverse("regfd:incident-attach-statement", args=[guidance_incident.pk])
    for role in ("auditor", "officer", "board", "employee"):
        client = client_for(users[role])
        assert client.get(search).status_code == 403
        assert client.post(attach, {"statement": statement.pk}).status_code == 403
    assert not StatementEvidence.objects.exists()


# ---- The API -------------------------------------------------------------------------------------------


def test_the_api_lists_searches_and_shows_a_statement_with_its_text(users, statement):
    api = api_for(users["auditor"])
    body = api.get(API, {"q": "guidance lowered"}).json()
    assert [row["title"] for row in body["results"]] == ["Allient updates its outlook"]
    row = body["results"][0]
    assert "text" not in row and row["source_file_name"] == "release.txt"
    assert "<mark>guidance</mark>" in row["snippet"]
    # PostgreSQL ranks the matches; SQLite has no rank.
    assert (row["rank"] > 0) if connection.vendor == "postgresql" else (row["rank"] is None)
    one = api.get(f"{API}{statement.pk}/").json()
    assert one["text"] == GUIDANCE_TEXT and one["text_sha256"] == statement.text_sha256
    assert api.get(API, {"q": "dividend"}).json()["results"] == []
    assert api.get(API, {"kind": "tweet"}).status_code == 400


def test_the_api_adds_a_statement_by_upload_and_voids_it(users):
    api = api_for(users["secretary"])
    response = api.post(
        API,
        {
            "file": upload("call.txt", "Operator: welcome to the call."),
            "kind": "transcript",
            "published_at": "2026-03-03T17:00:00-05:00",
            "where_published": "https://investors.example.com/events/call",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "call" and body["text"] == "Operator: welcome to the call."
    assert body["published_at"] == "2026-03-03T22:00:00Z"
    naive = api.post(
        API,
        {
            "file": upload("a.txt", "x"),
            "kind": "transcript",
            "published_at": "2026-03-03T17:00",
            "where_published": "x",
        },
        format="multipart",
    )
    assert "published_at" in api_error(naive, 400)["fields"]
    bad = api.post(
        API,
        {
            "file": upload("a.txt", b""),
            "kind": "transcript",
            "published_at": "2026-03-03T17:00Z",
            "where_published": "x",
        },
        format="multipart",
    )
    assert api_error(bad, 400)["fields"]
    assert api.post(f"{API}{body['id']}/void/", {"reason": "Duplicate"}, format="json").status_code == 200
    assert api.post(f"{API}{body['id']}/void/", {"reason": "Again"}, format="json").status_code == 400
    assert api.get(API).json()["results"] == []
    assert (
        api_for(users["auditor"]).post(f"{API}{body['id']}/void/", {"reason": "x"}, format="json").status_code
        == 403
    )


def test_the_api_attaches_lists_and_removes_evidence_and_counsel_cites_it(
    users, guidance_incident, statement
):
    counsel = api_for(users["counsel"])
    response = counsel.post(
        EVIDENCE_API,
        {"incident": guidance_incident.pk, "statement": statement.pk, "note": "Same cut"},
        format="json",
    )
    assert response.status_code == 201, response.content
    evidence = response.json()
    assert (
        evidence["published_before_disclosure"] is True
        and evidence["incident_reference"] == guidance_incident.reference
    )
    listed = counsel.get(EVIDENCE_API, {"incident": guidance_incident.pk}).json()["results"]
    assert [row["id"] for row in listed] == [evidence["id"]]

    concluded = counsel.post(
        f"/api/regfd/incidents/{guidance_incident.pk}/conclude/",
        {
            "counsel_conclusion": "already_public",
            "counsel_rationale": "In the release.",
            "counsel_cited_statements": [statement.pk],
        },
        format="json",
    )
    assert concluded.status_code == 200, concluded.content
    assert concluded.json()["counsel_cited_statements"] == [statement.pk]
    assert counsel.get(f"/api/regfd/incidents/{guidance_incident.pk}/").json()[
        "counsel_cited_statements"
    ] == [statement.pk]

    refused = counsel.post(f"{EVIDENCE_API}{evidence['id']}/void/", {"reason": "Mistake"}, format="json")
    assert "cites this statement" in api_error(refused, 400)["message"]


def test_the_api_attaches_only_to_an_incident_the_caller_may_see_and_only_for_keepers(
    users, incident, statement
):
    assert (
        api_for(users["auditor"])
        .post(EVIDENCE_API, {"incident": incident.pk, "statement": statement.pk}, format="json")
        .status_code
        == 403
    )
    assert api_for(users["employee"]).get(EVIDENCE_API).status_code == 403
    missing = api_for(users["secretary"]).post(
        EVIDENCE_API, {"incident": 999999, "statement": statement.pk}, format="json"
    )
    assert "incident" in api_error(missing, 400)["fields"]


# ---- Queries: the same whatever the number of rows ---------------------------------------------------------


def _count(client, url, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _grow(users, incident, n):
    for i in range(n):
        person = users["secretary"] if i % 2 else users["counsel"]
        statement = add_statement(
            person, title=f"Release {i}", text=f"Guidance would be lowered, release {i}."
        )
        attach_public_statement(actor=person, now=timezone.now(), incident=incident, statement=statement)


@pytest.mark.parametrize(
    "who, url, params",
    [
        ("secretary", LIST, {}),
        ("secretary", LIST, {"q": "guidance lowered"}),
        ("admin", API, {"q": "guidance lowered"}),
        ("admin", EVIDENCE_API, {}),
        ("counsel", "incident", {}),
        ("counsel", "search", {"q": "guidance"}),
    ],
)
def test_lists_cost_the_same_number_of_queries_whatever_their_length(
    users, guidance_incident, who, url, params
):
    url = {
        "incident": detail(guidance_incident),
        "search": reverse("regfd:incident-statements", args=[guidance_incident.pk]),
    }.get(url, url)
    client = api_for(users[who]) if url.startswith("/api/") else client_for(users[who])
    _grow(users, guidance_incident, 2)
    few = _count(client, url, params)
    _grow(users, guidance_incident, 10)
    assert _count(client, url, params) == few


def test_citing_a_statement_not_attached_is_refused_under_the_fields_own_name(
    users, guidance_incident, statement
):
    """The service names its own keyword (cited_statements); the API's field is counsel_cited_statements, and
    a client matches an error to the field it sent."""
    refused = api_for(users["counsel"]).post(
        f"/api/regfd/incidents/{guidance_incident.pk}/conclude/",
        {
            "counsel_conclusion": "already_public",
            "counsel_rationale": "In the release.",
            "counsel_cited_statements": [statement.pk],
        },
        format="json",
    )
    fields = api_error(refused, 400)["fields"]
    assert (
        list(fields) == ["counsel_cited_statements"] and "Attach it" in fields["counsel_cited_statements"][0]
    )
