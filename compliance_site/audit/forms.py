from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import AuditEvent

# The dates a filter may name: far outside them a date cannot become an instant (date.max + 1 day overflows),
# and no audit entry is dated there anyway (docs/architecture.md).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


class FilterDateField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE; anything else is a form error, never a server error."""

    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, **kwargs):
        message = f"Enter a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [
            MinValueValidator(EARLIEST_DATE, message=message),
            MaxValueValidator(LATEST_DATE, message=message),
            *kwargs["validators"],
        ]
        super().__init__(**kwargs)
        self.widget.attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())


class AuditFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", help_text="Record, reason or action")
    actor = forms.CharField(required=False, label="User name")
    object_type = forms.CharField(required=False, label="Record type", help_text="e.g. regfd.incident")
    action = forms.ChoiceField(required=False, choices=[("", "Any action")] + list(AuditEvent.Action.choices))
    # New York dates (the page's filter_events zone): an entry at 23:30 ET is on that New York date.
    date_from = FilterDateField(required=False, label="From (New York date)")
    date_to = FilterDateField(required=False, label="To (New York date)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's note on New York dates (templates/audit/event_list.html) is read with each date field.
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["aria-describedby"] = "audit-dates-note"
