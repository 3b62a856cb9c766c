"""The incident steps that close it or conclude on it ask first, in plain words: recording the public
disclosure, closing it as not required, counsel's conclusion. Without confirmed=1 a valid form gets the
confirmation page (200) and nothing changes; its button posts the same values back and the step happens."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance_site.audit.models import AuditEvent
from compliance_site.lib.timefmt import EXCHANGE_TZ, label
from regfd import services
from regfd.models import Incident
from tests.clawback.test_confirmations import CONFIRM_TEMPLATE, assert_confirmation_page, press_confirm
from tests.clients import client_for
from tests.regfd.incident_setup import action, detail

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


def state(incident) -> tuple:
    incident.refresh_from_db()
    return (
        incident.status,
        incident.outcome,
        incident.public_disclosure_at,
        incident.closed_reason,
        incident.counsel_conclusion,
        incident.counsel_concluded_at,
        AuditEvent.objects.count(),
    )


def _made_public():
    return timezone.now().astimezone(EXCHANGE_TZ).replace(second=0, microsecond=0)


@dataclass(frozen=True)
class Step:
    name: str
    who: str
    data: object  # () -> POST data
    action_label: str
    statement: object  # (incident, data) -> the text expected
    after: object  # incident -> None


STEPS = {
    "record disclosure": Step(
        "record-disclosure",
        "secretary",
        lambda: {
            "disclosed_at": _made_public().strftime(LOCAL),
            "time_zone": "America/New_York",
            "method": "press_release",
            "reference": "Business Wire 20261122-0042",
        },
        "Record public disclosure",
        lambda incident, data: (
            f"Recording the public disclosure closes incident {incident.reference} as disclosed on time: made "
            f"public {data['disclosed_at'].replace('T', ' ')} "
            f"{_made_public().tzname()} by Press release via wire service (reference Business Wire "
            f"20261122-0042), against the working deadline of {label(incident.due_at, EXCHANGE_TZ)}. The "
            "deadline countdown stops and the incident's other actions are no longer offered."
        ),
        lambda incident: (
            incident.status == Incident.Status.DISCLOSED and incident.outcome == Incident.Outcome.ON_TIME
        ),
    ),
    "close as not required": Step(
        "close",
        "secretary",
        lambda: {"reason": "Already public in the 10-Q"},
        "Close as not required",
        lambda incident, data: (
            f"Closing incident {incident.reference} as “public disclosure not required” ends it without a "
            "public disclosure. The reason is recorded with your name: “Already public in the 10-Q”."
        ),
        lambda incident: (
            incident.status == Incident.Status.NOT_REQUIRED
            and incident.closed_reason == "Already public in the 10-Q"
        ),
    ),
    "conclude": Step(
        "conclude",
        "counsel",
        lambda: {"conclusion": "not_material", "rationale": "Order book already in the 10-Q backlog note."},
        "Record conclusion",
        lambda incident, data: (
            f"Recording counsel's conclusion on incident {incident.reference}: “Not material”, with your name, "
            "the time and the rationale, in the incident's audit trail. The information is then no longer "
            "presumed material, whatever the assessment or a doubt recorded."
        ),
        lambda incident: (
            incident.counsel_conclusion == Incident.CounselConclusion.NOT_MATERIAL
            and incident.counsel_concluded_at is not None
        ),
    ),
}


@pytest.mark.parametrize("key", list(STEPS))
def test_a_step_asks_first_and_runs_only_when_confirmed(users, incident, key):
    step = STEPS[key]
    client = client_for(users[step.who])
    data = step.data()
    before = state(incident)

    asked = client.post(action(step.name, incident), data)

    page = assert_confirmation_page(
        asked, step.statement(incident, data), action_label=step.action_label, cancel=detail(incident)
    )
    assert state(incident) == before  # nothing changed, not even the audit trail
    assert page.action == action(step.name, incident)
    assert {name: values for name, values in page.data().items() if name in data} == {
        name: [value] for name, value in data.items()
    }

    done = press_confirm(client, asked)

    assert done.status_code == 302 and done["Location"] == detail(incident)
    assert state(incident)[-1] > before[-1]
    incident.refresh_from_db()
    assert step.after(incident)


def test_the_late_disclosure_is_called_late(users, incident):
    incident.due_at = timezone.now() - timedelta(minutes=30)
    incident.save(update_fields=["due_at"])
    response = client_for(users["secretary"]).post(
        action("record-disclosure", incident), STEPS["record disclosure"].data()
    )
    assert response.status_code == 200
    assert f"closes incident {incident.reference} as disclosed late:" in response.content.decode()


def test_closing_a_presumed_material_incident_says_so(users, incident):
    incident.in_doubt = True
    incident.save(update_fields=["in_doubt"])
    response = client_for(users["secretary"]).post(action("close", incident), {"reason": "Not material."})
    html = response.content.decode()
    assert "The reason is recorded with your name: “Not material.” Note: the information is presumed" in html


def test_a_new_conclusion_says_which_one_it_replaces(users, incident):
    services.conclude_materiality(
        actor=users["counsel"], now=timezone.now(), incident=incident, conclusion="material", rationale="Q4."
    )
    services.close_not_required(actor=users["secretary"], incident=incident, reason="Excluded.")
    # Counsel may conclude after the incident closed: still asked first.
    response = client_for(users["counsel"]).post(
        action("conclude", incident), {"conclusion": "already_public", "rationale": "In the 10-Q."}
    )
    assert response.status_code == 200
    assert "It replaces the conclusion “Material nonpublic information” recorded by" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("name", "who", "data", "form", "fields"),
    [
        ("record-disclosure", "secretary", {}, "disclosure_form", {"disclosed_at", "time_zone", "method"}),
        ("close", "secretary", {"reason": ""}, "close_form", {"reason"}),
        ("conclude", "counsel", {"conclusion": "pending"}, "conclusion_form", {"conclusion", "rationale"}),
    ],
)
def test_invalid_input_shows_every_field_error_and_no_confirmation(
    users, incident, name, who, data, form, fields
):
    before = state(incident)
    response = client_for(users[who]).post(action(name, incident), data)
    assert response.status_code == 400
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]
    assert fields <= set(response.context[form].errors)
    assert state(incident) == before


@pytest.mark.parametrize(
    ("offset", "message"),
    [(timedelta(hours=-5), "cannot precede the selective disclosure"), (timedelta(days=2), "in the future")],
)
def test_a_disclosure_time_that_cannot_be_on_time_or_late_is_refused_before_asking(
    users, incident, offset, message
):
    when = (incident.disclosed_at + offset).astimezone(EXCHANGE_TZ)
    response = client_for(users["secretary"]).post(
        action("record-disclosure", incident),
        {"disclosed_at": when.strftime(LOCAL), "time_zone": "America/New_York", "method": "press_release"},
    )
    assert response.status_code == 400
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]
    assert message in " ".join(response.context["disclosure_form"].errors["disclosed_at"])


@pytest.mark.parametrize("name", ["record-disclosure", "close"])
def test_a_closed_incident_is_refused_without_asking(users, incident, name):
    services.close_not_required(actor=users["secretary"], incident=incident, reason="Already public.")
    before = state(incident)
    data = STEPS["record disclosure"].data() if name == "record-disclosure" else {"reason": "Again"}
    response = client_for(users["secretary"]).post(action(name, incident), data)
    assert response.status_code == 400
    assert CONFIRM_TEMPLATE not in [t.name for t in response.templates]
    assert response.context["action_errors"] == ["This incident is already closed."]
    assert state(incident) == before


def test_the_page_no_longer_asks_in_javascript(users, incident):
    html = client_for(users["secretary"]).get(detail(incident)).content.decode()
    assert "Close as not required" in html and "return confirm(" not in html


def test_the_api_is_unchanged_calling_it_is_the_confirmation(users, incident):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["secretary"])
    response = client.post(
        reverse("regfd-api:incident-close-not-required", args=[incident.pk]), {"reason": "Excluded."}
    )
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert incident.status == Incident.Status.NOT_REQUIRED
