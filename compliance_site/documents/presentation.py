"""What every rendered document prints around its snapshot: the letterhead (company, legend, the logo by
hash), the generated-at label, the "about" rows of the spreadsheets, and a snapshot rendered as PDF through
the one PDF path. Reads nothing but the snapshot (and the content-addressed logo it names).

Used by the rendering and by the export bundles alike, so neither imports the other for it."""

import hashlib
from datetime import datetime
from pathlib import Path

from django.conf import settings

from compliance_site.lib.pdf import render_pdf
from compliance_site.lib.timefmt import EXCHANGE_TZ, label


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def branding_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "branding"


def logo_file(company: dict) -> Path | None:
    """The snapshot's logo file when the stored file still has the recorded SHA-256."""
    logo = company.get("logo") or {}
    if not logo.get("path"):
        return None
    path = (Path(settings.MEDIA_ROOT) / logo["path"]).resolve()
    if not path.is_relative_to(branding_root().resolve()) or not path.is_file():
        return None
    if hashlib.sha256(path.read_bytes()).hexdigest() != logo.get("sha256"):
        return None
    return path


def logo_url(company: dict) -> str:
    """A file URL for the snapshot's logo (see `logo_file`), or empty."""
    path = logo_file(company)
    return path.as_uri() if path else ""


def generated_label(instant: datetime) -> str:
    return label(instant, EXCHANGE_TZ)


# The command an auditor runs, printed as code (monospace) in the documents: typed as it stands.
CHECK_COMMAND = "manage.py verify_audit_log --checkpoint SEQ:HASH"
CHECK_CHECKPOINT = (
    f"To check it, run {CHECK_COMMAND} with this checkpoint as SEQ:HASH: "
    "it reports any entry of the audit trail up to it that was removed or rewritten."
)
NO_CHECKPOINT = "None: no checkpoint of the audit trail had been written when these records were taken."


def _at(value: str) -> str:
    """When a checkpoint was written, in ET as the documents give times: '2026-12-05 00:00 EST'."""
    try:
        return label(datetime.fromisoformat(value), EXCHANGE_TZ)
    except (TypeError, ValueError):
        return str(value)


def checkpoint_lines(snapshot: dict) -> list[str]:
    """What a document says about the audit trail checkpoint its snapshot carries: `SEQ:HASH`, when it was
    written, and how an auditor checks it (docs/architecture.md, "The audit trail")."""
    if "audit_checkpoint" not in snapshot:
        return []  # a snapshot taken before documents carried one: it is reproduced as it was
    checkpoint = snapshot["audit_checkpoint"]
    if not checkpoint:
        return [f"Audit trail checkpoint: {NO_CHECKPOINT}"]
    return [
        f"Audit trail checkpoint: {checkpoint['token']}",
        f"Entry #{checkpoint['seq']}, checkpointed {_at(checkpoint['at'])}. {CHECK_CHECKPOINT}",
    ]


def pdf_context(*, reference: str, version: int, status: str, snapshot: dict, generated_at: datetime) -> dict:
    return {
        "doc": {
            "reference": reference,
            "version": version,
            "status": status,
            "title": snapshot["title"],
            "kind": snapshot["kind"],
        },
        "snap": snapshot,
        "company": snapshot["company"],
        "data": snapshot["data"],
        "logo_url": logo_url(snapshot["company"]),
        "generated_at": generated_label(generated_at),
        "as_of": snapshot.get("as_of"),
        "checkpoint_recorded": "audit_checkpoint" in snapshot,
        "checkpoint": snapshot.get("audit_checkpoint"),
        "check_checkpoint": CHECK_CHECKPOINT,
        "check_command": CHECK_COMMAND,
        "no_checkpoint": NO_CHECKPOINT,
    }


def render_snapshot_pdf(
    template: str, *, reference: str, version: int, status: str, snapshot: dict, generated_at: datetime
) -> bytes:
    context = pdf_context(
        reference=reference, version=version, status=status, snapshot=snapshot, generated_at=generated_at
    )
    return render_pdf(template, context, base_url=static_root(), allowed_roots=(branding_root(),))


def about_rows(
    *, reference: str, version: int, status: str, snapshot: dict, generated_at: datetime, sha: str
):
    company = snapshot["company"]
    return [
        ("Document", snapshot["title"]),
        ("Company", company["name"]),
        ("Legend", company["legend"]),
        ("Document id", f"{reference} version {version}"),
        ("Status", status),
        ("Generated at", generated_label(generated_at)),
        ("Data as of", snapshot.get("as_of") or ""),
        ("Snapshot SHA-256", sha),
        *_checkpoint_rows(snapshot),
    ]


def _checkpoint_rows(snapshot: dict) -> list[tuple[str, str]]:
    lines = checkpoint_lines(snapshot)
    if not lines:
        return []
    token = lines[0].removeprefix("Audit trail checkpoint: ")
    return [("Audit trail checkpoint", token), *(("", line) for line in lines[1:])]
