"""Audit-trail extracts for auditors: CSV and JSON lines, each row carrying its hash for re-verification."""

import csv
import io
import json

FIELDS = [
    "seq",
    "at",
    "actor",
    "action",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "prev_hash",
    "hash",
]


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
        writer.writerow(row)
        yield buffer.getvalue()


def iter_jsonl(events):
    for event in events:
        yield json.dumps(_row(event), sort_keys=True) + "\n"
