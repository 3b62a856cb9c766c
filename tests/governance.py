"""Test helpers for the bodies that decide: seats on the Board and the Compensation Committee, and the
minutes a meeting's votes are recorded from."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from compliance_site.company.models import BodyMembership

SINCE = date(2020, 1, 1)

# A deciding body (clawback Decision.Body) -> the seats it is made of.
SEATS = {"committee": "committee", "board": "board", "independent_directors": "board"}


def seat(company, body: str, *members, chair=None, since: date = SINCE) -> None:
    """Give each member a seat on `body` ("committee" or "board", or a deciding body's value) from `since`;
    `chair` (one of them) chairs it. Members already seated keep their seat."""
    body = SEATS.get(body, body)
    for member in members:
        BodyMembership.objects.get_or_create(
            company=company,
            body=body,
            member=member,
            starts_on=since,
            defaults={"chair": member == chair},
        )


def minutes(name: str = "minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n% minutes of the meeting\n%%EOF\n", content_type="application/pdf"
    )


def minutes_on(case, actor):
    """Minutes attached to the case, as the secretary attaches them before recording the meeting's votes."""
    from compliance_site.attachments.services import add_attachment

    return add_attachment(actor=actor, record=case, uploaded=minutes(), kind="minutes", description="Minutes")


def sign(decision, *, now):
    """Every signature an adopted decision needs, in the company's order, by whoever holds each capacity."""
    from clawback.models import DecisionSignature
    from clawback.services import voting
    from compliance_site.accounts.models import User

    while (capacity := voting.next_signature(decision)) is not None:
        if capacity == DecisionSignature.Capacity.CHAIR:
            signer = voting.body_on(decision.restatement, decision.body, on=decision.held_on).chair
        else:
            signer = User.objects.filter(roles__role="secretary", is_active=True).order_by("pk").first()
        voting.sign_decision(
            actor=signer, decision=decision, determination_sha256=decision.determination_sha256, now=now
        )
    return decision
