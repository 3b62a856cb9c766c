"""What the Reg FD policy records' service tests share: fixed instants and one-line makers of each record,
through the services (the view and API tests build theirs in test_records_views.build_records)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from regfd.models import Communication
from regfd.services import records as services
from regfd.services import spokespersons as spokesperson_services
from tests.factories import UserFactory, policy_version

ET = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
CT = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # Tue 10 Mar 2026, 11:00 EDT


# ---------------------------------------------------------------------------------------------------------
# Helpers shared with the view and API tests
# ---------------------------------------------------------------------------------------------------------


def titled(officer, title: str):
    """`officer`'s Authorized Officer role given the title (RoleAssignment.Title), as an administrator does."""
    assignment = RoleAssignment.objects.get(user=officer, role=Role.OFFICER)
    assignment.title = title
    assignment.full_clean()
    assignment.save()
    return officer


def make_cfo():
    """The CFO: an authorized officer whose role carries the CFO title (policy I.A, I.F)."""
    cfo = UserFactory(username="cfo", first_name="Blake", last_name="Ortiz", roles=[Role.OFFICER])
    return titled(cfo, RoleAssignment.Title.CFO)


def authorize(officer, person, *, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31), **kw):
    return spokesperson_services.authorize_spokesperson(
        actor=officer,
        now=kw.pop("now", NOW),
        person=person,
        scope=kw.pop("scope", "Buy-side meetings at the March conference"),
        content_reviewed=kw.pop("content_reviewed", "The investor deck, already public"),
        valid_from=valid_from,
        valid_until=valid_until,
        **kw,
    )


def log_request(receiver, officer, **kw):
    return services.log_information_request(
        actor=receiver,
        now=kw.pop("now", NOW),
        received_at=kw.pop("received_at", NOW - timedelta(hours=1)),
        requester_name="Pat Analyst",
        requester_phone="+1 212 555 0100",
        requester_firm="Example Securities",
        request="Will Q1 revenue beat consensus?",
        routed_to=officer,
        **kw,
    )


def schedule(actor, spokesperson, *, now=NOW, scheduled_at=None, **kw):
    return services.schedule_communication(
        actor=actor,
        now=now,
        kind=kw.pop("kind", Communication.Kind.MEETING),
        title=kw.pop("title", "Meeting with Example Capital"),
        scheduled_at=scheduled_at or now + timedelta(days=1),
        spokesperson=spokesperson,
        participants="Jo Buyside, Example Capital",
        script="Outline: strategy; only public numbers.",
        **kw,
    )


def held_communication(actor, spokesperson, *, scheduled_at=None):
    scheduled_at = scheduled_at or datetime(2026, 3, 9, 14, 0, tzinfo=ET)
    communication = schedule(
        actor, spokesperson, now=scheduled_at - timedelta(days=2), scheduled_at=scheduled_at
    )
    return services.record_communication_held(
        actor=actor,
        communication=communication,
        now=scheduled_at + timedelta(hours=1),
        record_of_discussion="Discussed strategy; no guidance given.",
        fls_disclaimer_given=True,
    )


def earnings(actor, **kw):
    fields = {
        "period_label": "2026-Q1",
        "release_at": datetime(2026, 5, 5, 16, 5, tzinfo=ET),
        "call_at": datetime(2026, 5, 5, 17, 0, tzinfo=ET),
        "call_announced_at": datetime(2026, 4, 20, 8, 0, tzinfo=ET),
        "dial_in": "+1 800 555 0199, code 4321",
        "webcast_url": "https://investors.example.com/q1",
        "public_access": True,
        "qa_audible_to_all": True,
        "recording_url": "https://investors.example.com/q1-replay",
        "recording_available_until": date(2026, 8, 5),
    }
    fields.update(kw)
    return services.create_earnings_event(actor=actor, **fields)


def nongaap(actor, **kw):
    fields = {
        "measure": "Adjusted EBITDA",
        "comparable_gaap_measure": "Net income",
        "document": "Q1 earnings release",
        "reconciliation": "Net income 10.0 + interest 1.0 + taxes 2.0 + D&A 3.0 = Adjusted EBITDA 16.0",
        "equal_prominence": True,
        "usefulness_statement": "Shows operating performance excluding financing and non-cash items.",
        "release_at": NOW + timedelta(days=2),
    }
    fields.update(kw)
    return services.create_nongaap_review(actor=actor, **fields)


def regfd_policy(actor, *, approved=True):
    return policy_version(
        actor,
        version="2026.1",
        title="Regulation FD corporate communications policy",
        effective_date=date(2026, 1, 1),
        approved_on=date(2025, 12, 15) if approved else None,
        approved_by="Board of Directors" if approved else "",
    )


def audit_events(obj) -> int:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).count()
