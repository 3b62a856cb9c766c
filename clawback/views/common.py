"""What the clawback pages share: the company and the exchange's date, a service's refusal shown on its form,
and the change page every record's create and edit form is built on (docs/architecture.md, "Registers").

A change to an input of the recovery engine withdraws the approvals resting on it (docs/clawback-rules
§1.12): the form names those approvals before anyone saves, and after the save the page says which cases
went back to review.

A person walled from a case (recused from it, or covered by it) may not change its inputs
(clawback.services.walls): the service's refusal is the 403 page, saying why."""

from inspect import signature

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorList
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from compliance_site.company.selectors import current_company
from compliance_site.lib.timefmt import EXCHANGE_TZ, in_zone
from compliance_site.registers import ServiceCall
from compliance_site.registers.views import RecordForm

from ..models import Restatement
from ..selectors import determinations_invalidated_at, restatements_visible_to
from ..services import records as services
from ..services.walls import check_may_change_inputs

MANAGE = "clawback.manage"
VIEW = "clawback.view"


def today():
    # The exchange's calendar day: "the policy in force today" is a New York date.
    return in_zone(timezone.now(), EXCHANGE_TZ).date()


def company():
    found = current_company()
    if found is None:
        raise Http404("No company profile yet: an administrator creates it first.")
    return found


def report_rechecks(request, now) -> None:
    """Say which cases the change just sent back to review (their approval rested on the old record), or
    whose determination under review was recomputed."""
    for determination in determinations_invalidated_at(request.user, now):
        case = determination.restatement
        if determination.decision_id:
            messages.warning(
                request,
                f"The approval of “{case}” was withdrawn: this change alters its inputs. The case is back "
                "under committee review and needs a new decision.",
            )
        else:
            messages.info(request, f"The determination under review for “{case}” was recomputed.")


def approvals_at_stake(request, record) -> list[Restatement]:
    """The signed-off cases (approved, in recovery, closed) whose inputs include `record`: saving a change to
    it withdraws their approval, which the form says before anyone saves."""
    if record is None:
        return []
    return list(
        services.cases_affected_by(record)
        .filter(
            status__in=[Restatement.Status.APPROVED, Restatement.Status.RECOVERY, Restatement.Status.CLOSED],
            pk__in=restatements_visible_to(request.user).values("pk"),
        )
        .order_by("title")
    )


def refused(request, exc: PermissionDenied):
    """A service's refusal of this person as the 403 page, with its reason (the page alone says only that
    the role does not allow it)."""
    if str(exc):
        messages.error(request, str(exc))
    return render(request, "errors/403.html", status=403)


def add_errors(form, exc: ValidationError, *, also=(), grid=None, grid_field="") -> None:
    """A service's ValidationError on the form: known fields on themselves, a grid's on the grid, the rest at
    the top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages_ in errors.items():
        for message in messages_:
            if grid is not None and field == grid_field:
                grid._non_form_errors = ErrorList([*grid.non_form_errors(), message])
            elif field in form.fields:
                form.add_error(field, message)
            else:
                label = "" if field in ("__all__", *also) else f"{field.replace('_', ' ').capitalize()}: "
                form.add_error(None, f"{label}{message}")


class ChangePage(RecordForm):
    """A clawback record's create or edit page: the register's form page, whose service (when it takes a
    `now`) is stamped with the page's, so that the cases the change sent back to review can be told after it.

    create, update: the services, when one page serves both (routed with a pk, it edits that record, which
               the update service takes under the page's `context_object_name`); else `call`.
    grid:      the name of the grid of rows posted with the form, and `grid_field` the service's name for
               them: a refusal about the rows is shown above the grid.
    """

    capability = MANAGE
    create = update = None
    grid = ""
    grid_field = ""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PermissionDenied as exc:
            return refused(request, exc)

    post = get

    def refuse(self, record):
        """The edit form is not even shown to someone walled from a case the record is an input of."""
        check_may_change_inputs(self.request.user, record)
        return super().refuse(record)

    @property
    def data(self):
        return self.request.POST if self.request.method == "POST" else None

    def service_data(self, record, forms) -> dict:
        """The service's input from the page's valid forms (override)."""
        return dict(forms["form"].cleaned_data)

    def run(self, record, forms):
        self.now = timezone.now()
        data = self.service_data(record, forms)
        if "now" in signature(self.service_call(record).function).parameters:
            data["now"] = self.now
        return self.service_call(record)(actor=self.request.user, record=record, data=data)

    def service_call(self, record) -> ServiceCall:
        if self.call is not None:
            return self.call
        if record is None:
            return ServiceCall(self.create)
        return ServiceCall(self.update, record=self.context_object_name)

    def show_refusal(self, forms, exc: ValidationError) -> None:
        add_errors(forms["form"], exc, grid=forms.get(self.grid), grid_field=self.grid_field)

    def succeeded(self, record):
        response = super().succeeded(record)
        report_rechecks(self.request, self.now)
        return response

    def get_context(self) -> dict:
        return {"at_stake": approvals_at_stake(self.request, self.record)}
