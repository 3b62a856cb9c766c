"""The Reg FD policy's records: requests for MNPI, communications with Specified Persons, earnings releases
and calls, Regulation G reviews, and the other records (rumors, corrections, analyst-report reviews,
questions to the Corporate Secretary). Each business action is one function.

The market-timing rules at the top are pure (standard library only) so they read as the rule and test in
milliseconds: NYSE core session 9:30–16:00 ET (docs/regfd-rules §3.1) and the NYSE timely-alert policy,
10 minutes' notice before material news released between 7:00 and 16:00 ET (LCM 202.05/202.06;
docs/regfd-rules §2.2).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context
from compliance_site.lib.markets import TradingCalendar

from ..calendar_source import current_calendar
from ..earnings_calendar import check_scheduled, market_day, release_session
from ..models import (
    Communication,
    EarningsEvent,
    Incident,
    InformationRequest,
    MarketClosure,
    NonGaapReview,
    PolicyRecord,
)
from . import incidents as incident_services
from .common import locked, require_aware, require_past, require_text, save
from .delegations import signing_authority
from .spokespersons import is_authorized_officer, spokesperson_status

NEW_YORK = ZoneInfo("America/New_York")
MARKET_OPEN = time(9, 30)
MARKET_CLOSE = time(16, 0)
NYSE_ALERT_FROM = time(7, 0)
NYSE_ALERT_UNTIL = time(16, 0)
NYSE_NOTICE_LEAD = timedelta(minutes=10)


# ---- Pure rules ----------------------------------------------------------------------------------------


def _new_york_wall_clock(instant: datetime) -> time:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime: give the time with its zone")
    # Convert the instant to New York wall-clock time with zoneinfo, so the EST/EDT offset is the one in
    # force on that date: 11:30 UTC is 6:30 ET in February but 7:30 ET after DST starts in March.
    return instant.astimezone(NEW_YORK).time()


def release_timing(release_at: datetime, *, calendar: TradingCalendar | None = None) -> str:
    """Before the 9:30 ET open, at or after the close, or during the session (New York time).

    With the NYSE calendar (as the services always pass it), the close is that day's: 13:00 on an early
    close, and a release on a day the NYSE is closed comes before the next open (regfd/earnings_calendar.py;
    docs/regfd-rules §2.8). Without it, every weekday is taken as a regular 9:30-16:00 session."""
    if calendar is not None:
        return release_session(release_at, calendar=calendar)
    local = _new_york_wall_clock(release_at)
    if local < MARKET_OPEN:
        return EarningsEvent.Timing.BEFORE_OPEN
    if local >= MARKET_CLOSE:
        return EarningsEvent.Timing.AFTER_CLOSE
    return EarningsEvent.Timing.DURING_SESSION


def nyse_notice_required(release_at: datetime) -> bool:
    """Material news released between 7:00 and 16:00 ET (both ends included, the conservative reading)
    needs notice to the NYSE at least 10 minutes before release.

    The window is clock hours, not the session: it stays 7:00-16:00 on an early close, and a release on a
    day the NYSE is closed is still held to it (the conservative reading); the checklist flags that release
    separately so it is moved to a trading day (docs/regfd-rules §2.8)."""
    local = _new_york_wall_clock(release_at)
    return NYSE_ALERT_FROM <= local <= NYSE_ALERT_UNTIL


def nyse_notice_given_in_time(release_at: datetime, notice_at: datetime | None) -> bool:
    return notice_at is not None and notice_at <= release_at - NYSE_NOTICE_LEAD


@dataclass(frozen=True)
class CheckItem:
    """One line of the earnings checklist: ok is True (green), False (red) or None (not applicable)."""

    key: str
    label: str
    ok: bool | None
    detail: str


def closure_names(exchange: str) -> dict[date, str]:
    """The calendar's names for its closures and early closes ("Christmas Day"), asked only when a release
    or call falls on one, so an ordinary checklist costs no query for names."""

    rows = MarketClosure.objects.filter(exchange=exchange, active=True)
    return dict(rows.values_list("date", "name"))


def _calendar_items(event: EarningsEvent, calendar: TradingCalendar, names_of_closures) -> list[CheckItem]:
    """The release and the call against the NYSE calendar (regfd/earnings_calendar.py): each on a trading day,
    and the release before the open or after that day's close (13:00 on an early close)."""
    release_label = "Release on an NYSE trading day"
    call_label = "Call on an NYSE trading day"
    try:
        days = {market_day(at, calendar=calendar, names={}) for at in (event.release_at, event.call_at)}
    except ValueError as exc:  # a date outside the years the calendar table covers
        return [
            CheckItem("release_day", release_label, False, str(exc)),
            CheckItem("call_day", call_label, False, str(exc)),
        ]
    unusual = {d.day for d in days if not d.trading or d.early_close}
    names = names_of_closures() if unusual else {}
    release = check_scheduled(event.release_at, what="release", calendar=calendar, names=names)
    call = check_scheduled(event.call_at, what="call", calendar=calendar, names=names)
    timing = release_session(event.release_at, calendar=calendar)
    timing_detail = EarningsEvent.Timing(timing).label
    if release.ok and calendar.is_early_close(calendar.local_date(event.release_at)):
        timing_detail += " (an early close: the NYSE closes at 13:00 ET that day)"
    return [
        CheckItem("release_day", release_label, release.ok, release.detail),
        CheckItem(
            "release_timing",
            "Release before the open or after the close (policy I.C)",
            timing != EarningsEvent.Timing.DURING_SESSION,
            timing_detail,
        ),
        CheckItem("call_day", call_label, call.ok, call.detail),
    ]


def earnings_checklist(
    event: EarningsEvent,
    *,
    today: date,
    calendar: TradingCalendar | None = None,
    names_of_closures: Callable[[], dict[date, str]] | None = None,
) -> list[CheckItem]:
    """The policy's earnings checklist (I.C, II.C–E), the NYSE calendar and the NYSE timely alert, item by
    item. `calendar` defaults to the current NYSE calendar table (docs/regfd-rules §3.3): a release or call on
    a day the NYSE is closed is red, and the release's timing uses that day's close. A list passes the one
    calendar, and `names_of_closures` (read once), to every row."""
    if calendar is None:
        calendar = current_calendar()
    if names_of_closures is None:
        exchange = calendar.exchange

        def names_of_closures():
            return closure_names(exchange)

    release_day, timing_item, call_day = _calendar_items(event, calendar, names_of_closures)
    items = [release_day, timing_item]
    if event.nyse_notice_required:
        in_time = nyse_notice_given_in_time(event.release_at, event.nyse_notice_at)
        if event.nyse_notice_at is None:
            detail = "Required (released between 7:00 and 16:00 ET) but no notice to the NYSE is recorded."
        elif in_time:
            detail = "Notice given at least 10 minutes before the release."
        else:
            detail = "Notice given less than 10 minutes before the release (or after it)."
        items.append(CheckItem("nyse_notice", "NYSE notified ≥ 10 minutes before release", in_time, detail))
    else:
        items.append(
            CheckItem(
                "nyse_notice",
                "NYSE notified ≥ 10 minutes before release",
                None,
                "Not required: released outside 7:00–16:00 ET.",
            )
        )
    items.append(call_day)
    access_details = bool(event.dial_in or event.webcast_url)
    announced = event.call_announced_at is not None and event.call_announced_at < event.call_at
    items.append(
        CheckItem(
            "call_announced",
            "Call announced by advance press release, with dial-in or webcast details (policy II.E)",
            announced and access_details,
            "Announced."
            if announced and access_details
            else (
                "No dial-in or webcast details recorded."
                if announced
                else "No advance announcement recorded."
            ),
        )
    )
    items.append(
        CheckItem(
            "public_access",
            "The public could listen (dial-in or webcast) (policy II.D)",
            bool(event.public_access and access_details),
            "Open to the public." if event.public_access else "Public access not confirmed.",
        )
    )
    items.append(
        CheckItem(
            "qa_audible",
            "All listeners could hear the questions and answers (policy I.C)",
            bool(event.qa_audible_to_all),
            "Confirmed." if event.qa_audible_to_all else "Not confirmed.",
        )
    )
    recording_ok = bool(event.recording_url and event.recording_available_until)
    if recording_ok:
        detail = f"Available until {event.recording_available_until:%Y-%m-%d}."
        if event.recording_available_until < today:
            detail += " That date has passed."
    else:
        detail = "No recording link or availability date recorded."
    items.append(
        CheckItem(
            "recording", "Recording publicly available on the website (policy I.C)", recording_ok, detail
        )
    )
    return items


# ---- Requests for material nonpublic information (policy I.A) ------------------------------------------


@transaction.atomic
def log_information_request(
    *,
    actor,
    now: datetime,
    received_at: datetime,
    requester_name: str,
    requester_phone: str,
    request: str,
    routed_to,
    requester_firm: str = "",
) -> InformationRequest:
    """Someone outside asked for material nonpublic information: the receiver does not answer, but logs
    the requester's name and number and routes it to an authorized officer (policy I.A)."""
    require_aware(received_at, "received_at")
    if received_at > now:
        raise ValidationError({"received_at": "The request cannot be received in the future."})
    require_text(requester_name, "requester_name", "Ask for the person's name.")
    require_text(requester_phone, "requester_phone", "Ask for the person's number.")
    if not is_authorized_officer(routed_to):
        raise ValidationError({"routed_to": "Route the request to an authorized officer (the CEO or CFO)."})
    if routed_to == actor:
        raise ValidationError(
            {"routed_to": "You received this request: route it to the other authorized officer to answer."}
        )
    item = InformationRequest(
        received_by=actor,
        received_at=received_at,
        requester_name=requester_name,
        requester_phone=requester_phone,
        requester_firm=requester_firm,
        request=request,
        routed_to=routed_to,
    )
    return save(item, actor=actor)


@transaction.atomic
def record_information_response(
    *, actor, information_request: InformationRequest, response: str, now: datetime
) -> InformationRequest:
    """The authorized officer the request was routed to records how it was answered. The person who received
    it never does (policy I.A; a database constraint backs this)."""
    item = locked(information_request)
    if item.responded_at is not None:
        raise ValidationError("The response to this request is already recorded.")
    if actor == item.received_by:
        raise ValidationError(
            "You received this request: the authorized officer it was routed to answers it."
        )
    if actor != item.routed_to or not is_authorized_officer(actor):
        raise ValidationError("Only the authorized officer this request was routed to records the response.")
    require_text(response, "response", "Record the response given.")
    item.response = response
    item.responded_by = actor
    item.responded_at = now
    return save(item, actor=actor)


# ---- Communications with Specified Persons (policy II.F) -----------------------------------------------


@transaction.atomic
def schedule_communication(
    *,
    actor,
    now: datetime,
    kind: str,
    title: str,
    scheduled_at: datetime,
    spokesperson,
    participants: str,
    script: str = "",
) -> Communication:
    """Schedule a communication with Specified Persons ahead of time, with its script or outline. Whether the
    spokesperson may speak at that time (policy I.A) is checked and stored with the reason."""
    require_aware(scheduled_at, "scheduled_at")
    if scheduled_at <= now:
        raise ValidationError({"scheduled_at": "Communications are scheduled ahead of time (policy II.F)."})
    authorized, note = spokesperson_status(spokesperson, scheduled_at)
    communication = Communication(
        kind=kind,
        title=title,
        scheduled_at=scheduled_at,
        spokesperson=spokesperson,
        participants=participants,
        script=script,
        spokesperson_authorized=authorized,
        authorization_note=note[:300],
        created_by=actor,
        created_at=now,
    )
    return save(communication, actor=actor)


def _locked_communication(communication: Communication, expected: str, doing: str) -> Communication:
    communication = locked(communication)
    if communication.status != expected:
        current = communication.get_status_display().lower()
        required = Communication.Status(expected).label.lower()
        raise ValidationError(f"Cannot {doing}: this communication is {current} (it must be {required}).")
    return communication


@transaction.atomic
def record_communication_held(
    *,
    actor,
    communication: Communication,
    now: datetime,
    record_of_discussion: str,
    fls_disclaimer_given: bool,
) -> Communication:
    """After the communication: the record of what was discussed, and whether the forward-looking-statement
    disclaimer was given at the start (policy II.F)."""
    communication = _locked_communication(communication, Communication.Status.SCHEDULED, "record it as held")
    if now < communication.scheduled_at:
        raise ValidationError("The communication has not taken place yet.")
    require_text(record_of_discussion, "record_of_discussion", "Record what was discussed.")
    if fls_disclaimer_given not in (True, False):
        raise ValidationError({"fls_disclaimer_given": "Say whether the disclaimer was given."})
    communication.record_of_discussion = record_of_discussion
    communication.fls_disclaimer_given = fls_disclaimer_given
    communication.status = Communication.Status.HELD
    return save(communication, actor=actor)


@transaction.atomic
def debrief_communication(
    *,
    actor,
    communication: Communication,
    now: datetime,
    debriefed_at: datetime,
    possible_mnpi: bool,
    debrief_notes: str,
    learned_by: str = "",
    information: str = "",
    recipient_name: str = "",
    recipient_firm: str = "",
    recipient_category: str = "",
    intentional: bool = False,
    disclosed_at: datetime | None = None,
) -> tuple[Communication, Incident | None]:
    """Debrief a held communication. If it flags possible material nonpublic information, an incident is
    opened in the same transaction with T0 = `debriefed_at` (when the senior official debriefing learned of
    it) and linked to the communication, so its public-disclosure clock starts (policy I.B;
    docs/regfd-rules §2.2). The disclosure time defaults to the communication's scheduled time."""
    communication = _locked_communication(communication, Communication.Status.HELD, "debrief it")
    require_aware(debriefed_at, "debriefed_at")
    require_aware(disclosed_at, "disclosed_at", required=False)
    if debriefed_at > now:
        raise ValidationError({"debriefed_at": "The debrief time is in the future."})
    if debriefed_at < communication.scheduled_at:
        raise ValidationError({"debriefed_at": "The debrief cannot precede the communication."})
    if possible_mnpi not in (True, False):
        raise ValidationError({"possible_mnpi": "Say whether possible MNPI was disclosed."})
    require_text(debrief_notes, "debrief_notes", "Summarize the debrief.")
    if possible_mnpi:
        missing = {
            name: "Required when the debrief flags possible MNPI."
            for name, value in (
                ("information", information),
                ("recipient_name", recipient_name),
                ("recipient_category", recipient_category),
            )
            if not (value or "").strip()
        }
        if missing:
            raise ValidationError(missing)
    communication.possible_mnpi = possible_mnpi
    communication.debrief_notes = debrief_notes
    communication.debriefed_at = debriefed_at
    communication.debriefed_by = actor
    communication.status = Communication.Status.DEBRIEFED
    save(communication, actor=actor)
    if not possible_mnpi:
        return communication, None
    incident = incident_services.open_incident(
        actor=actor,
        now=now,
        title=f"Possible MNPI at {communication.get_kind_display().lower()}: {communication.title}"[:200],
        disclosed_by=str(communication.spokesperson),
        recipient_name=recipient_name,
        recipient_firm=recipient_firm,
        recipient_category=recipient_category,
        information=information,
        disclosed_at=disclosed_at or communication.scheduled_at,
        learned_at=debriefed_at,
        learned_by=learned_by.strip() or f"{actor} (debrief)",
        intentional=intentional,
    )
    incident.source_communication = communication
    incident.full_clean()
    with audit_context(actor=actor):
        incident.save(update_fields=["source_communication"])
    return communication, incident


@transaction.atomic
def cancel_communication(*, actor, communication: Communication, reason: str) -> Communication:
    """Cancel a scheduled communication, with the reason (kept in the audit trail)."""
    communication = _locked_communication(communication, Communication.Status.SCHEDULED, "cancel it")
    require_text(reason, "reason", "Say why the communication is cancelled.")
    communication.status = Communication.Status.CANCELLED
    return save(communication, actor=actor, reason=reason)


# ---- Earnings releases and calls (policy I.C, II.C–E; NYSE timely alert) -------------------------------

EARNINGS_FIELDS = (
    "period_label",
    "release_at",
    "call_at",
    "nyse_notice_at",
    "call_announced_at",
    "dial_in",
    "webcast_url",
    "public_access",
    "qa_audible_to_all",
    "recording_url",
    "recording_available_until",
)


def _require_known_fields(data: dict, fields: tuple[str, ...]) -> None:
    """A partial update may change only what the record's create service takes: any other name is the
    caller's mistake, refused rather than silently set on the model."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")


def _apply_earnings_rules(event: EarningsEvent) -> None:
    for name in ("release_at", "call_at"):
        require_aware(getattr(event, name), name)
    for name in ("nyse_notice_at", "call_announced_at"):
        require_aware(getattr(event, name), name, required=False)
    if event.call_announced_at is not None and event.call_announced_at >= event.call_at:
        raise ValidationError(
            {"call_announced_at": "The call is announced in advance, before it takes place."}
        )
    if (
        event.recording_available_until is not None
        and event.recording_available_until < event.call_at.astimezone(NEW_YORK).date()
    ):
        raise ValidationError(
            {"recording_available_until": "The recording cannot be kept until before the call."}
        )
    # Stored with the event so lists and reports read the rule's answer, not re-derive it; the session is
    # that day's on the current NYSE calendar (13:00 close on an early close).
    try:
        event.release_timing = release_timing(event.release_at, calendar=current_calendar())
    except ValueError as exc:  # a release date outside the years the calendar covers
        raise ValidationError({"release_at": str(exc)}) from exc
    event.nyse_notice_required = nyse_notice_required(event.release_at)


@transaction.atomic
def create_earnings_event(
    *,
    actor,
    period_label: str,
    release_at: datetime,
    call_at: datetime,
    nyse_notice_at: datetime | None = None,
    call_announced_at: datetime | None = None,
    dial_in: str = "",
    webcast_url: str = "",
    public_access: bool = False,
    qa_audible_to_all: bool = False,
    recording_url: str = "",
    recording_available_until: date | None = None,
) -> EarningsEvent:
    """Open the checklist for a quarter's earnings release and call; the release's timing relative to the
    market and whether the NYSE must be notified are computed from New York wall-clock time."""
    event = EarningsEvent(
        period_label=period_label.strip(),
        release_at=release_at,
        call_at=call_at,
        nyse_notice_at=nyse_notice_at,
        call_announced_at=call_announced_at,
        dial_in=dial_in,
        webcast_url=webcast_url,
        public_access=public_access,
        qa_audible_to_all=qa_audible_to_all,
        recording_url=recording_url,
        recording_available_until=recording_available_until,
        created_by=actor,
    )
    _apply_earnings_rules(event)
    return save(event, actor=actor)


@transaction.atomic
def update_earnings_event(*, actor, event: EarningsEvent, data: dict) -> EarningsEvent:
    """Record checklist evidence (notice given, call announced, recording posted...) or correct a time; the
    computed timing is recomputed."""
    _require_known_fields(data, EARNINGS_FIELDS)
    event = locked(event)
    for name, value in data.items():
        setattr(event, name, value.strip() if name == "period_label" else value)
    _apply_earnings_rules(event)
    return save(event, actor=actor)


# ---- Regulation G reviews (policy I.F; docs/regfd-rules §2.6) ---------------------------------------

NONGAAP_FIELDS = (
    "measure",
    "comparable_gaap_measure",
    "document",
    "earnings_event",
    "reconciliation",
    "equal_prominence",
    "usefulness_statement",
    "release_at",
)


@transaction.atomic
def create_nongaap_review(
    *,
    actor,
    measure: str,
    comparable_gaap_measure: str,
    document: str,
    reconciliation: str,
    release_at: datetime,
    equal_prominence: bool = False,
    usefulness_statement: str = "",
    earnings_event: EarningsEvent | None = None,
) -> NonGaapReview:
    """Open the Regulation G review of a non-GAAP measure before it is released."""
    require_aware(release_at, "release_at")
    review = NonGaapReview(
        measure=measure,
        comparable_gaap_measure=comparable_gaap_measure,
        document=document,
        earnings_event=earnings_event,
        reconciliation=reconciliation,
        equal_prominence=equal_prominence,
        usefulness_statement=usefulness_statement,
        release_at=release_at,
    )
    return save(review, actor=actor)


@transaction.atomic
def update_nongaap_review(*, actor, review: NonGaapReview, data: dict) -> NonGaapReview:
    """Revise a review before sign-off (e.g. equal prominence confirmed after the draft was fixed)."""
    _require_known_fields(data, NONGAAP_FIELDS)
    review = locked(review)
    if review.is_signed_off():
        raise ValidationError("This review is signed off; a change needs a new review.")
    for name, value in data.items():
        setattr(review, name, value)
    require_aware(review.release_at, "release_at")
    return save(review, actor=actor)


@transaction.atomic
def sign_off_nongaap_review(*, actor, review: NonGaapReview, now: datetime) -> NonGaapReview:
    """The CFO, or a delegate under a live delegation from the CFO, signs off before the release: only with
    the GAAP measure given equal prominence and a reconciliation (policy I.F: "reviewed in advance ... by our
    CFO"). The review records the capacity it was signed in (docs/regfd-rules §2.6)."""
    authority = signing_authority(actor, now=now, lock=True)
    if authority.refusal:
        raise ValidationError(authority.refusal)
    review = locked(review)
    if review.is_signed_off():
        raise ValidationError("This review is already signed off.")
    if now >= review.release_at:
        raise ValidationError("Sign-off must precede the release; this one is already released.")
    problems = {}
    if not review.equal_prominence:
        problems["equal_prominence"] = "Confirm the GAAP measure has equal or greater prominence first."
    if not review.reconciliation.strip():
        problems["reconciliation"] = "A quantitative reconciliation to the GAAP measure is required."
    if problems:
        raise ValidationError(problems)
    review.signed_off_by = actor
    review.signed_off_at = now
    review.signed_off_as = authority.capacity
    review.signed_under = authority.delegation
    details = {"capacity": review.sign_off_capacity()}
    return save(review, actor=actor, verb="sign_off_nongaap_review", details=details)


# ---- The other records (policy I.D, I.E, II.H, II.I) ---------------------------------------------------


def _new_record(
    *, actor, kind: str, occurred_at: datetime, now: datetime, summary: str, details: str, **extra
):
    require_aware(occurred_at, "occurred_at")
    require_past(occurred_at, "occurred_at", now=now)
    record = PolicyRecord(
        kind=kind, occurred_at=occurred_at, summary=summary, details=details, recorded_by=actor, **extra
    )
    return save(record, actor=actor)


@transaction.atomic
def log_market_rumor(
    *,
    actor,
    now: datetime,
    occurred_at: datetime,
    summary: str,
    no_comment_given: bool,
    internal_source: bool,
    referred_to_counsel_at: datetime | None = None,
    details: str = "",
) -> PolicyRecord:
    """A market rumor: the response is "our policy is not to comment on rumors"; if the rumor's source is
    internal, counsel must be consulted (policy II.H)."""
    if no_comment_given not in (True, False):
        raise ValidationError({"no_comment_given": "Say whether the no-comment response was given."})
    if internal_source not in (True, False):
        raise ValidationError({"internal_source": "Say whether the source is internal."})
    if not no_comment_given and not details.strip():
        raise ValidationError(
            {"details": "The policy is not to comment on rumors: record what was said instead."}
        )
    require_aware(referred_to_counsel_at, "referred_to_counsel_at", required=False)
    if internal_source and referred_to_counsel_at is None:
        raise ValidationError(
            {"referred_to_counsel_at": "An internal source must be referred to counsel (policy II.H)."}
        )
    require_past(referred_to_counsel_at, "referred_to_counsel_at", now=now)
    return _new_record(
        actor=actor,
        kind=PolicyRecord.Kind.RUMOR,
        occurred_at=occurred_at,
        now=now,
        summary=summary,
        details=details,
        no_comment_given=no_comment_given,
        internal_source=internal_source,
        referred_to_counsel_at=referred_to_counsel_at,
    )


@transaction.atomic
def log_correction(
    *,
    actor,
    now: datetime,
    occurred_at: datetime,
    summary: str,
    corrected_at: datetime,
    correction_method: str,
    details: str = "",
) -> PolicyRecord:
    """A material public statement found incorrect (`occurred_at`: when found) and its public correction
    (policy I.D: "correct it immediately via appropriate public disclosure")."""
    require_aware(occurred_at, "occurred_at")
    require_aware(corrected_at, "corrected_at")
    require_text(correction_method, "correction_method", "Say how it was corrected (press release, 8-K...).")
    require_past(corrected_at, "corrected_at", now=now)
    if corrected_at < occurred_at:
        raise ValidationError({"corrected_at": "The correction cannot precede finding the error."})
    return _new_record(
        actor=actor,
        kind=PolicyRecord.Kind.CORRECTION,
        occurred_at=occurred_at,
        now=now,
        summary=summary,
        details=details,
        corrected_at=corrected_at,
        correction_method=correction_method,
    )


@transaction.atomic
def log_analyst_review(
    *,
    actor,
    now: datetime,
    occurred_at: datetime,
    summary: str,
    historical_facts_only: bool,
    details: str = "",
) -> PolicyRecord:
    """An authorized officer's review of an analyst's note or questions, limited to historical facts that
    can be verified from public information; never comfort on estimates (policy I.E)."""
    if not is_authorized_officer(actor):
        raise ValidationError("Only an authorized officer (the CEO or CFO) reviews analyst reports.")
    if historical_facts_only is not True:
        message = "Reviews cover only historical facts that public information verifies."
        raise ValidationError({"historical_facts_only": message})
    return _new_record(
        actor=actor,
        kind=PolicyRecord.Kind.ANALYST_REVIEW,
        occurred_at=occurred_at,
        now=now,
        summary=summary,
        details=details,
        historical_facts_only=True,
    )


@transaction.atomic
def ask_secretary_question(*, actor, now: datetime, summary: str, details: str = "") -> PolicyRecord:
    """A question to the Corporate Secretary on materiality or the policy (policy II.I)."""
    return _new_record(
        actor=actor,
        kind=PolicyRecord.Kind.QUESTION,
        occurred_at=now,
        now=now,
        summary=summary,
        details=details,
    )


@transaction.atomic
def answer_secretary_question(*, actor, record: PolicyRecord, answer: str, now: datetime) -> PolicyRecord:
    """The Corporate Secretary's answer (regfd.manage), recorded with who answered and when."""
    if not has_capability(actor, "regfd.manage"):
        raise ValidationError("Only the Corporate Secretary answers questions under the policy.")
    record = locked(record)
    if record.kind != PolicyRecord.Kind.QUESTION:
        raise ValidationError("Only questions to the Corporate Secretary are answered.")
    if record.answered_at is not None:
        raise ValidationError("This question is already answered.")
    require_text(answer, "answer", "Write the answer.")
    record.answer = answer
    record.answered_by = actor
    record.answered_at = now
    return save(record, actor=actor)
