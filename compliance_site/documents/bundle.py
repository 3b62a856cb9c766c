"""Auditor export bundles: one ZIP per record or period, verifiable offline.

Contents: the PDFs, the records as CSV and XLSX, the attachments, the audit-trail extract (JSON lines and
CSV, each row with its chain hash), the files that re-perform the figures (for a restatement, the scenario
file and its result), the snapshot the bundle was built from, `CHECKPOINT.txt` (the audit trail checkpoint
the snapshot carries, and how to check it), `verify.py` (a standard-library script an auditor runs with
nothing but Python: verify_bundle.py, copied byte for byte), and `manifest.json` listing the SHA-256 and size
of every other file. The manifest also records the audit trail's latest checkpoint at export time, its own
SHA-256, and its signature: HMAC-SHA256 under AUDIT_CHAIN_KEY of its canonical JSON (`manifest_body`), so
a file rewritten together with the manifest is still caught by whoever holds the key. `verify_bundle` (and
`manage.py verify_export`) re-checks all of it without a database; bundles made before the signature (no
verify.py, no signature) still verify, and the report says what they lack.

What a bundle holds is the program's: its kind's `bundle` writer adds the PDFs and files from the snapshot
(registry.KindSpec), its snapshot builder gathers the data with `scope_attachments` and `scope_audit` below,
and `registry.register_bundle_check` says how a file is re-performed offline (docs/architecture.md).
"""

import hashlib
import hmac
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from compliance_site.attachments.models import Attachment
from compliance_site.audit.checkpoints import current_checkpoint
from compliance_site.audit.exports import iter_csv, iter_jsonl, row_hash_matches
from compliance_site.audit.models import AuditEvent, AuditHead

from .presentation import about_rows, checkpoint_lines, render_snapshot_pdf
from .registry import BUNDLE_CHECKS, KindSpec
from .xlsx import table_csv, tables_xlsx

MANIFEST = "manifest.json"
CHECKPOINT = "CHECKPOINT.txt"
VERIFY_SCRIPT = "verify.py"
# The standalone checker (standard library only) copied into every bundle as verify.py.
VERIFY_SCRIPT_SOURCE = Path(__file__).with_name("verify_bundle.py")
SIGNATURE_SCHEME = "hmac-sha256"
# /2: signed manifest, verify.py, checkpoint at export. /1 bundles (unsigned) still verify, saying so.
BUNDLE_FORMAT = "compliance-export/2"
UNSIGNED_FORMAT = "compliance-export/1"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


# --- What goes in (the snapshot) ------------------------------------------------------------------


def scope_attachments(scope: list[tuple[str, list[str]]]) -> list[dict]:
    """The attachments of the records in `scope` ((object type, ids) pairs), as a bundle lists them."""
    query = Q(pk__in=[])
    for object_type, ids in scope:
        app_label, model = object_type.split(".")
        try:
            content_type = ContentType.objects.get_for_model(apps.get_model(app_label, model))
        except LookupError:
            continue
        query |= Q(content_type=content_type, object_id__in=ids)
    rows = Attachment.objects.filter(query).select_related("content_type").order_by("id")
    return [
        {
            "id": a.pk,
            "record_type": f"{a.content_type.app_label}.{a.content_type.model}",
            "record_id": a.object_id,
            "name": a.original_name,
            "version": a.version,
            "sha256": a.sha256,
            "size": a.size,
        }
        for a in rows
    ]


def scope_audit(scope: list[tuple[str, list[str]]], attachments: list[dict]) -> dict:
    """The audit-trail extract of `scope` and its attachments, up to the last event recorded now."""
    pairs = [[t, ids] for t, ids in scope]
    if attachments:
        pairs.append(["attachments.attachment", [str(a["id"]) for a in attachments]])
    head = AuditHead.objects.filter(id=1).first()
    return {"scope": pairs, "through_seq": head.last_seq if head else 0}


# --- Writing the ZIP ------------------------------------------------------------------------------


def _sub_snapshot(snapshot: dict, *, kind: str, title: str, data: dict) -> dict:
    return {**snapshot, "kind": kind, "title": title, "data": data}


def _audit_events(audit: dict):
    query = Q(pk__in=[])
    for object_type, ids in audit["scope"]:
        query |= Q(object_type=object_type, object_id__in=ids)
    return AuditEvent.objects.filter(query, seq__lte=audit["through_seq"]).order_by("seq")


def _json_bytes(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _attachment_path(item: dict) -> str:
    record = _SAFE.sub("-", f"{item['record_type']}-{item['record_id']}")
    name = _SAFE.sub("-", PurePath(item["name"]).name) or "file"
    return f"attachments/{record}/{item['id']}-v{item['version']}-{name}"


def _read_attachment(item: dict) -> bytes:
    attachment = Attachment.objects.get(pk=item["id"])
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != item["sha256"]:
        raise ValueError(f"attachment {item['id']} ({item['name']}) does not match its recorded SHA-256")
    return content


@dataclass(frozen=True)
class BundleParts:
    """What a kind's `bundle` writer is handed: `pdf(name, template, kind, title, data)` renders one of the
    bundle's documents from part of the snapshot, `json(path, value)` adds a JSON file, `progress(percent)`
    moves the progress bar (between 10 and 55)."""

    pdf: Callable[[str, str, str, str, dict], None]
    json: Callable[[str, object], None]
    progress: Callable[[int], None]


def write_bundle(
    document, *, spec: KindSpec, generated_at: datetime, progress: Callable[[int], None]
) -> bytes:
    snapshot = document.snapshot
    data = snapshot["data"]
    status = document.get_status_display()
    files: list[tuple[str, bytes]] = []

    def pdf(name: str, template: str, kind: str, title: str, sub: dict) -> None:
        content = render_snapshot_pdf(
            template,
            reference=f"{document.reference}/{name}",
            version=document.version,
            status=status,
            snapshot=_sub_snapshot(snapshot, kind=kind, title=title, data=sub),
            generated_at=generated_at,
        )
        files.append((f"documents/{name}.pdf", content))

    def add_json(path: str, value) -> None:
        files.append((path, _json_bytes(value)))

    progress(10)
    spec.bundle(data, BundleParts(pdf=pdf, json=add_json, progress=progress))
    progress(55)
    for name, table in data["tables"].items():
        files.append((f"records/{name}.csv", table_csv(table)))
    common = {
        "reference": document.reference,
        "version": document.version,
        "status": status,
        "snapshot": snapshot,
        "generated_at": generated_at,
    }
    files.append(
        ("records/records.xlsx",
         tables_xlsx(data["tables"], about=about_rows(**common, sha=document.snapshot_sha256),
                                             generated_at=generated_at))
    )  # fmt: skip
    progress(65)
    for item in data["attachments"]:
        files.append((_attachment_path(item), _read_attachment(item)))
    progress(80)
    events = list(_audit_events(data["audit"]))
    files.append(("audit/audit-trail.jsonl", "".join(iter_jsonl(events)).encode()))
    files.append(("audit/audit-trail.csv", "".join(iter_csv(events)).encode()))
    files.append(("snapshot.json", _json_bytes(snapshot)))
    if checkpoint := checkpoint_lines(snapshot):
        files.append((CHECKPOINT, ("\n".join(checkpoint) + "\n").encode()))
    files.append(("README.txt", _readme(document, generated_at).encode()))
    files.append((VERIFY_SCRIPT, VERIFY_SCRIPT_SOURCE.read_bytes()))
    progress(90)
    # The chain's latest checkpoint now (the snapshot's own, "audit_checkpoint", may be older): read, never
    # written here, since a checkpoint written inside a transaction could pin entries later rolled back.
    at_export = current_checkpoint()
    manifest = {
        "format": BUNDLE_FORMAT,
        "document": document.reference,
        "version": document.version,
        "status": status,
        "title": snapshot["title"],
        "company": snapshot["company"]["name"],
        "legend": snapshot["company"]["legend"],
        "generated_at": generated_at.astimezone(UTC).isoformat(),
        "snapshot_sha256": document.snapshot_sha256,
        "audit_checkpoint": (snapshot.get("audit_checkpoint") or {}).get("token", ""),
        "audit_checkpoint_at_export": (
            {"seq": at_export.seq, "hash": at_export.hash, "at": at_export.at} if at_export else None
        ),
        "verify_script": VERIFY_SCRIPT,
        "files": [
            {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for path, content in files
        ],
    }
    manifest = sign_manifest(manifest, key=settings.AUDIT_CHAIN_KEY)
    stamp = generated_at.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in [(MANIFEST, _json_bytes(manifest)), *files]:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def manifest_body(manifest: dict) -> bytes:
    """What the manifest's "sha256" and "signature" cover: the manifest without them, as canonical JSON
    (sorted keys, no spaces, UTF-8), the same form as the audit trail's rows. verify.py computes it alike."""
    body = {name: value for name, value in manifest.items() if name not in ("sha256", "signature")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def manifest_hmac(manifest: dict, *, key: str) -> str:
    return hmac.new(key.encode(), manifest_body(manifest), hashlib.sha256).hexdigest()


def sign_manifest(manifest: dict, *, key: str) -> dict:
    """The manifest with its own SHA-256 (any reader can recompute it: it catches a damaged manifest) and its
    HMAC-SHA256 under the audit chain's key (only the company can: it catches a forged one)."""
    return {
        **manifest,
        "sha256": hashlib.sha256(manifest_body(manifest)).hexdigest(),
        "signature": {
            "scheme": SIGNATURE_SCHEME,
            "key": "AUDIT_CHAIN_KEY",
            "value": manifest_hmac(manifest, key=key),
        },
    }


def _readme(document, generated_at: datetime) -> str:
    return (
        f"{document.snapshot['title']}\n"
        f"{document.snapshot['company']['name']} — {document.snapshot['company']['legend']}\n\n"
        f"Document {document.reference}, version {document.version}, {document.get_status_display()}, "
        f"generated {generated_at.astimezone(UTC).isoformat()}.\n\n"
        f"{CHECKPOINT} holds the audit trail checkpoint current when the records were taken, and how to\n"
        "check it against the company's audit trail.\n"
        "manifest.json lists every other file with its SHA-256 and size. To check the bundle offline with\n"
        "nothing but Python 3, in the extracted folder:\n"
        "    python3 verify.py\n"
        "(or python3 verify.py THIS.zip), or compute the SHA-256 of each file and compare. The manifest's\n"
        "signature is keyed with the company's audit chain key: the company checks it, and this bundle\n"
        "with it, with\n"
        "    python manage.py verify_export THIS.zip\n"
        "audit/audit-trail.jsonl rows carry their chain hash:\n"
        "the SHA-256 of the row without `hash`, as canonical JSON (sorted keys, no spaces), equals `hash`.\n"
    ) + "".join(check.readme for check in BUNDLE_CHECKS.values())


# --- Checking a ZIP offline -----------------------------------------------------------------------


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    reperformed: bool | None = None
    signed: bool | None = None  # None: no signature (a bundle made before manifests were signed)
    absent: list[str] = field(default_factory=list)  # what a bundle made before this format lacks
    checkpoint_at_export: str = ""  # SEQ:HASH, when the manifest records one

    @property
    def ok(self) -> bool:
        return not self.problems


def _audit_row_problems(content: bytes) -> list[str]:
    problems = []
    for number, line in enumerate(content.decode().splitlines(), start=1):
        row = json.loads(line)
        # Each row under its own scheme: plain SHA-256 before the keyed chain, HMAC under the chain key after.
        if not row_hash_matches(row):
            problems.append(f"line {number} (audit #{row.get('seq')}): contents do not match its chain hash")
    return problems


def _manifest_problems(manifest: dict, report: VerifyReport, *, key: str) -> None:
    """The manifest's own SHA-256 and its signature under `key`; for a bundle from before the signature
    (format /1), what it lacks, in `report.absent`. A /2 manifest without its signature was stripped."""
    recorded = manifest.get("sha256")
    if recorded is not None and hashlib.sha256(manifest_body(manifest)).hexdigest() != recorded:
        report.problems.append((MANIFEST, "its contents do not match its own recorded SHA-256"))
    signature = manifest.get("signature")
    if signature:
        value = str(signature.get("value", "")) if isinstance(signature, dict) else ""
        scheme = signature.get("scheme") if isinstance(signature, dict) else None
        report.signed = scheme == SIGNATURE_SCHEME and hmac.compare_digest(
            manifest_hmac(manifest, key=key), value
        )
        if not report.signed:
            report.problems.append(
                (MANIFEST, "its signature does not match: the manifest was changed after export, or was not "
                 "signed with this installation's AUDIT_CHAIN_KEY")
            )  # fmt: skip
    elif manifest.get("format") == UNSIGNED_FORMAT:
        report.absent.append("signature (the manifest was made before manifests were signed)")
    else:
        report.problems.append((MANIFEST, f"no signature, but {manifest.get('format')} manifests are signed"))
    if manifest.get("format") == UNSIGNED_FORMAT:
        if VERIFY_SCRIPT not in {item["path"] for item in manifest["files"]}:
            report.absent.append(f"{VERIFY_SCRIPT} (the standalone checker was added to bundles later)")
        if "audit_checkpoint_at_export" not in manifest:
            report.absent.append("the audit trail checkpoint at export")
    checkpoint = manifest.get("audit_checkpoint_at_export")
    if isinstance(checkpoint, dict):
        report.checkpoint_at_export = f"{checkpoint.get('seq')}:{checkpoint.get('hash')}"


def verify_bundle(path: str | Path, *, key: str | None = None) -> VerifyReport:
    """Every file against the manifest; files missing from it or from the ZIP; the manifest's own hash and
    its signature under `key` (default AUDIT_CHAIN_KEY); audit rows against their hashes; the files a
    registered BundleCheck re-performs (for a restatement, the determination from the scenario file). Needs
    no database."""
    report = VerifyReport()
    name = Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append((name, f"not a readable ZIP file: {exc}"))
        return report
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {item["path"]: item for item in manifest["files"]}
        except Exception as exc:  # a corrupted manifest is reported, not raised
            report.problems.append((MANIFEST, f"missing or unreadable: {exc}"))
            return report
        _manifest_problems(manifest, report, key=settings.AUDIT_CHAIN_KEY if key is None else key)
        contents: dict[str, bytes] = {}
        for member in archive.namelist():
            if member == MANIFEST:
                continue
            if member not in listed:
                report.problems.append((member, "not listed in the manifest"))
                continue
            try:
                content = archive.read(member)
            except Exception as exc:  # CRC or inflate errors: the bytes in the ZIP were altered
                report.problems.append((member, f"corrupted in the ZIP: {exc}"))
                continue
            expected = listed[member]
            digest = hashlib.sha256(content).hexdigest()
            if digest != expected["sha256"] or len(content) != expected["size"]:
                report.problems.append(
                    (member, f"SHA-256 {digest} does not match the manifest's {expected['sha256']}")
                )
                continue
            contents[member] = content
            report.checked += 1
        for missing in sorted(set(listed) - set(archive.namelist())):
            report.problems.append((missing, "listed in the manifest but missing from the ZIP"))
    if "audit/audit-trail.jsonl" in contents:
        for problem in _audit_row_problems(contents["audit/audit-trail.jsonl"]):
            report.problems.append(("audit/audit-trail.jsonl", problem))
    for check in BUNDLE_CHECKS.values():
        if check.source not in contents or check.result not in contents:
            continue
        try:
            same = bool(check.reperform(contents[check.source], contents[check.result]))
        except Exception as exc:  # a bad source or result file: report it against the source
            report.problems.append((check.source, f"cannot be re-performed: {exc}"))
            same = False
        else:
            if not same:
                report.problems.append(
                    (check.result, f"re-performing {check.source} gives a different result")
                )
        report.reperformed = same if report.reperformed is None else report.reperformed and same
    return report
