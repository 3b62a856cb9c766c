"""The forms of the library of public statements and of the evidence attached to incidents
(docs/regfd-rules §2.9)."""

from django import forms

from compliance_site.lib.limits import limit_text_fields

from ..models import PublicStatement
from .incidents import ZonedFormMixin
from .records import time_zone_field, zoned


class PublicStatementForm(ZonedFormMixin, forms.Form):
    """A statement added to the library from its file (regfd.services.import_public_statement)."""

    zoned_fields = ("published_at",)
    file = forms.FileField(
        label="The statement's file",
        help_text="A PDF, a web page saved as HTML, or a text file in UTF-8: its text is read and searched, "
        "and the file is kept with the statement.",
    )
    kind = forms.ChoiceField(choices=PublicStatement.Kind.choices, label="Kind of statement")
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave it blank to use the document's own title."
    )
    published_at = zoned("Made public at", help_text="When the public could first read or hear it.")
    time_zone = time_zone_field("Time is in")
    where_published = forms.CharField(
        max_length=500,
        label="Where it was published",
        help_text="The web address, or the filing's reference (e.g. its SEC accession number).",
    )


class VoidStatementForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it is voided",
        help_text="Kept in the statement's history, e.g. “the wrong file was uploaded”.",
    )


class AttachStatementForm(forms.Form):
    """A statement of the library attached to an incident as evidence (one form per search result, so each
    gets ids of its own: `auto_id` names the statement)."""

    statement = forms.ModelChoiceField(
        queryset=PublicStatement.objects.defer("text"),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a statement to attach.",
            "invalid_choice": "That statement is no longer in the library: search again.",
        },
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        label="Note",
        help_text="What in the statement matches the information disclosed.",
    )

    def __init__(self, *args, statement: PublicStatement | None = None, **kwargs):
        if statement is not None:
            kwargs.setdefault("auto_id", f"attach{statement.pk}_%s")
            kwargs.setdefault("initial", {"statement": statement.pk})
        super().__init__(*args, **kwargs)


class VoidEvidenceForm(forms.Form):
    """Removing a statement from an incident's evidence, with the reason (one form per link)."""

    reason = forms.CharField(max_length=500, label="Why it is removed")

    def __init__(self, *args, evidence=None, **kwargs):
        if evidence is not None:
            kwargs.setdefault("auto_id", f"unlink{evidence.pk}_%s")
        super().__init__(*args, **kwargs)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
