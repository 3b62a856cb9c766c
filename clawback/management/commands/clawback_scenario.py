"""`manage.py clawback_scenario FILE.json` (or `-` for stdin): evaluate a scenario file and print the result.

The `clawback-scenario` format: a `clawback-scenario/1` file gives the `clawback-result/1` JSON and a
`clawback-scenario/2` file the `clawback-result/2` JSON, on stdout with exit status 0. An unreadable file,
invalid JSON or an invalid scenario (including a Big R or little r restatement with no event that sets the
required-to-prepare date, Rule 10D-1(b)(1)(ii)) prints one `PATH: message` line per problem to stderr and
exits with status 2. Nothing touches the database.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from clawback.recovery import evaluate
from clawback.scenario import ScenarioError, load_scenario, result_to_json

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Evaluate a clawback-scenario/1 or clawback-scenario/2 file and print the result JSON "
        "(clawback-result/1 for a /1 file, clawback-result/2 for a /2 file); no database access. "
        "Exit status 2 with one 'PATH: message' line per problem on stderr when the file is invalid."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="the scenario JSON file (format /1 or /2), or - to read it from stdin"
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            else:
                with open(path, "rb") as handle:
                    text = handle.read()
        except OSError as exc:
            reason = exc.strerror or exc
            raise CommandError(f"{path}: cannot read: {reason}", returncode=INVALID_INPUT) from None
        try:
            scenario = load_scenario(text)
        except ScenarioError as exc:
            for error_path, message in exc.errors:
                self.stderr.write(f"{error_path}: {message}")
            raise CommandError(
                f"{path}: not a valid clawback-scenario file ({len(exc.errors)} problem(s))",
                returncode=INVALID_INPUT,
            ) from None
        self.stdout.write(json.dumps(result_to_json(evaluate(scenario)), indent=2))
