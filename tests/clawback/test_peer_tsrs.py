"""The peer group's TSRs behind a percentile measure: typed, pasted from a spreadsheet (two tab-separated
columns) or uploaded as a CSV file, whose name and SHA-256 the estimate's documentation then gives."""

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clawback.demo import PEER_TSRS, ensure_restatement
from clawback.models import EventStudy, EventStudyAward, PriceSet
from clawback.services.event_studies import parse_peer_tsrs, read_peer_file
from compliance_site.company.models import Company
from compliance_site.demo import load_demo
from tests.clawback.test_event_study_views import _study_post
from tests.clients import client_for

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "peers"),
    [
        ("Acme, 12.5\nBeta, -3%", [["Acme", "12.5"], ["Beta", "-3"]]),
        ("Peer\tTSR (%)\nAcme Corp\t12.5%\nBeta Ltd\t-3", [["Acme Corp", "12.5"], ["Beta Ltd", "-3"]]),
        ('Peer,TSR\n"Acme, Inc.",4.25', [["Acme, Inc.", "4.25"]]),
        ("Acme, Inc., 4.25", [["Acme, Inc.", "4.25"]]),
        ("7\n\n8", [["Peer 1", "7"], ["Peer 2", "8"]]),
        ("Wiped out, -100", [["Wiped out", "-100"]]),
        ("", []),
    ],
)
def test_typed_pasted_or_read_from_a_file(text, peers):
    assert parse_peer_tsrs(text) == peers


@pytest.mark.parametrize(
    "text", ["Acme, twelve", "Acme, NaN", "Acme, Infinity", "Acme, 1\nPeer, TSR", "Acme, -500", "Acme, 1e400"]
)
def test_a_line_that_is_not_a_peer_is_refused_with_its_number(text):
    with pytest.raises(ValidationError) as refused:
        parse_peer_tsrs(text)
    (message,) = refused.value.message_dict["peer_tsrs"]
    assert message.startswith(f"Line {len(text.splitlines())}: ")


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("peers.xlsx", b"PK", "as a .csv file"),
        ("peers.csv", "Acme, 12".encode("utf-16"), "not UTF-8"),
        ("peers.csv", b"Peer, TSR\n", "lists no peer"),
        ("peers.csv", b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
        ("peers.csv", b"Acme, twelve", "Line 1"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(name, data, says):
    with pytest.raises(ValidationError) as refused:
        read_peer_file(file_name=name, data=data)
    assert says in " ".join(refused.value.message_dict["peer_file"])


@pytest.mark.django_db
def test_the_chair_uploads_the_peers_and_the_documentation_names_the_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = load_demo(now=NOW)
    company = Company.objects.order_by("id").first()
    case = ensure_restatement(company, users)
    chair = client_for(users["committee"])
    chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(PriceSet.objects.get()))
    study = EventStudy.objects.get(restatement=case)
    award = case.covered_executives.get(key="ceo").awards.get(key="ceo-tsr-psu")
    data = b"Peer,TSR (%)\n" + PEER_TSRS.read_bytes()
    url = reverse("clawback:event-study-apply", args=[study.pk, award.pk])
    fields = {f"a{award.pk}-measure_kind": "tsr_percentile", f"a{award.pk}-averaging_days": 1}

    both = chair.post(
        url, fields | {f"a{award.pk}-peer_tsrs": "Acme, 1", f"a{award.pk}-peer_file": _csv(data)}
    )
    assert both.status_code == 400 and "not both" in both.content.decode()
    bad = chair.post(url, fields | {f"a{award.pk}-peer_file": _csv(b"Acme, twelve")})
    assert bad.status_code == 400 and "Line 1: “Acme, twelve”" in bad.content.decode()
    assert not EventStudyAward.objects.exists()

    assert chair.post(url, fields | {f"a{award.pk}-peer_file": _csv(data)}).status_code == 302
    result = EventStudyAward.objects.get(study=study, award=award)
    listed = [line for line in PEER_TSRS.read_text().splitlines() if line.strip()]
    assert len(result.peer_tsrs) == len(listed) and result.proposed_value == Decimal("55")
    sha = hashlib.sha256(data).hexdigest()
    assert result.figures["peer_source"] == f"peers.csv (SHA-256 {sha})"
    page = chair.get(reverse("clawback:event-study-detail", args=[study.pk])).content.decode()
    assert f"{len(listed)} peers' TSRs, from peers.csv (SHA-256 {sha})." in page
    chair.post(reverse("clawback:event-study-answer", args=[result.pk]), {f"r{result.pk}-outcome": "adopted"})
    result.refresh_from_db()
    assert f"Peer TSRs: peers.csv (SHA-256 {sha})" in result.estimate.documents.splitlines()


def _csv(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("peers.csv", data, content_type="text/csv")
