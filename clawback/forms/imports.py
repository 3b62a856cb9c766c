from pathlib import PurePath

from django import forms

from compliance_site.lib.limits import limit_text_fields

from ..models import Restatement
from ..services.imports import FORMATS, MAX_BYTES
from .whatif import WhatIfForm


def _read(upload) -> dict:
    """fmt, content and name of an uploaded .csv/.xlsx file; a ValidationError for any other."""
    fmt = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise forms.ValidationError("Upload a .csv or .xlsx file.")
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    return {"fmt": fmt, "content": upload.read(), "name": PurePath(upload.name).name}


class RecordsImportForm(forms.Form):
    """A CSV or XLSX file to check (dry run) or import; a file that passed a dry run is kept on the
    server under `token`, so it need not be chosen again to import it.

    Per kind: an awards import may take a second file with the scorecard goals (for a CSV; a workbook has
    them on its "goals" sheet); a restated values import is for one case, chosen here, with a reason once
    the case is signed off."""

    file = forms.FileField(required=False, label="File (.csv or .xlsx)")
    goals_file = forms.FileField(
        required=False,
        label="Goals file (.csv or .xlsx), for scorecard awards",
        help_text="The goals of the file's scorecard awards, with the award goals columns. Not needed for a "
        "workbook that has them on its 'goals' sheet.",
    )
    case = forms.ModelChoiceField(
        queryset=Restatement.objects.none(),
        label="Case",
        help_text="The restated figures are this case's own: no other case reads them.",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required once the case is signed off: why its restated figures change.",
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != "awards":
            del self.fields["goals_file"]
        if kind == "restated_values":
            self.fields["case"].queryset = cases if cases is not None else Restatement.objects.none()
        else:
            del self.fields["case"]
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        case = cleaned.get("case")
        if case is not None and case.is_signed_off() and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "The case is signed off: say why its restated figures change.")
        goals = cleaned.get("goals_file")
        if goals is not None:
            cleaned["goals"] = _read(goals)
        upload = cleaned.get("file")
        if upload is None:
            if not cleaned.get("token"):
                raise forms.ValidationError("Choose a .csv or .xlsx file.")
            if goals is not None:
                raise forms.ValidationError("Choose the awards file again with its goals file.")
            return cleaned
        cleaned |= _read(upload)
        return cleaned


class ScenarioImportForm(WhatIfForm):
    """A scenario file to import as a draft case, with the case's title."""

    title = forms.CharField(max_length=200, required=False, help_text="The new case's title.")
    field_order = ["title", "file", "text"]


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
