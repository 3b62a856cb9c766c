import json

from django.http import HttpResponse
from django.shortcuts import render

from compliance_site.accounts.permissions import capability_required

from .. import services
from ..forms.whatif import WhatIfForm
from ..scenario import ScenarioError


@capability_required("clawback.whatif")
def whatif(request):
    """Upload or edit a scenario and see the worked result; nothing is saved."""
    form = WhatIfForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": None, "outcome": None}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            outcome = services.run_whatif(text=text)
        except ScenarioError as exc:
            context["errors"] = exc.errors
            return render(request, "clawback/whatif.html", context, status=400)
        if request.POST.get("download"):
            response = HttpResponse(
                json.dumps(outcome.result_json, indent=2) + "\n", content_type="application/json"
            )
            response["Content-Disposition"] = 'attachment; filename="clawback-result.json"'
            return response
        context["outcome"] = outcome
        context["form"] = WhatIfForm(initial={"text": text})
        context["names"] = {x.id: x.name for x in outcome.scenario.executives}
    return render(request, "clawback/whatif.html", context)
