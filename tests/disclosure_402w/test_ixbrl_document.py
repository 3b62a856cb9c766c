"""Item 402(w) tagged for EDGAR in Inline XBRL (docs/clawback-rules §1.10, "Tagged for EDGAR"): the document the
filing team pastes into its Form 10-K or proxy statement says what the Item 402(w) disclosure says, each value
with its context (the company's CIK, the fiscal year, the restatement's date, the person) and each amount with
its unit, in well-formed ASCII XHTML, with only the Item 402(w) elements and the two cover flags."""

import ast
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clawback import disclosure as engine
from clawback import disclosure_ixbrl as ixbrl
from clawback.documents.disclosure import disclosure_data
from clawback.models import Executive, NamedExecutiveYear
from compliance_site.demo import load_demo
from tests.disclosure_402w.ixbrl_setup import (
    ALLOWED,
    CIK,
    ECD,
    IX,
    NOW,
    XBRLDI,
    XBRLI,
    XHTML,
    demo_year,
    expected_facts,
    ix_facts,
    no_recovery_year,
    parse,
    same_value,
    tagged_facts,
    year_of,
)

OPERATING = date(2026, 5, 1)  # the demo's operating income restatement, approved, in recovery
NET_INCOME = date(2026, 4, 15)  # the demo's net income restatement, still a draft
GROUP = "All other current and former executive officers, as a group"


@pytest.fixture
def demo(db):
    return demo_year()


def _assert_tags_say_what_the_disclosure_says(year):
    expected, found = expected_facts(year.report), tagged_facts(year.tagged)
    assert found.keys() == expected.keys()
    wrong = {
        key: (expected[key], found[key])
        for key in expected
        if not same_value(key[0], expected[key], found[key])
    }
    assert not wrong


def test_the_demo_year_tags_each_item_402w_figure_with_the_disclosures_value(demo):
    _assert_tags_say_what_the_disclosure_says(demo)
    found = tagged_facts(demo.tagged)
    assert found[("ecd:RestatementDeterminationDate", OPERATING, "")] == "2026-05-01"
    assert found[("ecd:AggtErrCompAmt", OPERATING, "")] == "445000.00"
    assert found[("ecd:OutstandingAggtErrCompAmt", OPERATING, "")] == "115000.00"
    assert "Total $445,000.00." in found[("ecd:ErrCompAnalysisTextBlock", OPERATING, "")]
    assert "Event study" in found[("ecd:StkPrcOrTsrEstimationMethodTextBlock", OPERATING, "")]
    # Rene Costa is not a named executive officer for FY2026: the group line, naming nobody.
    assert found[("ecd:ForgoneRecoveryIndName", OPERATING, GROUP)] == GROUP
    assert found[("ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt", OPERATING, GROUP)] == "20000.00"
    group_reason = found[("ecd:ForgoneRecoveryExplanationOfImpracticabilityTextBlock", OPERATING, GROUP)]
    assert "Compensation Committee" in group_reason and "Rene Costa" not in group_reason
    assert found[("ecd:OutstandingRecoveryIndName", OPERATING, "Dana Whitfield")] == "Dana Whitfield"
    assert found[("ecd:OutstandingRecoveryCompAmt", OPERATING, "Dana Whitfield")] == "75000.00"
    assert (
        "has not yet been determined" in found[("ecd:AggtErrCompNotYetDeterminedTextBlock", NET_INCOME, "")]
    )
    assert found[("dei:DocumentFinStmtErrorCorrectionFlag", None, "")] == "true"
    assert found[("dei:DocumentFinStmtRestatementRecoveryAnalysisFlag", None, "")] == "true"


def test_the_tagged_amounts_are_the_figures_the_item_402w_documents_print(demo):
    data = disclosure_data(demo.company, "FY2026", actor=demo.users["auditor"], now=NOW)
    found = tagged_facts(demo.tagged)
    printed = [c for c in data["restatements"] if c["determined"] and c["recovery_required"]]
    assert printed
    for case in printed:
        on = date.fromisoformat(case["required_on"])
        assert Decimal(found[("ecd:AggtErrCompAmt", on, "")]) == Decimal(case["aggregate_usd"])
        assert Decimal(found[("ecd:OutstandingAggtErrCompAmt", on, "")]) == Decimal(case["outstanding_usd"])
    for line in data["outstanding_180"]:
        amount = found[("ecd:OutstandingRecoveryCompAmt", OPERATING, line["name"])]
        assert Decimal(amount) == Decimal(line["outstanding_usd"])
    (group,) = [f for f in data["forgone"] if f["name"] == GROUP]
    assert Decimal(found[("ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt", OPERATING, GROUP)]) == Decimal(
        group["amount_usd"]
    )


def test_a_year_whose_restatement_required_no_recovery_tags_why_and_no_amount(users):
    year = no_recovery_year(users)
    _assert_tags_say_what_the_disclosure_says(year)
    found = tagged_facts(year.tagged)
    restated = date(2027, 3, 1)
    assert set(found) == {
        ("ecd:RestatementDeterminationDate", restated, ""),
        ("ecd:RestatementDoesNotRequireRecoveryTextBlock", restated, ""),
        ("dei:DocumentFinStmtErrorCorrectionFlag", None, ""),
        ("dei:DocumentFinStmtRestatementRecoveryAnalysisFlag", None, ""),
    }
    reason = found[("ecd:RestatementDoesNotRequireRecoveryTextBlock", restated, "")]
    assert reason.startswith(
        "The recovery analysis concluded that no recovery is required under Rule 10D-1(b)"
    )
    assert (
        "Jordan Pike, cfo-fy2026-bonus: received $400,000.00, and $400,000.00 on the restated amounts"
        in reason
    )
    # A little r restatement required a recovery analysis, even with nothing to recover (C&DI 104.21).
    assert found[("dei:DocumentFinStmtRestatementRecoveryAnalysisFlag", None, "")] == "true"
    assert year.tagged.facts[0].value == "2027-03-01" and year.tagged.filer.cik == "320193"
    assert 'identifier scheme="http://www.sec.gov/CIK">0000320193<' in year.tagged.xhtml


def test_a_named_executive_officers_forgone_recovery_is_tagged_under_their_own_member(db):
    users = load_demo(now=NOW)
    costa = Executive.objects.get(key="rcosta")
    NamedExecutiveYear.objects.create(executive=costa, fiscal_year="FY2026")
    year = year_of(costa.company, users, "FY2026", filed=date(2027, 2, 15))
    _assert_tags_say_what_the_disclosure_says(year)
    found = tagged_facts(year.tagged)
    assert found[("ecd:ForgoneRecoveryIndName", OPERATING, "Rene Costa")] == "Rene Costa"
    assert found[("ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt", OPERATING, "Rene Costa")] == "20000.00"
    reason = found[("ecd:ForgoneRecoveryExplanationOfImpracticabilityTextBlock", OPERATING, "Rene Costa")]
    assert "RESOLVED, that recovery of $20,000 from Rene Costa is impracticable" in reason
    assert not any(key[2] == GROUP for key in found)
    assert "alnt:ReneCostaMember" in {m.qname for m in year.tagged.members}


def test_the_document_is_well_formed_ascii_xhtml_with_a_context_for_every_fact_and_a_unit_for_every_amount(
    demo,
):
    document = demo.tagged.xhtml
    assert document.isascii() and document.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = parse(document)
    assert root.tag == f"{XHTML}html" and root.find(f"{XHTML}head/{XHTML}title") is not None
    contexts = {c.get("id"): c for c in root.iter(f"{XBRLI}context")}
    units = {u.get("id"): u for u in root.iter(f"{XBRLI}unit")}
    assert [u.findtext(f"{XBRLI}measure") for u in units.values()] == ["iso4217:USD"]
    facts = ix_facts(root)
    assert [f.get("id") for f in facts] == [f.id for f in demo.tagged.facts]  # the document's order
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    used = set()
    for fact in facts:
        assert fact.get("name") in ALLOWED
        assert fact.get("contextRef") in contexts, fact.get("id")
        used.add(fact.get("contextRef"))
        if fact.tag == f"{IX}nonFraction":
            assert fact.get("name").endswith("Amt")
            assert fact.get("unitRef") in units and fact.get("decimals") == "2"
            assert fact.get("format") == "ixt:num-dot-decimal"
        else:
            assert fact.get("unitRef") is None
    assert used == set(contexts)  # no context without a fact
    for context in contexts.values():
        identifier = context.find(f"{XBRLI}entity/{XBRLI}identifier")
        assert (identifier.get("scheme"), identifier.text) == ("http://www.sec.gov/CIK", CIK)
        period = context.find(f"{XBRLI}period")
        assert period.findtext(f"{XBRLI}startDate") == "2026-01-01"
        assert period.findtext(f"{XBRLI}endDate") == "2026-12-31"
    header = root.find(f".//{IX}header")
    assert header is not None and "display:none" in document.split("<ix:header>")[0].rsplit("<div", 1)[1]
    refs = [
        r.get("{http://www.w3.org/1999/xlink}href")
        for r in header.iter("{http://www.xbrl.org/2003/linkbase}schemaRef")
    ]
    assert refs == [ixbrl.ECD_SCHEMA, ixbrl.DEI_SCHEMA]


def test_each_restatement_is_on_its_date_and_each_person_on_their_member(demo):
    root = parse(demo.tagged.xhtml)
    namespaces = dict(ixbrl.NAMESPACES, alnt="http://www.alnt.com/20261231")
    assert demo.tagged.extension_namespace == namespaces["alnt"]
    by_id = {}
    for context in root.iter(f"{XBRLI}context"):
        typed = [
            m.find(f"{ECD}RestatementDateAxis.domain").text for m in context.iter(f"{XBRLDI}typedMember")
        ]
        assert all(
            m.get("dimension") == "ecd:RestatementDateAxis" for m in context.iter(f"{XBRLDI}typedMember")
        )
        explicit = [(m.get("dimension"), m.text) for m in context.iter(f"{XBRLDI}explicitMember")]
        by_id[context.get("id")] = (typed, explicit)
    assert by_id == {
        "c-2026-04-15": (["2026-04-15"], []),
        "c-2026-05-01": (["2026-05-01"], []),
        "c-2026-05-01-AllOtherExecutiveOfficers": (
            ["2026-05-01"],
            [("ecd:IndividualAxis", "alnt:AllOtherExecutiveOfficersMember")],
        ),
        "c-2026-05-01-DanaWhitfield": (["2026-05-01"], [("ecd:IndividualAxis", "alnt:DanaWhitfieldMember")]),
        "c-fy": ([], []),
    }
    assert f'xmlns:alnt="{namespaces["alnt"]}"' in demo.tagged.xhtml
    assert {m.qname: m.label for m in demo.tagged.members} == {
        "alnt:AllOtherExecutiveOfficersMember": GROUP,
        "alnt:DanaWhitfieldMember": "Dana Whitfield",
    }


def test_the_same_disclosure_gives_the_same_bytes(demo):
    again = ixbrl.tag_disclosure(demo.report, filer=demo.tagged.filer)
    assert again.xhtml == demo.tagged.xhtml


def test_every_fact_says_where_its_value_came_from_in_words(demo):
    for fact in demo.tagged.facts:
        assert fact.source and fact.label and fact.rule, fact.element
        assert "_" not in fact.source and ".md" not in fact.source, fact.source
    sources = {f.element: f.source for f in demo.tagged.facts if f.restatement_date == OPERATING}
    assert sources["ecd:AggtErrCompAmt"].startswith(
        "From the approved determination of \u201cFY2023\u2013FY2025 operating income restatement\u201d"
    )
    assert "Rule 10D-1(b)(1)(ii)" in sources["ecd:RestatementDeterminationDate"]


# --- The pure module, without the database ---------------------------------------------------------------

ONLY_ELEMENTS = sorted(ALLOWED)


def test_the_vocabulary_is_the_item_402w_elements_and_the_two_cover_flags():
    assert sorted(ixbrl.ELEMENTS) == ONLY_ELEMENTS
    assert {element for element, _ in ixbrl.FORGONE_ELEMENTS.values()} == {
        name for name in ALLOWED if name.startswith("ecd:ForgoneRecoveryDueTo")
    }


def _disclosure(*cases: engine.Case, neos=("neo",)) -> engine.Disclosure:
    return engine.item_402w(
        fiscal_year=engine.FiscalYear(label="FY2026", start=date(2026, 1, 1), end=date(2026, 12, 31)),
        prepared_on=date(2027, 2, 15),
        cases=cases,
        neos=neos,
    )


def _claim(key: str, name: str, *forgone: tuple[str, str]) -> engine.Claim:
    return engine.Claim(
        executive=key,
        name=name,
        amount_owed=Decimal("100000.00"),
        determined_on=date(2026, 6, 1),
        forgone=tuple(
            engine.Forgone(
                decided_on=date(2026, 9, 1),
                amount=Decimal(amount),
                reason=f"{ground}: R",
                group_reason=ground,
                ground=ground,
            )
            for ground, amount in forgone
        ),
    )


def test_amounts_forgone_are_tagged_one_element_per_ground_and_summed_per_ground():
    case = engine.Case(
        title="R",
        kind="big_r",
        required_on=date(2026, 5, 1),
        aggregate_erroneous=Decimal("200000.00"),
        calculation="C.",
        claims=(
            _claim("neo", "Ann Neo", ("expense", "10.00"), ("home_country_law", "5.00"), ("expense", "1.50")),
            _claim("other", "Bob Other", ("retirement_plan", "7.00")),
        ),
    )
    tagged = ixbrl.tag_disclosure(_disclosure(case), filer=ixbrl.Filer(name="X", cik="12", ticker="X"))
    found = tagged_facts(tagged)
    on = date(2026, 5, 1)
    assert found[("ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt", on, "Ann Neo")] == "11.50"
    assert found[("ecd:ForgoneRecoveryDueToViolationOfHomeCountryLawAmt", on, "Ann Neo")] == "5.00"
    assert found[("ecd:ForgoneRecoveryDueToDisqualificationOfTaxBenefitsAmt", on, GROUP)] == "7.00"
    assert "Bob Other" not in tagged.xhtml


def test_a_company_without_a_cik_or_two_restatements_on_one_date_cannot_be_tagged():
    case = engine.Case(title="A", kind="big_r", required_on=date(2026, 5, 1), aggregate_erroneous=None)
    with pytest.raises(ixbrl.TaggingError, match="no SEC CIK"):
        ixbrl.tag_disclosure(_disclosure(case), filer=ixbrl.Filer(name="X", cik="", ticker="X"))
    twin = engine.Case(title="B", kind="little_r", required_on=date(2026, 5, 1), aggregate_erroneous=None)
    with pytest.raises(ixbrl.TaggingError, match=r"same date \(2026-05-01\)"):
        ixbrl.tag_disclosure(_disclosure(case, twin), filer=ixbrl.Filer(name="X", cik="12", ticker="X"))


def test_a_year_with_nothing_to_disclose_tags_only_the_cover_flags():
    tagged = ixbrl.tag_disclosure(_disclosure(), filer=ixbrl.Filer(name="X", cik="12", ticker="X"))
    assert [(f.element, f.value) for f in tagged.facts] == [
        ("dei:DocumentFinStmtErrorCorrectionFlag", "false"),
        ("dei:DocumentFinStmtRestatementRecoveryAnalysisFlag", "false"),
    ]
    assert "At no time during or after fiscal year FY2026" in tagged.xhtml
    assert "<xbrli:unit" not in tagged.xhtml  # no amount, no unit


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("Dana Whitfield", "DanaWhitfieldMember"),
        ("Ren\u00e9 Costa", "ReneCostaMember"),
        ("Mary O'Brien-Smith", "MaryOBrienSmithMember"),
        ("3 Rivers", "Individual3RiversMember"),
    ],
)
def test_a_persons_member_is_their_name_in_letters_and_digits(name, member):
    assert ixbrl.member_name(name) == member


def test_the_builder_is_a_pure_module_and_the_application_never_imports_arelle():
    """The rule-engine layer (docs/architecture.md, "Rule engines"): the standard library and the other pure
    modules only. Arelle is a development dependency: only the tests read documents back with it."""
    source = Path(ixbrl.__file__)
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    outside = {
        name
        for name in imported
        if not name.startswith(".") and name.partition(".")[0] not in sys.stdlib_module_names
    }
    assert outside == set() and imported & {".disclosure", ".recovery.money", ".recovery.text"}
    root = source.parents[1]
    application = [p for d in ("clawback", "compliance_site", "regfd") for p in (root / d).rglob("*.py")]
    assert not [p for p in application if re.search(r"^\s*(from|import) arelle", p.read_text(), re.M)]
