"""The clawback demo data (`clawback.demo.load_clawback_demo`, called by `compliance_site.demo.load_demo`):
a second case walked through the workflow by the services, with figures every page can show."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from clawback.demo import TITLE, load_clawback_demo
from clawback.models import Restatement
from clawback.selectors import acknowledgement_report
from clawback.services import determinations as workflow
from clawback.services.disclosure import disclosure_for
from clawback.services.recovery import claim_position_of
from compliance_site.company.models import Company, FiscalPeriod, PolicyVersion
from compliance_site.demo import load_demo

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@pytest.fixture
def demo():
    users = load_demo(now=NOW)
    return Company.objects.order_by("id").first(), users


def test_the_demo_case_is_in_recovery_with_every_kind_of_figure(demo):
    company, users = demo
    case = Restatement.objects.get(title=TITLE)  # made by load_demo
    assert case.title == TITLE and case.status == Restatement.Status.RECOVERY
    assert case.policy_version is not None
    assert workflow.approved_determination(case).result["totals"]["excess_usd"] == "445000.00"
    positions = {c.executive.key: claim_position_of(c, as_of=date(2026, 12, 31)) for c in case.claims.all()}
    assert (positions["dwhitfield"].outstanding, positions["dwhitfield"].disclosable_180) == (
        Decimal("75000.00"),
        True,
    )
    assert (positions["rcosta"].recovered, positions["rcosta"].forgone) == (
        Decimal("60000.00"),
        Decimal("20000.00"),
    )

    fy2026 = FiscalPeriod.objects.get(company=company, label="FY2026")
    report = disclosure_for(user=users["auditor"], fiscal_period=fy2026, prepared_on=date(2027, 2, 15))
    (demo_case,) = [c for c in report.cases if c.title == TITLE]
    assert [(o.name, o.amount, o.days_outstanding) for o in demo_case.outstanding_180_by_neo] == [
        ("Dana Whitfield", Decimal("75000.00"), 213)
    ]
    assert demo_case.forgone_others == Decimal("20000.00")

    policy = PolicyVersion.objects.get(kind="clawback", version="1.0")
    missing = {s.executive.key for s in acknowledgement_report(users["auditor"], policy) if s.missing}
    assert missing == {"cfo", "rcosta"}


def test_the_demo_case_is_loaded_once(demo):
    company, users = demo
    first = Restatement.objects.get(title=TITLE)
    assert load_clawback_demo(company=company, users=users, now=NOW) == first
    load_demo(now=NOW)
    assert Restatement.objects.filter(title=TITLE).count() == 1
    assert first.claims.get(executive__key="rcosta").events.count() == 1


def test_nothing_is_created_with_a_clock_before_the_demo_dates(db):
    early = datetime(2026, 8, 1, tzinfo=UTC)
    users = load_demo(now=early)
    assert Restatement.objects.exists()  # the first demo case does not depend on the clock
    assert not Restatement.objects.filter(title=TITLE).exists()
    company = Company.objects.order_by("id").first()
    assert load_clawback_demo(company=company, users=users, now=early) is None
