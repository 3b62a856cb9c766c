"""The chat channel form (webhooks/services.py: add_webhook_endpoint, change_webhook_endpoint)."""

from django import forms

from compliance_site.lib.limits import EXPLANATION

from ..models import Reminder, WebhookEndpoint, local_addresses_allowed
from . import rules

ADDRESS_HELP = (
    "In Slack: an incoming webhook of the channel (it starts with https://hooks.slack.com/). In Microsoft "
    "Teams: the address of the channel's workflow “When a Teams webhook request is received”. The address "
    "is a secret: whoever has it can post to the channel. Once saved, only its last characters are shown."
)


class WebhookEndpointForm(forms.Form):
    """A chat channel: its name here, the service, the webhook address, the reminders it takes, on or off.
    Changing one, the address may be left blank to keep it, and a reason goes to the audit trail."""

    name = forms.CharField(
        max_length=100, help_text="How the channel is listed here, e.g. “Disclosure committee channel”."
    )
    kind = forms.ChoiceField(
        label="Chat service", choices=WebhookEndpoint.Kind.choices, widget=forms.RadioSelect
    )
    url = forms.CharField(
        label="Webhook address",
        max_length=rules.MAX_ADDRESS_CHARS,
        strip=True,
        # Never sent back to the browser: not after saving, not when the form is shown again with an error.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=ADDRESS_HELP,
    )
    events = forms.MultipleChoiceField(
        label="Reminders posted to the channel",
        choices=Reminder.Kind.choices,
        initial=list(WebhookEndpoint.DEFAULT_EVENTS),
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone in the channel reads these messages. Like the e-mails, they carry the kind of "
        "reminder, the record's reference, its dates and a link to the record, never a name, an amount or "
        "what an incident disclosed.",
    )
    enabled = forms.BooleanField(
        label="On",
        required=False,
        initial=True,
        help_text="Turned off, the channel receives nothing; it stays listed with the messages posted to it.",
    )

    def __init__(self, *args, endpoint: WebhookEndpoint | None = None, **kwargs):
        if endpoint is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": endpoint.name,
                    "kind": endpoint.kind,
                    "events": endpoint.event_list,
                    "enabled": endpoint.enabled,
                },
            )
        super().__init__(*args, **kwargs)
        self.endpoint = endpoint
        if endpoint is not None:
            url = self.fields["url"]
            url.required = False
            url.label = "New webhook address"
            url.help_text = f"Now: {endpoint.url_hint}. Leave blank to keep it. {ADDRESS_HELP}"
            self.fields["reason"] = forms.CharField(
                required=False,
                max_length=EXPLANATION,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Why this change is made (kept in the audit trail).",
            )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url:
            problem = rules.address_problem(url, allow_local=local_addresses_allowed())
            if problem:
                raise forms.ValidationError(problem)
        return url
