"""Word documents (DOCX) of the house style, for the kinds that have one (registry.KindSpec.docx): a kind's
writer starts from `new_document`, adds its sections with `add_table`, and ends with `finish`.

The running header and footer carry what the PDF's do: company, document title, legend, DRAFT or FINAL,
document id and version, page X of Y, generated at in ET. The bytes depend on the snapshot and the
generation time only.
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

from .presentation import CHECK_COMMAND, checkpoint_lines

LEGEND_RED = RGBColor(0xAA, 0x00, 0x00)
STATUS_COLOUR = {"DRAFT": RGBColor(0xAA, 0x00, 0x00), "FINAL": RGBColor(0x00, 0x66, 0x00)}
GREY = RGBColor(0x55, 0x55, 0x55)
MONOSPACE = "Courier New"


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


def add_table(document, columns: list[tuple[str, float, bool]], rows: list[list[str]]):
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


def new_document(
    *,
    snapshot: dict,
    reference: str,
    version: int,
    status: str,
    generated_label: str,
    logo: Path | None = None,
):
    """A US-letter Word document with the house styles and the running letterhead of `snapshot`."""
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
    return document


def finish(
    document, *, snapshot: dict, reference: str, version: int, status: str, generated_at: datetime
) -> bytes:
    """The document's bytes, closed by the audit trail checkpoint of its snapshot, with fixed package
    properties and member dates, so they depend on the snapshot and the generation time only."""
    lines = checkpoint_lines(snapshot)
    if lines:
        document.add_heading("Audit trail checkpoint", level=3)
    for line in lines:
        # The command an auditor types is set in a monospace font, as code.
        before, command, after = line.partition(CHECK_COMMAND)
        paragraph = document.add_paragraph()
        for text, code in ((before, False), (command, True), (after, False)):
            if text:
                run = paragraph.add_run(text)
                run.font.size = Pt(8)
                if code:
                    run.font.name = MONOSPACE
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
