"""Finding 7: "9 MB of incident text is accepted". Long texts have limits (compliance_site/lib/limits.py):
an oversized narrative is refused on the page (a form error on the field), over the API (a 400 naming the
field) and by the service itself (so an import or a scenario file is bounded too), and nothing is written;
a text exactly at the limit is accepted."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from clawback.models import Restatement
from clawback.services import records as clawback_records
from compliance_site.lib.limits import EXPLANATION, NARRATIVE, TEXT_LIMITS
from regfd.models import Incident
from tests.clients import api_error, api_for, client_for, post_json
from tests.factories import report_incident

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
INCIDENTS = "/api/regfd/incidents/"
TOO_LONG = "x" * (NARRATIVE + 1)
AT_LIMIT = "x" * NARRATIVE


def _incident_input(**overrides) -> dict:
    return {
        "title": "Margin comment",
        "disclosed_by": "CFO",
        "recipient_name": "Priya",
        "recipient_category": "institutional_investor",
        "information": "Margins below guidance.",
        "disclosed_at": "2026-03-03T13:00:00-05:00",
        "learned_at": "2026-03-03T14:00:00-05:00",
        "learned_by": "General Counsel",
        **overrides,
    }


def _report_page(client, **overrides):
    data = {
        **_incident_input(disclosed_at="2026-03-03T13:00", learned_at="2026-03-03T14:00"),
        "time_zone": "America/New_York",
        **overrides,
    }
    return client.post(reverse("regfd:incident-report"), data)


def _open(actor, **details):
    return report_incident(
        actor,
        disclosed_at=datetime(2026, 3, 3, 13, 0, tzinfo=ET),
        learned_at=datetime(2026, 3, 3, 14, 0, tzinfo=ET),
        **details,
    )


# --- Reg FD -----------------------------------------------------------------------------------------------


def test_the_api_refuses_oversized_incident_information_and_writes_nothing(users):
    error = api_error(
        post_json(api_for(users["employee"]), INCIDENTS, _incident_input(information=TOO_LONG)), 400
    )
    assert "information" in error["fields"]
    assert "at most 20,000 characters" in " ".join(error["fields"]["information"])
    assert not Incident.objects.exists()


def test_the_api_accepts_incident_information_at_the_limit(users):
    response = post_json(api_for(users["employee"]), INCIDENTS, _incident_input(information=AT_LIMIT))
    assert response.status_code == 201, response.content[:500]
    assert len(Incident.objects.get().information) == NARRATIVE


def test_the_report_page_refuses_oversized_information_on_the_field(users):
    response = _report_page(client_for(users["employee"]), information=TOO_LONG)
    assert response.status_code == 400
    [message] = response.context["form"].errors["information"]
    assert "at most 20,000 characters (it has 20001)" in message
    assert not Incident.objects.exists()


def test_the_report_form_tells_the_browser_the_limit(users):
    html = client_for(users["employee"]).get(reverse("regfd:incident-report")).content.decode()
    assert f'maxlength="{NARRATIVE}"' in html


def test_the_service_refuses_oversized_information_whoever_calls_it(users):
    with pytest.raises(ValidationError) as refused:
        _open(users["employee"], information=TOO_LONG)
    assert "information" in refused.value.message_dict
    assert not Incident.objects.exists()
    assert len(_open(users["employee"], information=AT_LIMIT).information) == NARRATIVE


@pytest.mark.parametrize(
    ("step", "field", "data"),
    [
        ("assess-materiality", "materiality_assessment", {"material_categories": []}),
        ("conclude", "counsel_rationale", {"counsel_conclusion": "not_material"}),
        ("claim-exclusion", "evidence", {"kind": "duty_of_trust"}),
        ("close-not-required", "reason", {}),
    ],
)
def test_the_incident_steps_refuse_oversized_narratives_over_the_api(users, step, field, data):
    incident = _open(users["employee"])
    actor = users["counsel"] if step == "conclude" else users["secretary"]
    limit = TEXT_LIMITS[field]
    url = f"{INCIDENTS}{incident.pk}/{step}/"
    error = api_error(post_json(api_for(actor), url, {**data, field: "x" * (limit + 1)}), 400)
    assert field in error["fields"], error
    fresh = Incident.objects.get(pk=incident.pk)
    assert (fresh.materiality_assessment, fresh.counsel_rationale, fresh.closed_reason) == ("", "", "")
    assert not fresh.exclusions.exists()


def test_the_materiality_page_refuses_an_oversized_assessment(users):
    incident = _open(users["employee"])
    response = client_for(users["secretary"]).post(
        reverse("regfd:incident-assess-materiality", args=[incident.pk]),
        {"material_categories": ["earnings"], "materiality_assessment": TOO_LONG},
    )
    assert response.status_code == 400
    assert response.context["materiality_form"].errors["materiality_assessment"]
    assert Incident.objects.get(pk=incident.pk).materiality_assessment == ""


# --- Clawback ---------------------------------------------------------------------------------------------


def test_the_restatement_page_refuses_an_oversized_description(users, company):
    response = client_for(users["secretary"]).post(
        reverse("clawback:restatement-create"),
        {"title": "FY2025 restatement", "kind": "big_r", "administering_body": "committee",
         "description": TOO_LONG},
    )  # fmt: skip
    assert response.status_code in (200, 400)
    assert "description" in response.context["form"].errors
    assert not Restatement.objects.exists()


def test_the_clawback_service_refuses_an_oversized_description(users, company):
    def record(description):
        return clawback_records.record_restatement(
            actor=users["secretary"],
            company=company,
            title="FY2025 restatement",
            kind="big_r",
            today=date(2026, 6, 1),
            description=description,
        )

    with pytest.raises(ValidationError) as refused:
        record(TOO_LONG)
    assert "description" in refused.value.message_dict
    assert not Restatement.objects.exists()
    assert len(record(AT_LIMIT).description) == NARRATIVE


# --- The table --------------------------------------------------------------------------------------------


def _is_history_copy(model) -> bool:
    # The row-history tables (pgh_*) are written by database triggers from rows already checked.
    return any(field.name.startswith("pgh_") for field in model._meta.local_fields)


def test_every_free_text_of_both_programs_has_a_limit():
    from django.apps import apps

    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in ("clawback", "regfd")
        for model in apps.get_app_config(app).get_models()
        if not _is_history_copy(model)
        for field in model._meta.local_fields
        if isinstance(field, models.TextField) and not field.max_length and field.name not in TEXT_LIMITS
    ]
    assert unbounded == []
    assert EXPLANATION < NARRATIVE
