"""The one PDF path (compliance_site.lib.pdf): a template to PDF bytes, never reaching the network."""

import gc
import hashlib
import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from compliance_site.documents.rendering import pdf_context
from compliance_site.lib.pdf import PDFRenderError, _fetcher_class, render_html, render_pdf

STATIC = Path(settings.BASE_DIR) / "static"

SNAPSHOT = {
    "format": "document-snapshot/1",
    "kind": "regfd_quarterly_log",
    "title": "Reg FD quarterly log — 2026-Q3",
    "as_of": "2026-10-01T12:00:00+00:00",
    "company": {"name": "Example <Corp>", "ticker": "EXC", "legend": "Confidential — Privileged",
                "logo": None},
    "data": {
        "period": "2026-Q3",
        "start": "2026-07-01T04:00:00+00:00",
        "end": "2026-10-01T03:59:59+00:00",
        "summary": {"incidents": 0, "open": 0, "on_time": 0, "late": 0, "not_required": 0,
                    "on_time_rate": "—", "communications": 0, "earnings_events": 0, "reviews": 0},
        "incidents": [], "communications": [], "earnings_events": [], "reviews": [],
    },
}  # fmt: skip


def test_render_pdf_returns_a_pdf_with_the_running_footer(tmp_path):
    context = pdf_context(reference="DOC-000007", version=3, status="DRAFT", snapshot=SNAPSHOT,
                          generated_at=datetime(2026, 10, 2, 14, 30, tzinfo=UTC))  # fmt: skip
    content = render_pdf("pdf/regfd_quarterly_log.html", context, base_url=STATIC)
    assert content.startswith(b"%PDF-")
    path = tmp_path / "log.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "DOC-000007 · version 3 · DRAFT" in text
    assert "Page 1 of 1" in text
    assert "Generated 2026-10-02 10:30 EDT" in text  # 14:30 UTC in New York, daylight time
    assert "Example <Corp>" in text  # escaped in HTML, shown as typed
    assert "CONFIDENTIAL — PRIVILEGED" in text.upper()


def test_documents_are_tagged_pdf_ua_with_their_language_and_title():
    from pyhanko.pdf_utils.reader import PdfFileReader

    context = pdf_context(reference="DOC-000008", version=1, status="DRAFT", snapshot=SNAPSHOT,
                          generated_at=datetime(2026, 10, 2, 14, 30, tzinfo=UTC))  # fmt: skip
    root = PdfFileReader(
        io.BytesIO(render_pdf("pdf/regfd_quarterly_log.html", context, base_url=STATIC))
    ).root
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF: its structure tree is what readers follow
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not the file name, is shown


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "https://example.com/logo.png", "ftp://example.com/x"],
)
def test_documents_never_fetch_from_the_network(url):
    fetcher = _fetcher_class()([STATIC])
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_documents_read_files_only_under_their_roots(tmp_path):
    fetcher = _fetcher_class()([STATIC])
    with pytest.raises(ValueError, match="outside the document roots"):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch((STATIC / "css" / "app.css").as_uri())
    assert response.read()
    response.close()


def test_rendering_leaves_the_garbage_collector_as_it_found_it(monkeypatch):
    """The collector is paused while WeasyPrint lays a document out (see `_collector_paused`), and set back
    afterwards, also when the rendering fails; the document's garbage is freed, not left for later."""
    context = pdf_context(reference="DOC-000008", version=1, status="DRAFT", snapshot=SNAPSHOT,
                          generated_at=datetime(2026, 10, 2, 14, 30, tzinfo=UTC))  # fmt: skip
    assert gc.isenabled()
    gc.collect()
    render_pdf("pdf/regfd_quarterly_log.html", context, base_url=STATIC)
    assert gc.isenabled() and gc.collect() < 1000  # the document's cycles were freed, not left behind
    import weasyprint

    def fail(*args, **kwargs):
        raise RuntimeError("layout failed")

    with monkeypatch.context() as patch:
        patch.setattr(weasyprint.HTML, "write_pdf", fail)
        with pytest.raises(PDFRenderError, match="layout failed"):
            render_pdf("pdf/regfd_quarterly_log.html", context, base_url=STATIC)
    assert gc.isenabled()
    gc.disable()
    try:
        render_pdf("pdf/regfd_quarterly_log.html", context, base_url=STATIC)
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_a_logo_sits_beside_the_company_name_never_over_it(settings):
    """A wide logo in the running header takes its own width; the company name and title start after it."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    image = io.BytesIO()
    Image.new("RGB", (600, 150), (20, 60, 140)).save(image, format="PNG")
    sha = hashlib.sha256(image.getvalue()).hexdigest()
    path = Path(settings.MEDIA_ROOT) / "branding" / sha / "logo.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(image.getvalue())
    snapshot = {**SNAPSHOT, "company": {**SNAPSHOT["company"],
                                        "logo": {"path": f"branding/{sha}/logo.png", "sha256": sha}}}  # fmt: skip
    context = pdf_context(reference="DOC-000009", version=1, status="DRAFT", snapshot=snapshot,
                          generated_at=datetime(2026, 10, 2, 14, 30, tzinfo=UTC))  # fmt: skip
    assert context["logo_url"]
    page = HTML(string=render_html("pdf/regfd_quarterly_log.html", context), base_url=str(STATIC) + "/")
    page_box = page.render().pages[0]._page_box
    header = [b for b in page_box.descendants() if getattr(b, "element_tag", "") == "header"]
    assert header, "the running header is laid out in the page's margin"
    found = list(header[0].descendants())
    logo = next(b for b in found if isinstance(b, boxes.InlineReplacedBox))
    name = next(b for b in found if isinstance(b, boxes.TextBox) and b.text.startswith("Example <Corp>"))
    assert logo.width > 20  # the logo is shown (CSS px)
    assert logo.position_x + logo.width <= name.position_x
