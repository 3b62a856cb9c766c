"""The last page of the Board determination, "Signatures": the determination voted on, the votes and the
signatures with their times in New York and UTC, and how to check the seal; older snapshots still render.
Rendered through the one PDF path from hand-made snapshots, read back with pdftotext."""

from datetime import UTC, datetime

import pytest

from compliance_site.documents.presentation import render_snapshot_pdf
from compliance_site.documents.templatetags.documents_pdf import et_utc
from tests.documents_seal.conftest import pdf_text_of
from tests.documents_seal.snapshots import SHA, older_snapshot, snapshot

AT = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)


def render(tmp_path, snap: dict, status: str = "FINAL") -> list[str]:
    """The pages' text, each flattened to one line."""
    content = render_snapshot_pdf(
        "pdf/clawback_determination.html",
        reference="DOC-000042",
        version=2,
        status=status,
        snapshot=snap,
        generated_at=AT,
    )
    path = tmp_path / "determination.pdf"
    path.write_bytes(content)
    return [" ".join(page.split()) for page in pdf_text_of(path).split("\f")[:-1]]


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        ("2026-12-05T14:03:00+00:00", "Dec 5, 2026 9:03 AM ET (14:03 UTC)"),  # standard time, UTC-5
        ("2026-07-01T16:00:00+00:00", "Jul 1, 2026 12:00 PM ET (16:00 UTC)"),  # daylight time, UTC-4
        ("2026-12-06T02:10:00Z", "Dec 5, 2026 9:10 PM ET (Dec 6, 02:10 UTC)"),  # the UTC day differs
        ("2026-12-05T05:05:00+00:00", "Dec 5, 2026 12:05 AM ET (05:05 UTC)"),
        (
            datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
            "Mar 8, 2026 3:30 AM ET (07:30 UTC)",
        ),  # just after the change
        (None, "—"),
        ("", "—"),
    ],
)
def test_vote_and_signature_times_show_new_york_and_utc(instant, shown):
    assert et_utc(instant) == shown


def test_the_last_page_shows_the_votes_the_signatures_and_how_to_check_the_seal(tmp_path):
    pages = render(tmp_path, snapshot())
    last = pages[-1]
    assert "Signatures Determination voted on (SHA-256)" in last  # the page's title, then what was voted on
    assert f"Determination voted on (SHA-256) {SHA}" in last
    assert "How the decision was taken Unanimous written consent" in last
    # Votes: name, role, vote, time in ET and UTC, how it was recorded, comment
    assert "Riley Chair Chair of the Compensation Committee For Dec 5, 2026 9:03 AM ET (14:03 UTC)" in last
    assert "In the app, after a second-factor check Agree with the committee's analysis." in last
    assert "Dec 5, 2026 9:10 PM ET (Dec 6, 02:10 UTC)" in last
    assert "From the minutes of the meeting of 2026-12-01, recorded by Jordan Patel" in last
    # Signatures in order, then the one still awaited
    assert "1 Riley Chair Chair of the Compensation Committee Dec 7, 2026 10:30 AM ET (15:30 UTC)" in last
    assert "2 Awaiting signature Corporate Secretary" in last
    assert last.index("1 Riley Chair") < last.index("2 Awaiting signature")
    # The seal, in plain words
    assert "This file is sealed with a PDF signature of Allient Inc. compliance records" in last
    assert "signature panel of any PDF reader" in last and "verify_document" in last
    # Section 9 points to this page instead of blank signature lines
    section_9 = " ".join(pages[:-1]).split("9. The committee's decision")[1]
    assert "Written consent dated 2026-12-05" in section_9
    assert "on the last page, “Signatures”" in section_9 and "member present" not in section_9


def test_the_signature_page_speaks_plainly(tmp_path):
    last = render(tmp_path, snapshot())[-1]
    for code in ("unanimous_written_consent", "pending", "for_", "rsassa", "clawback_determination", ".pdf"):
        assert code not in last.lower().replace("pdf signature", "").replace("pdf reader", ""), code


def test_a_draft_says_it_is_not_sealed(tmp_path):
    last = render(tmp_path, snapshot(), status="DRAFT")[-1]
    assert "This is a draft: it is not sealed" in last
    assert "This file is sealed" not in last


def test_signatures_are_listed_in_their_order_whatever_the_snapshot_order(tmp_path):
    second = {"order": 2, "name": "Jordan Patel", "capacity": "Corporate Secretary",
              "at": "2026-12-08T14:00:00+00:00", "method": "In the app, after a second-factor check"}  # fmt: skip
    first = snapshot()["data"]["decision"]["signatures"][0]
    last = render(tmp_path, snapshot(signatures=[second, first], pending_signatures=[]))[-1]
    assert last.index("1 Riley Chair") < last.index("2 Jordan Patel Corporate Secretary")
    assert "Awaiting signature" not in last


def test_an_older_snapshot_without_ballots_or_signatures_still_renders(tmp_path):
    pages = render(tmp_path, older_snapshot())
    last = pages[-1]
    assert "Signatures" in last
    assert f"Determination (SHA-256) {SHA}" in last  # the document's own determination
    assert "Morgan Blake For Riley Chair For" in last
    assert "When and how each vote was cast was not recorded" in last
    assert "No signature is recorded with this decision" in last
    section_9 = " ".join(pages[:-1]).split("9. The committee's decision")[1]
    assert "Meeting held on 2026-12-05" in section_9
    assert "Riley Chair — member present" in section_9 and "Corporate Secretary — attest" in section_9


def test_without_a_decision_there_is_no_signature_page(tmp_path):
    snap = snapshot()
    snap["data"]["decision"] = None
    pages = render(tmp_path, snap, status="DRAFT")
    assert "No decision of the committee is recorded" in pages[-1]
    assert "The seal of this file" not in " ".join(pages)
