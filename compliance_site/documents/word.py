"""The Item 402(w) disclosure table and narrative as a Word document (DOCX) for the filing team.

Built from the same snapshot as the PDF (`templates/pdf/clawback_402w.html`) and the XLSX, with the same
sections, figures and narrative, so the filing team can paste it into the proxy statement or Form 10-K.
The running header and footer carry what the PDF's do: company, document title, legend, DRAFT or FINAL,
document id and version, page X of Y, generated at in ET.
"""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from compliance_site.lib.numbers import money, num

LEGEND_RED = RGBColor(0xAA, 0x00, 0x00)
STATUS_COLOUR = {"DRAFT": RGBColor(0xAA, 0x00, 0x00), "FINAL": RGBColor(0x00, 0x66, 0x00)}
GREY = RGBColor(0x55, 0x55, 0x55)


def _field(paragraph, instruction: str, *, size: Pt) -> None:
    """A Word field (PAGE, NUMPAGES) Word fills in when it lays the document out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    font_size = OxmlElement("w:sz")
    font_size.set(qn("w:val"), str(int(size.pt * 2)))  # in half-points
    properties.append(font_size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _row_flags(row, *, header: bool) -> None:
    """Rows are never split across pages; the header row is repeated on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _table(document, columns: list[tuple[str, float, bool]], rows: list[list[str]]):
    """A bordered table; `columns` are (heading, width in mm, numeric: right-aligned)."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout (w:tblLayout)
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, (_, width, _) in zip(table.columns, columns, strict=True):
        column.width = Mm(width)
    head = table.rows[0]
    _row_flags(head, header=True)
    for cell, (heading, width, numeric) in zip(head.cells, columns, strict=True):
        cell.width = Mm(width)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
        run = paragraph.add_run(heading)
        run.bold = True
        _shade(cell, "EEEEEE")
    for values in rows:
        row = table.add_row()
        _row_flags(row, header=False)
        for cell, value, (_, width, numeric) in zip(row.cells, values, columns, strict=True):
            cell.width = Mm(width)
            lines = str(value).split("\n")
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            paragraph.add_run(lines[0])
            for line in lines[1:]:
                extra = cell.add_paragraph()
                extra.add_run(line).font.color.rgb = GREY
    return table


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _letterhead(section, *, snapshot: dict, reference: str, version: int, status: str, generated: str,
                logo: Path | None) -> None:  # fmt: skip
    company = snapshot["company"]
    header = section.header
    first = header.paragraphs[0]
    if logo is not None:
        first.add_run().add_picture(str(logo), height=Mm(9))
        first = header.add_paragraph()
    name = first.add_run(company["name"])
    name.bold = True
    if company.get("ticker"):
        first.add_run(f" ({company['ticker']})")
    header.add_paragraph(snapshot["title"])
    legend = header.add_paragraph()
    legend.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    legend_run = legend.add_run(company["legend"].upper())
    legend_run.bold = True
    legend_run.font.color.rgb = LEGEND_RED
    mark = legend.add_run(f"   {status}")
    mark.bold = True
    mark.font.color.rgb = STATUS_COLOUR.get(status, GREY)

    footer = section.footer.paragraphs[0]
    footer.add_run(f"{reference} · version {version} · {status}    Page ")
    _field(footer, "PAGE", size=Pt(7))
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", size=Pt(7))
    footer.add_run(f"    Generated {generated}")
    for paragraph in [*header.paragraphs, footer]:
        for run in paragraph.runs:
            run.font.size = Pt(7)


def _fixed_zip_times(content: bytes, instant: datetime) -> bytes:
    """The same package with every member dated `instant` (python-docx dates them with the clock), so the
    file's bytes depend on its content and generation time only."""
    stamp = instant.astimezone(UTC).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info))
    return out.getvalue()


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
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)  # US letter, as the PDFs
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(25), Mm(18)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9.5)
    for level, size in ((1, 15), (2, 11.5), (3, 10)):
        heading = document.styles[f"Heading {level}"]
        heading.font.name = "Arial"
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    _letterhead(section, snapshot=snapshot, reference=reference, version=version, status=status,
                generated=generated_label, logo=logo)  # fmt: skip

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
    if data["restatements"]:
        _table(
            document,
            [
                ("Restatement", 42, False),
                ("(A) Required to prepare", 22, False),
                ("(B) Aggregate erroneously awarded (USD)", 30, True),
                (f"(D) Outstanding at {data['fiscal_year_end']} (USD)", 28, True),
                ("(E) Not yet determined / 402(w)(2) no recovery", 58, False),
            ],
            [
                [
                    f"{c['title']}\n{c['why_included']}" if c["why_included"] else c["title"],
                    c["required_on"] or "—",
                    money(c["aggregate_usd"]) if c["determined"] else "Not yet determined",
                    money(c["outstanding_usd"]),
                    f"{c['not_determined_reason'] or ''}{c['no_recovery_reason'] or ''}",
                ]
                for c in data["restatements"]
            ],
        )
        for case in data["restatements"]:
            if not (case["determined"] and case["recovery_required"]):
                continue
            document.add_heading(f"(B) How the aggregate was calculated — {case['title']}", level=3)
            document.add_paragraph(case["analysis"])
            if case["estimates"]:
                document.add_heading("(C) Estimates and methodology (stock price or TSR)", level=3)
                _table(
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
    else:
        document.add_paragraph(
            "No restatement requiring recovery was required during or after the fiscal year, and no "
            "balance was outstanding at its end."
        )

    document.add_heading("Item 402(w)(1)(ii): recovery forgone as impracticable", level=2)
    if data["forgone"]:
        _table(
            document,
            [("Executive officer", 62, False), ("Amount forgone (USD)", 32, True), ("Reason", 86, False)],
            [[f["name"], money(f["amount_usd"]), f["reason"]] for f in data["forgone"]],
        )
    else:
        document.add_paragraph("None.")

    document.add_heading("Item 402(w)(1)(iii): outstanding 180 days or more", level=2)
    if data["outstanding_180"]:
        _table(
            document,
            [
                ("Named executive officer", 52, False),
                ("Restatement", 64, False),
                ("Days at fiscal year end", 30, True),
                ("Outstanding (USD)", 34, True),
            ],
            [
                [o["name"], o["restatement"], str(o["days"]), money(o["outstanding_usd"])]
                for o in data["outstanding_180"]
            ],
        )
    else:
        document.add_paragraph("None.")

    document.add_heading("Form 10-K cover page check boxes", level=2)
    _table(
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

    # Fixed package properties, so the bytes depend on the snapshot and the generation time only.
    properties = document.core_properties
    instant = generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    properties.author = properties.last_modified_by = "Compliance Case Manager"
    properties.title = snapshot["title"]
    properties.subject = f"{reference} version {version} {status}"
    properties.keywords = snapshot["company"]["legend"]
    properties.created = properties.modified = instant
    properties.last_printed = instant
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), generated_at)
