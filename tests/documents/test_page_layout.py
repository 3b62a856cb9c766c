"""A long document keeps its page furniture: the benchmark's determination (20 executives, 200 awards, 30-odd
pages, landscape worksheet pages among portrait ones) read back page by page with pdftotext. Every page has
the watermark, the running header and footer and "Page X of Y"; a table that runs over several pages repeats
its header row on each; a worksheet row is never cut between two pages."""

import re
import subprocess
from datetime import UTC, datetime

import pytest

from bench.bench_pdf import determination_snapshot
from compliance_site.documents.rendering import render_snapshot_pdf
from tests.documents.conftest import pages_of

WORKSHEET_HEADER = (
    "Award Executive Received on Measure (period) Original value Restated value Formula Received On original "
    "Recomputed Excess Excess USD Status"
)
EXCLUSIONS_HEADER = "Award Executive Received on Received Reasons"


@pytest.fixture(scope="module")
def long_document(tmp_path_factory):
    snapshot = determination_snapshot()
    content = render_snapshot_pdf(
        "pdf/clawback_determination.html",
        reference="DOC-LAYOUT",
        version=4,
        status="DRAFT",
        snapshot=snapshot,
        generated_at=datetime(2026, 11, 21, 15, 0, tzinfo=UTC),
    )
    path = tmp_path_factory.mktemp("layout") / "long.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True)
    return snapshot, pages_of(text.stdout)


def _flat(page: str) -> str:
    return " ".join(page.split())


def _section(pages: list[str], start: str, end: str) -> list[int]:
    """Indexes of the pages from the one where `start` appears up to the one before `end` appears."""
    first = next(i for i, page in enumerate(pages) if start in _flat(page))
    last = next(i for i, page in enumerate(pages) if end in _flat(page))
    return list(range(first, last + 1 if start == end else last))


def test_every_page_has_the_watermark_the_running_header_and_footer(long_document):
    _, pages = long_document
    assert len(pages) > 20
    for number, page in enumerate(pages, start=1):
        flat = _flat(page)
        assert page.lstrip().startswith("DRAFT"), number
        assert "Benchmark Corp (BNCH)" in flat and "Recovery determination — Benchmark restatement" in flat
        assert "CONFIDENTIAL — PRIVILEGED" in flat.upper(), number
        assert f"DOC-LAYOUT · version 4 · DRAFT Page {number} of {len(pages)}" in flat, number
        assert "Generated 2026-11-21 10:00 EST" in flat, number


def test_tables_running_over_pages_repeat_their_header_row(long_document):
    _, pages = long_document
    worksheet = _section(pages, "3. Award worksheet", "4. The arithmetic, award by award")
    exclusions = _section(pages, "5. Awards excluded, with reasons", "6. Reasonable estimates")
    assert len(worksheet) >= 3 and len(exclusions) >= 2  # the tables do run over several pages
    for index in worksheet:
        assert WORKSHEET_HEADER in _flat(pages[index]), f"page {index + 1}"
    for index in exclusions:
        assert EXCLUSIONS_HEADER in _flat(pages[index]), f"page {index + 1}"


def test_no_worksheet_row_is_cut_between_two_pages(long_document):
    snapshot, pages = long_document
    worksheet = _section(pages, "3. Award worksheet", "4. The arithmetic, award by award")
    shown = [row for row in snapshot["data"]["awards"] if row["status"] != "excluded"]
    assert shown
    ids = "|".join(re.escape(row["id"]) for row in shown)
    starts = re.compile(rf"^(?:{ids})$", re.MULTILINE)
    for row in shown:
        found = []
        for index in worksheet:
            page = pages[index]
            start = re.search(rf"^{re.escape(row['id'])}$", page, re.MULTILINE)
            if start is None:
                continue
            following = starts.search(page, start.end())
            cell_text = _flat(page[start.start() : following.start() if following else len(page)])
            # The whole row, from its award id to its status, is on this page.
            found.append(index)
            assert f"{row['executive']} {row['received_on']}" in cell_text, row["id"]
            assert cell_text.endswith(row["status_label"]) or f" {row['status_label']} " in cell_text, (
                f"{row['id']} is cut at the foot of page {index + 1}: {cell_text[-80:]}"
            )
        assert len(found) == 1, f"{row['id']} starts on pages {[i + 1 for i in found]}"
