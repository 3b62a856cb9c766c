"""factory_boy factories for the records tests need; named personas live in conftest.py."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from clawback.models import Award, Executive, Measure, OfficerPeriod, Restatement
from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.company.models import Company
from regfd.models import Incident


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
