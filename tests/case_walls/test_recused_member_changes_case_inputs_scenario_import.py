"""Finding 1, by a scenario file: importing a file as a new draft case reuses the company's records; a new
award of an executive a case covers, or a new value of a measure a case reads, changes that case, so the
file is refused to someone walled from it (nothing written); and nobody opens a case about their own pay."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from clawback.models import Award, Restatement
from clawback.services.imports import import_scenario_file
from tests.case_walls.conftest import assert_every_executive_determined, audit_seq
from tests.clawback.compare import example_path
from tests.clawback.workflow_setup import NOW

pytestmark = pytest.mark.django_db


def _file(*, new_award: bool) -> str:
    data = json.loads(example_path(2).read_text())
    if new_award:
        data["awards"] = [a for a in data["awards"] if a["executive"] == "evp"]
        data["awards"][0] = data["awards"][0] | {"id": "evp-fy2024-bonus", "measure_period": "FY2024"}
        data["awards"][0]["performance_period"] = {"start": "2023-10-01", "end": "2024-09-30"}
        data["executives"] = [x for x in data["executives"] if x["id"] == "evp"]
    return json.dumps(data)


@pytest.mark.parametrize("who", ["recused", "covered"])
def test_a_scenario_adding_an_award_to_a_walled_case_is_refused(walled, who):
    before, cases = audit_seq(), Restatement.objects.count()
    with pytest.raises(PermissionDenied):
        import_scenario_file(
            actor=walled.users[who],
            company=walled.case.company,
            text=_file(new_award=True),
            title="Again",
            now=NOW,
        )
    assert audit_seq() == before and Restatement.objects.count() == cases
    assert not Award.objects.filter(key="evp-fy2024-bonus").exists()
    assert_every_executive_determined(walled.case)


def test_a_covered_executive_cannot_open_a_case_about_their_own_pay_from_a_file(walled):
    with pytest.raises(PermissionDenied):
        import_scenario_file(
            actor=walled.users["covered"],
            company=walled.case.company,
            text=_file(new_award=False),
            title="Mine",
            now=NOW,
        )


def test_a_participating_member_imports_the_same_file(walled):
    case = import_scenario_file(
        actor=walled.users["secretary"],
        company=walled.case.company,
        text=_file(new_award=True),
        title="Again",
        now=NOW,
    )
    assert Award.objects.filter(key="evp-fy2024-bonus").exists() and case.status == Restatement.Status.DRAFT
