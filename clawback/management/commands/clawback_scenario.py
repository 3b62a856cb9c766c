"""`manage.py clawback_scenario FILE.json` (or `-` for stdin): evaluate a scenario file and print the result.

spec/clawback-scenario.md: the result JSON goes to stdout with exit status 0; an unreadable file, invalid
JSON or an invalid scenario prints one `PATH: message` line per problem to stderr and exits with status 2.
Nothing touches the database.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from clawback.recovery import evaluate
from clawback.scenario import ScenarioError, load_scenario, result_to_json

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Evaluate a clawback-scenario/1 file and print the clawback-result/1 JSON (no database access)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="the scenario JSON file, or - to read it from stdin")

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
                f"{path}: not a valid clawback-scenario/1 file ({len(exc.errors)} problem(s))",
                returncode=INVALID_INPUT,
            ) from None
        self.stdout.write(json.dumps(result_to_json(evaluate(scenario)), indent=2))
