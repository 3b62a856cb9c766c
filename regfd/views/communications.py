"""Communications with Specified Persons (policy II.F): scheduled ahead with the spokesperson's authority
checked, recorded when held, then debriefed; a debrief flagging possible MNPI opens an incident at once
(docs/regfd-rules §2.8)."""

from django.contrib import messages
from django.shortcuts import redirect

from compliance_site.accounts.permissions import has_capability
from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_records as sel
from ..forms.records import CancelForm, CommunicationForm, CommunicationHeldForm, DebriefForm
from ..models import Communication
from ..services import records as services
from ..services.spokespersons import spokesperson_status
from .common import MANAGE_OR_APPROVE, NEW_YORK, can_any


class _Communications:
    register, urls, capability = sel.COMMUNICATIONS, "regfd:communication", "regfd.access"


class CommunicationList(_Communications, RecordList):
    template_name = "regfd/communication_list.html"
    filters = (
        Filter("kind", "Kind", Communication.Kind.choices, "Any kind"),
        Filter("status", "Status", Communication.Status.choices, "Any status"),
    )

    def get_context(self):
        return {"can_schedule": can_any(self.request.user, MANAGE_OR_APPROVE)}


class CommunicationDetail(_Communications, RecordDetail):
    template_name, context_object_name = "regfd/communication_detail.html", "communication"

    def get_context(self, communication, **forms):
        user = self.request.user
        can_act = can_any(user, MANAGE_OR_APPROVE)
        live_authorized, live_note = spokesperson_status(
            communication.spokesperson, communication.scheduled_at
        )
        context = {
            "can_act": can_act,
            "live_authorized": live_authorized,
            "live_note": live_note,
            "incidents": list(communication.incidents.all()) if has_capability(user, "regfd.view") else [],
            "held_form": None,
            "debrief_form": None,
            "cancel_form": None,
        }
        if can_act and communication.status == Communication.Status.SCHEDULED:
            context["held_form"] = forms.get("held_form") or CommunicationHeldForm()
            context["cancel_form"] = forms.get("cancel_form") or CancelForm()
        if can_act and communication.status == Communication.Status.HELD:
            context["debrief_form"] = forms.get("debrief_form") or DebriefForm(initial=NEW_YORK)
        return context


class CommunicationSchedule(_Communications, RecordForm):
    capability = MANAGE_OR_APPROVE
    template_name = "regfd/communication_form.html"
    form_class = CommunicationForm
    call = ServiceCall(services.schedule_communication, now=True)
    submit_label = "Schedule"

    def succeeded(self, communication):
        if communication.spokesperson_authorized:
            messages.success(self.request, "Communication scheduled.")
        else:
            note = communication.authorization_note
            messages.error(self.request, f"Scheduled, but the spokesperson is not authorized: {note}")
        return redirect(self.url("detail", communication.pk))


def debriefed(request, returned):
    """After a debrief: on to the incident it opened, if it flagged possible MNPI (policy I.B)."""
    communication, incident = returned
    if incident is not None:
        messages.warning(
            request, f"Possible MNPI: incident {incident.reference} opened; its disclosure clock is running."
        )
        return redirect("regfd:incident-detail", pk=incident.pk)
    messages.success(request, "Debrief recorded.")
    return redirect("regfd:communication-detail", pk=communication.pk)


def _step(service, form, form_name: str, **action):
    """A step on a communication posted from its page, for the program's managers and authorized officers."""
    action = Action(service, record="communication", form=form, form_name=form_name, **action)
    return CommunicationDetail.as_view(capability=MANAGE_OR_APPROVE, action=action)


communication_list = CommunicationList.as_view()
communication_schedule = CommunicationSchedule.as_view()
communication_detail = CommunicationDetail.as_view()
communication_held = _step(
    services.record_communication_held,
    CommunicationHeldForm,
    "held_form",
    now=True,
    message="Record of the communication saved. Debrief it next.",
)
communication_debrief = _step(
    services.debrief_communication, DebriefForm, "debrief_form", now=True, done=debriefed
)
communication_cancel = _step(
    services.cancel_communication, CancelForm, "cancel_form", message="Communication cancelled."
)
