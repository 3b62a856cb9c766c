"""Audit-trail extracts for auditors: CSV and JSON lines, each row carrying its hash for re-verification.

A JSON line without its "hash" is the entry's payload: its SHA-256 for an entry from before the keyed chain
(no "scheme"), its HMAC-SHA256 under AUDIT_CHAIN_KEY when "scheme" is "hmac-sha256" (canonical JSON: sorted
keys, no spaces, UTF-8). The CSV names each row's scheme; a text cell a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`...) starts with an apostrophe there (compliance_site.lib.cells), which is not part of the
value: re-verify from the JSON lines, which carry every value exactly.
"""

import csv
import hashlib
import hmac
import io
import json

from django.conf import settings

from compliance_site.lib.cells import safe_cell

# What an entry says after who made it, in the exports' and the API's order.
ENTRY_FIELDS = [
    "action",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "prev_hash",
    "scheme",
    "hash",
]
FIELDS = ["seq", "at", "actor", *ENTRY_FIELDS]


def row_hash_matches(row: dict, *, key: str | None = None) -> bool:
    """Whether an exported JSON line (with its "hash") matches its contents: plain SHA-256 for a row from
    before the keyed chain, HMAC-SHA256 under `key` (default AUDIT_CHAIN_KEY) for a "hmac-sha256" row."""
    payload = {name: value for name, value in row.items() if name != "hash"}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    scheme = payload.get("scheme", "sha256")
    if scheme == "sha256":
        expected = hashlib.sha256(canonical).hexdigest()
    elif scheme == "hmac-sha256":
        secret = key if key is not None else settings.AUDIT_CHAIN_KEY
        expected = hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest()
    else:
        return False
    return hmac.compare_digest(expected, str(row.get("hash", "")))


def _row(event) -> dict:
    payload = event.payload()
    payload["hash"] = event.hash
    return payload


def iter_csv(events):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    yield buffer.getvalue()
    for event in events:
        buffer.seek(0)
        buffer.truncate()
        row = _row(event)
        row["changes"] = json.dumps(row["changes"], sort_keys=True)
        row["scheme"] = event.scheme
        writer.writerow({name: safe_cell(value) for name, value in row.items()})
        yield buffer.getvalue()


def iter_jsonl(events):
    for event in events:
        yield json.dumps(_row(event), sort_keys=True) + "\n"
