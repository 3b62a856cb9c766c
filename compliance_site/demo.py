"""Realistic demo data for `make run`: a company, its fiscal years, one user per role, and what each program
registers to load into them (docs/architecture.md): the clawback program's cases (`clawback.demo`), the Reg
FD program's incidents and policy records (`regfd.demo`).

Every record is made through the service that makes it in the app, with `now` set to when it happened, so
the demo obeys the same rules as real use. Safe to run twice: everything is looked up first.

A registry: each program registers its loader from its own `demo` module, imported by its
AppConfig.ready():

    @register_demo("clawback", order=10)
    def load_demo(*, company, users, now) -> None: ...

`load_demo` calls them by `order`, then name. Registering a name again replaces its loader.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.db import transaction

from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.accounts.roles import Role, needs_second_factor
from compliance_site.company.models import Company

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed for demo logins; refused in production)
# The second factor of every demo persona whose role needs one (compliance_site/accounts/mfa.py), printed in
# the README so a reviewer can add it to any authenticator app; the recovery codes derive from the seed.
# Development only, like the password: load_demo refuses to run in production.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
DEMO_RECOVERY_SEED = "0" * 80

PERSONAS = [
    # username, first, last, roles, time zone
    ("admin", "Alex", "Admin", [Role.ADMIN], "America/New_York"),
    ("board", "Morgan", "Blake", [Role.BOARD], "America/Chicago"),
    ("committee", "Riley", "Chair", [Role.BOARD, Role.COMMITTEE], "America/New_York"),
    ("committee2", "Jordan", "Member", [Role.BOARD, Role.COMMITTEE], "Europe/London"),
    ("secretary", "Sam", "Secretary", [Role.SECRETARY], "America/New_York"),
    ("ceo", "Avery", "Chen", [Role.OFFICER], "America/Los_Angeles"),
    ("counsel", "Casey", "Counsel", [Role.COUNSEL], "America/New_York"),
    ("auditor", "Drew", "Auditor", [Role.AUDITOR], "America/New_York"),
    ("employee", "Jamie", "Employee", [Role.EMPLOYEE], "Asia/Tokyo"),
]
# Which of the two authorized officers (CEO, CFO) a persona is: the CFO is regfd.demo's, not a login.
OFFICER_TITLES = {"ceo": RoleAssignment.Title.CEO}


def ensure_users() -> dict[str, User]:
    users = {}
    for username, first, last, roles, tz in PERSONAS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "time_zone": tz,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = Role.ADMIN in roles
            user.save()
        for role in roles:
            assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role)
            title = OFFICER_TITLES.get(username) if role == Role.OFFICER else None
            if title and not assignment.title and not RoleAssignment.objects.filter(title=title).exists():
                assignment.title = title
                assignment.save(update_fields=["title"])
        if settings.MFA_REQUIRED and needs_second_factor(roles):
            ensure_demo_second_factor(user)
        users[username] = user
    return users


def ensure_demo_second_factor(user: User) -> None:
    """The demo authenticator app (DEMO_TOTP_SECRET) and recovery codes of a persona, once."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}}
    )
    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        defaults={"data": {"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0}},
    )


def ensure_company(actor) -> Company:
    company = Company.objects.order_by("id").first()
    if company is None:
        company = Company.objects.create(
            name="Allient Inc.",
            ticker="ALNT",
            exchange=Company.Exchange.NYSE,
            cik="0000046129",
            listed_since=date(1999, 5, 1),
        )
    for year in range(2021, 2028):
        company.fiscal_periods.get_or_create(
            label=f"FY{year}", defaults={"start": date(year, 1, 1), "end": date(year, 12, 31)}
        )
    return company


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Callable[..., object]  # (*, company, users, now)
    order: int = 100


DEMO_LOADERS: dict[str, DemoLoader] = {}


def register_demo(name: str, *, order: int = 100):
    """Decorator for a program's loader `f(*, company, users, now)`: safe to run twice, like load_demo."""

    def wrap(load: Callable[..., object]) -> Callable[..., object]:
        DEMO_LOADERS[name] = DemoLoader(name, load, order)
        return load

    return wrap


@transaction.atomic
def load_demo(*, now: datetime) -> dict[str, User]:
    if settings.PRODUCTION:
        raise RuntimeError("Refusing to load demo data with DJANGO_ENV=production.")
    users = ensure_users()
    company = ensure_company(users["admin"])
    for loader in sorted(DEMO_LOADERS.values(), key=lambda loader: (loader.order, loader.name)):
        loader.load(company=company, users=users, now=now)
    return users
