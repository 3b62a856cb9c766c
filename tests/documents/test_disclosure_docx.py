"""The Item 402(w) disclosure as DOCX for the filing team: requested through the same document path as the
PDF and the XLSX (the page's form, the background task, the permission-checked download), opened with
python-docx, with the same figures and narrative as the PDF made from the same data."""

import io
import re
import zipfile
from datetime import UTC

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from PIL import Image

from compliance_site.documents.kinds import get_spec
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.rendering import generated_label
from compliance_site.documents.services import regenerate_document, request_document, update_branding
from tests.documents import demo_case as D
from tests.documents.conftest import pdf_text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _field_codes(part) -> list[str]:
    return [field.get(f"{W}instr") for field in part._element.iter(f"{W}fldSimple")]


def test_docx_has_the_figures_the_narrative_and_the_letterhead(demo, generate):
    document = generate(demo.users["auditor"], "clawback_402w_docx", demo.company, period="FY2026")
    assert document.media_type == DOCX_TYPE
    assert document.filename == f"item-402w-fy2026-v{document.version}-draft.docx"
    word = Document(io.BytesIO(document.file.read()))
    narrative = document.snapshot["data"]["narrative"]
    paragraphs = [p.text for p in word.paragraphs]

    # The narrative, paragraph by paragraph, as the snapshot has it: the aggregate, the outstanding balance,
    # the estimate and its method, the amount forgone and the balance outstanding 180 days or more.
    assert narrative and all(p in paragraphs for p in narrative)
    text = "\n".join(paragraphs)
    assert f"is ${D.TOTAL}." in text
    assert "Blake Ortiz, cfo-fy2025-bonus: received $800,000.00, recomputed on the restated values: " in text
    assert f"Total ${D.TOTAL}." in text
    assert "As of 2026-12-31, $904,000.00 remained outstanding." in text
    assert "ceo-2023-tsr-psu (Relative TSR percentile, estimated restated value 55)" in text
    # The group line adds up both demo cases: Blake Ortiz's $40,000 and Rene Costa's $20,000.
    assert (
        "Recovery of $60,000.00 from all other current and former executive officers as a group was" in text
    )
    assert f"${D.CEO_OUTSTANDING} had been outstanding from Avery Chen for 213 days" in text

    restatements, estimates, other_estimates, forgone, outstanding, boxes = word.tables  # (C): one per case
    assert restatements.rows[0].cells[2].text == "(B) Aggregate erroneously awarded (USD)"
    row = _rows(restatements)[1]
    assert row[0].startswith("FY2024–FY2025 net income restatement") and row[1] == "2026-04-15"
    assert row[2:4] == [D.TOTAL, "904,000.00"]
    assert _rows(estimates)[1][:4] == ["ceo-2023-tsr-psu", "Avery Chen", "Relative TSR percentile", "55"]
    assert "Event study" in _rows(estimates)[1][4]
    assert _rows(forgone)[1][:2] == [
        "All other current and former executive officers, as a group",
        "60,000.00",
    ]
    # Neither officer in the group is a named executive officer: the filing names neither.
    (group_paragraph,) = [p for p in narrative if "as a group" in p]
    for group_text in (_rows(forgone)[1][2], group_paragraph):
        assert "Compensation Committee (independent directors), 2026-09-01" in group_text
        assert "Blake Ortiz" not in group_text and "Rene Costa" not in group_text
    assert _rows(outstanding)[1] == ["Avery Chen", "FY2024–FY2025 net income restatement", "213",
                                     D.CEO_OUTSTANDING]  # fmt: skip
    assert _rows(other_estimates)[1][:2] == ["dwhitfield-tsr-psu", "Dana Whitfield"]
    assert _rows(outstanding)[2] == ["Dana Whitfield", "FY2023–FY2025 operating income restatement", "213",
                                     "75,000.00"]  # fmt: skip
    assert [r[1] for r in _rows(boxes)[1:]] == ["Checked", "Checked"]
    # Header rows repeat on every page; rows are never split.
    for table in word.tables:
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)

    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert "Allient Inc." in header and "Item 402(w) disclosure — FY2026" in header
    assert "CONFIDENTIAL — ATTORNEY-CLIENT PRIVILEGED" in header and "DRAFT" in header
    footer = word.sections[0].footer
    assert f"{document.reference} · version {document.version} · DRAFT" in footer.paragraphs[0].text
    assert f"Generated {generated_label(document.generated_at)}" in footer.paragraphs[0].text
    assert _field_codes(footer) == ["PAGE", "NUMPAGES"]  # page X of Y, filled in by Word
    assert word.core_properties.title == "Item 402(w) disclosure — FY2026"

    # The PDF of the same fiscal year prints the same narrative and figures (a line may break after the
    # hyphen of "Third-party").
    pdf = pdf_text(generate(demo.users["auditor"], "clawback_402w", demo.company, period="FY2026"))
    pdf = " ".join(re.sub(r"(?<=\w)-\n(?=\w)", "-", pdf).split())
    for paragraph in narrative:
        assert " ".join(paragraph.split()) in pdf


def test_docx_regenerated_from_the_same_snapshot_differs_only_in_its_id(
    demo, generate, django_capture_on_commit_callbacks
):
    first = generate(demo.users["auditor"], "clawback_402w_docx", demo.company, period="FY2026")
    with django_capture_on_commit_callbacks(execute=True):
        second = regenerate_document(actor=demo.users["auditor"], document=first, now=D.NOW)
    second.refresh_from_db()
    assert second.state == GeneratedDocument.State.DONE and second.version == first.version + 1
    one, two = (Document(io.BytesIO(d.file.read())) for d in (first, second))
    assert [p.text for p in one.paragraphs if "DOC-" not in p.text] == [
        p.text for p in two.paragraphs if "DOC-" not in p.text
    ]
    assert [_rows(t) for t in one.tables] == [_rows(t) for t in two.tables]
    # Every member of the package is dated with the document's generation time (UTC).
    first.file.seek(0)
    with zipfile.ZipFile(io.BytesIO(first.file.read())) as package:
        *day_minute, second = first.generated_at.astimezone(UTC).timetuple()[:6]
        stamp = (*day_minute, second - second % 2)  # ZIP times count seconds in twos
        assert {info.date_time for info in package.infolist()} == {stamp}


def test_docx_is_requested_and_downloaded_through_the_pages(demo, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(demo.users["secretary"])
    page = client.get(reverse("documents:document-list")).content.decode()
    assert 'value="clawback_402w_docx"' in page and 'value="clawback_402w_xlsx"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:document-request"), {"kind": "clawback_402w_docx", "period": "FY2026"}
        )
    document = GeneratedDocument.objects.get(kind="clawback_402w_docx")
    assert response.status_code == 302
    status = client.get(reverse("documents:document-status", args=[document.pk])).json()
    assert status["state"] == "done" and status["filename"].endswith(".docx")
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == DOCX_TYPE
    assert download["X-Content-SHA256"] == document.sha256
    assert Document(io.BytesIO(download.content)).tables


def test_docx_follows_the_xlsx_rules_for_access_and_final(demo):
    assert get_spec("clawback_402w_docx").capabilities == get_spec("clawback_402w_xlsx").capabilities
    with pytest.raises(PermissionDenied):  # board members read cases but do not export them
        request_document(actor=demo.users["board"], kind="clawback_402w_docx", record=demo.company,
                         period="FY2026", now=D.NOW)  # fmt: skip
    with pytest.raises(PermissionDenied):  # a covered executive never gets a figure summing their case
        request_document(actor=demo.users["ceo"], kind="clawback_402w_docx", record=demo.company,
                         period="FY2026", now=D.NOW)  # fmt: skip


def test_docx_prints_the_branding_logo_and_legend(demo, generate):
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 60, 140)).save(image, format="PNG")
    update_branding(
        actor=demo.users["admin"],
        legend_override="Privileged & Confidential — Filing Team Only",
        logo=SimpleUploadedFile("logo.png", image.getvalue(), content_type="image/png"),
        now=D.NOW,
    )
    document = generate(demo.users["auditor"], "clawback_402w_docx", demo.company, period="FY2026")
    word = Document(io.BytesIO(document.file.read()))
    header = word.sections[0].header
    assert "PRIVILEGED & CONFIDENTIAL — FILING TEAM ONLY" in "\n".join(p.text for p in header.paragraphs)
    assert header._element.findall(f".//{W}drawing")  # the logo
