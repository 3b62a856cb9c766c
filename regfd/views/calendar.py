"""The trading calendar page (docs/regfd-rules §3.3: the calendar is data, editable by an administrator,
versioned).

Only Administrators edit the calendar. No capability of its own is added for it: "accounts.manage" is the
Administrators-only capability in roles.py, and it is reused here for the page and its two actions.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required
from compliance_site.lib.timefmt import EXCHANGE_TZ, label

from .. import services
from ..calendar_source import COVERED_YEARS, current_calendar
from ..forms.calendar import DeactivateClosureForm, MarketClosureForm
from ..models import MarketClosure
from ..selectors import market_closures_by_year, recent_calendar_recomputations
from .incidents import add_errors

CALENDAR_CAPABILITY = "accounts.manage"  # Administrators only (see the module docstring)


def _context(request, *, add_form=None, deactivate_form=None, deactivating=None) -> dict:
    return {
        "years": market_closures_by_year(),
        "covered": (COVERED_YEARS.start, COVERED_YEARS.stop - 1),
        "calendar_version": current_calendar().version,
        "add_form": add_form or MarketClosureForm(),
        "deactivate_form": deactivate_form,
        "deactivating": deactivating,
        "recomputations": recent_calendar_recomputations(request.user),
    }


def _moved_message(moved) -> str:
    if not moved:
        return "No open incident's deadline moved."
    listed = "; ".join(f"{i.reference} now due {label(i.due_at, EXCHANGE_TZ)}" for i in moved)
    return f"{len(moved)} open incident deadline(s) moved: {listed}."


@capability_required(CALENDAR_CAPABILITY)
def calendar_list(request):
    return render(request, "regfd/calendar_list.html", _context(request))


@capability_required(CALENDAR_CAPABILITY)
@require_POST
def calendar_add(request):
    form = MarketClosureForm(request.POST)
    if form.is_valid():
        try:
            closure, moved = services.add_market_closure(
                actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "date" in exc.error_dict:
                exc = ValidationError({"day": exc.error_dict.pop("date"), **exc.error_dict})
            add_errors(form, exc)
        else:
            messages.success(request, f"Added {closure}. {_moved_message(moved)}")
            return redirect("regfd:calendar-list")
    return render(request, "regfd/calendar_list.html", _context(request, add_form=form), status=400)


@capability_required(CALENDAR_CAPABILITY)
@require_POST
def calendar_deactivate(request, pk):
    closure = get_object_or_404(MarketClosure, pk=pk)
    form = DeactivateClosureForm(request.POST)
    if form.is_valid():
        try:
            moved = services.deactivate_market_closure(
                actor=request.user, now=timezone.now(), closure=closure, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Withdrew {closure}. {_moved_message(moved)}")
            return redirect("regfd:calendar-list")
    context = _context(request, deactivate_form=form, deactivating=closure)
    return render(request, "regfd/calendar_list.html", context, status=400)
