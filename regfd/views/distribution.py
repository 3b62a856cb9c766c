"""The Reg FD policy's distribution to all employees and their acknowledgements ("This policy shall be
distributed to all our employees"; docs/regfd-rules §2.8)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability

from .. import selectors_records as sel
from ..services import policy as services
from .common import ACKNOWLEDGEMENT_REPORT, any_capability_required, can_any, page_of, today_et


@capability_required("regfd.access")
def distribution_home(request):
    policy = sel.current_regfd_policy(on=today_et())
    distributions = []
    acknowledgement = None
    distributed = False
    if policy is not None:
        distributions = list(sel.DISTRIBUTIONS.rows(request.user)[:20])
        distributed = sel.is_distributed(policy)
        acknowledgement = sel.acknowledgement_of(request.user, policy)
    return render(
        request,
        "regfd/distribution_home.html",
        {
            "policy": policy,
            "distributed": distributed,
            "acknowledgement": acknowledgement,
            "distributions": distributions,
            "can_distribute": has_capability(request.user, "regfd.manage"),
            "can_report": can_any(request.user, ACKNOWLEDGEMENT_REPORT),
        },
    )


def _on_current_policy(capability: str, step, said):
    """A POST, for holders of `capability`, running `step(user, policy, now)` on the Reg FD policy in force
    (a 404 when there is none); back to the policy page, saying `said(policy, returned)`, or the service's
    refusal."""

    @capability_required(capability)
    @require_POST
    def view(request):
        policy = sel.current_regfd_policy(on=today_et())
        if policy is None:
            raise Http404("No Reg FD policy version is in force.")
        try:
            returned = step(request.user, policy, timezone.now())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, said(policy, returned))
        return redirect("regfd:distribution-home")

    return view


distribution_distribute = _on_current_policy(
    "regfd.manage",
    lambda user, policy, now: services.distribute_policy(actor=user, policy=policy, now=now),
    lambda policy, distribution: f"{policy} distributed to {distribution.recipients} users.",
)
distribution_acknowledge = _on_current_policy(
    "regfd.access",
    lambda user, policy, now: services.acknowledge_policy(user=user, policy=policy, now=now),
    lambda policy, _ack: f"Thank you: your acknowledgement of {policy} is recorded.",
)


@any_capability_required(*ACKNOWLEDGEMENT_REPORT)
def distribution_outstanding(request):
    policy = sel.current_regfd_policy(on=today_et())
    q = request.GET.get("q", "").strip()
    people = sel.users_not_acknowledged(policy) if policy is not None else None
    if people is not None and q:
        people = people.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    return render(
        request,
        "regfd/distribution_outstanding.html",
        {
            "policy": policy,
            "distributed": policy is not None and sel.is_distributed(policy),
            "page": page_of(request, people) if people is not None else None,
            "q": q,
        },
    )
