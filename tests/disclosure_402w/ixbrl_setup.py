"""Shared set-up for the Inline XBRL tests (docs/clawback-rules §1.10, "Tagged for EDGAR").

- `demo_year()`: the seeded demo (Allient Inc., SEC CIK 0000046129) and its fiscal year FY2026, filed on
  2027-02-15: the operating income restatement (required 2026-05-01) approved for $445,000.00 with a TSR
  estimate, $115,000.00 outstanding at 2026-12-31, Rene Costa's $20,000.00 forgone for the expense of
  enforcement (not a named executive officer: the group line), Dana Whitfield's $75,000.00 outstanding 213
  days; and the net income restatement (required 2026-04-15) still a draft, not yet determined.
- `no_recovery_year()`: a little r restatement whose analysis found nothing to recover (Item 402(w)(2)).
- `expected_facts(report)`: what the tags must say, read off the Item 402(w) result independently of the
  module under test: {(element, restatement date, person): value}; a text block's value is a piece of text
  the tagged text must contain.
"""

from datetime import date, datetime
from types import SimpleNamespace
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from clawback.disclosure import Disclosure
from clawback.services.disclosure import disclosure_for
from clawback.services.disclosure_ixbrl import tagged_disclosure
from compliance_site.company.models import Company, FiscalPeriod
from compliance_site.demo import load_demo

NOW = datetime(2027, 2, 15, 15, 0, tzinfo=ZoneInfo("America/New_York"))
FILED = date(2027, 2, 15)
CIK = "0000046129"
XHTML = "{http://www.w3.org/1999/xhtml}"
IX = "{http://www.xbrl.org/2013/inlineXBRL}"
XBRLI = "{http://www.xbrl.org/2003/instance}"
XBRLDI = "{http://xbrl.org/2006/xbrldi}"
ECD = "{http://xbrl.sec.gov/ecd/2024}"

# The elements the brief and Regulation S-K Item 402(w) ask for, and nothing else: the ErrCompDisclosure
# role's line items and the two Form 10-K cover flags (the SEC's names, in the DEI taxonomy).
ALLOWED = {
    "ecd:RestatementDeterminationDate",
    "ecd:AggtErrCompAmt",
    "ecd:ErrCompAnalysisTextBlock",
    "ecd:StkPrcOrTsrEstimationMethodTextBlock",
    "ecd:OutstandingAggtErrCompAmt",
    "ecd:AggtErrCompNotYetDeterminedTextBlock",
    "ecd:ForgoneRecoveryIndName",
    "ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt",
    "ecd:ForgoneRecoveryDueToViolationOfHomeCountryLawAmt",
    "ecd:ForgoneRecoveryDueToDisqualificationOfTaxBenefitsAmt",
    "ecd:ForgoneRecoveryExplanationOfImpracticabilityTextBlock",
    "ecd:OutstandingRecoveryIndName",
    "ecd:OutstandingRecoveryCompAmt",
    "ecd:RestatementDoesNotRequireRecoveryTextBlock",
    "dei:DocumentFinStmtErrorCorrectionFlag",
    "dei:DocumentFinStmtRestatementRecoveryAnalysisFlag",
}
TEXT_BLOCKS = {name for name in ALLOWED if name.endswith("TextBlock")}
AMOUNTS = {name for name in ALLOWED if name.endswith("Amt")}
GROUND_ELEMENTS = {
    "expense": "ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt",
    "home_country_law": "ecd:ForgoneRecoveryDueToViolationOfHomeCountryLawAmt",
    "retirement_plan": "ecd:ForgoneRecoveryDueToDisqualificationOfTaxBenefitsAmt",
}
OTHERS = "All other current and former executive officers, as a group"


def demo_year(label: str = "FY2026", *, filed: date = FILED) -> SimpleNamespace:
    users = load_demo(now=NOW)
    company = Company.objects.order_by("id").first()
    return year_of(company, users, label, filed=filed)


def year_of(company, users, label: str, *, filed: date, reader: str = "auditor") -> SimpleNamespace:
    period = FiscalPeriod.objects.get(company=company, label=label)
    report = disclosure_for(user=users[reader], fiscal_period=period, prepared_on=filed)
    tagged = tagged_disclosure(user=users[reader], fiscal_period=period, prepared_on=filed)
    return SimpleNamespace(company=company, users=users, period=period, report=report, tagged=tagged)


def expected_facts(report: Disclosure) -> dict[tuple[str, date | None, str], str]:
    """What the tags must say, from the Item 402(w) result (docs/clawback-rules §1.10)."""
    facts = {
        ("dei:DocumentFinStmtErrorCorrectionFlag", None, ""): str(report.error_correction_box).lower(),
        ("dei:DocumentFinStmtRestatementRecoveryAnalysisFlag", None, ""): str(
            report.recovery_analysis_box
        ).lower(),
    }
    for case in report.cases:
        on = case.required_on
        facts[("ecd:RestatementDeterminationDate", on, "")] = on.isoformat()
        if not case.determined:
            facts[("ecd:AggtErrCompNotYetDeterminedTextBlock", on, "")] = case.not_determined_reason
            continue
        if not case.recovery_required:
            facts[("ecd:RestatementDoesNotRequireRecoveryTextBlock", on, "")] = case.no_recovery_explanation
            continue
        facts[("ecd:AggtErrCompAmt", on, "")] = f"{case.aggregate_erroneous:.2f}"
        facts[("ecd:ErrCompAnalysisTextBlock", on, "")] = case.calculation
        facts[("ecd:OutstandingAggtErrCompAmt", on, "")] = f"{case.outstanding_at_fye:.2f}"
        if case.estimates:
            facts[("ecd:StkPrcOrTsrEstimationMethodTextBlock", on, "")] = case.estimates[0].method
        lines = [(line.name, line.by_ground, line.reasons) for line in case.forgone_by_neo]
        if case.forgone_others:
            lines.append((OTHERS, case.forgone_others_by_ground, case.forgone_others_reasons))
        for name, by_ground, reasons in lines:
            facts[("ecd:ForgoneRecoveryIndName", on, name)] = name
            facts[("ecd:ForgoneRecoveryExplanationOfImpracticabilityTextBlock", on, name)] = reasons[0]
            for ground, amount in by_ground:
                facts[(GROUND_ELEMENTS[ground], on, name)] = f"{amount:.2f}"
        for line in case.outstanding_180_by_neo:
            facts[("ecd:OutstandingRecoveryIndName", on, line.name)] = line.name
            facts[("ecd:OutstandingRecoveryCompAmt", on, line.name)] = f"{line.amount:.2f}"
    return facts


def tagged_facts(tagged) -> dict[tuple[str, date | None, str], str]:
    found = {}
    for fact in tagged.facts:
        key = (fact.element, fact.restatement_date, fact.individual)
        assert key not in found, f"two facts for {key}"
        found[key] = fact.value
    return found


def same_value(element: str, expected: str, value: str) -> bool:
    return expected in value if element in TEXT_BLOCKS else expected == value


def parse(xhtml: str) -> ElementTree.Element:
    return ElementTree.fromstring(xhtml.encode("ascii"))


def ix_facts(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [e for e in root.iter() if e.tag in (f"{IX}nonFraction", f"{IX}nonNumeric")]


def no_recovery_year(users) -> SimpleNamespace:
    """FY2027 of a company (SEC CIK 320193) whose little r restatement, required 2027-03-01, was analysed
    and found nothing to recover: the CFO's capped bonus pays the same on the restated revenue."""
    from tests.disclosure_402w.test_no_recovery_explanation_gives_the_reason import _case

    case = _case(users, restated="205000000")
    Company.objects.filter(pk=case.company_id).update(cik="320193")
    company = Company.objects.get(pk=case.company_id)
    return year_of(company, users, "FY2027", filed=date(2027, 11, 15))
