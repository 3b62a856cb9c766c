"""The chat channels page: the company's Slack and Teams channels, added and changed by those who manage the
company (administrators and the Corporate Secretary). Thin views: the form, one service, a redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.permissions import capability_required
from compliance_site.company.selectors import current_company
from compliance_site.registers.views import add_service_error

from . import services
from .forms import WebhookEndpointForm
from .selectors import endpoints_of

CAPABILITY = "company.manage"


def _company_or_404():
    company = current_company()
    if company is None:
        raise Http404("No company profile yet: an administrator creates it in the admin site.")
    return company


@capability_required(CAPABILITY)
def webhook_list(request):
    company = current_company()
    return render(
        request,
        "notifications/webhook_list.html",
        {"company": company, "endpoints": list(endpoints_of(company))},
    )


def _form_page(request, form, save, *, done: str, title: str, submit_label: str):
    """The channel form. A valid POST goes to `save(**cleaned_data)`: its refusal is shown on the form, a
    success goes back to the list saying the channel was `done`."""
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = save(**form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Chat channel “{endpoint.name}” {done}.")
            return redirect("notifications:webhook-list")
    context = {
        "form": form,
        "title": title,
        "submit_label": submit_label,
        "cancel_url": reverse("notifications:webhook-list"),
    }
    return render(request, "notifications/webhook_form.html", context)


@capability_required(CAPABILITY)
def webhook_add(request):
    company = _company_or_404()
    return _form_page(
        request,
        WebhookEndpointForm(request.POST or None),
        lambda **data: services.add_webhook_endpoint(
            actor=request.user, company=company, now=timezone.now(), **data
        ),
        done="added",
        title="Add a chat channel",
        submit_label="Add the channel",
    )


@capability_required(CAPABILITY)
def webhook_edit(request, pk):
    endpoint = get_object_or_404(endpoints_of(_company_or_404()), pk=pk)
    return _form_page(
        request,
        WebhookEndpointForm(request.POST or None, endpoint=endpoint),
        lambda **data: services.change_webhook_endpoint(
            actor=request.user, endpoint=endpoint, now=timezone.now(), **data
        ),
        done="saved",
        title=f"Change the chat channel “{endpoint.name}”",
        submit_label="Save",
    )
