from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.permissions import capability_required
from compliance_site.confirm import confirmation_page, needs_confirmation, quoted
from compliance_site.lib.timefmt import EXCHANGE_TZ
from compliance_site.registers.views import add_service_error

from . import services
from .forms import CompanyForm, EndSeatForm, FiscalPeriodForm, PolicyVersionForm, SeatForm
from .models import BodyMembership, PolicyVersion
from .selectors import current_company, fiscal_periods, seats_held


def _company_or_404():
    company = current_company()
    if company is None:
        raise Http404("No company profile yet: an administrator creates it in the admin site.")
    return company


@capability_required("company.view")
def profile(request):
    company = current_company()
    return render(
        request,
        "company/company_profile.html",
        {
            "company": company,
            "periods": fiscal_periods(company) if company else [],
            "policies": PolicyVersion.objects.only(
                "kind", "version", "title", "effective_date", "approved_on", "approved_by"
            ),
        },
    )


@capability_required("company.manage")
def company_edit(request):
    company = _company_or_404()
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        services.update_company(
            actor=request.user, company=company, data=data, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Company profile saved.")
        return redirect("company:profile")
    return render(request, "company/company_form.html", {"form": form, "title": "Edit company profile"})


@capability_required("company.manage")
def period_add(request):
    company = _company_or_404()
    form = FiscalPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_fiscal_period(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Fiscal period added.")
            return redirect("company:profile")
    return render(request, "company/company_form.html", {"form": form, "title": "Add a fiscal period"})


@capability_required("company.manage")
def policy_add(request):
    form = PolicyVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy = services.add_policy_version(actor=request.user, **form.cleaned_data)
        messages.success(request, f"{policy} recorded.")
        return redirect("company:policy-detail", pk=policy.pk)
    return render(
        request, "company/company_form.html", {"form": form, "title": "Record a new policy version"}
    )


@capability_required("company.view")
def policy_detail(request, pk):
    policy = get_object_or_404(PolicyVersion, pk=pk)
    return render(request, "company/policy_detail.html", {"policy": policy})


# ---- Board and committees --------------------------------------------------------------------------------


def _today():
    # The exchange's calendar day: "the seats held today" is a New York date, as a decision's date is.
    return timezone.now().astimezone(EXCHANGE_TZ).date()


@capability_required("company.view")
def seat_list(request):
    """The seats held today on each body (read as the decisions read them: selectors.seats_held), the seats
    starting later, and the past seats."""
    company = current_company()
    today = _today()
    bodies, upcoming, past = [], [], []
    if company is not None:
        bodies = [
            {"value": value, "label": label, "seats": list(seats_held(company, value, on=today))}
            for value, label in BodyMembership.Body.choices
        ]
        # One query for every seat not held today, whatever the number of seats: the page's cost is fixed.
        others = (
            BodyMembership.objects.filter(company=company)
            .filter(Q(starts_on__gt=today) | Q(ends_on__lt=today))
            .select_related("member")
            .order_by("-starts_on", "body", "id")
        )
        for seat in others:
            (upcoming if seat.starts_on > today else past).append(seat)
        past.sort(key=lambda seat: seat.ends_on, reverse=True)
    context = {"company": company, "today": today, "bodies": bodies, "upcoming": upcoming, "past": past}
    return render(request, "company/seat_list.html", context)


@capability_required("company.manage")
def seat_add(request):
    company = _company_or_404()
    form = SeatForm(request.POST or None, initial={"starts_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.add_seat(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Seat recorded: {seat}.")
            return redirect("company:seat-list")
    context = {
        "form": form,
        "title": "Add a seat",
        "intro": "The seat is held from its first day until it is ended; it is never edited afterwards.",
        "submit_label": "Add the seat",
        "cancel_url": reverse("company:seat-list"),
    }
    return render(request, "company/company_form.html", context)


def _end_statement(seat: BodyMembership, form) -> str:
    ends_on, body = form.cleaned_data["ends_on"], seat.get_body_display()
    chair = f" The {body} then has no chair until one is seated." if seat.chair else ""
    return (
        f"{seat.member}'s seat on the {body}, held since {seat.starts_on:%Y-%m-%d}, ends on "
        f"{ends_on:%Y-%m-%d}: from the next day they no longer count toward its quorum nor vote on its "
        f"decisions.{chair} The seat stays on record with its dates, and the reason goes to the audit "
        f"trail: {quoted(form.cleaned_data['reason'])}"
    )


@capability_required("company.manage")
def seat_end(request, pk):
    company = _company_or_404()
    seat = get_object_or_404(BodyMembership.objects.select_related("member"), pk=pk, company=company)
    if seat.ends_on is not None:
        messages.info(request, f"{seat.member}'s seat on the {seat.get_body_display()} already ended.")
        return redirect("company:seat-list")
    form = EndSeatForm(request.POST or None, initial={"ends_on": _today()})
    cancel_url = reverse("company:seat-list")
    if request.method == "POST" and form.is_valid():
        if needs_confirmation(request):
            return confirmation_page(
                request,
                title="End this seat?",
                statement=_end_statement(seat, form),
                action_label="end the seat",
                cancel_url=cancel_url,
                form=form,
            )
        try:
            services.end_seat(actor=request.user, seat=seat, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"{seat.member}'s seat on the {seat.get_body_display()} ends on "
                f"{form.cleaned_data['ends_on']:%Y-%m-%d}.",
            )
            return redirect("company:seat-list")
    context = {
        "form": form,
        "title": f"End the seat of {seat.member} on the {seat.get_body_display()}",
        "intro": f"Held since {seat.starts_on:%Y-%m-%d}"
        + (", as chair" if seat.chair else "")
        + ". The seat is kept on record with its dates; you will be asked to confirm.",
        "submit_label": "End this seat",
        "cancel_url": cancel_url,
    }
    return render(request, "company/company_form.html", context)
