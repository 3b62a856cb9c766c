from django import forms

MAX_SCENARIO_BYTES = 20 * 1024 * 1024


class WhatIfForm(forms.Form):
    """A scenario as an uploaded file or as pasted/edited JSON (the file wins when both are given)."""

    file = forms.FileField(required=False, label="Scenario file (.json)")
    text = forms.CharField(
        required=False,
        label="Or paste / edit the scenario JSON",
        widget=forms.Textarea(attrs={"rows": 14, "class": "mono", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_SCENARIO_BYTES:
                raise forms.ValidationError("The scenario file is larger than 20 MB.")
            raw = upload.read()
            try:
                cleaned["text"] = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError("The scenario file is not UTF-8 text.") from None
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("Upload a scenario file or paste its JSON.")
        return cleaned
