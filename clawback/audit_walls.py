"""The case walls on the audit trail (docs/architecture.md, "The audit walls"): the clawback records whose
history a user may not read, registered with compliance_site.audit.walls.

- **The case.** A user is walled from every case they may not see (`restatements_visible_to`: a covered
  executive never sees the case about their own pay, policy "Administration"), so the audit trail follows the
  case pages whatever that rule becomes.
- **What belongs to it**: its events, restated values, reasonable estimates, decisions and their votes,
  determinations, recusals, recovery claims with their recovery events and impracticability determinations,
  event studies with the committee's answer to each, and the award credits recovered under it. (Its
  reminders, generated documents and attachments, the shared layer walls itself.)
- **Records shared between cases**: an executive covered by a walled case, with their officer periods, NEO
  years, awards (their goals and credits) and their clawback policy acknowledgements, is walled too, even if
  another case reads them: their history is the case's working (an award designated for an estimate under the
  case, a credit recovered under it), and a covered executive does not read the recomputation of a colleague's
  pay in their own case either. Measures and their reported values, and imported share prices, are not
  walled: they carry no one's pay and every clawback reader sees them; the case's own figures are its
  restated values, walled with it.

Voided rows are walled too (`_base_manager`): a voided record's history still belongs to its case.
"""

from django.db.models import Q

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.walls import register_audit_wall
from compliance_site.company.models import PolicyAcknowledgement, PolicyVersion

from .models import (
    Award,
    AwardComponent,
    AwardCredit,
    Decision,
    DecisionSignature,
    Determination,
    EventStudy,
    EventStudyAward,
    Executive,
    Impracticability,
    Measure,
    MeasureValue,
    NamedExecutiveYear,
    OfficerPeriod,
    PriceSet,
    ReasonableEstimate,
    RecoveryClaim,
    RecoveryEvent,
    Recusal,
    RestatedValue,
    Restatement,
    RestatementEvent,
    Vote,
)
from .selectors import restatements_visible_to

# Records no case walls: they carry no one's pay and every clawback reader sees them (the module docstring).
NOT_WALLED = (Measure, MeasureValue, PriceSet)

# The case's own records, by the path from each to its case.
CASE_RECORDS = {
    RestatementEvent: "restatement",
    RestatedValue: "restatement",
    ReasonableEstimate: "restatement",
    Decision: "restatement",
    Vote: "decision__restatement",
    DecisionSignature: "decision__restatement",
    Determination: "restatement",
    Recusal: "restatement",
    RecoveryClaim: "restatement",
    RecoveryEvent: "claim__restatement",
    Impracticability: "claim__restatement",
    EventStudy: "restatement",
    EventStudyAward: "study__restatement",
}

# An executive's own records, by the path from each to its executive.
EXECUTIVE_RECORDS = {
    OfficerPeriod: "executive",
    NamedExecutiveYear: "executive",
    Award: "executive",
    AwardComponent: "award__executive",
}


def case_walls(user) -> dict:
    if not has_capability(user, "clawback.view"):
        # Nothing of the program is theirs to read (no role reading the trail is in this case today).
        clawback_policies = PolicyAcknowledgement._base_manager.filter(
            policy__kind=PolicyVersion.Kind.CLAWBACK
        )
        whole = dict.fromkeys([Restatement, Executive, *CASE_RECORDS, *EXECUTIVE_RECORDS, AwardCredit])
        return whole | {PolicyAcknowledgement: clawback_policies}
    # The walled cases first, as ids: most readers are walled from none, and then there is no wall to build
    # (the union of every record type's walled rows would cost more to compile than the page it guards).
    cases = list(
        Restatement._base_manager.exclude(pk__in=restatements_visible_to(user).values("pk")).values_list(
            "pk", flat=True
        )
    )
    if not cases:
        return {}
    executives = Executive._base_manager.filter(restatements__in=cases)
    walled = {Restatement: Restatement._base_manager.filter(pk__in=cases), Executive: executives}
    walled |= {
        model: model._base_manager.filter(**{f"{path}__in": cases}) for model, path in CASE_RECORDS.items()
    }
    walled |= {
        model: model._base_manager.filter(**{f"{path}__in": executives})
        for model, path in EXECUTIVE_RECORDS.items()
    }
    walled[AwardCredit] = AwardCredit._base_manager.filter(
        Q(under_case__in=cases) | Q(award__executive__in=executives)
    )
    walled[PolicyAcknowledgement] = PolicyAcknowledgement._base_manager.filter(
        Q(executive__in=executives)
        | Q(
            user__in=executives.filter(user__isnull=False).values("user"),
            policy__kind=PolicyVersion.Kind.CLAWBACK,
        )
    )
    return walled


register_audit_wall("clawback", case_walls)
