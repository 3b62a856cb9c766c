"""Finding 1, through the API and the pages: a walled user's change of a case's input is a 403 saying why
(the API's error format; the page with the reason), never a 500, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clawback.models import Executive, RestatedValue
from clawback.services import determinations as workflow
from clawback.services.walls import WALLED
from tests.case_walls.conftest import assert_every_executive_determined, audit_seq
from tests.clients import api_error, api_for, client_for, post_json

pytestmark = pytest.mark.django_db
API = "/api/clawback"


def _api_changes(w):
    case, evp = w.case, w.executive("evp")
    event = case.events.first()
    period = evp.officer_periods.first()
    measure = w.measure("operating_income")
    bonus = w.award("evp-fy2025-bonus")
    values = [
        {"id": v.pk, "period_label": v.period_label, "original": "1", "source": v.source}
        for v in measure.values.all()
    ]
    return {
        "drop a covered executive": (
            f"{API}/restatements/{case.pk}/update/",
            {"title": case.title, "kind": case.kind, "covered_executives": [w.executive("ceo").pk]},
        ),
        "add an event": (
            f"{API}/restatements/{case.pk}/events/",
            {"kind": "board_concluded", "date": "2025-01-10"},
        ),
        "move an event": (
            f"{API}/restatements/{case.pk}/events/{event.pk}/update/",
            {"kind": "board_concluded", "date": "2025-01-10"},
        ),
        "void an event": (f"{API}/restatements/{case.pk}/events/{event.pk}/void/", {"reason": "wrong"}),
        "set a restated value": (
            f"{API}/restatements/{case.pk}/restated-values/",
            [{"measure": measure.pk, "period_label": "FY2025", "restated": "1"}],
        ),
        "change an officer period": (
            f"{API}/executives/{evp.pk}/update/",
            {
                "key": "evp",
                "name": evp.name,
                "officer_periods": [{"id": period.pk, "start": str(period.start), "end": "2020-01-01"}],
            },
        ),
        "void an officer period": (
            f"{API}/executives/{evp.pk}/officer-periods/{period.pk}/void/",
            {"reason": "wrong"},
        ),
        "change a measure value": (
            f"{API}/measures/{measure.pk}/update/",
            {"key": measure.key, "name": measure.name, "category": measure.category, "values": values},
        ),
        "void an award": (f"{API}/awards/{bonus.pk}/void/", {"reason": "wrong"}),
        "record an amount already recovered": (
            f"{API}/awards/{bonus.pk}/credits/",
            {"amount": "1000", "recovered_on": "2026-12-01", "source": "sox_304", "reference": "SEC order"},
        ),
    }


CASE_ENDPOINTS = {
    "drop a covered executive",
    "add an event",
    "move an event",
    "void an event",
    "set a restated value",
}


@pytest.mark.parametrize("who", ["recused", "covered"])
@pytest.mark.parametrize(
    "change",
    [
        "drop a covered executive",
        "add an event",
        "move an event",
        "void an event",
        "set a restated value",
        "change an officer period",
        "void an officer period",
        "change a measure value",
        "void an award",
        "record an amount already recovered",
    ],
)
def test_the_api_refuses_a_walled_users_change_with_a_403_saying_why(walled, who, change):
    url, data = _api_changes(walled)[change]
    before = audit_seq()
    determination = workflow.live_determination(walled.case)
    response = post_json(api_for(walled.users[who]), url, data)
    if who == "covered" and change in CASE_ENDPOINTS:
        # The case about their own pay is not even there for them.
        api_error(response, 404)
    else:
        assert api_error(response, 403)["message"] == WALLED
    assert audit_seq() == before
    assert workflow.live_determination(walled.case) == determination
    assert_every_executive_determined(walled.case)


def test_the_api_still_takes_a_participating_members_change(walled):
    url, data = _api_changes(walled)["add an event"]
    response = post_json(api_for(walled.users["secretary"]), url, data)
    assert response.status_code == 201, response.content


def _page_urls(w):
    case = w.case
    event = case.events.first()
    restated = RestatedValue.objects.filter(restatement=case).first()
    evp, bonus = w.executive("evp"), w.award("evp-fy2025-bonus")
    return {
        "edit the case": (
            reverse("clawback:restatement-edit", args=[case.pk]),
            {
                "title": case.title,
                "kind": case.kind,
                "covered_executives": [w.executive("ceo").pk],
                "administering_body": case.administering_body,
                "policy_version": case.policy_version_id or "",
            },
        ),
        "add an event": (
            reverse("clawback:restatement-event-add", args=[case.pk]),
            {"kind": "board_concluded", "date": "2025-01-10"},
        ),
        "move an event": (
            reverse("clawback:restatement-event-edit", args=[case.pk, event.pk]),
            {"kind": "board_concluded", "date": "2025-01-10"},
        ),
        "void an event": (reverse("clawback:void", args=["event", event.pk]), {"reason": "wrong"}),
        "void a restated value": (
            reverse("clawback:void", args=["restated-value", restated.pk]),
            {"reason": "wrong"},
        ),
        "restated values": (reverse("clawback:restatement-restated-values", args=[case.pk]), {}),
        "edit an executive": (reverse("clawback:executive-edit", args=[evp.pk]), {"key": "evp", "name": "X"}),
        "void an award": (reverse("clawback:void", args=["award", bonus.pk]), {"reason": "wrong"}),
        "record an amount already recovered": (
            reverse("clawback:award-credit-add", args=[bonus.pk]),
            {"amount": "1000", "recovered_on": "2026-12-01", "source": "sox_304", "reference": "SEC order"},
        ),
    }


CASE_PAGES = {
    "edit the case",
    "add an event",
    "move an event",
    "void an event",
    "void a restated value",
    "restated values",
}


@pytest.mark.parametrize("who", ["recused", "covered"])
@pytest.mark.parametrize(
    "screen",
    [
        "edit the case",
        "add an event",
        "move an event",
        "void an event",
        "void a restated value",
        "restated values",
        "edit an executive",
        "void an award",
        "record an amount already recovered",
    ],
)
def test_the_pages_refuse_a_walled_users_change_with_a_403_saying_why(walled, who, screen):
    url, data = _page_urls(walled)[screen]
    client = client_for(walled.users[who])
    before = audit_seq()
    for response in (client.get(url), client.post(url, data)):
        if who == "covered" and screen in CASE_PAGES:
            assert response.status_code == 404
        else:
            assert response.status_code == 403, response.content.decode()[:500]
            assert "you are recused from a case this record is an input of" in response.content.decode()
    assert audit_seq() == before
    assert_every_executive_determined(walled.case)


@pytest.mark.parametrize("who", ["recused", "covered"])
def test_an_import_by_a_walled_user_is_refused_as_a_whole(walled, who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evp = walled.executive("evp")
    # A new executive first, then one the case covers: the whole file is refused, the new one not kept.
    content = b"key,name,officer_start\ncto,Casey Lin,2019-01-01\nevp,Someone Else,2018-01-01\n"
    url = reverse("clawback:import-records", args=["executives"])
    before = audit_seq()
    for action in ("check", "import"):
        upload = SimpleUploadedFile("executives.csv", content, content_type="text/csv")
        response = client_for(walled.users[who]).post(url, {"file": upload, "action": action})
        assert response.status_code == 403
        assert "you are recused from a case this record is an input of" in response.content.decode()
    assert audit_seq() == before
    assert not Executive.objects.filter(company=walled.case.company, key="cto").exists()
    evp.refresh_from_db()
    assert evp.name != "Someone Else"
    assert_every_executive_determined(walled.case)
