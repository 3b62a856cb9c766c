"""Who sees which Reg FD policy record, and the reports built on them.

The program's officers (regfd.view) see every register. Anyone else signed in sees what concerns them: the
authorizations and confirmations about themselves, the information requests they logged or that were routed
to them, the communications they speak at, and the questions they asked the Corporate Secretary. Earnings
events and Regulation G reviews are for the program's officers only.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.roles import Role, roles_with
from compliance_site.accounts.visibility import visible_to
from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution, PolicyVersion
from compliance_site.registers import Register

from .models import (
    Communication,
    EarningsEvent,
    InformationRequest,
    KeepingCurrentConfirmation,
    NonGaapDelegation,
    NonGaapReview,
    PolicyRecord,
    SpokespersonAuthorization,
)
from .selectors import containing

User = get_user_model()


def _sees_all(user) -> bool:
    return has_capability(user, "regfd.view")


def _signed_in(user) -> bool:
    return has_capability(user, "regfd.access")


def _all_or_own(user, qs: QuerySet, own: Q) -> QuerySet:
    """Every row for the program's officers; the rows matching `own` for anyone else signed in."""
    if _sees_all(user):
        return qs
    return qs.filter(own) if _signed_in(user) else qs.none()


def _by_state(qs: QuerySet, state: str, column: str, *, done: str, waiting: str) -> QuerySet:
    """The rows in `state`: `done` once `column` (when it was done) is set, `waiting` until then."""
    if state in (done, waiting):
        qs = qs.filter(**{f"{column}__isnull": state == waiting})
    return qs


# ---- Spokespersons -------------------------------------------------------------------------------------


@visible_to(SpokespersonAuthorization)
def authorizations_visible_to(user) -> QuerySet[SpokespersonAuthorization]:
    """Every authorization for the program's officers; one's own authorizations for anyone else."""
    qs = SpokespersonAuthorization.objects.select_related("person", "authorized_by", "revoked_by")
    return _all_or_own(user, qs, Q(person=user))


def search_authorizations(qs, *, q: str = "", state: str = "", on: date | None = None):
    """`state`: "current" (unrevoked, covering `on`), "revoked", or "expired" (ended before `on`)."""
    if q:
        qs = qs.filter(containing(q, "person__first_name", "person__last_name", "person__username", "scope"))
    if state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif state == "current" and on is not None:
        qs = qs.filter(revoked_at__isnull=True, valid_from__lte=on, valid_until__gte=on)
    elif state == "expired" and on is not None:
        qs = qs.filter(revoked_at__isnull=True, valid_until__lt=on)
    return qs


@visible_to(KeepingCurrentConfirmation)
def confirmations_visible_to(user) -> QuerySet[KeepingCurrentConfirmation]:
    return _all_or_own(user, KeepingCurrentConfirmation.objects.select_related("person"), Q(person=user))


def search_confirmations(qs, *, period: str = ""):
    return qs.filter(period_label=period) if period else qs


def authorized_officers() -> QuerySet:
    """The CEO and CFO: active users holding the Authorized Officer role (policy I.A), with their roles, so
    each is shown with their title ("Avery Chen, CEO") without a query per officer."""
    return (
        User.objects.filter(is_active=True, roles__role=Role.OFFICER)
        .distinct()
        .prefetch_related("roles")
        .order_by("last_name", "id")
    )


def possible_delegates() -> QuerySet:
    """Whom the CFO may name to sign off Regulation G reviews: active users who work on them (an authorized
    officer or a manager of the program; regfd.services.delegations.may_be_delegate), the CFO left out."""
    roles = roles_with("regfd.manage") | roles_with("regfd.approve")
    return (
        User.objects.filter(is_active=True, roles__role__in=roles)
        .exclude(roles__title=RoleAssignment.Title.CFO)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def spokespersons_on(on: date) -> QuerySet:
    """Everyone who may speak to Specified Persons on `on`: the authorized officers, and each active person
    with an unrevoked authorization covering that date (policy I.A, II.G)."""
    covered = SpokespersonAuthorization.objects.filter(
        person=OuterRef("pk"), revoked_at__isnull=True, valid_from__lte=on, valid_until__gte=on
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(roles__role=Role.OFFICER) | Exists(covered))
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


@dataclass(frozen=True)
class MissingConfirmation:
    person: object
    is_officer: bool


def spokespersons_missing_confirmation(*, period_label: str, on: date) -> list[MissingConfirmation]:
    """The spokespersons on `on` who have not confirmed keeping current for `period_label` (policy II.G)."""
    confirmed = KeepingCurrentConfirmation.objects.filter(person=OuterRef("pk"), period_label=period_label)
    people = (
        spokespersons_on(on)
        .annotate(
            confirmed=Exists(confirmed),
            officer_roles=Count("roles", filter=Q(roles__role=Role.OFFICER), distinct=True),
        )
        .filter(confirmed=False)
    )
    return [MissingConfirmation(person=p, is_officer=bool(p.officer_roles)) for p in people]


# ---- Requests for MNPI ---------------------------------------------------------------------------------


@visible_to(InformationRequest)
def requests_visible_to(user) -> QuerySet[InformationRequest]:
    """All requests for the program's officers; the requests one logged or was routed, for anyone else."""
    qs = InformationRequest.objects.select_related("received_by", "routed_to", "responded_by")
    return _all_or_own(user, qs, Q(received_by=user) | Q(routed_to=user))


def search_requests(qs, *, q: str = "", state: str = ""):
    qs = _by_state(qs, state, "responded_at", done="answered", waiting="open")
    return qs.filter(containing(q, "requester_name", "requester_firm", "request")) if q else qs


def only_the_routed_officer(user, item: InformationRequest) -> str | None:
    """Why `user` may not record the response to `item`, if they may not: the authorized officer the request
    was routed to answers it, and nobody else (policy I.A)."""
    return None if item.routed_to_id == user.pk else "Only the authorized officer it was routed to responds."


# ---- Communications ------------------------------------------------------------------------------------


@visible_to(Communication)
def communications_visible_to(user) -> QuerySet[Communication]:
    """All communications for the program's officers; the ones one speaks at, for anyone else."""
    qs = Communication.objects.select_related("spokesperson", "created_by", "debriefed_by")
    return _all_or_own(user, qs, Q(spokesperson=user))


def search_communications(qs, *, q: str = "", status: str = "", kind: str = ""):
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(containing(q, "title", "participants")) if q else qs


# ---- Earnings and Regulation G -------------------------------------------------------------------------


@visible_to(EarningsEvent)
def earnings_visible_to(user) -> QuerySet[EarningsEvent]:
    qs = EarningsEvent.objects.select_related("created_by")
    return qs if _sees_all(user) else qs.none()


def search_earnings(qs, *, q: str = ""):
    return qs.filter(period_label__icontains=q) if q else qs


@visible_to(NonGaapReview)
def nongaap_reviews_visible_to(user) -> QuerySet[NonGaapReview]:
    # The delegation and its delegator: the capacity of a delegate's sign-off names them.
    qs = NonGaapReview.objects.select_related("earnings_event", "signed_off_by", "signed_under__delegator")
    return qs if _sees_all(user) else qs.none()


def search_nongaap_reviews(qs, *, q: str = "", state: str = ""):
    qs = _by_state(qs, state, "signed_off_at", done="signed_off", waiting="pending")
    return qs.filter(containing(q, "measure", "document", "comparable_gaap_measure")) if q else qs


@visible_to(NonGaapDelegation)
def nongaap_delegations_visible_to(user) -> QuerySet[NonGaapDelegation]:
    """The CFO's delegations of the Regulation G sign-off, for the program's officers (every delegate is one:
    regfd.services.delegations.may_be_delegate)."""
    qs = NonGaapDelegation.objects.select_related("delegator", "delegate", "revoked_by")
    return qs if _sees_all(user) else qs.none()


def search_nongaap_delegations(qs, *, q: str = "", state: str = "", on: date | None = None):
    """`state`: "current" (unrevoked, covering `on`), "upcoming", "ended" (before `on`) or "revoked"."""
    if q:
        qs = qs.filter(containing(q, "delegate__first_name", "delegate__last_name", "delegate__username"))
    if state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif on is not None and state in ("current", "upcoming", "ended"):
        qs = qs.filter(revoked_at__isnull=True)
        qs = {
            "current": qs.filter(valid_from__lte=on, valid_until__gte=on),
            "upcoming": qs.filter(valid_from__gt=on),
            "ended": qs.filter(valid_until__lt=on),
        }[state]
    return qs


# ---- The other records ---------------------------------------------------------------------------------


@visible_to(PolicyRecord)
def policy_records_visible_to(user) -> QuerySet[PolicyRecord]:
    """The whole log for the program's officers; the records one made (e.g. a question asked of the
    Corporate Secretary) for anyone else."""
    qs = PolicyRecord.objects.select_related("recorded_by", "answered_by")
    return _all_or_own(user, qs, Q(recorded_by=user))


def search_policy_records(qs, *, q: str = "", kind: str = ""):
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(containing(q, "summary", "details")) if q else qs


# ---- Policy distribution -------------------------------------------------------------------------------


def current_regfd_policy(*, on: date) -> PolicyVersion | None:
    """The Reg FD policy version in force on `on`: approved, effective, the latest such."""
    return (
        PolicyVersion.objects.filter(
            kind=PolicyVersion.Kind.REGFD, effective_date__lte=on, approved_on__isnull=False
        )
        .order_by("-effective_date", "-id")
        .first()
    )


def distributions(policy: PolicyVersion | None = None) -> QuerySet[PolicyDistribution]:
    qs = PolicyDistribution.objects.select_related("policy", "distributed_by").filter(
        policy__kind=PolicyVersion.Kind.REGFD
    )
    return qs.filter(policy=policy) if policy is not None else qs


def distributions_visible_to(user) -> QuerySet[PolicyDistribution]:
    """Every distribution of the Reg FD policy, with how many acknowledgements its version has: the policy
    goes to all employees, and anyone signed in sees where it stands."""
    acknowledged = Count("policy__acknowledgements", distinct=True)
    return distributions().annotate(acknowledged=acknowledged) if _signed_in(user) else distributions().none()


def is_distributed(policy: PolicyVersion) -> bool:
    return PolicyDistribution.objects.filter(policy=policy).exists()


def acknowledgement_of(user, policy: PolicyVersion) -> PolicyAcknowledgement | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return PolicyAcknowledgement.objects.filter(user=user, policy=policy).first()


def users_not_acknowledged(policy: PolicyVersion) -> QuerySet:
    """Active users who have not acknowledged `policy` (the policy goes to all employees)."""
    acknowledged = PolicyAcknowledgement.objects.filter(policy=policy, user=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True)
        .exclude(Exists(acknowledged))
        .order_by("last_name", "first_name", "username")
    )


# ---- The registers (compliance_site.registers): who sees which rows, their search and their order --------

AUTHORIZATIONS = Register(authorizations_visible_to, search_authorizations, ("-valid_from", "-id"))
CONFIRMATIONS = Register(confirmations_visible_to, search_confirmations, ("-confirmed_at", "-id"))
REQUESTS = Register(requests_visible_to, search_requests, ("-received_at", "-id"))
COMMUNICATIONS = Register(communications_visible_to, search_communications, ("-scheduled_at", "-id"))
EARNINGS = Register(earnings_visible_to, search_earnings, ("-release_at", "-id"))
NONGAAP_REVIEWS = Register(nongaap_reviews_visible_to, search_nongaap_reviews, ("-release_at", "-id"))
NONGAAP_DELEGATIONS = Register(
    nongaap_delegations_visible_to, search_nongaap_delegations, ("-valid_from", "-id")
)
POLICY_RECORDS = Register(policy_records_visible_to, search_policy_records, ("-occurred_at", "-id"))
DISTRIBUTIONS = Register(distributions_visible_to, ordering=("-distributed_at", "-id"))
