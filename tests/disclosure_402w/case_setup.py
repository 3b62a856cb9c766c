"""Shared set-up for the Item 402(w) finding's tests: worked example 2 approved on 2026-12-10 and in
recovery (the CEO, Morgan Reyes, owes $325,000.00: a $75,000.00 bonus and 4,000 PSU shares valued at $62.50
each, $250,000.00; the EVP owes $120,000.00), with the CEO and the EVP named executive officers for FY2027
(2026-10-01 to 2027-09-30, 294 days after the approval)."""

from datetime import date

from clawback.models import Executive, NamedExecutiveYear
from clawback.services.disclosure import disclosure_for
from compliance_site.accounts.roles import Role
from compliance_site.company.models import FiscalPeriod
from tests.clawback.workflow_setup import in_recovery
from tests.factories import UserFactory

FILED = date(2027, 11, 15)


def case_in_recovery(users):
    case = in_recovery(users)
    for key in ("ceo", "evp"):
        NamedExecutiveYear.objects.create(
            executive=Executive.objects.get(company=case.company, key=key), fiscal_year="FY2027"
        )
    return case


def fy2027(case) -> FiscalPeriod:
    return FiscalPeriod.objects.get(company=case.company, label="FY2027")


def report_for(case, user):
    return disclosure_for(user=user, fiscal_period=fy2027(case), prepared_on=FILED)


def wall_off(case, key: str = "ceo"):
    """A director who is also the covered executive `key` of `case`: walled off from the case about their
    own pay, though their role may read clawback cases."""
    director = UserFactory(username=f"{key}-director", roles=[Role.BOARD])
    Executive.objects.filter(company=case.company, key=key).update(user=director)
    return director
