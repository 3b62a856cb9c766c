"""The Item 402(w) disclosure table and narrative as a Word document (DOCX) for the filing team.

Built from the same snapshot as the PDF (`templates/pdf/clawback_402w.html`) and the XLSX, with the same
sections, figures and narrative, so the filing team can paste it into the proxy statement or Form 10-K. The
house style, letterhead and fixed bytes come from `compliance_site.documents.word`.
"""

from datetime import datetime
from pathlib import Path

from docx.shared import Pt

from compliance_site.documents.word import GREY, add_table, finish, new_document
from compliance_site.lib.numbers import money, num


def disclosure_docx(
    *,
    snapshot: dict,
    reference: str,
    version: int,
    status: str,
    generated_at: datetime,
    generated_label: str,
    logo: Path | None = None,
) -> bytes:
    """The Item 402(w) disclosure of `snapshot` (a `disclosure_data` snapshot) as DOCX bytes."""
    data = snapshot["data"]
    document = new_document(snapshot=snapshot, reference=reference, version=version, status=status,
                            generated_label=generated_label, logo=logo)  # fmt: skip

    document.add_heading(snapshot["title"], level=1)
    document.add_paragraph(
        f"Regulation S-K Item 402(w) — fiscal year {data['fiscal_year']} ({data['fiscal_year_start']} to "
        f"{data['fiscal_year_end']}), prepared {data['prepared_on']}"
    )
    meta = document.add_paragraph()
    meta_run = meta.add_run(
        f"Document {reference}, version {version}, {status}. Generated {generated_label}. "
        "Times are New York time (ET, the exchange's zone)."
    )
    meta_run.font.size = Pt(8)
    meta_run.font.color.rgb = GREY
    if not data["fiscal_year_completed"]:
        notice = document.add_paragraph().add_run(
            f"Fiscal year {data['fiscal_year']} has not ended: these figures are provisional."
        )
        notice.bold = True

    document.add_heading("Narrative", level=2)
    for paragraph in data["narrative"]:
        document.add_paragraph(paragraph)

    document.add_heading("Item 402(w)(1)(i): restatements", level=2)
    _table_or(
        document,
        data["restatements"],
        [
            ("Restatement", 42, False),
            ("(A) Required to prepare", 22, False),
            ("(B) Aggregate erroneously awarded (USD)", 30, True),
            (f"(D) Outstanding at {data['fiscal_year_end']} (USD)", 28, True),
            ("(E) Not yet determined / 402(w)(2) no recovery", 58, False),
        ],
        lambda c: [
            f"{c['title']}\n{c['why_included']}" if c["why_included"] else c["title"],
            c["required_on"] or "—",
            money(c["aggregate_usd"]) if c["determined"] else "Not yet determined",
            money(c["outstanding_usd"]),
            f"{c['not_determined_reason'] or ''}{c['no_recovery_reason'] or ''}",
        ],
        otherwise="No restatement requiring recovery was required during or after the fiscal year, and no "
        "balance was outstanding at its end.",
    )
    for case in data["restatements"]:
        if not (case["determined"] and case["recovery_required"]):
            continue
        document.add_heading(f"(B) How the aggregate was calculated — {case['title']}", level=3)
        document.add_paragraph(case["analysis"])
        if case["estimates"]:
            document.add_heading("(C) Estimates and methodology (stock price or TSR)", level=3)
            add_table(
                document,
                [
                    ("Award", 30, False),
                    ("Executive", 26, False),
                    ("Measure", 26, False),
                    ("Estimated restated value", 20, True),
                    ("Methodology", 78, False),
                ],
                [
                    [e["award"], e["executive"], e["measure"], num(e["restated_value"]), e["method"]]
                    for e in case["estimates"]
                ],
            )

    document.add_heading("Item 402(w)(1)(ii): recovery forgone as impracticable", level=2)
    _table_or(
        document,
        data["forgone"],
        [("Executive officer", 62, False), ("Amount forgone (USD)", 32, True), ("Reason", 86, False)],
        lambda f: [f["name"], money(f["amount_usd"]), f["reason"]],
    )

    document.add_heading("Item 402(w)(1)(iii): outstanding 180 days or more", level=2)
    _table_or(
        document,
        data["outstanding_180"],
        [
            ("Named executive officer", 52, False),
            ("Restatement", 64, False),
            ("Days at fiscal year end", 30, True),
            ("Outstanding (USD)", 34, True),
        ],
        lambda o: [o["name"], o["restatement"], str(o["days"]), money(o["outstanding_usd"])],
    )

    document.add_heading("Form 10-K cover page check boxes", level=2)
    add_table(
        document,
        [("Check box", 140, False), ("Checked", 40, False)],
        [
            [
                "The financial statements reflect the correction of an error to previously issued "
                "financial statements",
                "Checked" if data["error_correction_box"] else "Not checked",
            ],
            [
                "Error corrections are restatements that required a recovery analysis under Rule 10D-1(b)",
                "Checked" if data["recovery_analysis_box"] else "Not checked",
            ],
        ],
    )
    for note in data["check_box_notes"]:
        document.add_paragraph(note).runs[0].font.size = Pt(8)

    return finish(
        document,
        snapshot=snapshot,
        reference=reference,
        version=version,
        status=status,
        generated_at=generated_at,
    )


def _table_or(document, rows: list, columns: list, cells, *, otherwise: str = "None.") -> None:
    """A table of `rows` (`cells(row)` each), or the sentence saying there are none."""
    if rows:
        add_table(document, columns, [cells(row) for row in rows])
    else:
        document.add_paragraph(otherwise)
