from pathlib import PurePath

from django import forms

from ..services.imports import FORMATS, MAX_BYTES
from .whatif import WhatIfForm


class RecordsImportForm(forms.Form):
    """A CSV or XLSX file to check (dry run) or import; a file that passed a dry run is kept on the
    server under `token`, so it need not be chosen again to import it."""

    file = forms.FileField(required=False, label="File (.csv or .xlsx)")
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            if not cleaned.get("token"):
                raise forms.ValidationError("Choose a .csv or .xlsx file.")
            return cleaned
        fmt = PurePath(upload.name or "").suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        cleaned["fmt"] = fmt
        cleaned["content"] = upload.read()
        cleaned["name"] = PurePath(upload.name).name
        return cleaned


class ScenarioImportForm(WhatIfForm):
    """A scenario file to import as a draft case, with the case's title."""

    title = forms.CharField(max_length=200, required=False, help_text="The new case's title.")
    field_order = ["title", "file", "text"]
