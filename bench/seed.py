"""The production-shaped data set `make bench` serves: the demo (company, fiscal years, one persona per role
with their second factor, two clawback cases, the Reg FD records) plus, inserted in bulk,

- 10,000 Reg FD incidents over the last two years, each with its deadline computed by the deadline engine on
  the current calendar and its computation history row; most closed (disclosed on time or late, or closed
  as not required), a few hundred open (due soon, overdue);
- 100 executives with their service periods and 10,000 awards (annual bonuses and long-term cash on a
  curve, performance shares on TSR, time-vested RSUs), on the demo company's measures;
- 1,000 generated documents (incident records, their snapshots built by the app's own snapshot builder);
- 50,000 audit events continuing the demo's chain: the creation of every record above, the changes that
  closed the incidents, the document requests, each sealed with the chain key (AUDIT_CHAIN_KEY), so the
  trail stays a valid chain; the head row and a checkpoint follow it.

The rows go in by COPY (`copy_rows`, several times faster than INSERT here), which skips `save()` and the
audit signals: that is why the trail is written here directly. The row-history triggers (pghistory) still
fire, as they do for any insert.

`python bench/seed.py` (run by bench/run.py in a child process, with the bench's environment) seeds the
database DATABASE_URL names, which must be migrated and empty, then prints one JSON line: what the
benchmark needs (an API token and a session cookie for the Administrator, the pks of a case and an
incident) and how long the seeding took.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INCIDENTS = 10_000
EXECUTIVES = 100
AWARDS = 10_000
DOCUMENTS = 1_000
AUDIT_EVENTS = 50_000

FIRST = ["Alex", "Blair", "Casey", "Dana", "Elliot", "Finley", "Gray", "Harper", "Indra", "Jules"]
LAST = ["Abbott", "Baptiste", "Chandra", "Delgado", "Eriksen", "Fontaine", "Gallo", "Hughes", "Ito", "Jensen"]
TITLES = [
    "Chief Executive Officer",
    "Chief Financial Officer",
    "Chief Operating Officer",
    "General Counsel",
    "EVP, Sales",
    "SVP, Operations",
    "Principal Accounting Officer",
    "President, Industrial Segment",
]
FIRMS = [
    "Hudson Capital",
    "Broadline Securities",
    "Cobalt Asset Management",
    "Fox & Co.",
    "Northgate Advisers",
]
SAYINGS = [
    ("Margin comment at investor dinner", "Said Q4 gross margin would be 'well below' guidance."),
    ("Backlog figure on analyst call-back", "Quoted the unannounced quarterly backlog."),
    ("Guidance hint in conference breakout", "Indicated full-year revenue guidance would be lowered."),
    ("Customer win mentioned to shareholder", "Mentioned a signed supply contract before announcement."),
    ("Office relocation mentioned to broker", "Said the Boston office will move next year."),
]
CURVE = [["40000000", "0.5"], ["50000000", "1.0"], ["60000000", "2.0"]]
TSR_CURVE = [["25", "0.5"], ["50", "1.0"], ["75", "2.0"]]


def seed(*, now) -> dict:
    """Seed the database (already migrated, empty) as of `now`; the ids and credentials the bench needs."""
    from django.db import connection

    from compliance_site import demo

    timings = {}
    started = time.perf_counter()
    users = demo.load_demo(now=now)
    timings["demo"] = time.perf_counter() - started
    # No transaction around it all: copy_rows commits every few thousand rows (see there). A run that fails
    # half-way leaves a half-seeded database, which the next run drops.
    company = demo.ensure_company(users["admin"])
    step = time.perf_counter()
    executives, periods = _executives(company)
    awards = _awards(company, executives)
    timings["executives and awards"] = time.perf_counter() - step
    step = time.perf_counter()
    incidents = _incidents(users, now=now)
    timings["incidents"] = time.perf_counter() - step
    step = time.perf_counter()
    documents = _documents(users, company, incidents, now=now)
    timings["documents"] = time.perf_counter() - step
    step = time.perf_counter()
    events = _audit_trail(users, executives + periods + awards, incidents, documents)
    timings["audit events"] = time.perf_counter() - step
    from compliance_site.audit.checkpoints import write_checkpoint

    write_checkpoint()  # outside the transaction, as beat does: the committed head
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would have gathered in production
    timings["analyze"] = time.perf_counter() - step
    return {
        "counts": {
            "incidents": len(incidents),
            "executives": len(executives),
            "awards": len(awards),
            "documents": len(documents),
            "audit events": events,
        },
        "timings": timings,
        **_handles(users),
    }


def _handles(users) -> dict:
    """An API token and a signed-in session for the Administrator (who sees every list), and the records
    the single-record pages open."""
    from django.conf import settings
    from django.test import Client

    from clawback.models import Restatement
    from compliance_site.accounts.tokens import issue_token
    from regfd.models import Incident

    admin = users["admin"]
    token = issue_token(user=admin)[1]
    client = Client()
    client.force_login(admin)  # a session row, as a sign-in leaves it (the second factor is set up)
    # The case walked through the workflow (determination, decisions, recovery): the fullest case page.
    case = Restatement.objects.exclude(status=Restatement.Status.DRAFT).order_by("id").first()
    case = case or Restatement.objects.order_by("id").first()
    cookie = settings.SESSION_COOKIE_NAME
    middle = Incident.objects.order_by("-learned_at").values_list("pk", "reference")[INCIDENTS // 2]
    return {
        "username": admin.username,
        "token": token,
        "session_cookie": f"{cookie}={client.cookies[cookie].value}",
        "restatement_pk": case.pk,
        "incident_pk": middle[0],
        "incident_reference": middle[1],
        **_seal_files(),
    }


def _seal_files() -> dict:
    """The document seal's key and certificate, which production requires as files: the development pair,
    generated under the bench's VAR_DIR."""
    from django.conf import settings

    from compliance_site.documents.sealing import development_credentials

    key_file, cert_file = development_credentials(Path(settings.VAR_DIR) / "document-seal")
    return {"seal_key_file": str(key_file), "seal_cert_file": str(cert_file)}


def _executives(company):
    from clawback.models import Executive, OfficerPeriod

    executives = copy_rows(
        Executive,
        [
            Executive(
                company=company,
                key=f"exec-{i:03d}",
                name=f"{FIRST[i % 10]} {LAST[i // 10 % 10]}",
                title=TITLES[i % len(TITLES)],
            )
            for i in range(EXECUTIVES)
        ],
    )
    periods = copy_rows(
        OfficerPeriod,
        [
            OfficerPeriod(
                executive=executive,
                start=date(2012 + i % 10, 1 + i % 12, 1),
                # Every seventh left in mid-2024; the others still serve.
                end=None if i % 7 else date(2024, 6, 30),
                title=executive.title,
            )
            for i, executive in enumerate(executives)
        ],
    )
    return executives, periods


def _awards(company, executives):
    from clawback.models import Award, Measure

    operating = Measure.objects.filter(company=company, category="operating_income").order_by("id").first()
    tsr = Measure.objects.filter(company=company, category="tsr").order_by("id").first()

    def earned_on(measure, year: int, *, years: int, measure_period: str, target: str, points) -> dict:
        # The incentive kinds differ in measure, period and curve only: all are Financial Reporting Measure
        # awards, the ones the recovery policy covers.
        return {
            "basis": Award.Basis.FINANCIAL_REPORTING_MEASURE,
            "performance_start": date(year, 1, 1),
            "performance_end": date(year + years - 1, 12, 31),
            "measure": measure,
            "measure_period": measure_period,
            "formula": {"kind": "curve", "target": target, "points": points},
        }

    rows = []
    for n in range(AWARDS):
        executive = executives[n % EXECUTIVES]
        year = 2021 + n % 6
        kind = n // EXECUTIVES % 10
        common = {
            "executive": executive,
            "company": company,  # save() copies it from the executive; COPY does not call save()
            "approval_date": date(year, 2, 10),
            "grant_date": date(year, 2, 15),
        }
        if kind in (0, 1, 2, 3, 4):  # annual bonus on operating income
            paid = Decimal(150_000 + (n * 7919) % 600_000)
            award = Award(
                **common,
                **earned_on(
                    operating, year, years=1, measure_period=f"FY{year}", target=str(paid), points=CURVE
                ),
                key=f"{executive.key}-fy{year}-bonus-{n}",
                award_type=Award.Type.CASH_BONUS,
                received=paid,
                settlement_date=date(year + 1, 3, 1),
            )
        elif kind in (5, 6):  # three-year performance shares on relative TSR
            units = Decimal(4_000 + (n * 31) % 20_000)
            award = Award(
                **common,
                **earned_on(
                    tsr, year, years=3, measure_period="FY2023-FY2025", target=str(units), points=TSR_CURVE
                ),
                key=f"{executive.key}-{year}-psu-{n}",
                award_type=Award.Type.PERFORMANCE_SHARES,
                unit=Award.Unit.UNITS,
                value_per_unit=Decimal("62.50"),
                received=units * Decimal("1.2"),
                vesting_date=date(year + 3, 3, 1),
            )
        elif kind == 7:  # long-term cash incentive
            period = f"FY{min(year + 2, 2025)}"
            award = Award(
                **common,
                **earned_on(operating, year, years=3, measure_period=period, target="250000", points=CURVE),
                key=f"{executive.key}-{year}-ltip-{n}",
                award_type=Award.Type.CASH_LTIP,
                received=Decimal("275000"),
            )
        else:  # time-vested RSUs: outside the policy, listed all the same
            award = Award(
                **common,
                key=f"{executive.key}-{year}-rsu-{n}",
                award_type=Award.Type.RSU,
                basis=Award.Basis.TIME_VESTED,
                performance_start=date(year, 1, 1),
                performance_end=date(year + 3, 12, 31),
                unit=Award.Unit.UNITS,
                value_per_unit=Decimal("41.37"),
                received=Decimal(1_000 + n % 5_000),
                vesting_date=date(year + 3, 3, 1),
            )
        rows.append(award)
    return copy_rows(Award, rows)


def _incidents(users, *, now):
    from regfd.calendar_source import current_calendar
    from regfd.models import DeadlineComputation, Incident
    from regfd.services.incidents import apply_deadline

    calendar = current_calendar()
    reporters = [users["secretary"], users["employee"], users["counsel"]]
    rows = []
    per_year: dict[int, int] = {}
    for i in range(INCIDENTS):
        # Newest first: one every 97 minutes going back about two years (inside the calendar's years).
        learned_at = now - timedelta(minutes=45 + 97 * i)
        disclosed_at = learned_at - timedelta(minutes=30 + (i * 13) % 240)
        title, information = SAYINGS[i % len(SAYINGS)]
        year = learned_at.year
        per_year[year] = per_year.get(year, 999) + 1
        incident = Incident(
            reference=f"FD-{year}-{per_year[year]:05d}",  # after the demo's FD-YYYY-0001..
            title=title,
            disclosed_by=TITLES[i % len(TITLES)],
            recipient_name=f"{FIRST[(i + 3) % 10]} {LAST[(i * 7) % 10]}",
            recipient_firm=FIRMS[i % len(FIRMS)],
            recipient_category=Incident.RecipientCategory.values[i % len(Incident.RecipientCategory.values)],
            information=information,
            disclosed_at=disclosed_at,
            learned_at=learned_at,
            learned_by="Sam Secretary (Corporate Secretary)",
            reported_by=reporters[i % len(reporters)],
            reported_at=learned_at + timedelta(minutes=20),
        )
        apply_deadline(incident, calendar=calendar)
        if i < 30 or i % 97 == 0:
            # Open: the newest ones (time left, due soon) and a scattering of overdue ones.
            incident.material_categories = ["earnings", "expectations"] if i % 2 else []
            incident.in_doubt = bool(i % 3 == 0)
        elif i % 5:
            # Publicly disclosed, mostly on time.
            incident.status = Incident.Status.DISCLOSED
            incident.public_disclosure_at = learned_at + timedelta(hours=2 + (i % 11) * 3)
            incident.public_disclosure_method = Incident.DisclosureMethod.values[i % 6]
            incident.public_disclosure_reference = f"Business Wire {learned_at:%Y%m%d}-{i % 1000:04d}"
            incident.outcome = (
                Incident.Outcome.ON_TIME
                if incident.public_disclosure_at <= incident.due_at
                else Incident.Outcome.LATE
            )
            incident.material_categories = ["products_customers", "contracts"]
            incident.materiality_assessment = "A significant contract, not yet public: material."
            incident.counsel_conclusion = Incident.CounselConclusion.MATERIAL
            incident.counsel_rationale = "Award of a significant contract (policy II.B); not yet public."
            incident.counsel_concluded_by = users["counsel"]
            incident.counsel_concluded_at = learned_at + timedelta(hours=1)
        else:
            # Closed as not required: counsel concluded it was not material.
            incident.status = Incident.Status.NOT_REQUIRED
            incident.outcome = Incident.Outcome.NOT_REQUIRED
            incident.counsel_conclusion = Incident.CounselConclusion.NOT_MATERIAL
            incident.counsel_rationale = "A routine matter with no effect on results or prospects."
            incident.counsel_concluded_by = users["counsel"]
            incident.counsel_concluded_at = learned_at + timedelta(hours=2)
            incident.closed_reason = "Counsel concluded the information is not material."
        rows.append(incident)
    incidents = copy_rows(Incident, rows)
    copy_rows(
        DeadlineComputation,
        [
            DeadlineComputation(
                incident=incident,
                computed_at=incident.reported_at,
                reason="Incident logged",
                learned_at=incident.learned_at,
                outer_limit=incident.outer_limit,
                policy_target=incident.policy_target,
                due_at=incident.due_at,
                calendar_version=incident.calendar_version,
                rule_version=incident.rule_version,
            )
            for incident in incidents
        ],
    )
    return incidents


def _documents(users, company, incidents, *, now):
    """Incident records for closed incidents, with the snapshot the app would take of each; most rendered,
    a few failed and a few still queued."""
    from django.contrib.contenttypes.models import ContentType

    from compliance_site.documents.models import GeneratedDocument
    from compliance_site.documents.snapshots.common import envelope, sha256_of
    from regfd.documents.snapshots import incident_data
    from regfd.models import Incident

    content_type = ContentType.objects.get_for_model(Incident)
    kind = GeneratedDocument.Kind.INCIDENT
    closed = [incident for incident in incidents if incident.status != Incident.Status.OPEN][:DOCUMENTS]
    rows = []
    for i, incident in enumerate(closed):
        requested_at = incident.reported_at + timedelta(days=1)
        title = f"Reg FD incident record — {incident.reference}"
        snapshot = envelope(
            kind=kind, title=title, company=company, now=requested_at, data=incident_data(incident)
        )
        state = (
            GeneratedDocument.State.FAILED
            if i % 50 == 7
            else GeneratedDocument.State.QUEUED
            if i % 50 == 11
            else GeneratedDocument.State.DONE
        )
        done = state == GeneratedDocument.State.DONE
        filename = f"{incident.reference}-v1.pdf"
        rows.append(
            GeneratedDocument(
                kind=kind,
                title=title,
                content_type=content_type,
                record_id=incident.pk,
                version=1,
                status=GeneratedDocument.Status.FINAL if i % 3 else GeneratedDocument.Status.DRAFT,
                file=f"documents/{kind}/bench/{filename}" if done else "",
                filename=filename if done else "",
                media_type="application/pdf" if done else "",
                sha256=hashlib.sha256(filename.encode()).hexdigest() if done else "",
                size=41_000 + i % 9_000 if done else 0,
                snapshot=snapshot,
                snapshot_sha256=sha256_of(snapshot),
                requested_by=users["secretary"],
                requested_at=requested_at,
                started_at=requested_at if state != GeneratedDocument.State.QUEUED else None,
                generated_at=requested_at + timedelta(seconds=4) if done else None,
                state=state,
                progress=100 if done else 40 if state == GeneratedDocument.State.FAILED else 0,
                error="WeasyPrint: font cache unavailable" if state == GeneratedDocument.State.FAILED else "",
            )
        )
    return copy_rows(GeneratedDocument, rows)


def _audit_trail(users, records, incidents, documents) -> int:
    """AUDIT_EVENTS events after the demo's, in time order: each record's creation, the documents'
    requests, and as many incident changes (materiality, counsel's conclusion, closing) as make up the
    number. Each sealed with the chain key and chained to the previous entry, as the recorder does."""
    from compliance_site.audit import recorder
    from compliance_site.audit.models import AuditEvent, AuditHead
    from regfd.models import Incident

    secretary, counsel = users["secretary"], users["counsel"]
    pending = []  # (at, actor, action, verb, object_type, object_id, object_repr, changes)
    for record in records:
        # Executives, their periods and awards: entered by the Corporate Secretary in 2026.
        created = recorder.snapshot(record)
        pending.append(
            (None, secretary, "create", "", record._meta.label_lower, record.pk, str(record),
             {k: [None, v] for k, v in created.items()})
        )  # fmt: skip
    for incident in incidents:
        created = recorder.snapshot(incident)
        pending.append(
            (incident.reported_at, incident.reported_by, "create", "", "regfd.incident", incident.pk,
             str(incident), {k: [None, v] for k, v in created.items()})
        )  # fmt: skip
    for document in documents:
        pending.append(
            (document.requested_at, document.requested_by, "action", "request_document",
             "documents.generateddocument", document.pk, str(document),
             {"kind": document.kind, "version": 1, "status": document.status,
              "snapshot_sha256": document.snapshot_sha256, "regenerated_from": ""})
        )  # fmt: skip
    changes = []
    for incident in incidents:
        if incident.status == Incident.Status.OPEN:
            continue
        at = incident.counsel_concluded_at
        changes.append(
            (at - timedelta(minutes=30), secretary, "update", "", incident,
             {"material_categories": [[], incident.material_categories],
              "materiality_assessment": ["", incident.materiality_assessment]})
        )  # fmt: skip
        changes.append(
            (at, counsel, "update", "", incident,
             {"counsel_conclusion": ["pending", incident.counsel_conclusion],
              "counsel_rationale": ["", incident.counsel_rationale],
              "counsel_concluded_by_id": [None, counsel.pk],
              "counsel_concluded_at": [None, at.isoformat()]})
        )  # fmt: skip
        closing = {"status": ["open", incident.status], "outcome": ["", incident.outcome]}
        if incident.public_disclosure_at:
            closing["public_disclosure_at"] = [None, incident.public_disclosure_at.isoformat()]
            closing["public_disclosure_method"] = ["", incident.public_disclosure_method]
        changes.append(
            ((incident.public_disclosure_at or at) + timedelta(minutes=10), secretary, "update", "", incident,
             closing)
        )  # fmt: skip
    room = AUDIT_EVENTS - len(pending)
    for at, actor, action, verb, incident, diff in changes[: max(room, 0)]:
        pending.append((at, actor, action, verb, "regfd.incident", incident.pk, str(incident), diff))
    while len(pending) < AUDIT_EVENTS:  # more events than changes: exports of the trail, by the auditor
        incident = incidents[len(pending) % len(incidents)]
        pending.append(
            (incident.learned_at + timedelta(days=30), users["auditor"], "action", "export", "regfd.incident",
             incident.pk, str(incident), {"format": "csv"})
        )  # fmt: skip
    pending = pending[:AUDIT_EVENTS]
    # The records keyed in without a time of their own come first, a minute apart, two years ago.
    first = min(p[0] for p in pending if p[0] is not None)
    pending = [
        ((at or first - timedelta(minutes=len(pending) - n)), *rest) for n, (at, *rest) in enumerate(pending)
    ]
    pending.sort(key=lambda p: p[0])
    head = AuditHead.objects.get(id=1)  # nothing else writes to the bench database while it is seeded
    seq, previous = head.last_seq, head.last_hash
    events = []
    for at, actor, action, verb, object_type, object_id, object_repr, diff in pending:
        seq += 1
        event = AuditEvent(
            seq=seq,
            at=at,
            actor=actor,
            actor_repr=actor.get_username(),
            action=action,
            verb=verb,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            changes=diff,  # JSON values already (recorder.snapshot, ISO strings)
            reason="",
            prev_hash=previous,
        )
        event.seal()
        previous = event.hash
        events.append(event)
    copy_rows(AuditEvent, events)
    AuditHead.objects.filter(id=1).update(last_seq=seq, last_hash=previous)
    return len(pending)


def copy_rows(model, objects: list, *, chunk: int = 5_000) -> list:
    """INSERT `objects` into the model's table by COPY, `chunk` rows a transaction; they get their ids from
    the table's sequence first, as bulk_create would give them. Values go through each field's pre_save and
    get_db_prep_save, as an INSERT's would (JSON encoded with the field's encoder).

    Why chunks: every row fires pgtrigger's row triggers (row history, the audit trail's transaction
    times), whose guard function opens a subtransaction per row; PostgreSQL slows down more than linearly
    with the number of subtransactions in one transaction (50,000 audit events took 17 s in one
    transaction, 4 s in chunks of 10,000 on the bench machine)."""
    from django.db import connection, models, transaction

    if not objects:
        return objects
    meta = model._meta
    fields = meta.concrete_fields
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if isinstance(meta.pk, models.AutoField | models.BigAutoField) and objects[0].pk is None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
    for start in range(0, len(objects), chunk):
        buffer = io.StringIO()
        for obj in objects[start : start + chunk]:
            values = []
            for field in fields:
                value = field.pre_save(obj, True)
                if isinstance(field, models.JSONField):
                    value = None if value is None else json.dumps(value, cls=field.encoder)
                else:
                    value = field.get_db_prep_save(value, connection)
                values.append(_copy_text(value))
            buffer.write("\t".join(values) + "\n")
            obj._state.adding = False
            obj._state.db = connection.alias
        buffer.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    return objects


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance_site.settings")
    import django

    django.setup()
    from django.utils import timezone

    started = time.perf_counter()
    result = seed(now=timezone.now())
    result["timings"]["total"] = time.perf_counter() - started
    print(json.dumps(result))


if __name__ == "__main__":
    main()
