"""The walled case of finding 1: worked example 2 under review (the CEO and the EVP covered), committee2
recused from it, and a Corporate Secretary who is the CEO (covered by the case, holding clawback.manage)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from clawback.models import Award, Executive, Measure, Restatement
from clawback.services import determinations as workflow
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from tests.clawback.workflow_setup import NOW, record_tsr_estimate, reviewed_example_2
from tests.factories import UserFactory


@dataclass
class Walled:
    case: Restatement
    users: dict

    def executive(self, key: str) -> Executive:
        return Executive.objects.get(company=self.case.company, key=key)

    def award(self, key: str) -> Award:
        return Award.objects.get(company=self.case.company, key=key)

    def measure(self, key: str) -> Measure:
        return Measure.objects.get(company=self.case.company, key=key)


@pytest.fixture(autouse=True)
def _no_second_factor_setup(settings):
    # These tests are about the walls, not the second factor (tests of their own cover it).
    settings.MFA_REQUIRED = False


@pytest.fixture
def walled(users):
    case = reviewed_example_2(users)  # committee2 recused
    # The Corporate Secretary who is also the CEO: covered by the case, yet holds clawback.manage.
    covered = UserFactory(username="ceo-secretary", roles=[Role.SECRETARY])
    ceo = Executive.objects.get(company=case.company, key="ceo")
    ceo.user = covered
    ceo.save()
    record_tsr_estimate(case, users["committee"])
    case.refresh_from_db()
    users = {**users, "recused": users["committee2"], "covered": covered}
    return Walled(case=case, users=users)


def audit_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def executives_of_live_determination(case: Restatement) -> set[str]:
    live = workflow.live_determination(case)
    return {x["id"] for x in live.inputs["executives"]}


def assert_every_executive_determined(case: Restatement) -> None:
    """The finding's consequence: the next determination silently dropped an executive."""
    workflow.ensure_approval_current(case, actor=None, now=NOW)
    assert executives_of_live_determination(case) == {"ceo", "evp"}
    assert set(case.covered_executives.values_list("key", flat=True)) == {"ceo", "evp"}


AMOUNT = Decimal("1")
