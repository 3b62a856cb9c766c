"""Realistic demo data for `make run`: a company, its fiscal years and policies, one user per role, a
restatement case built from a scenario file, and Reg FD incidents open, due soon, overdue and closed.

Safe to run twice: everything is looked up by natural key first."""

from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from clawback.models import Executive, Recusal, Restatement
from clawback.scenario import load_scenario
from clawback.services import import_scenario
from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.accounts.roles import Role
from compliance_site.company.models import Company
from regfd.models import Incident
from regfd.services import close_not_required, open_incident, record_public_disclosure

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed for demo logins; refused in production)
SCENARIO = Path(__file__).resolve().parent / "demo_data" / "restatement-2026.scenario.json"

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
            RoleAssignment.objects.get_or_create(user=user, role=role)
        users[username] = user
    return users


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


def ensure_restatement(company: Company, users: dict[str, User]) -> Restatement:
    title = "FY2024–FY2025 net income restatement"
    existing = Restatement.objects.filter(company=company, title=title).first()
    if existing:
        return existing
    scenario = load_scenario(SCENARIO.read_text())
    restatement = import_scenario(actor=users["secretary"], company=company, scenario=scenario, title=title)
    restatement.description = (
        "Revenue recognition error in FY2024 and FY2025 identified by the external auditor; the Board "
        "concluded on 2026-04-15 that a Big R restatement is required."
    )
    restatement.save()
    ceo = Executive.objects.get(company=company, key="ceo")
    ceo.title = "Chief Executive Officer"
    ceo.user = users["ceo"]
    ceo.save()
    Executive.objects.filter(company=company, key="cfo").update(title="Chief Financial Officer")
    Recusal.objects.get_or_create(
        restatement=restatement,
        user=users["committee2"],
        defaults={"reason": "Served on the audit committee that approved the original FY2024 statements."},
    )
    return restatement


def ensure_incidents(users: dict[str, User], *, now: datetime) -> None:
    if Incident.objects.exists():
        return
    secretary, employee = users["secretary"], users["employee"]
    common = {"disclosed_by": "VP Investor Relations", "learned_by": "Sam Secretary (Corporate Secretary)"}
    # Open, with time left
    open_incident(
        actor=employee,
        now=now,
        title="Margin comment at investor dinner",
        recipient_name="Priya Natarajan",
        recipient_firm="Hudson Capital",
        recipient_category=Incident.RecipientCategory.INSTITUTIONAL,
        information="Said Q4 gross margin would be 'well below' guidance.",
        disclosed_at=now - timedelta(hours=2),
        learned_at=now - timedelta(hours=1),
        **common,
    )
    # Due soon: learned nearly a day ago
    open_incident(
        actor=secretary,
        now=now,
        title="Backlog figure on analyst call-back",
        recipient_name="Tom Reilly",
        recipient_firm="Broadline Securities",
        recipient_category=Incident.RecipientCategory.ANALYST,
        information="Quoted the unannounced Q3 backlog of $412 million.",
        disclosed_at=now - timedelta(hours=22),
        learned_at=now - timedelta(hours=21),
        **common,
    )
    # Overdue
    open_incident(
        actor=secretary,
        now=now,
        title="Guidance hint in conference breakout",
        recipient_name="Lena Ortiz",
        recipient_firm="Cobalt Asset Management",
        recipient_category=Incident.RecipientCategory.MONEY_MANAGER,
        information="Indicated full-year revenue guidance would be lowered.",
        disclosed_at=now - timedelta(days=5),
        learned_at=now - timedelta(days=5) + timedelta(hours=1),
        **common,
    )
    # Closed: disclosed on time by press release
    closed = open_incident(
        actor=secretary,
        now=now,
        title="Customer win mentioned to shareholder",
        recipient_name="Greg Ames",
        recipient_category=Incident.RecipientCategory.SHAREHOLDER,
        information="Mentioned the signed Navix supply contract before announcement.",
        disclosed_at=now - timedelta(days=20),
        learned_at=now - timedelta(days=20) + timedelta(minutes=30),
        **common,
    )
    record_public_disclosure(
        actor=secretary,
        incident=closed,
        disclosed_at=closed.learned_at + timedelta(hours=3),
        method=Incident.DisclosureMethod.PRESS_RELEASE,
        reference="Business Wire 20261101-0042",
    )
    # Closed: not required
    not_material = open_incident(
        actor=employee,
        now=now,
        title="Office relocation mentioned to broker",
        recipient_name="Dana Fox",
        recipient_firm="Fox & Co.",
        recipient_category=Incident.RecipientCategory.BROKER,
        information="Said the Boston office will move next year.",
        disclosed_at=now - timedelta(days=9),
        learned_at=now - timedelta(days=9) + timedelta(hours=2),
        **common,
    )
    close_not_required(
        actor=users["counsel"],
        incident=not_material,
        reason="Counsel concluded the information is not material (routine facilities matter).",
    )


@transaction.atomic
def load_demo(*, now: datetime) -> dict[str, User]:
    if settings.PRODUCTION:
        raise RuntimeError("Refusing to load demo data with DJANGO_ENV=production.")
    users = ensure_users()
    company = ensure_company(users["admin"])
    ensure_restatement(company, users)
    ensure_incidents(users, now=now)
    return users
