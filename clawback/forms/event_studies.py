"""Forms of the event study: the price file, the study's choices, its application to an award and the
committee's answer (docs/clawback-rules §1.7a)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from ..models import EventStudyAward, PriceSet
from ..services.event_studies import MAX_PEER_FILE

MAX_PRICE_FILE = 5 * 1024 * 1024


class PriceImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="CSV or XLSX: a date column, the company's close, a market index and optionally a peer "
        "index, one row per NYSE trading day. Use prices adjusted for splits (and dividends, for TSR).",
    )
    name = forms.CharField(
        max_length=200, required=False, help_text="Empty: named after the columns and days."
    )
    source = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Where the prices come from: vendor, ticker, the indexes' names, the date of the extract.",
    )
    accept_warnings = forms.BooleanField(
        required=False, label="I have read the warnings; the prices may be used as they are."
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_PRICE_FILE:
            raise ValidationError("The file is larger than 5 MB.")
        return upload


class StudyForm(forms.Form):
    price_set = forms.ModelChoiceField(queryset=PriceSet.objects.none(), empty_label=None)
    event_dates = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="The case's events",
        help_text="Each moved to the first trading day on or after it.",
    )
    other_dates = forms.CharField(
        required=False,
        label="Other event dates",
        help_text="YYYY-MM-DD, separated by commas: other days the news reached the market.",
    )
    estimation_days = forms.IntegerField(
        min_value=60, max_value=1000, initial=250, label="Estimation window (trading days)"
    )
    gap_days = forms.IntegerField(
        min_value=0, max_value=120, initial=10, label="Gap before the first event (trading days)"
    )
    window_start = forms.IntegerField(min_value=-10, max_value=10, initial=0, label="Event window from day")
    window_end = forms.IntegerField(min_value=-10, max_value=10, initial=1, label="to day")
    model = forms.ChoiceField(
        choices=[
            ("market", "Market model (the company against the market index)"),
            ("two_factor", "Two-factor model (market index and peer index)"),
        ]
    )
    significance = forms.TypedChoiceField(
        choices=[("0.05", "5%"), ("0.10", "10%"), ("0.01", "1%")], coerce=float, initial="0.05"
    )
    inflation_method = forms.ChoiceField(
        label="Backcast",
        choices=[
            ("constant_dollar", "Constant dollar: the price carried the same dollar amount of inflation"),
            ("constant_percent", "Constant percentage: the price carried the same share of inflation"),
        ],
    )
    counted = forms.ChoiceField(
        label="Events counted",
        choices=[
            ("significant", "Only events whose cumulative abnormal return is significant"),
            ("all", "Every event"),
        ],
    )
    # Asked, not defaulted: before this day the price carried no inflation, and a TSR measured from a day
    # before it would otherwise have its starting price lowered too (and its return raised).
    inflation_start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day the misstated results were public (the first misstated period's release).",
    )

    def __init__(self, *args, price_sets, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_set"].queryset = price_sets
        self.fields["event_dates"].choices = [
            (d.isoformat(), f"{d:%Y-%m-%d} — {label}") for d, label in proposed
        ]
        if not self.is_bound:
            self.initial.setdefault("event_dates", [d.isoformat() for d, _ in proposed])

    def clean_other_dates(self):
        days = []
        for part in (p.strip() for p in self.cleaned_data["other_dates"].split(",")):
            if not part:
                continue
            try:
                days.append(date.fromisoformat(part))
            except ValueError:
                raise ValidationError(f"“{part}” is not a date written YYYY-MM-DD.") from None
        return days

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start is not None and end is not None and start > end:
            self.add_error("window_end", "The window cannot end before it starts.")
        chosen = [date.fromisoformat(d) for d in data.get("event_dates") or []] + (
            data.get("other_dates") or []
        )
        if not chosen and not self.errors:
            raise ValidationError("Choose at least one event date.")
        data["dates"] = sorted(set(chosen))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "price_set": data["price_set"],
            "event_dates": data["dates"],
            "estimation_days": data["estimation_days"],
            "gap_days": data["gap_days"],
            "window": (data["window_start"], data["window_end"]),
            "model": data["model"],
            "significance": data["significance"],
            "inflation_method": data["inflation_method"],
            "counted": data["counted"],
            "inflation_start": data["inflation_start"],
        }


class ApplyForm(forms.Form):
    measure_kind = forms.ChoiceField(choices=EventStudyAward.MeasureKind.choices, label="The award's measure")
    averaging_days = forms.IntegerField(
        min_value=1,
        max_value=60,
        initial=1,
        help_text="Closes averaged at each measurement date, as the plan says.",
    )
    peer_tsrs = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Peer group TSRs",
        help_text="For a percentile measure: one peer a line, “Name, TSR in percent”, over the same period; "
        "two columns pasted from a spreadsheet are fine.",
    )
    peer_file = forms.FileField(
        required=False,
        label="Or a file of peer TSRs",
        help_text="CSV: the peer's name, then its TSR in percent; a first line naming the columns is fine.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_peer_file(self):
        upload = self.cleaned_data.get("peer_file")
        if upload is not None and upload.size > MAX_PEER_FILE:
            raise ValidationError("The file is larger than 1 MB.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("peer_tsrs", "").strip() and cleaned.get("peer_file"):
            raise ValidationError("Type the peers' TSRs or upload a file of them, not both.")
        return cleaned


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(c, label) for c, label in EventStudyAward.Outcome.choices if c != "proposed"],
        widget=forms.RadioSelect,
        label="The committee",
    )
    value = forms.DecimalField(
        required=False, max_digits=24, decimal_places=6, label="The committee's value (when adjusting)"
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Required to adjust or reject.",
    )
    provided_to_exchange_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Documentation provided to the exchange on",
    )
