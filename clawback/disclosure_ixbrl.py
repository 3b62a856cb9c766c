"""Item 402(w) and the Form 10-K cover check boxes tagged in Inline XBRL for EDGAR (docs/clawback-rules
§1.10, "Tagged for EDGAR").

Pure module (standard library only, like the rule engines): the `clawback.disclosure.Disclosure` of one fiscal
year and the company's facts in; an Inline XBRL 1.1 document (XHTML) and, for every value it tags, what the
value says and where it came from out. Nothing is computed here: every tagged value is a figure or a text
the disclosure already computed, so the tags say what the Item 402(w) table, PDF and Word file say.

The tagging (Regulation S-T Rule 405; Regulation S-K Item 402(w); the SEC's Executive Compensation Disclosure
taxonomy, role `ErrCompDisclosure`):

- the facts of one restatement are reported on `ecd:RestatementDateAxis`, a typed dimension whose member is
  the date the company was required to prepare the restatement (the axis has no domain of members in the
  taxonomy, as `ecd:MeasureAxis`, also typed, has none), and the facts about one person also on
  `ecd:IndividualAxis`, an explicit dimension whose members are the company's own (`<prefix>:<Name>Member`,
  to define in the filing's extension schema; all other executive officers as a group have one member);
- every fact is reported for the fiscal year (a duration from its first to its last day), on the entity
  the company's SEC CIK identifies; amounts are in US dollars to the cent;
- the two cover check boxes are the DEI elements `dei:DocumentFinStmtErrorCorrectionFlag` and
  `dei:DocumentFinStmtRestatementRecoveryAnalysisFlag` (the SEC names them so; there is no
  `ErrCompRecoveryAnalysis` element), tagged on the fiscal year without dimensions.

The document is ASCII (other characters as numeric character references, as EDGAR requires) and
deterministic: the same disclosure gives the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from .disclosure import FORGONE_GROUNDS, CaseDisclosure, Disclosure, EstimateUsed
from .recovery.money import CENTS
from .recovery.text import number

# The taxonomies: the year of the ECD and DEI releases the fragment is tagged with. EDGAR accepts the
# releases its current list names; the filing agent keeps the year of the filing's own DTS.
TAXONOMY_YEAR = "2024"
ECD_NS = f"http://xbrl.sec.gov/ecd/{TAXONOMY_YEAR}"
DEI_NS = f"http://xbrl.sec.gov/dei/{TAXONOMY_YEAR}"
ECD_SCHEMA = f"https://xbrl.sec.gov/ecd/{TAXONOMY_YEAR}/ecd-{TAXONOMY_YEAR}.xsd"
DEI_SCHEMA = f"https://xbrl.sec.gov/dei/{TAXONOMY_YEAR}/dei-{TAXONOMY_YEAR}.xsd"
ROLE = "http://xbrl.sec.gov/ecd/role/ErrCompDisclosure"
CIK_SCHEME = "http://www.sec.gov/CIK"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Transformation Registry 4: num-dot-decimal, date-monthname-day-year-en, fixed-true and fixed-false.
IXT_NS = "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
NAMESPACES = {
    "ix": "http://www.xbrl.org/2013/inlineXBRL",
    "ixt": IXT_NS,
    "xbrli": "http://www.xbrl.org/2003/instance",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "iso4217": "http://www.xbrl.org/2003/iso4217",
    "ecd": ECD_NS,
    "dei": DEI_NS,
}
RESTATEMENT_AXIS = "ecd:RestatementDateAxis"
RESTATEMENT_DOMAIN = "ecd:RestatementDateAxis.domain"
INDIVIDUAL_AXIS = "ecd:IndividualAxis"
USD_UNIT = "usd"
OTHERS_MEMBER = "AllOtherExecutiveOfficersMember"
OTHERS_LABEL = "All other current and former executive officers, as a group"

MONEY, DATE, NAME, BLOCK, FLAG = "money", "date", "name", "block", "flag"


@dataclass(frozen=True, slots=True)
class Element:
    """An element this module tags: what it says, the provision asking for it, its kind, and where its value
    comes from in the record (a template: {case}, {why}, {filed}, {fye}, {who}, {detail})."""

    label: str
    rule: str
    kind: str
    source: str


_CASE_DETERMINATION = "From the approved determination of {case}: "
_FORGONE_SOURCE = (
    "From the impracticability determinations on the recovery claims of {who} under {case}, on this ground, "
    "decided by the filing date {filed} (Rule 10D-1(b)(1)(iv))."
)
# Every element the fragment may carry: the ErrCompDisclosure role's line items and the two cover flags.
ELEMENTS: dict[str, Element] = {
    "ecd:RestatementDeterminationDate": Element(
        "Date the company was required to prepare the restatement",
        "Item 402(w)(1)(i)(A)",
        DATE,
        "From {case}: the earliest date recorded on it on which the Board, a committee or the authorized "
        "officers concluded, or a court or regulator directed, that a restatement was required (Rule "
        "10D-1(b)(1)(ii)). {why}",
    ),
    "ecd:AggtErrCompAmt": Element(
        "Aggregate erroneously awarded compensation",
        "Item 402(w)(1)(i)(B)",
        MONEY,
        _CASE_DETERMINATION + "the total of the amounts received in excess of what the restated figures "
        "give, computed without regard to taxes paid (Rule 10D-1(b)(1)(iii)).",
    ),
    "ecd:ErrCompAnalysisTextBlock": Element(
        "How the aggregate was calculated",
        "Item 402(w)(1)(i)(B)",
        BLOCK,
        _CASE_DETERMINATION + "its calculation, award by award, and how shares and units owed and returned "
        "are valued.",
    ),
    "ecd:StkPrcOrTsrEstimationMethodTextBlock": Element(
        "Estimates used for stock price or total shareholder return measures, and their method",
        "Item 402(w)(1)(i)(C)",
        BLOCK,
        "From {case}: the committee's reasonable estimates its approved determination used, with their "
        "method and the dates they were adopted and provided to the exchange.",
    ),
    "ecd:OutstandingAggtErrCompAmt": Element(
        "Aggregate amount outstanding at the fiscal year end",
        "Item 402(w)(1)(i)(D)",
        MONEY,
        "From the recovery claims of {case}: what the approved determination says is owed, less what was "
        "recovered and what was forgone as impracticable by {fye}, summed over every executive officer "
        "(Rule 10D-1(b)(1)(iv)).",
    ),
    "ecd:AggtErrCompNotYetDeterminedTextBlock": Element(
        "Why the aggregate is not yet determined",
        "Item 402(w)(1)(i)(E)",
        BLOCK,
        "From {case}: the state of its determination on the filing date {filed} (none approved yet).",
    ),
    "ecd:ForgoneRecoveryIndName": Element(
        "Whose recovery was forgone as impracticable",
        "Item 402(w)(1)(ii)",
        NAME,
        "The line of {who} under {case} (Item 402(w)(1)(ii)).",
    ),
    "ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt": Element(
        "Forgone: enforcement would cost more than the amount to recover",
        "Item 402(w)(1)(ii); Rule 10D-1(b)(1)(iv)(A)",
        MONEY,
        _FORGONE_SOURCE,
    ),
    "ecd:ForgoneRecoveryDueToViolationOfHomeCountryLawAmt": Element(
        "Forgone: recovery would violate home-country law",
        "Item 402(w)(1)(ii); Rule 10D-1(b)(1)(iv)(B)",
        MONEY,
        _FORGONE_SOURCE,
    ),
    "ecd:ForgoneRecoveryDueToDisqualificationOfTaxBenefitsAmt": Element(
        "Forgone: recovery would disqualify a tax-qualified retirement plan",
        "Item 402(w)(1)(ii); Rule 10D-1(b)(1)(iv)(C)",
        MONEY,
        _FORGONE_SOURCE,
    ),
    "ecd:ForgoneRecoveryExplanationOfImpracticabilityTextBlock": Element(
        "Why recovery was impracticable",
        "Item 402(w)(1)(ii)",
        BLOCK,
        "{detail} of each impracticability determination on the recovery claims of {who} under {case}, "
        "decided by the filing date {filed}.",
    ),
    "ecd:OutstandingRecoveryIndName": Element(
        "Named executive officer with an amount outstanding 180 days or more",
        "Item 402(w)(1)(iii)",
        NAME,
        "From the recovery claim of {who} under {case}: {detail}",
    ),
    "ecd:OutstandingRecoveryCompAmt": Element(
        "Amount outstanding 180 days or more since it was determined",
        "Item 402(w)(1)(iii)",
        MONEY,
        "From the recovery claim of {who} under {case}: {detail}",
    ),
    "ecd:RestatementDoesNotRequireRecoveryTextBlock": Element(
        "Why the restatement required no recovery",
        "Item 402(w)(2)",
        BLOCK,
        _CASE_DETERMINATION + "its conclusion that nothing is recoverable, award by award.",
    ),
    "dei:DocumentFinStmtErrorCorrectionFlag": Element(
        "Form 10-K cover: the financial statements reflect the correction of an error",
        "Form 10-K cover page; C&DI 104.20",
        FLAG,
        "The kind of every restatement or revision correcting an error required to be prepared from the "
        "start of the fiscal year to the filing date {filed}. {detail}",
    ),
    "dei:DocumentFinStmtRestatementRecoveryAnalysisFlag": Element(
        "Form 10-K cover: error corrections that required a recovery analysis under Rule 10D-1(b)",
        "Form 10-K cover page; C&DI 104.21",
        FLAG,
        "The Big R and little r restatements required to be prepared from the start of the fiscal year to "
        "the filing date {filed}, each of which required a recovery analysis whatever it found: {detail}.",
    ),
}
# Rule 10D-1(b)(1)(iv)(A)-(C): an amount forgone is tagged with the element of its ground.
FORGONE_ELEMENTS = {
    ground: (element, words)
    for ground, element, words in zip(
        FORGONE_GROUNDS,
        (
            "ecd:ForgoneRecoveryDueToExpenseOfEnforcementAmt",
            "ecd:ForgoneRecoveryDueToViolationOfHomeCountryLawAmt",
            "ecd:ForgoneRecoveryDueToDisqualificationOfTaxBenefitsAmt",
        ),
        ("Expense of enforcement", "Home-country law", "Tax-qualified retirement plan"),
        strict=True,
    )
}


class TaggingError(ValueError):
    """The disclosure cannot be tagged as it stands; the message says what to record first."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Filer:
    """The company as EDGAR identifies it: its name, its SEC CIK (up to ten digits) and its ticker (the
    default prefix of its extension namespace)."""

    name: str
    cik: str
    ticker: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Member:
    """A member of `ecd:IndividualAxis`: the company's own (`alnt:DanaWhitfieldMember`) and who it is."""

    qname: str
    label: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Context:
    """The fiscal year, on the entity, for one restatement (its title and, the axis member, the date it was
    required to be prepared) and one person (`member`), either or both absent."""

    id: str
    restatement: str = ""
    restatement_date: date | None = None
    member: Member | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Fact:
    """One tagged value. `value` is what an XBRL processor reads (an amount `445000.00`, a date
    `2026-05-01`, `true`, a text); `shown` what the document prints. `restatement` and `individual` say in
    words which restatement and person the context is about; `source` where the value came from."""

    id: str
    element: str
    context: str
    value: str
    shown: str
    restatement: str = ""
    restatement_date: date | None = None
    individual: str = ""
    source: str = ""
    unit: str = ""
    decimals: str = ""

    @property
    def label(self) -> str:
        return ELEMENTS[self.element].label

    @property
    def rule(self) -> str:
        return ELEMENTS[self.element].rule

    @property
    def numeric(self) -> bool:
        return ELEMENTS[self.element].kind == MONEY


@dataclass(frozen=True, kw_only=True, slots=True)
class Tagged:
    """The tagged disclosure of one fiscal year: the Inline XBRL document (`xhtml`, ASCII text) with the
    contexts, the company's members and the facts it carries, in document order."""

    fiscal_year: str
    fiscal_year_start: date
    fiscal_year_end: date
    prepared_on: date
    filer: Filer
    extension_prefix: str
    extension_namespace: str
    contexts: tuple[Context, ...]
    members: tuple[Member, ...]
    facts: tuple[Fact, ...]
    xhtml: str

    @property
    def filename(self) -> str:
        return f"{self.extension_prefix}-{self.fiscal_year_end:%Y%m%d}-item402w-ixbrl.htm".lower()


# --- Markup ------------------------------------------------------------------------------------------------

TOP = "vertical-align:top;padding-right:12px"
BOLD = "font-weight:bold;padding-right:12px"


def _tag(name: str, attrs: dict[str, str] | None = None, *content: str) -> str:
    """An element with its attributes escaped; `content` is markup already."""
    attributes = "".join(f" {key}={quoteattr(str(value))}" for key, value in (attrs or {}).items())
    return f"<{name}{attributes}>{''.join(content)}</{name}>"


def _p(*content: str, style: str = "") -> str:
    return _tag("p", {"style": style} if style else {}, *content)


def _table(caption: str, head: Iterable[str], rows: Iterable[str]) -> str:
    """A caption and a table whose first row is `head` (plain text) when given."""
    first = _tag("tr", {}, *(_tag("td", {"style": BOLD}, escape(text)) for text in head))
    return _p(escape(caption), style="font-weight:bold;margin-top:12px") + _tag(
        "table", {"style": "border-collapse:collapse;width:100%"}, first if head else "", *rows
    )


def _row(*cells: str) -> str:
    return _tag("tr", {}, *(_tag("td", {"style": TOP}, cell) for cell in cells))


def _money(amount: Decimal) -> tuple[str, str]:
    """(XBRL value, shown) of an amount in dollars and cents: ("445000.00", "445,000.00")."""
    if amount != amount.quantize(CENTS):
        raise TaggingError(f"{amount} is not an amount in dollars and cents")
    return f"{amount:.2f}", f"{amount:,.2f}"


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _quoted(title: str) -> str:
    return f"\u201c{title}\u201d"


def member_name(name: str) -> str:
    """The local name of a person's member: 'Dana Whitfield' -> 'DanaWhitfieldMember' (the letters and
    digits of the name without accents, each word capitalized; 'Individual...' when it would not start with
    a letter)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", plain))
    if not stem[:1].isalpha():
        stem = f"Individual{stem}"
    return f"{stem}Member"


# --- The facts ------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class _Tags:
    """The contexts, members and facts as the document is written: each fact method returns its markup.
    `values` fill the source templates of the elements (docs/clawback-rules §1.10)."""

    prefix: str
    values: dict[str, str]
    contexts: dict[tuple[date | None, str], Context] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)

    def member(self, label: str, local: str = "") -> Member:
        qname = f"{self.prefix}:{local or member_name(label)}"
        return self.members.setdefault(qname, Member(qname=qname, label=label))

    def context(self, case: CaseDisclosure | None = None, member: Member | None = None) -> Context:
        on = case.required_on if case else None
        key = (on, member.qname if member else "")
        if key not in self.contexts:
            parts = ["c", on.isoformat() if on else "fy"]
            if member is not None:
                parts.append(member.qname.partition(":")[2].removesuffix("Member"))
            self.contexts[key] = Context(
                id="-".join(parts), restatement=case.title if case else "", restatement_date=on, member=member
            )
        return self.contexts[key]

    def _fact(self, element: str, context: Context, value: str, shown: str, source: dict, **extra) -> dict:
        values = self.values | {"case": _quoted(context.restatement)} | source
        fact = Fact(
            id=f"f{len(self.facts) + 1}",
            element=element,
            context=context.id,
            value=value,
            shown=shown,
            restatement=context.restatement,
            restatement_date=context.restatement_date,
            individual=context.member.label if context.member else "",
            source=" ".join(ELEMENTS[element].source.format(**values).split()),
            **extra,
        )
        self.facts.append(fact)
        return {"id": fact.id, "name": element, "contextRef": context.id}

    def money(self, element: str, context: Context, amount: Decimal, **source: str) -> str:
        value, shown = _money(amount)
        attrs = self._fact(element, context, value, f"${shown}", source, unit=USD_UNIT, decimals="2")
        attrs |= {"unitRef": USD_UNIT, "decimals": "2", "scale": "0", "format": "ixt:num-dot-decimal"}
        return "$" + _tag("ix:nonFraction", attrs, shown)

    def day(self, element: str, context: Context, day: date, **source: str) -> str:
        shown = _long_date(day)
        attrs = self._fact(element, context, day.isoformat(), shown, source)
        return _tag("ix:nonNumeric", attrs | {"format": "ixt:date-monthname-day-year-en"}, escape(shown))

    def name(self, element: str, context: Context, text: str, **source: str) -> str:
        return _tag("ix:nonNumeric", self._fact(element, context, text, text, source), escape(text))

    def block(self, element: str, context: Context, lines: Iterable[str], **source: str) -> str:
        lines = [line.strip() for line in lines if line.strip()]
        text = "\n".join(lines)
        attrs = self._fact(element, context, text, text, source) | {"escape": "true"}
        return _tag("ix:nonNumeric", attrs, *(_p(escape(line)) for line in lines))

    def flag(self, element: str, context: Context, checked: bool, **source: str) -> str:
        shown = "\u2612" if checked else "\u2610"  # a checked or an empty ballot box
        attrs = self._fact(element, context, "true" if checked else "false", shown, source)
        return _tag("ix:nonNumeric", attrs | {"format": f"ixt:fixed-{'true' if checked else 'false'}"}, shown)


def _estimates_text(estimates: Iterable[EstimateUsed]) -> list[str]:
    """Item 402(w)(1)(i)(C): each estimate, whose award it concerns, its value and its method."""
    lines = []
    for e in estimates:
        measure = f" measured on {e.measure}" if e.measure else ""
        sent = e.provided_to_exchange_on
        lines.append(
            f"{e.executive}'s award{measure}: the restated value was estimated at {number(e.restated_value)} "
            f"(adopted by the committee on {e.adopted_on.isoformat()}"
            f"{f'; provided to the exchange on {sent.isoformat()}' if sent else ''}). "
            f"Method: {e.method.strip()}"
        )
    return lines


def _case(tags: _Tags, case: CaseDisclosure) -> str:
    """One restatement: its rows of Item 402(w)(1) (or the Item 402(w)(2) explanation), tagged."""
    if case.required_on is None:
        raise TaggingError(f"{case.title}: the date it was required to be prepared is not recorded.")
    at = tags.context(case)
    rows = [
        _row(
            escape("Date the Company was required to prepare the accounting restatement"),
            tags.day("ecd:RestatementDeterminationDate", at, case.required_on, why=case.why_included),
        )
    ]
    if not case.determined:
        text = [
            "The amount of erroneously awarded compensation attributable to the restatement has not yet been "
            f"determined. {case.not_determined_reason}",
            "The Company will disclose it in its next filing that requires Item 402 disclosure.",
        ]
        rows.append(
            _row(
                escape("Aggregate dollar amount of erroneously awarded compensation"),
                tags.block("ecd:AggtErrCompNotYetDeterminedTextBlock", at, text),
            )
        )
        return _table(case.title, (), rows)
    if not case.recovery_required:
        rows.append(
            _row(
                escape("Why no recovery was required"),
                tags.block(
                    "ecd:RestatementDoesNotRequireRecoveryTextBlock", at, [case.no_recovery_explanation]
                ),
            )
        )
        return _table(case.title, (), rows)
    rows += [
        _row(
            escape(
                "Aggregate dollar amount of erroneously awarded compensation attributable to the restatement"
            ),
            tags.money("ecd:AggtErrCompAmt", at, case.aggregate_erroneous),
        ),
        _row(
            escape("How the aggregate was calculated"),
            tags.block("ecd:ErrCompAnalysisTextBlock", at, [case.calculation, *case.equity_valuation]),
        ),
    ]
    if case.estimates:
        rows.append(
            _row(
                escape("Estimates used for awards based on stock price or total shareholder return"),
                tags.block("ecd:StkPrcOrTsrEstimationMethodTextBlock", at, _estimates_text(case.estimates)),
            )
        )
    rows.append(
        _row(
            escape(f"Aggregate amount outstanding at {tags.values['fye_long']}"),
            tags.money("ecd:OutstandingAggtErrCompAmt", at, case.outstanding_at_fye),
        )
    )
    return _table(case.title, (), rows) + _forgone(tags, case) + _outstanding(tags, case)


def _forgone(tags: _Tags, case: CaseDisclosure) -> str:
    """Item 402(w)(1)(ii): each named executive officer, then all other executive officers as a group (one
    member naming nobody), with the amount forgone on each ground and why."""
    lines = [(line.name, "", line.by_ground, line.reasons) for line in case.forgone_by_neo]
    if case.forgone_others > 0:
        others = (OTHERS_LABEL, OTHERS_MEMBER, case.forgone_others_by_ground, case.forgone_others_reasons)
        lines.append(others)
    rows = []
    for name, local, by_ground, reasons in lines:
        at = tags.context(case, tags.member(name, local))
        year = tags.values["fy"]
        who = (
            f"every executive officer who is not a named executive officer for {year} (one line naming "
            "nobody)"
            if local
            else f"{name}, a named executive officer for {year}"
        )
        person = tags.name("ecd:ForgoneRecoveryIndName", at, name, who=who)  # first: facts in document order
        amounts = []
        for ground, amount in by_ground:
            if not amount:
                continue
            if ground not in FORGONE_ELEMENTS:  # shown, but no element says what its ground is
                amounts.append(_p(escape(f"Ground not recorded: ${_money(amount)[1]}")))
                continue
            element, words = FORGONE_ELEMENTS[ground]
            amounts.append(_p(escape(f"{words}: "), tags.money(element, at, amount, who=who)))
        detail = (
            "The ground, the deciding body and the date, without the resolution's text, which names the "
            "executive,"
            if local
            else "The ground and the resolution"
        )
        explanation = "ecd:ForgoneRecoveryExplanationOfImpracticabilityTextBlock"
        rows.append(
            _row(
                person,
                "".join(amounts),
                tags.block(explanation, at, dict.fromkeys(reasons), who=who, detail=detail),
            )
        )
    head = ("Executive officer", "Amount of recovery forgone as impracticable", "Why")
    return _table("Recovery forgone as impracticable", head, rows) if rows else ""


def _outstanding(tags: _Tags, case: CaseDisclosure) -> str:
    """Item 402(w)(1)(iii): each named executive officer's amount outstanding 180 days or more."""
    rows = []
    for line in case.outstanding_180_by_neo:
        at = tags.context(case, tags.member(line.name))
        detail = (
            f"the part of the balance on {tags.values['fye']} outstanding 180 days or more since the meeting "
            f"that determined it ({line.days_outstanding:,} days since its oldest part); {line.name} is a "
            f"named executive officer for {tags.values['fy']}."
        )
        rows.append(
            _row(
                tags.name("ecd:OutstandingRecoveryIndName", at, line.name, who=line.name, detail=detail),
                tags.money("ecd:OutstandingRecoveryCompAmt", at, line.amount, who=line.name, detail=detail),
                escape(f"{line.days_outstanding:,} days"),
            )
        )
    head = (
        "Named executive officer",
        f"Outstanding 180 days or more at {tags.values['fye_long']}",
        "Since the amount owed was determined",
    )
    return _table("Amounts outstanding 180 days or more", head, rows) if rows else ""


def _cover(tags: _Tags, disclosure: Disclosure) -> str:
    """The two Form 10-K cover check boxes (C&DI 104.20, 104.21), on the fiscal year without dimensions."""
    fy = tags.context()
    analyses = [
        _quoted(c.title)
        for c in disclosure.cases
        if c.required_on and disclosure.fiscal_year_start <= c.required_on <= disclosure.prepared_on
    ]
    error = tags.flag(
        "dei:DocumentFinStmtErrorCorrectionFlag",
        fy,
        disclosure.error_correction_box,
        detail=" ".join(disclosure.check_box_notes) or "None was.",
    )
    analysis = tags.flag(
        "dei:DocumentFinStmtRestatementRecoveryAnalysisFlag",
        fy,
        disclosure.recovery_analysis_box,
        detail="; ".join(analyses) or "none",
    )
    return _tag(
        "div",
        {"style": "margin-top:18px"},
        _p("Form 10-K cover page check boxes", style="font-weight:bold"),
        _p(
            error,
            escape(
                " Indicate by check mark whether the financial statements of the registrant included in the "
                "filing reflect the correction of an error to previously issued financial statements."
            ),
        ),
        _p(
            analysis,
            escape(
                " Indicate by check mark whether any of those error corrections are restatements that "
                "required a recovery analysis of incentive-based compensation received by any of the "
                "registrant's executive officers during the relevant recovery period pursuant to "
                "\u00a7240.10D-1(b)."
            ),
        ),
    )


def _none_required(disclosure: Disclosure) -> str:
    return _p(
        escape(
            f"At no time during or after fiscal year {disclosure.fiscal_year} was the Company required to "
            "prepare an accounting restatement that required recovery of erroneously awarded compensation "
            "under its clawback policy, and there was no outstanding balance of erroneously awarded "
            f"compensation at {_long_date(disclosure.fiscal_year_end)}."
        )
    )


# --- The document ---------------------------------------------------------------------------------------


def _context_markup(context: Context, *, cik: str, disclosure: Disclosure) -> str:
    dims = []
    if context.restatement_date is not None:
        domain = _tag(RESTATEMENT_DOMAIN, {}, context.restatement_date.isoformat())
        dims.append(_tag("xbrldi:typedMember", {"dimension": RESTATEMENT_AXIS}, domain))
    if context.member is not None:
        dims.append(_tag("xbrldi:explicitMember", {"dimension": INDIVIDUAL_AXIS}, context.member.qname))
    entity = _tag("xbrli:identifier", {"scheme": CIK_SCHEME}, cik)
    if dims:
        entity += _tag("xbrli:segment", {}, *dims)
    period = _tag("xbrli:startDate", {}, disclosure.fiscal_year_start.isoformat()) + _tag(
        "xbrli:endDate", {}, disclosure.fiscal_year_end.isoformat()
    )
    return _tag(
        "xbrli:context",
        {"id": context.id},
        _tag("xbrli:entity", {}, entity),
        _tag("xbrli:period", {}, period),
    )


def _header(tags: _Tags, *, cik: str, disclosure: Disclosure) -> str:
    """The hidden ix:header: the taxonomies referenced, every context and the one unit (US dollars)."""
    references = "".join(
        f'<link:schemaRef xlink:type="simple" xlink:href={quoteattr(href)}/>'
        for href in (ECD_SCHEMA, DEI_SCHEMA)
    )
    resources = "".join(_context_markup(c, cik=cik, disclosure=disclosure) for c in tags.contexts.values())
    if any(f.unit for f in tags.facts):
        resources += _tag("xbrli:unit", {"id": USD_UNIT}, _tag("xbrli:measure", {}, "iso4217:USD"))
    header = _tag("ix:header", {}, _tag("ix:references", {}, references), _tag("ix:resources", {}, resources))
    return _tag("div", {"style": "display:none"}, header)


def _cik(value: str) -> str:
    digits = (value or "").strip()
    if not re.fullmatch(r"\d{1,10}", digits):
        raise TaggingError(
            "The company profile has no SEC CIK (up to ten digits): EDGAR identifies the company by it in "
            "every tagged value. Record it in the company profile first."
        )
    return digits.zfill(10)


def tag_disclosure(
    disclosure: Disclosure, *, filer: Filer, extension_prefix: str = "", extension_namespace: str = ""
) -> Tagged:
    """The Inline XBRL document of `disclosure` for `filer` (docs/clawback-rules §1.10, "Tagged for EDGAR").

    Each disclosed restatement is tagged on its own date of `ecd:RestatementDateAxis`: the date and, when
    the aggregate is determined and recovery required, the aggregate, how it was calculated, the estimates
    and their method, the amount outstanding at the fiscal year end, the amounts forgone by ground and why
    for each named executive officer and for all others as a group, and each named executive officer's
    amount outstanding 180 days or more; when it is not determined, why (Item 402(w)(1)(i)(E)); when no
    recovery was required, why (Item 402(w)(2)). The two cover check boxes are tagged on the fiscal year.

    `extension_prefix` and `extension_namespace` name the company's extension, where its members of
    `ecd:IndividualAxis` are defined; by default the ticker in lower case and
    `http://www.<ticker>.com/<fiscal year end>`, to replace with the filing's own. Raises TaggingError when
    the CIK is missing or two disclosed restatements share a date (the axis could not tell them apart).
    """
    cik = _cik(filer.cik)
    ticker = re.sub(r"[^a-z0-9]", "", filer.ticker.lower())
    prefix = extension_prefix or (ticker if ticker[:1].isalpha() else f"co{ticker}")
    namespace = extension_namespace or f"http://www.{prefix}.com/{disclosure.fiscal_year_end:%Y%m%d}"
    dates = [c.required_on for c in disclosure.cases if c.required_on is not None]
    shared = sorted({d.isoformat() for d in dates if dates.count(d) > 1})
    if shared:
        raise TaggingError(
            f"Two restatements disclosed for {disclosure.fiscal_year} were required to be prepared on the "
            f"same date ({', '.join(shared)}): the tags identify a restatement by that date, so they would "
            "be reported as one. Check the dates recorded on the cases."
        )
    values = {
        "fy": f"fiscal year {disclosure.fiscal_year}",
        "fye": disclosure.fiscal_year_end.isoformat(),
        "fye_long": _long_date(disclosure.fiscal_year_end),
        "filed": disclosure.prepared_on.isoformat(),
        "why": "",
        "who": "",
        "detail": "",
    }
    tags = _Tags(prefix=prefix, values=values)
    cases = "".join(_case(tags, case) for case in disclosure.cases)
    title = _p("Recovery of erroneously awarded compensation", style="font-weight:bold")
    body = _tag("div", {}, title, cases or _none_required(disclosure), _cover(tags, disclosure))
    declarations = "".join(
        f" xmlns:{name}={quoteattr(uri)}" for name, uri in (*NAMESPACES.items(), (prefix, namespace))
    )
    heading = f"{filer.name} \u2014 Item 402(w), fiscal year {disclosure.fiscal_year} (Inline XBRL)"
    note = (
        f"<!-- Item 402(w) and the Form 10-K cover check boxes, fiscal year {disclosure.fiscal_year}, "
        f"prepared on {disclosure.prepared_on.isoformat()}; ECD and DEI {TAXONOMY_YEAR}, role {ROLE}. "
        f"The members of {INDIVIDUAL_AXIS} are the company's own: define them in the filing's extension "
        "schema. -->"
    )
    document = (
        f'<?xml version="1.0" encoding="utf-8"?>\n{note}\n'
        f'<html xmlns="{XHTML_NS}"{declarations} xml:lang="en-US">'
        f'<head><title>{escape(heading)}</title><meta http-equiv="Content-Type" content="text/html; '
        f'charset=utf-8"/></head><body>{_header(tags, cik=cik, disclosure=disclosure)}{body}</body></html>\n'
    )
    return Tagged(
        fiscal_year=disclosure.fiscal_year,
        fiscal_year_start=disclosure.fiscal_year_start,
        fiscal_year_end=disclosure.fiscal_year_end,
        prepared_on=disclosure.prepared_on,
        filer=filer,
        extension_prefix=prefix,
        extension_namespace=namespace,
        contexts=tuple(tags.contexts.values()),
        members=tuple(tags.members.values()),
        facts=tuple(tags.facts),
        # ASCII, every other character a numeric character reference (EDGAR accepts ASCII documents).
        xhtml=document.encode("ascii", "xmlcharrefreplace").decode("ascii"),
    )
