"""``manage.py regfd_deadline T0 [T0 ...]``: print the Regulation FD deadlines for each T0 as JSON lines."""

import json

from django.core.management.base import BaseCommand, CommandError

from compliance_site.lib.markets import format_et, format_utc, parse_instant
from regfd.calendar_source import current_calendar
from regfd.deadlines import DeadlineInput, compute_deadline


class Command(BaseCommand):
    help = (
        "Compute the Regulation FD public-disclosure deadline (17 CFR 243.101(d)) for each T0 and print one "
        "JSON object per line, in input order. Each T0 is ISO 8601 with its UTC offset or zone, e.g. "
        "2026-03-03T14:00-05:00, 2026-03-03T19:00Z or 2026-03-03T14:00[America/New_York]."
    )

    def add_arguments(self, parser):
        parser.add_argument("t0", nargs="+", help="the instant a senior official learned (with offset)")

    def handle(self, *args, **options):
        # Parse every argument before printing anything, so a bad T0 yields no partial output.
        instants = []
        for text in options["t0"]:
            try:
                instants.append(parse_instant(text))
            except ValueError as exc:
                raise CommandError(f"T0 {exc}", returncode=2) from None

        calendar = current_calendar()
        deadlines = []
        for learned_at in instants:
            try:
                deadlines.append(compute_deadline(DeadlineInput(learned_at=learned_at), calendar=calendar))
            except ValueError as exc:
                raise CommandError(f"T0 {format_et(learned_at)}: {exc}", returncode=2) from None
        for deadline in deadlines:
            line = {
                "learned_at": format_et(deadline.learned_at_utc),
                "outer_limit": format_et(deadline.outer_limit_utc),
                "outer_limit_utc": format_utc(deadline.outer_limit_utc),
                "policy_target": format_et(deadline.policy_target_utc),
                "next_open": format_et(deadline.next_open_utc),
                "calendar_version": deadline.calendar_version,
            }
            self.stdout.write(json.dumps(line))
