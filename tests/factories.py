"""factory_boy factories for the records tests need; named personas live in conftest.py."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from clawback.models import Award, Executive, Measure, OfficerPeriod, Restatement
from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.company.models import Company, FiscalPeriod, PolicyVersion
from compliance_site.company.services import add_policy_version
from regfd.models import Incident
from regfd.services import open_incident


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleAssignment.objects.get_or_create(user=self, role=role)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = "Example Corp"
    ticker = "EXC"


class ExecutiveFactory(factory.django.DjangoModelFactory):
    company = factory.SubFactory(CompanyFactory)
    key = factory.Sequence(lambda n: f"exec-{n}")
    name = factory.Faker("name")

    class Meta:
        model = Executive
        skip_postgeneration_save = True

    @factory.post_generation
    def serving(self, create, extracted, **kwargs):
        if create:
            OfficerPeriod.objects.create(executive=self, start=date(2015, 1, 1))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    company = factory.SubFactory(CompanyFactory)
    key = factory.Sequence(lambda n: f"measure-{n}")
    name = "Net income"
    category = Measure.Category.NET_INCOME


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    executive = factory.SubFactory(ExecutiveFactory)
    key = factory.Sequence(lambda n: f"award-{n}")
    award_type = Award.Type.CASH_BONUS
    basis = Award.Basis.FINANCIAL_REPORTING_MEASURE
    performance_start = date(2024, 1, 1)
    performance_end = date(2024, 12, 31)
    unit = Award.Unit.USD
    received = Decimal("100000")


class RestatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restatement

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Restatement {n}")
    kind = Restatement.Kind.BIG_R


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident with its deadline stored as the service would; use regfd.services.open_incident when the
    deadline computation itself is under test."""

    class Meta:
        model = Incident

    reference = factory.Sequence(lambda n: f"FD-TEST-{n:04d}")
    title = "Guidance comment"
    disclosed_by = "VP Investor Relations"
    recipient_name = "An Analyst"
    recipient_category = Incident.RecipientCategory.ANALYST
    information = "Margins"
    disclosed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    learned_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    learned_by = "Corporate Secretary"
    outer_limit = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=23))
    policy_target = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=23))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=23))
    calendar_version = "nyse-test"
    rule_version = "regfd-deadline/1"


def add_fiscal_years(company, years):
    """Calendar fiscal years FY<year> (1 January to 31 December) for `company`, which is returned."""
    for year in years:
        FiscalPeriod.objects.create(
            company=company, label=f"FY{year}", start=date(year, 1, 1), end=date(year, 12, 31)
        )
    return company


# The Reg FD incident most tests report: a CFO's call with an analyst.
ANALYST_CALL = {
    "title": "CFO call with analyst",
    "disclosed_by": "Chief Financial Officer",
    "recipient_name": "Ann Analyst",
    "recipient_firm": "Example Securities",
    "recipient_category": "analyst",
    "information": "Quarterly revenue guidance ahead of the earnings release.",
    "learned_by": "General Counsel",
}


def report_incident(actor, *, disclosed_at, learned_at, now=None, **details) -> Incident:
    """An incident opened through the service, as `actor` reports it at `now` (the clock by default): the
    analyst call above unless `details` say otherwise."""
    return open_incident(
        actor=actor,
        now=now or timezone.now(),
        disclosed_at=disclosed_at,
        learned_at=learned_at,
        **(ANALYST_CALL | details),
    )


def policy_version(
    actor, *, kind="regfd", version="1", effective_date=date(2025, 1, 1), **details
) -> PolicyVersion:
    """A policy version recorded through the service (a draft unless `details` give approved_on)."""
    fields = {"title": "Reg FD policy" if kind == "regfd" else "Clawback policy", "text": "Policy text."}
    return add_policy_version(
        actor=actor, kind=kind, version=version, effective_date=effective_date, **(fields | details)
    )
