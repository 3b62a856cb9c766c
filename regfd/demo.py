"""Demo data for the Reg FD program, registered with `compliance_site.demo` (docs/architecture.md):
incidents open, due soon, overdue and closed, and the Reg FD policy's records (spokespersons, requests for
MNPI, communications, earnings, Regulation G reviews, rumors, corrections, analyst-report reviews,
questions, and the policy's distribution).

Every record is made through the service that makes it in the app, with `now` set to when it happened, so
the demo obeys the same rules as real use. Safe to run twice: everything is looked up first."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.accounts.roles import Role
from compliance_site.company.models import Company, PolicyDistribution
from compliance_site.demo import register_demo
from compliance_site.lib.timefmt import EXCHANGE_TZ

from . import services as regfd
from .calendar_source import current_calendar
from .demo_statements import ensure_public_statements
from .earnings_calendar import move_to_trading_day
from .models import (
    Communication,
    EarningsEvent,
    Incident,
    InformationRequest,
    NonGaapDelegation,
    PolicyRecord,
    SpokespersonAuthorization,
)
from .selectors_records import current_regfd_policy


def ensure_incidents(users: dict[str, User], *, now: datetime) -> None:
    """Open (time left, due soon, overdue) and closed (disclosed on time; not required) incidents, each
    reported shortly after a senior official learned of it, assessed and concluded as the roles would."""
    if Incident.objects.exists():
        return
    secretary, employee, counsel = users["secretary"], users["employee"], users["counsel"]
    common = {"disclosed_by": "VP Investor Relations", "learned_by": "Sam Secretary (Corporate Secretary)"}

    def report(*, actor, disclosed_ago: timedelta, learned_after: timedelta, **fields) -> Incident:
        disclosed_at = now - disclosed_ago
        learned_at = disclosed_at + learned_after
        return regfd.open_incident(
            actor=actor,
            now=min(now, learned_at + timedelta(minutes=20)),
            disclosed_at=disclosed_at,
            learned_at=learned_at,
            **common,
            **fields,
        )

    def assess(incident: Incident, categories: list[str], assessment: str, *, in_doubt: bool = False) -> None:
        regfd.assess_materiality(
            actor=secretary,
            incident=incident,
            material_categories=categories,
            materiality_assessment=assessment,
            in_doubt=in_doubt,
        )

    def conclude(incident: Incident, conclusion: str, rationale: str, *, after=timedelta(hours=1)) -> None:
        """Counsel's conclusion, `after` T0."""
        regfd.conclude_materiality(
            actor=counsel,
            now=incident.learned_at + after,
            incident=incident,
            conclusion=conclusion,
            rationale=rationale,
        )

    # Open, with time left
    report(
        actor=employee,
        disclosed_ago=timedelta(hours=2),
        learned_after=timedelta(hours=1),
        title="Margin comment at investor dinner",
        recipient_name="Priya Natarajan",
        recipient_firm="Hudson Capital",
        recipient_category=Incident.RecipientCategory.INSTITUTIONAL,
        information="Said Q4 gross margin would be 'well below' guidance.",
    )
    # Due soon: learned nearly a day ago
    report(
        actor=secretary,
        disclosed_ago=timedelta(hours=22),
        learned_after=timedelta(hours=1),
        title="Backlog figure on analyst call-back",
        recipient_name="Tom Reilly",
        recipient_firm="Broadline Securities",
        recipient_category=Incident.RecipientCategory.ANALYST,
        information="Quoted the unannounced Q3 backlog of $412 million.",
    )
    # Overdue, assessed and presumed material (policy II.B: when in doubt, presume it material)
    overdue = report(
        actor=secretary,
        disclosed_ago=timedelta(days=5),
        learned_after=timedelta(hours=1),
        title="Guidance hint in conference breakout",
        recipient_name="Lena Ortiz",
        recipient_firm="Cobalt Asset Management",
        recipient_category=Incident.RecipientCategory.MONEY_MANAGER,
        information="Indicated full-year revenue guidance would be lowered.",
    )
    assess(
        overdue,
        ["earnings", "expectations", "projections"],
        "A change to full-year guidance is earnings information; counsel to confirm.",
        in_doubt=True,
    )
    # Closed: assessed, concluded material by counsel, disclosed on time by press release
    closed = report(
        actor=secretary,
        disclosed_ago=timedelta(days=20),
        learned_after=timedelta(minutes=30),
        title="Customer win mentioned to shareholder",
        recipient_name="Greg Ames",
        recipient_category=Incident.RecipientCategory.SHAREHOLDER,
        information="Mentioned the signed Navix supply contract before announcement.",
    )
    assess(
        closed,
        ["products_customers", "contracts"],
        "The Navix contract is the largest award this year: material.",
    )
    conclude(
        closed,
        Incident.CounselConclusion.MATERIAL,
        "Award of a significant contract (policy II.B); not yet public.",
    )
    regfd.record_public_disclosure(
        actor=secretary,
        incident=closed,
        disclosed_at=closed.learned_at + timedelta(hours=3),
        method=Incident.DisclosureMethod.PRESS_RELEASE,
        reference="Business Wire 20261101-0042",
        now=min(now, closed.learned_at + timedelta(hours=3, minutes=10)),
    )
    # Closed: counsel concluded not material, so the Corporate Secretary closed it as not required
    not_material = report(
        actor=employee,
        disclosed_ago=timedelta(days=9),
        learned_after=timedelta(hours=2),
        title="Office relocation mentioned to broker",
        recipient_name="Dana Fox",
        recipient_firm="Fox & Co.",
        recipient_category=Incident.RecipientCategory.BROKER,
        information="Said the Boston office will move next year.",
    )
    conclude(
        not_material,
        Incident.CounselConclusion.NOT_MATERIAL,
        "A routine facilities matter with no effect on results or prospects.",
        after=timedelta(hours=2),
    )
    regfd.close_not_required(
        actor=secretary,
        incident=not_material,
        reason="Counsel concluded the information is not material (routine facilities matter).",
    )


# ---- Reg FD policy records -------------------------------------------------------------------------------

# The CFO, the second authorized officer with the CEO (policy I.A). Not a demo login (those are PERSONAS, one
# per role): the CFO appears on the records, answering a routed request and signing off Regulation G reviews.
CFO = ("cfo", "Blake", "Ortiz", "Chief Financial Officer")
TOKYO = ZoneInfo("Asia/Tokyo")


def ensure_cfo() -> User:
    username, first, last, title = CFO
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "title": title,
            "email": f"{username}@example.com",
            "time_zone": "America/New_York",
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=Role.OFFICER)
    # The CFO title signs the Regulation G reviews (policy I.F); never taken from a CFO named in the admin.
    if not assignment.title and not RoleAssignment.objects.filter(title=RoleAssignment.Title.CFO).exists():
        assignment.title = RoleAssignment.Title.CFO
        assignment.save(update_fields=["title"])
    return user


class _Clock:
    """Business-hours instants around `now`, so records read like a real working week: `past(n, h)` is h
    o'clock ET on the weekday on or before n days ago (always before `now` for n >= 1), `ahead(n, h)` on
    the weekday on or after n days ahead (always after `now` for n >= 1). Hours are 07:00-18:00, never in a
    DST gap. Follow-ups (a record made after a meeting) are offsets from these anchors."""

    def __init__(self, now: datetime):
        self.now = now
        self.today = now.astimezone(EXCHANGE_TZ).date()

    @staticmethod
    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=EXCHANGE_TZ)

    def past(self, days: int, hour: int, minute: int = 0) -> datetime:
        day = self.today - timedelta(days=days)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return self.at(day, hour, minute)

    def ahead(self, days: int, hour: int, minute: int = 0) -> datetime:
        day = self.today + timedelta(days=days)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return self.at(day, hour, minute)

    def quarter(self, *, back: int = 0) -> str:
        index = self.today.year * 4 + (self.today.month - 1) // 3 - back
        return f"{index // 4}-Q{index % 4 + 1}"


def ensure_spokespersons(users: dict[str, User], cfo: User, clock: _Clock) -> None:
    """Delegated authorizations (current, expired, revoked) and keeping-current confirmations, with the
    CFO and the employee still to confirm for this quarter (policy I.A, II.G)."""
    if SpokespersonAuthorization.objects.exists():
        return
    ceo, secretary, employee = users["ceo"], users["secretary"], users["employee"]

    def authorize(*, actor, person, at: datetime, until_days: int, **fields):
        return regfd.authorize_spokesperson(
            actor=actor,
            now=at,
            person=person,
            valid_from=at.date(),
            valid_until=clock.today + timedelta(days=until_days),
            **fields,
        )

    authorize(
        actor=ceo,
        person=secretary,
        at=clock.past(60, 10),
        until_days=300,
        scope="Shareholders' questions at the annual meeting and in follow-up letters on governance matters.",
        content_reviewed="The proxy statement, the annual report and the meeting script, all already public.",
        conditions="No comment on current-quarter results or guidance; refer such questions to the CFO.",
    )
    authorize(
        actor=cfo,
        person=employee,
        at=clock.past(200, 11),
        until_days=-150,
        scope="Industry conference panel on motion-control trends (Specified Persons in the audience).",
        content_reviewed="Panel remarks v3 and the product slides published on the website.",
    )
    granted = clock.past(40, 9)
    trade_show = authorize(
        actor=ceo,
        person=employee,
        at=granted,
        until_days=50,
        scope="Conversations with investors visiting the company's booth at the Tokyo trade show.",
        content_reviewed="Booth talking points and the public product data sheets.",
    )
    regfd.revoke_spokesperson_authorization(
        actor=ceo,
        authorization=trade_show,
        reason="Replaced by the narrower authorization for the Nagoya plant visit.",
        now=max(clock.past(12, 16), granted + timedelta(days=1)),
    )
    authorize(
        actor=ceo,
        person=employee,
        at=clock.past(10, 15),
        until_days=20,
        scope="Plant tour and product Q&A for the analysts visiting the Nagoya plant.",
        content_reviewed="Tour script v2, the anticipated-questions list and the public product sheets.",
        conditions="No financial figures beyond the last Form 10-Q; Investor Relations present throughout.",
    )
    for hour, person in enumerate((ceo, cfo, secretary, employee), start=9):
        regfd.confirm_keeping_current(
            actor=person,
            now=clock.past(70, hour),
            period_label=clock.quarter(back=1),
            reviewed_filings=True,
            reviewed_press_releases=True,
            attended_or_heard_calls=True,
        )
    for hour, person, notes in ((9, ceo, ""), (11, secretary, "Listened to the earnings call recording.")):
        regfd.confirm_keeping_current(
            actor=person,
            now=clock.past(2, hour),
            period_label=clock.quarter(),
            reviewed_filings=True,
            reviewed_press_releases=True,
            attended_or_heard_calls=True,
            notes=notes,
        )


def ensure_information_requests(users: dict[str, User], cfo: User, clock: _Clock) -> None:
    """One request answered by the officer it was routed to, one still waiting for the CEO (policy I.A)."""
    if InformationRequest.objects.exists():
        return
    received = clock.past(6, 10, 40)
    answered = regfd.log_information_request(
        actor=users["employee"],
        now=received + timedelta(minutes=15),
        received_at=received,
        requester_name="Mark Feld",
        requester_phone="+1 212 555 0143",
        requester_firm="Larchmont Partners",
        request="Asked how Q4 order intake is tracking against the Street's estimate.",
        routed_to=cfo,
    )
    regfd.record_information_response(
        actor=cfo,
        information_request=answered,
        response="Called back: referred him to the last Form 10-Q and the earnings date; no comment on the "
        "quarter in progress.",
        now=received + timedelta(days=1),
    )
    received = clock.past(1, 15, 10)
    regfd.log_information_request(
        actor=users["secretary"],
        now=received + timedelta(minutes=15),
        received_at=received,
        requester_name="Hannah Weiss",
        requester_phone="+44 20 7946 0321",
        requester_firm="Northgate Asset Management",
        request="Asked whether the Navix supply contract includes options for 2028 volumes.",
        routed_to=users["ceo"],
    )


def ensure_communications(users: dict[str, User], cfo: User, clock: _Clock) -> None:
    """Scheduled (one with a spokesperson not authorized on its date), held awaiting debrief, debriefed,
    and one whose debrief flagged possible MNPI, which opened an incident and started its clock."""
    if Communication.objects.exists():
        return
    ceo, secretary, employee = users["ceo"], users["secretary"], users["employee"]
    fls = "Forward-looking-statement disclaimer at the start. "

    def schedule(*, at: datetime, lead: timedelta = timedelta(days=7), **fields) -> Communication:
        return regfd.schedule_communication(
            actor=secretary, now=min(clock.now, at - lead), scheduled_at=at, **fields
        )

    def held(communication: Communication, hours: int, discussion: str, *, fls_given: bool = True) -> None:
        """Recorded as held `hours` after it took place."""
        regfd.record_communication_held(
            actor=secretary,
            communication=communication,
            now=communication.scheduled_at + timedelta(hours=hours),
            record_of_discussion=discussion,
            fls_disclaimer_given=fls_given,
        )

    def debrief(communication: Communication, hours: int, notes: str, **possible_mnpi) -> None:
        """Debriefed `hours` after it took place; `possible_mnpi` holds what the incident it opens needs."""
        debriefed_at = communication.scheduled_at + timedelta(hours=hours)
        regfd.debrief_communication(
            actor=secretary,
            communication=communication,
            now=debriefed_at,
            debriefed_at=debriefed_at,
            possible_mnpi=bool(possible_mnpi),
            debrief_notes=notes,
            **possible_mnpi,
        )

    schedule(
        at=clock.ahead(3, 10),
        kind=Communication.Kind.ANALYST_CALL,
        title="Call-back with Broadline Securities",
        spokesperson=cfo,
        participants="Tom Reilly (Broadline Securities)",
        script=fls + "Walk through the segment data in the last Form 10-Q; no comment on the quarter.",
    )
    visit_day = clock.ahead(5, 10).date()
    schedule(
        at=datetime.combine(visit_day, time(14), tzinfo=TOKYO),  # held in Japan: entered in Tokyo time
        kind=Communication.Kind.INVESTOR_VISIT,
        title="Analyst visit to the Nagoya plant",
        spokesperson=employee,
        participants="Kenji Sato (Mizuho Securities), Aiko Mori (Nomura Asset Management)",
        script="Tour script v2 and the anticipated-questions list reviewed by the CEO.",
    )
    # After the employee's authorization ends: scheduled, but flagged as not authorized (policy I.A).
    schedule(
        at=clock.ahead(40, 11),
        kind=Communication.Kind.CONFERENCE,
        title="Motion Control Summit investor panel",
        spokesperson=employee,
        participants="Panel audience: buy-side and sell-side analysts",
        script="Draft panel remarks (not yet reviewed by an authorized officer).",
    )
    meeting = schedule(
        at=clock.past(1, 14),
        kind=Communication.Kind.MEETING,
        title="Meeting with Hudson Capital",
        spokesperson=ceo,
        participants="Priya Natarajan, Owen Hale (Hudson Capital)",
        script=fls + "Strategy and capital allocation as presented at the investor day.",
    )
    held(
        meeting,
        2,
        "Strategy and capital allocation per the investor-day deck; questions on the Navix contract "
        "answered from the press release.",
    )
    breakout = schedule(
        at=clock.past(12, 10),
        lead=timedelta(days=14),
        kind=Communication.Kind.BREAKOUT,
        title="Broker conference breakout",
        spokesperson=cfo,
        participants="Investors at the Broadline Industrials Conference",
        script=fls + "Public full-year outlook as given on the last earnings call.",
    )
    held(breakout, 2, "Repeated the public outlook; declined to comment on current trading.")
    debrief(breakout, 5, "Nothing beyond public information was discussed.")
    # Hours ago, so the incident the debrief opens is still open with its clock running.
    call = schedule(
        at=clock.now - timedelta(hours=3),
        kind=Communication.Kind.ANALYST_CALL,
        title="Call with Daniel Park, Kestrel Equity Research",
        spokesperson=ceo,
        participants="Daniel Park (Kestrel Equity Research)",
        script=fls + "Product roadmap as announced.",
    )
    held(
        call,
        1,
        "Asked about the European plant, the CEO said the consolidation 'will be announced with Q4 "
        "results', which has not been made public.",
        fls_given=False,
    )
    debrief(
        call,
        2,
        "Possible MNPI: the planned European plant consolidation.",
        learned_by="Sam Secretary (Corporate Secretary), at the debrief",
        information="Said the European plant consolidation will be announced with Q4 results.",
        recipient_name="Daniel Park",
        recipient_firm="Kestrel Equity Research",
        recipient_category=Incident.RecipientCategory.ANALYST,
    )


def ensure_earnings(users: dict[str, User], cfo: User, clock: _Clock) -> None:
    """Last quarter's release and call with every checklist item done and its non-GAAP review signed off
    by the CFO before the release; the coming one, released before the open (so the NYSE must be notified)
    with its review waiting for equal prominence (policy I.C, I.F, II.D-E)."""
    if EarningsEvent.objects.exists():
        return
    secretary = users["secretary"]
    calendar = current_calendar()

    def on_trading_day(instant: datetime, *, earlier: bool) -> datetime:
        # A release and its call are held on an NYSE trading day (docs/regfd-rules §2.8): a past date moves
        # back, a coming one forward, so each stays on its side of `now` (a run on 2026-12-04 would
        # otherwise put the coming release on Christmas Day).
        day = move_to_trading_day(instant.date(), calendar=calendar, earlier=earlier)
        return clock.at(day, instant.hour, instant.minute)

    release = on_trading_day(clock.past(24, 16, 5), earlier=True)
    past = regfd.create_earnings_event(
        actor=secretary,
        period_label=clock.quarter(back=1),
        release_at=release,
        call_at=release + timedelta(minutes=55),
        call_announced_at=release - timedelta(days=14),
        dial_in="+1 877 555 0188, passcode 4412",
        webcast_url="https://investors.example.com/events/earnings-call",
        public_access=True,
        qa_audible_to_all=True,
        recording_url="https://investors.example.com/events/earnings-call/replay",
        recording_available_until=release.date() + timedelta(days=365),
    )
    adjusted_ebitda = regfd.create_nongaap_review(
        actor=secretary,
        measure="Adjusted EBITDA",
        comparable_gaap_measure="Net income",
        document=f"Earnings release {past.period_label}",
        earnings_event=past,
        reconciliation="Net income $18.2m + interest $3.1m + taxes $5.4m + D&A $9.8m + restructuring $1.6m "
        "= Adjusted EBITDA $38.1m.",
        equal_prominence=True,
        usefulness_statement="Shows operating performance excluding financing, tax and one-off items.",
        release_at=past.release_at,
    )
    regfd.sign_off_nongaap_review(actor=cfo, review=adjusted_ebitda, now=release - timedelta(hours=20))
    release = on_trading_day(clock.ahead(21, 7, 30), earlier=False)
    coming = regfd.create_earnings_event(
        actor=secretary,
        period_label=clock.quarter(),
        release_at=release,
        call_at=release + timedelta(hours=1),
        call_announced_at=clock.past(1, 8),
        dial_in="+1 877 555 0188, passcode 5120",
        webcast_url="https://investors.example.com/events/earnings-call",
        public_access=True,
    )
    regfd.create_nongaap_review(
        actor=secretary,
        measure="Free cash flow",
        comparable_gaap_measure="Net cash provided by operating activities",
        document=f"Earnings release {coming.period_label}",
        earnings_event=coming,
        reconciliation="Operating cash flow less capital expenditures (schedule to be attached).",
        usefulness_statement="Shows cash available for debt service and dividends.",
        release_at=coming.release_at,
    )


def ensure_delegations(users: dict[str, User], cfo: User, clock: _Clock) -> None:
    """The CFO's delegations of the Regulation G sign-off (policy I.F): one revoked when the CFO's trip was
    called off, and one naming the CEO until the coming release while the CFO is on leave, so the CEO (a
    demo login) can sign the coming review as the CFO's delegate once its equal prominence is confirmed."""
    if NonGaapDelegation.objects.exists():
        return
    named = clock.past(30, 9)
    trip = regfd.delegate_nongaap_sign_off(
        actor=cfo,
        now=named,
        delegate=users["secretary"],
        valid_from=named.date(),
        valid_until=named.date() + timedelta(days=4),
        reason="At the Tokyo investor conference; the Corporate Secretary reviews any release that week.",
    )
    regfd.revoke_nongaap_delegation(
        actor=cfo, delegation=trip, reason="The trip was called off.", now=named + timedelta(hours=6)
    )
    named = clock.past(1, 9)
    regfd.delegate_nongaap_sign_off(
        actor=cfo,
        now=named,
        delegate=users["ceo"],
        valid_from=named.date(),
        valid_until=clock.ahead(21, 12).date(),
        reason="On parental leave until after the coming earnings release.",
    )


def ensure_policy_records(users: dict[str, User], clock: _Clock) -> None:
    """Rumors (external; internal and referred to counsel), a correction, an analyst-report review, and
    questions to the Corporate Secretary, one answered (policy I.D, I.E, II.H, II.I)."""
    if PolicyRecord.objects.exists():
        return
    secretary, employee = users["secretary"], users["employee"]
    heard = clock.past(6, 9, 45)
    regfd.log_market_rumor(
        actor=secretary,
        now=heard + timedelta(hours=1),
        occurred_at=heard,
        summary="Message-board rumor of a takeover approach by Navix",
        details="Two analysts called; both were told it is our policy not to comment on rumors.",
        no_comment_given=True,
        internal_source=False,
    )
    heard = clock.past(17, 14)
    regfd.log_market_rumor(
        actor=secretary,
        now=heard + timedelta(hours=20),
        occurred_at=heard,
        summary="Rumor of a plant closure traced to a forwarded internal email",
        no_comment_given=True,
        internal_source=True,
        referred_to_counsel_at=heard + timedelta(hours=19),
    )
    found = clock.past(15, 8, 30)
    regfd.log_correction(
        actor=secretary,
        now=found + timedelta(hours=3),
        occurred_at=found,
        summary="Investor presentation gave the backlog as $512 million",
        details="The correct figure, as in the Form 10-Q, is $412 million.",
        corrected_at=found + timedelta(hours=2, minutes=30),
        correction_method="Corrected presentation posted and press release via Business Wire",
    )
    reviewed = clock.past(9, 15)
    regfd.log_analyst_review(
        actor=users["ceo"],
        now=reviewed + timedelta(hours=1),
        occurred_at=reviewed,
        summary="Kestrel Equity Research initiation note: historical figures checked",
        details="Pointed out that FY2025 segment revenue is in Note 14 of the Form 10-K; no comment on "
        "the model or the estimates.",
        historical_facts_only=True,
    )
    asked_at = clock.past(4, 10)
    asked = regfd.ask_secretary_question(
        actor=employee,
        now=asked_at,
        summary="May I confirm our trade-show dates to an analyst who called?",
        details="The dates are on the events page of our website.",
    )
    regfd.answer_secretary_question(
        actor=secretary,
        record=asked,
        answer="Yes: the dates are public. Refer anything else the analyst asks to the CFO.",
        now=asked_at + timedelta(hours=2),
    )
    regfd.ask_secretary_question(
        actor=employee,
        now=clock.past(1, 17, 20),
        summary="Is the Q4 order book material if it is within guidance?",
        details="A customer's investor-relations contact asked me about our order book.",
    )


def ensure_policy_distribution(users: dict[str, User], clock: _Clock) -> None:
    """The policy in force distributed to all employees; the employee and one committee member have not
    acknowledged it yet, so the outstanding list and the employee's reminder have something to show."""
    policy = current_regfd_policy(on=clock.today)
    if policy is None or PolicyDistribution.objects.filter(policy=policy).exists():
        return
    regfd.distribute_policy(actor=users["secretary"], policy=policy, now=clock.past(30, 9))
    acknowledging = (
        User.objects.filter(is_active=True)
        .exclude(username__in=["employee", "committee2"])
        .exclude(policy_acknowledgements__policy=policy)
        .order_by("username")
    )
    for days, user in enumerate(acknowledging):
        regfd.acknowledge_policy(user=user, policy=policy, now=clock.past(max(29 - days, 1), 10))


def ensure_regfd_records(users: dict[str, User], *, now: datetime) -> None:
    cfo = ensure_cfo()
    clock = _Clock(now)
    ensure_spokespersons(users, cfo, clock)
    ensure_information_requests(users, cfo, clock)
    ensure_communications(users, cfo, clock)
    ensure_earnings(users, cfo, clock)
    ensure_delegations(users, cfo, clock)
    ensure_policy_records(users, clock)
    ensure_policy_distribution(users, clock)


@register_demo("regfd", order=20)
def load_demo(*, company: Company, users: dict[str, User], now: datetime) -> None:
    # Incidents first: they are loaded only into an empty register, and a debrief below opens one more.
    ensure_incidents(users, now=now)
    ensure_regfd_records(users, now=now)
    # The library of public statements, one of them matching the overdue incident (docs/regfd-rules §2.9).
    ensure_public_statements(users, now=now, quarter=_Clock(now).quarter(back=1))
