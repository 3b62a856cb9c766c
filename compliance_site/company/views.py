from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from compliance_site.accounts.permissions import capability_required

from . import services
from .forms import CompanyForm, FiscalPeriodForm, PolicyVersionForm
from .models import PolicyVersion
from .selectors import current_company, fiscal_periods


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
