"""Roles and what each may do: the one place that decides permissions.

Views, the API, the admin and Celery-side checks all ask `has_capability`; nobody tests role names
directly. Object-level rules (a covered executive never sees the case about their own pay, a recused
member sees but cannot vote) live in the apps' selectors and build on these capabilities.
"""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    BOARD = "board", "Board member"
    COMMITTEE = "committee", "Compensation Committee member"
    SECRETARY = "secretary", "Corporate Secretary"
    OFFICER = "officer", "Authorized Officer (CEO/CFO)"
    COUNSEL = "counsel", "Counsel"
    AUDITOR = "auditor", "Auditor"
    EMPLOYEE = "employee", "Employee"


R = Role
_ALL = frozenset(Role)

# capability -> roles holding it. Auditors read and export everything, change nothing.
CAPABILITIES: dict[str, frozenset[Role]] = {
    # Company profile, fiscal calendar, policy versions
    "company.view": _ALL,
    "company.manage": frozenset({R.ADMIN, R.SECRETARY}),
    # Clawback program. Authorized officers are usually covered executives themselves: no access.
    "clawback.view": frozenset({R.ADMIN, R.BOARD, R.COMMITTEE, R.SECRETARY, R.COUNSEL, R.AUDITOR}),
    "clawback.manage": frozenset({R.ADMIN, R.COMMITTEE, R.SECRETARY}),
    "clawback.vote": frozenset({R.BOARD, R.COMMITTEE}),
    # Acts as the Corporate Secretary on the body's decisions: records a vote given at a meeting from its
    # minutes, and signs an adopted decision (after the chair, or before, as the company configures).
    "clawback.secretary": frozenset({R.SECRETARY}),
    "clawback.whatif": frozenset({R.ADMIN, R.BOARD, R.COMMITTEE, R.SECRETARY, R.COUNSEL, R.AUDITOR}),
    "clawback.export": frozenset({R.ADMIN, R.COMMITTEE, R.SECRETARY, R.COUNSEL, R.AUDITOR}),
    # Regulation FD program
    "regfd.report": _ALL - {R.AUDITOR},
    # Reaching the incident list and detail: program officers see all, reporters their own reports.
    "regfd.access": _ALL,
    "regfd.view": frozenset({R.ADMIN, R.BOARD, R.SECRETARY, R.OFFICER, R.COUNSEL, R.AUDITOR}),
    "regfd.manage": frozenset({R.ADMIN, R.SECRETARY}),
    "regfd.approve": frozenset({R.OFFICER}),
    "regfd.conclude": frozenset({R.COUNSEL}),
    "regfd.export": frozenset({R.ADMIN, R.SECRETARY, R.COUNSEL, R.AUDITOR}),
    # The library of the company's public statements: adding to it, and attaching statements to incidents as
    # evidence that the information was already public (counsel's question before a conclusion).
    "regfd.statements": frozenset({R.ADMIN, R.SECRETARY, R.COUNSEL}),
    # Audit trail and operations
    "audit.view": frozenset({R.ADMIN, R.SECRETARY, R.COUNSEL, R.AUDITOR}),
    "audit.export": frozenset({R.ADMIN, R.AUDITOR}),
    "ops.view": frozenset({R.ADMIN}),
    # The notification center: everyone reads their own reminders.
    "notifications.view": _ALL,
    "accounts.manage": frozenset({R.ADMIN}),
}


# A second factor is required of whoever holds one of these: who can approve, vote, sign, administer or read
# a case. An employee who only reports a possible Regulation FD disclosure signs in with a password.
SECOND_FACTOR_CAPABILITIES = frozenset(
    {
        "clawback.view",
        "clawback.manage",
        "clawback.vote",
        "clawback.secretary",
        "regfd.view",
        "regfd.manage",
        "regfd.approve",
        "regfd.conclude",
        "regfd.statements",
        "audit.view",
        "company.manage",
        "ops.view",
        "accounts.manage",
    }
)


def needs_second_factor(roles) -> bool:
    return bool(capabilities_of(roles) & SECOND_FACTOR_CAPABILITIES)


def roles_with(capability: str) -> frozenset[Role]:
    try:
        return CAPABILITIES[capability]
    except KeyError:
        # An unknown capability is a programming error; refusing silently would hide it.
        raise LookupError(f"unknown capability {capability!r}") from None


def capabilities_of(roles) -> frozenset[str]:
    roles = set(roles)
    return frozenset(cap for cap, holders in CAPABILITIES.items() if roles & holders)
