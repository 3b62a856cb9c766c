from django import forms

from compliance_site.lib.limits import limit_text_fields

from ..models import Communication, EarningsEvent, Incident, PolicyRecord
from ..selectors_records import authorized_officers
from .incidents import LOCAL_DT, ZonedFormMixin, zone_field
from .spokespersons import DATE, OfficerChoiceField, PersonChoiceField, active_users

INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
YES_NO = [("", "—"), ("yes", "Yes"), ("no", "No")]


def zoned(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=LOCAL_DT, input_formats=INPUT_FORMATS, required=required, help_text=help_text
    )


def time_zone_field(label: str = "Times above are in") -> forms.ChoiceField:
    return zone_field(label)


def yes_no(label: str) -> forms.TypedChoiceField:
    """A required yes/no answer: unlike a checkbox, "not answered" cannot be mistaken for "no"."""
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None
    )


# ---- Requests for MNPI ---------------------------------------------------------------------------------


class InformationRequestForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("received_at",)
    received_at = zoned("Received at")
    time_zone = time_zone_field("Time is in")
    requester_name = forms.CharField(max_length=200, label="Requester's name")
    requester_phone = forms.CharField(max_length=50, label="Requester's number")
    requester_firm = forms.CharField(max_length=200, required=False, label="Firm")
    request = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What they asked for")
    routed_to = OfficerChoiceField(
        queryset=authorized_officers(), label="Routed to", help_text="The authorized officer (CEO or CFO)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routed_to"].queryset = authorized_officers()


class InformationResponseForm(forms.Form):
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Response given")


# ---- Communications ------------------------------------------------------------------------------------


class CommunicationForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("scheduled_at",)
    kind = forms.ChoiceField(choices=Communication.Kind.choices)
    title = forms.CharField(max_length=200)
    scheduled_at = zoned("Scheduled for")
    time_zone = time_zone_field("Time is in")
    spokesperson = PersonChoiceField(queryset=active_users())
    participants = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="The Specified Persons and their firms."
    )
    script = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Script or outline",
        help_text="Prepared in advance, with the anticipated range of questions (policy II.F).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spokesperson"].queryset = active_users()


class CommunicationHeldForm(forms.Form):
    record_of_discussion = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    fls_disclaimer_given = yes_no("Forward-looking-statement disclaimer given at the start?")


class DebriefForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("debriefed_at",)
    debriefed_at = zoned(
        "Debriefed at", help_text="If possible MNPI is flagged, this is T0: when the senior official learned."
    )
    time_zone = time_zone_field("Time is in")
    possible_mnpi = yes_no("Was possible material nonpublic information disclosed?")
    debrief_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    learned_by = forms.CharField(
        max_length=200, required=False, help_text="The senior official who learned of it (default: you)."
    )
    information = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="What may have been disclosed."
    )
    recipient_name = forms.CharField(max_length=200, required=False)
    recipient_firm = forms.CharField(max_length=200, required=False)
    recipient_category = forms.ChoiceField(
        choices=[("", "—"), *Incident.RecipientCategory.choices], required=False
    )
    intentional = forms.BooleanField(required=False, label="The disclosure was intentional")


class CancelForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


# ---- Earnings ------------------------------------------------------------------------------------------


class EarningsForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("release_at", "call_at", "nyse_notice_at", "call_announced_at")
    period_label = forms.CharField(max_length=20, label="Period", help_text="e.g. 2026-Q3")
    release_at = zoned("Earnings release at")
    call_at = zoned("Conference call at")
    nyse_notice_at = zoned(
        "NYSE notified at",
        required=False,
        help_text="Required ≥ 10 minutes ahead for 7:00–16:00 ET releases.",
    )
    call_announced_at = zoned("Call announced (press release) at", required=False)
    time_zone = time_zone_field()
    dial_in = forms.CharField(max_length=200, required=False)
    webcast_url = forms.URLField(required=False, assume_scheme="https")
    public_access = forms.BooleanField(required=False, label="The public could listen (dial-in or webcast)")
    qa_audible_to_all = forms.BooleanField(required=False, label="All listeners could hear the Q&A")
    recording_url = forms.URLField(required=False, assume_scheme="https")
    recording_available_until = forms.DateField(required=False, widget=DATE)


# ---- Regulation G --------------------------------------------------------------------------------------


class NonGaapForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("release_at",)
    measure = forms.CharField(max_length=200, help_text="e.g. Adjusted EBITDA")
    comparable_gaap_measure = forms.CharField(max_length=200, label="Most directly comparable GAAP measure")
    document = forms.CharField(max_length=200, help_text="The release, filing or presentation.")
    earnings_event = forms.ModelChoiceField(queryset=EarningsEvent.objects.none(), required=False)
    reconciliation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The quantitative reconciliation; attach the schedule on the review's page.",
    )
    equal_prominence = forms.BooleanField(
        required=False, label="The GAAP measure is presented with equal or greater prominence"
    )
    usefulness_statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Why the measure is useful to investors (required for historical measures).",
    )
    release_at = zoned("Release at")
    time_zone = time_zone_field("Time is in")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earnings_event"].queryset = EarningsEvent.objects.order_by("-release_at")


# ---- The other records ---------------------------------------------------------------------------------


class _RecordForm(ZonedFormMixin, forms.Form):
    zoned_fields = ("occurred_at",)
    occurred_at = zoned("When")
    time_zone = time_zone_field()
    summary = forms.CharField(max_length=300)
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RumorForm(_RecordForm):
    zoned_fields = ("occurred_at", "referred_to_counsel_at")
    no_comment_given = yes_no('Was the response "our policy is not to comment on rumors"?')
    internal_source = yes_no("Is the source of the rumor internal?")
    referred_to_counsel_at = zoned(
        "Referred to counsel at", required=False, help_text="Required when the source is internal (II.H)."
    )
    field_order = ["occurred_at", "summary", "details", "no_comment_given", "internal_source"]


class CorrectionForm(_RecordForm):
    zoned_fields = ("occurred_at", "corrected_at")
    corrected_at = zoned("Corrected publicly at")
    correction_method = forms.CharField(max_length=200, help_text="Press release, Form 8-K, website...")
    field_order = ["occurred_at", "summary", "details", "corrected_at", "correction_method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = "Found to be incorrect at"
        self.fields["summary"].label = "The statement"


class AnalystReviewForm(_RecordForm):
    historical_facts_only = forms.BooleanField(
        required=False,
        label="I reviewed only matters of historical accuracy verifiable from public information",
        help_text="No comfort on estimates; no guidance (policy I.E).",
    )


class QuestionForm(forms.Form):
    summary = forms.CharField(max_length=300, label="Your question")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Background")


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


RECORD_FORMS = {
    PolicyRecord.Kind.RUMOR: RumorForm,
    PolicyRecord.Kind.CORRECTION: CorrectionForm,
    PolicyRecord.Kind.ANALYST_REVIEW: AnalystReviewForm,
    PolicyRecord.Kind.QUESTION: QuestionForm,
}


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
