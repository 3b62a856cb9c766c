from django.db import models
from django.db.models import Q
from django.utils import timezone

from compliance_site.audit.recorder import register
from compliance_site.db import check, unique, user_ref


@register
class Communication(models.Model):
    """A communication with Specified Persons, scheduled ahead, with its script or outline and a record of
    what was said (policy II.F). A debrief flagging possible MNPI opens an incident and starts its clock."""

    class Kind(models.TextChoices):
        ANALYST_CALL = "analyst_call", "Analyst call"
        MEETING = "meeting", "Meeting"
        CONFERENCE = "conference", "Investor or industry conference"
        BREAKOUT = "breakout", "Breakout session"
        INTERVIEW = "interview", "Interview"
        SPEECH = "speech", "Speech"
        INVESTOR_VISIT = "investor_visit", "Analyst or investor visit"
        WEBSITE = "website", "Website posting"
        SOCIAL_MEDIA = "social_media", "Social media posting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held — awaiting debrief"
        DEBRIEFED = "debriefed", "Debriefed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField()
    spokesperson = user_ref()
    participants = models.TextField(help_text="The Specified Persons and their firms.")
    script = models.TextField(
        blank=True, help_text="Script or outline prepared in advance, with anticipated Q&A."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    spokesperson_authorized = models.BooleanField(
        default=False, help_text="Computed when scheduled: an authorized officer or a valid authorization."
    )
    authorization_note = models.CharField(max_length=300, blank=True)
    # Nullable yes/no answers: None is "not answered yet" (before the communication is held or debriefed).
    fls_disclaimer_given = models.BooleanField(
        null=True, blank=True, help_text="Forward-looking-statement disclaimer given (blank until held)."
    )
    record_of_discussion = models.TextField(blank=True)
    possible_mnpi = models.BooleanField(
        null=True, blank=True, help_text="Possible MNPI disclosed, per the debrief (blank until debriefed)."
    )
    debrief_notes = models.TextField(blank=True)
    debriefed_at = models.DateTimeField(null=True, blank=True)
    debriefed_by = user_ref(optional=True)
    created_by = user_ref()
    # Set by schedule_communication from the request's `now`: when it was scheduled, ahead of the event.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="communication_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def is_signed_off(self) -> bool:
        return self.status == self.Status.DEBRIEFED


@register
class InformationRequest(models.Model):
    """A request from outside the company for material nonpublic information (policy I.A): the receiver
    does not answer; they log the requester's name and number and route it to an authorized officer."""

    received_by = user_ref()
    received_at = models.DateTimeField()
    requester_name = models.CharField(max_length=200)
    requester_phone = models.CharField(max_length=50)
    requester_firm = models.CharField(max_length=200, blank=True)
    request = models.TextField()
    routed_to = user_ref()
    response = models.TextField(blank=True)
    responded_by = user_ref(optional=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            check(
                Q(responded_by__isnull=True) | ~Q(responded_by=models.F("received_by")),
                name="informationrequest_not_answered_by_receiver",
                message="The person who received the request cannot also be the one who answered it.",
            )
        ]

    def __str__(self):
        return f"Request from {self.requester_name} ({self.received_at:%Y-%m-%d})"


@register
class EarningsEvent(models.Model):
    """A quarterly earnings release and call, as the policy's checklist (policy I.C, II.D–E) and the NYSE
    timely-alert rule: 10 minutes' advance notice for material news released between 7:00 and 16:00 ET."""

    class Timing(models.TextChoices):
        BEFORE_OPEN = "before_open", "Before the market opens"
        AFTER_CLOSE = "after_close", "After the market closes"
        DURING_SESSION = "during_session", "During the trading session"

    period_label = models.CharField(max_length=20, help_text="e.g. 2026-Q3")
    release_at = models.DateTimeField()
    release_timing = models.CharField(max_length=20, choices=Timing.choices, editable=False)
    nyse_notice_required = models.BooleanField(default=False, editable=False)
    nyse_notice_at = models.DateTimeField(null=True, blank=True)
    call_at = models.DateTimeField()
    call_announced_at = models.DateTimeField(
        null=True, blank=True, help_text="Advance press release of the call."
    )
    dial_in = models.CharField(max_length=200, blank=True)
    webcast_url = models.URLField(blank=True)
    public_access = models.BooleanField(default=False, help_text="Anyone could listen (dial-in or webcast).")
    qa_audible_to_all = models.BooleanField(default=False)
    recording_url = models.URLField(blank=True)
    recording_available_until = models.DateField(null=True, blank=True)
    created_by = user_ref()

    class Meta:
        ordering = ["-release_at"]
        constraints = [unique("period_label", name="earningsevent_unique_period")]

    def __str__(self):
        return f"Earnings {self.period_label}"


@register
class NonGaapReview(models.Model):
    """A Regulation G review of a non-GAAP measure before release (policy I.F): the comparable GAAP measure,
    the reconciliation, equal prominence, the usefulness statement, and the CFO's sign-off, with the capacity
    it was given in: the CFO's own, or a delegate's under a delegation the CFO recorded (docs/regfd-rules
    §2.6). A review signed before capacities were recorded has none."""

    class Capacity(models.TextChoices):
        CFO = "cfo", "CFO"
        DELEGATE = "delegate", "Delegate of the CFO"

    measure = models.CharField(max_length=200, help_text="e.g. Adjusted EBITDA")
    comparable_gaap_measure = models.CharField(max_length=200)
    document = models.CharField(max_length=200, help_text="The release, filing or presentation.")
    earnings_event = models.ForeignKey(
        EarningsEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    reconciliation = models.TextField(help_text="The quantitative reconciliation (attach the schedule too).")
    equal_prominence = models.BooleanField(default=False)
    usefulness_statement = models.TextField(blank=True)
    release_at = models.DateTimeField()
    signed_off_by = user_ref(optional=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_as = models.CharField(max_length=10, choices=Capacity.choices, blank=True)
    signed_under = models.ForeignKey(
        "regfd.NonGaapDelegation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sign_offs",
        help_text="The delegation a delegate signed off under.",
    )

    class Meta:
        ordering = ["-release_at"]
        constraints = [
            check(
                Q(signed_off_as="") | Q(signed_off_at__isnull=False, signed_off_by__isnull=False),
                name="nongaapreview_capacity_of_a_sign_off",
                message="A capacity is recorded with a sign-off, never without one.",
            ),
            check(
                Q(signed_off_as="delegate", signed_under__isnull=False)
                | (~Q(signed_off_as="delegate") & Q(signed_under__isnull=True)),
                name="nongaapreview_delegate_names_the_delegation",
                message="A delegate's sign-off names its delegation, and only a delegate's does.",
            ),
        ]

    def __str__(self):
        return f"{self.measure} in {self.document}"

    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def sign_off_capacity(self) -> str:
        """The capacity of the sign-off in words: "CFO", or "delegate of <CFO> (CFO) under delegation #n"."""
        if self.signed_off_as == self.Capacity.DELEGATE:
            delegation = self.signed_under
            return f"delegate of {delegation.delegator} (CFO) under delegation #{delegation.pk}"
        if self.is_signed_off() and not self.signed_off_as:
            return "authorized officer (signed before capacities were recorded)"
        return self.get_signed_off_as_display()


@register
class PolicyRecord(models.Model):
    """The policy's other records, one log: market rumors (no-comment, internal source to counsel),
    corrections of material public statements, analyst-report reviews limited to historical facts, and
    questions to the Corporate Secretary with the answer (policy I.D, I.E, II.H, II.I)."""

    class Kind(models.TextChoices):
        RUMOR = "rumor", "Market rumor"
        CORRECTION = "correction", "Correction of a public statement"
        ANALYST_REVIEW = "analyst_review", "Analyst report review"
        QUESTION = "question", "Question to the Corporate Secretary"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    summary = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    # Yes/no answers that apply to one kind only: None (blank) on the other kinds.
    # Rumors
    no_comment_given = models.BooleanField(null=True, blank=True)
    internal_source = models.BooleanField(null=True, blank=True)
    referred_to_counsel_at = models.DateTimeField(null=True, blank=True)
    # Corrections
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_method = models.CharField(max_length=200, blank=True)
    # Analyst report reviews
    historical_facts_only = models.BooleanField(null=True, blank=True)
    # Questions
    answer = models.TextField(blank=True)
    answered_by = user_ref(optional=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by = user_ref()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["kind", "occurred_at"], name="policyrecord_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"
