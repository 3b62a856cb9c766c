"""The employee's "Report a disclosure" page in plain words (policy I.B, II.I): questions instead of "T0" and
"senior official", each help text tied to its field by aria-describedby, and a confirmation that names who
was notified and says what happens next."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from regfd.forms.incidents import IncidentReportForm
from regfd.models import Incident
from regfd.views.incidents import report_confirmation
from tests.clients import client_for
from tests.factories import IncidentFactory

JARGON = re.compile(r"\bT0\b|senior official", re.IGNORECASE)


def _texts(form):
    for name, field in form.fields.items():
        yield name, str(field.label or "")
        yield name, str(field.help_text or "")


def test_the_report_form_asks_questions_without_jargon():
    form = IncidentReportForm()
    assert [(name, text) for name, text in _texts(form) if JARGON.search(text)] == []
    assert form.fields["learned_at"].label == (
        "When did you realise the information might be material and nonpublic?"
    )
    assert (
        "Corporate Secretary or an authorized officer (the CEO or CFO)" in form.fields["learned_at"].help_text
    )
    assert "Corporate Secretary or authorized officer" in form.fields["learned_by"].help_text


def test_every_question_has_a_help_text():
    form = IncidentReportForm()
    assert [name for name, field in form.fields.items() if not field.help_text] == []


@pytest.mark.django_db
def test_each_help_text_is_tied_to_its_field_by_aria_describedby(users):
    response = client_for(users["employee"]).get(reverse("regfd:incident-report"))
    html = response.content.decode()
    assert not JARGON.search(html)
    form = response.context["form"]
    for field in form.visible_fields():
        help_id = f"{field.auto_id}_helptext"
        tag = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{field.auto_id}"[^>]*>', html)
        assert tag, field.name
        described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
        assert described and help_id in described.group(1).split(), field.name
        assert f'id="{help_id}"' in html, field.name
    assert 'id="id_learned_at_help"' not in html  # the old id nobody pointed at


def _report(client, **overrides):
    data = {
        "title": "Margin comment",
        "disclosed_by": "Me",
        "recipient_name": "Priya",
        "recipient_category": "institutional_investor",
        "information": "Margins below guidance.",
        "disclosed_at": "2026-03-03T13:00",
        "learned_at": "2026-03-03T14:00",
        "learned_by": "Me",
        "time_zone": "America/New_York",
        **overrides,
    }
    return client.post(reverse("regfd:incident-report"), data)


@pytest.mark.django_db
def test_the_confirmation_names_the_corporate_secretary_and_what_happens_next(users):
    secretary = users["secretary"]
    response = _report(client_for(users["employee"]))
    assert response.status_code == 302
    incident = Incident.objects.get()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"The Corporate Secretary, {secretary.get_full_name()}, has been notified" in message
    assert incident.reference in message
    assert "2026-03-04 14:00 EST" in message  # the working deadline, T0 + 24 h, in ET
    assert "the Corporate Secretary makes it public" in message
    assert "authorized officers (the CEO and CFO) and counsel are alerted" in message
    assert not JARGON.search(message)


@pytest.mark.django_db
def test_the_confirmation_says_whom_to_tell_when_no_secretary_is_set_up():
    incident = IncidentFactory()
    with timezone.override(UTC):
        message = report_confirmation(incident, notified=[])
    assert "No Corporate Secretary is set up" in message
    assert "tell the Corporate Secretary or an authorized officer (the CEO or CFO) directly" in message


@pytest.mark.django_db
def test_an_intentional_disclosure_is_acted_on_at_once(users):
    incident = IncidentFactory(
        intentional=True,
        disclosed_at=datetime(2026, 3, 3, 18, 0, tzinfo=UTC),
        learned_at=datetime(2026, 3, 3, 19, 0, tzinfo=UTC),
    )
    message = report_confirmation(incident, notified=[users["secretary"], users["admin"]])
    names = f"{users['secretary'].get_full_name()} and {users['admin'].get_full_name()}"
    assert f"The Corporate Secretary, {names}, have been notified" in message
    assert "it had to be made public at the same time" in message
    assert "acts at once" in message
