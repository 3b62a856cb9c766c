"""``manage.py regfd_deadline T0 [T0 ...] [--file PATH]``: each T0's Regulation FD deadlines as JSON lines."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from compliance_site.lib.markets import format_et, format_utc, parse_instant
from regfd.calendar_source import current_calendar
from regfd.deadlines import DeadlineInput, compute_deadline


class Command(BaseCommand):
    help = (
        "Compute the Regulation FD public-disclosure deadline (17 CFR 243.101(d)) for each T0 and print one "
        "JSON object per line, in input order. Each T0 is ISO 8601 with its UTC offset or zone, e.g. "
        "2026-03-03T14:00-05:00, 2026-03-03T19:00Z or 2026-03-03T14:00[America/New_York]. T0s come from the "
        "arguments and from --file (one per line; blank lines and lines starting with # are skipped). A T0 "
        'that cannot be read gets its own line, {"input": ..., "error": ...}, and a message on standard '
        "error; the others are still computed, and the exit status is then 2."
    )
    # A calculator, not a server: the system checks (a second of start-up) have nothing to say about it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("t0", nargs="*", help="the instant a senior official learned (with offset)")
        parser.add_argument(
            "--file", metavar="PATH", help="read T0s from this file, one per line ('-' for standard input)"
        )

    def handle(self, *args, **options):
        inputs = list(options["t0"]) + _lines_of(options.get("file"))
        if not inputs:
            raise CommandError("Give at least one T0, as an argument or in --file.", returncode=2)
        try:
            calendar = current_calendar()
        except DatabaseError as exc:
            raise CommandError(
                f"The exchange calendar could not be read from the database ({exc}). Has it been migrated? "
                "Run: manage.py migrate",
                returncode=1,
            ) from None
        failures = 0
        for number, text in enumerate(inputs, start=1):
            try:
                line = _deadline_line(parse_instant(text), calendar)
            except (ValueError, OverflowError) as exc:  # one bad T0 never stops the others
                failures += 1
                self.stderr.write(f"T0 #{number} {exc}")
                line = {"input": text, "error": str(exc)}
            self.stdout.write(json.dumps(line))
        if failures:
            raise CommandError(
                f"{failures} of {len(inputs)} T0{'s' if len(inputs) != 1 else ''} could not be computed.",
                returncode=2,
            )


def _deadline_line(learned_at, calendar) -> dict:
    try:
        deadline = compute_deadline(DeadlineInput(learned_at=learned_at), calendar=calendar)
    except ValueError as exc:
        raise ValueError(f"{format_et(learned_at)}: {exc}") from None
    return {
        "learned_at": format_et(deadline.learned_at_utc),
        "outer_limit": format_et(deadline.outer_limit_utc),
        "outer_limit_utc": format_utc(deadline.outer_limit_utc),
        "policy_target": format_et(deadline.policy_target_utc),
        "next_open": format_et(deadline.next_open_utc),
        "calendar_version": deadline.calendar_version,
    }


def _lines_of(path: str | None) -> list[str]:
    if not path:
        return []
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.", returncode=2) from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Notepad's UTF-8) is not part of the first T0
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text; save it as UTF-8.", returncode=2) from None
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]
