from django import forms

from .models import Attachment


class AttachmentForm(forms.Form):
    file = forms.FileField()
    kind = forms.ChoiceField(choices=Attachment.Kind.choices)
    description = forms.CharField(required=False, max_length=300)
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)
