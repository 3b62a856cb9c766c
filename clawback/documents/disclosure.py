"""Item 402(w) disclosure for one fiscal year (docs/clawback-rules §1.10; Reg S-K 229.402(w)), as a
snapshot.

The figures come from `clawback.services.disclosure.disclosure_for` (the pure `clawback.disclosure` rules
over every case of the company, refused to someone walled off from any of them); this module only turns
them into plain JSON, a table and a narrative, so the PDF and the XLSX print the same numbers.
"""

from datetime import datetime
from decimal import Decimal

from clawback.services.disclosure import disclosure_for
from compliance_site.company.models import Company
from compliance_site.documents.periods import fiscal_year, today_et
from compliance_site.documents.snapshots.common import dec, iso, table
from compliance_site.lib.numbers import usd

# Item 402(w)(1)(ii): named executive officers one by one, every other executive officer in one line.
OTHER_OFFICERS = "All other current and former executive officers, as a group"


def disclosure_data(company: Company, label: str, *, actor, now: datetime) -> dict:
    period = fiscal_year(company, label)
    prepared_on = today_et(now)
    result = disclosure_for(user=actor, fiscal_period=period, prepared_on=prepared_on)
    cases = []
    forgone: dict[str, dict] = {}
    others = {"amount": Decimal(0), "reasons": []}
    outstanding_180 = []
    for case in result.cases:
        cases.append(
            {
                "title": case.title,
                "kind": case.kind,
                "why_included": case.why_included,
                "required_on": iso(case.required_on),
                "determined": case.determined,
                "aggregate_usd": dec(case.aggregate_erroneous),
                "analysis": case.calculation,
                "not_determined_reason": case.not_determined_reason,
                "no_recovery_reason": case.no_recovery_explanation,
                "recovery_required": case.recovery_required,
                "outstanding_usd": dec(case.outstanding_at_fye) or "0",
                "equity_valuation": list(case.equity_valuation),
                "estimates": [
                    {
                        "award": e.award,
                        "executive": e.executive,
                        "measure": e.measure,
                        "restated_value": dec(e.restated_value),
                        "method": e.method,
                        "adopted_on": iso(e.adopted_on),
                        "provided_to_exchange_on": iso(e.provided_to_exchange_on),
                    }
                    for e in case.estimates
                ],
            }
        )
        for line in case.forgone_by_neo:
            entry = forgone.setdefault(line.name, {"name": line.name, "amount": Decimal(0), "reasons": []})
            entry["amount"] += line.amount
            entry["reasons"].extend(line.reasons)
        others["amount"] += case.forgone_others
        others["reasons"].extend(case.forgone_others_reasons)
        outstanding_180.extend(
            {
                "name": line.name,
                "restatement": case.title,
                "days": line.days_outstanding,
                "outstanding_usd": dec(line.amount),
            }
            for line in case.outstanding_180_by_neo
        )
    forgone_rows = [
        {"name": f["name"], "amount_usd": dec(f["amount"]), "reason": "; ".join(dict.fromkeys(f["reasons"]))}
        for f in sorted(forgone.values(), key=lambda f: f["name"])
    ]
    if others["amount"] > 0:
        forgone_rows.append(
            {
                "name": OTHER_OFFICERS,
                "amount_usd": dec(others["amount"]),
                "reason": "; ".join(dict.fromkeys(others["reasons"])),
            }
        )
    data = {
        "fiscal_year": label,
        "fiscal_year_start": iso(period.start),
        "fiscal_year_end": iso(period.end),
        "prepared_on": iso(prepared_on),
        "fiscal_year_completed": result.fiscal_year_completed,
        "item_402w_1_required": result.item_402w_1_required,
        "item_402w_2_required": result.item_402w_2_required,
        "error_correction_box": result.error_correction_box,
        "recovery_analysis_box": result.recovery_analysis_box,
        "check_box_notes": list(result.check_box_notes),
        "restatements": cases,
        "forgone": forgone_rows,
        "outstanding_180": outstanding_180,
    }
    data["narrative"] = _narrative(data)
    return data


def _narrative(data: dict) -> list[str]:
    label, fye = data["fiscal_year"], data["fiscal_year_end"]
    if not data["restatements"]:
        return [
            f"At no time during or after fiscal year {label} was the Company required to prepare an "
            "accounting "
            "restatement that required recovery of erroneously awarded compensation under its clawback "
            f"policy, and there was no outstanding balance of erroneously awarded compensation at {fye}."
        ]
    paragraphs = []
    for case in data["restatements"]:
        opening = (
            f"On {case['required_on']} the Company was required to prepare an accounting restatement "
            f"({case['title']})."
        )
        if not case["determined"]:
            paragraphs.append(
                f"{opening} The amount of erroneously awarded compensation attributable to it has not yet "
                f"been determined. {case['not_determined_reason']} The Company will disclose it in the next "
                "filing "
                "that requires Item 402 disclosure."
            )
            continue
        if not case["recovery_required"]:
            paragraphs.append(f"{opening} {case['no_recovery_reason']}")
            continue
        text = (
            f"{opening} The aggregate dollar amount of erroneously awarded compensation attributable to it "
            "is "
            f"{usd(case['aggregate_usd'])}. {case['analysis']}"
        )
        if case["estimates"]:
            text += " For awards based on stock price or total shareholder return, the amount was based on "
            text += "reasonable estimates: " + "; ".join(
                f"{e['award']} ({e['measure']}, estimated restated value {e['restated_value']}): "
                f"{e['method'].rstrip('.')}"
                for e in case["estimates"]
            )
            text += "."
        text += f" As of {fye}, {usd(case['outstanding_usd'])} remained outstanding."
        # The valuation basis of shares and units owed and returned, stated with the balance it explains.
        if case.get("equity_valuation"):
            text += " " + " ".join(case["equity_valuation"])
        paragraphs.append(text)
    for line in data["forgone"]:
        who = "all other current and former executive officers as a group"
        if line["name"] != OTHER_OFFICERS:
            who = line["name"]
        paragraphs.append(
            f"Recovery of {usd(line['amount_usd'])} from {who} was forgone as impracticable: "
            f"{line['reason'].rstrip('.')}."
        )
    for line in data["outstanding_180"]:
        paragraphs.append(
            f"As of {fye}, {usd(line['outstanding_usd'])} had been outstanding from {line['name']} for "
            f"{line['days']} days since the date the amount owed was determined."
        )
    return paragraphs


def final_refusal(company: Company, label: str, *, actor, now: datetime) -> str | None:
    period = fiscal_year(company, label)
    if today_et(now) <= period.end:
        return f"Fiscal year {label} has not ended: a FINAL disclosure is prepared after it closes."
    pending = [c["title"] for c in disclosure_data(company, label, actor=actor, now=now)["restatements"]
               if not c["determined"]]  # fmt: skip
    if pending:
        return "A FINAL disclosure needs an approved determination for: " + "; ".join(pending) + "."
    return None


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def disclosure_tables(data: dict) -> dict:
    return {
        "restatements": table(
            ["restatement", "kind", "required_on", "aggregate_usd", "outstanding_at_fye_usd", "determined",
             "why_included", "not_determined_reason", "no_recovery_reason", "calculation",
             "equity_valuation_basis"],
            [
                [c["title"], c["kind"], c["required_on"], c["aggregate_usd"], c["outstanding_usd"],
                 _yes(c["determined"]), c["why_included"], c["not_determined_reason"],
                 c["no_recovery_reason"],
                 c["analysis"], " ".join(c.get("equity_valuation", []))]
                for c in data["restatements"]
            ],
        ),
        "estimates": table(
            ["restatement", "award", "executive", "measure", "restated_value", "method", "adopted_on",
             "provided_to_exchange_on"],
            [
                [c["title"], e["award"], e["executive"], e["measure"], e["restated_value"], e["method"],
                 e["adopted_on"], e["provided_to_exchange_on"]]
                for c in data["restatements"]
                for e in c["estimates"]
            ],
        ),
        "forgone_impracticable": table(
            ["executive_officer", "amount_forgone_usd", "reason"],
            [[f["name"], f["amount_usd"], f["reason"]] for f in data["forgone"]],
        ),
        "outstanding_180_days": table(
            ["named_executive_officer", "restatement", "days_outstanding", "outstanding_usd"],
            [[o["name"], o["restatement"], o["days"], o["outstanding_usd"]] for o in data["outstanding_180"]],
        ),
        "check_boxes": table(
            ["check_box", "checked"],
            [
                ["Financial statements reflect the correction of an error",
                 _yes(data["error_correction_box"])],
                ["Error corrections required a recovery analysis (Rule 10D-1(b))",
                 _yes(data["recovery_analysis_box"])],
            ]
            + [[note, ""] for note in data["check_box_notes"]],
        ),
        "narrative": table(["paragraph"], [[p] for p in data["narrative"]]),
    }  # fmt: skip
