"""The API fuzzed over HTTP on the production shape: PostgreSQL, a live server, every operation, as the
administrator, the auditor and an employee, at least 50 generated requests per operation (each one as one
of the three, drawn with the request); never a 5xx. Run by `make test-services`; API_FUZZ_LIVE_EXAMPLES raises the count for a
longer run.

The in-process fuzzing (test_api_fuzz.py) covers every role with fewer examples and checks the answers
against the schema; this one checks what only a real server and a real database show: PostgreSQL's own
errors (a value out of range, a NUL byte in text, a deadlock) and the WSGI server's handling of the bytes.

All operations run in one test, so the database is emptied once rather than once per operation (a flush of
this schema costs seconds); every failing operation is reported, not only the first.
"""

import copy
import os

import pytest
import requests
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from compliance_site.accounts.roles import Role
from tests.browser.conftest import _live_server_media_url  # noqa: F401  (the live server's MEDIA_URL)

from .test_api_fuzz import RAW_SCHEMA, TOKEN_PATH

EXAMPLES = int(os.environ.get("API_FUZZ_LIVE_EXAMPLES", "50"))
ROLES = (Role.ADMIN.value, Role.AUDITOR.value, Role.EMPLOYEE.value)
LIVE_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _operations():
    schema = schemathesis.openapi.from_dict(copy.deepcopy(RAW_SCHEMA))
    return [result.ok() for result in schema.get_all_operations()]


def _requests(operation):
    """Valid and invalid requests to one operation (invalid ones where the schema allows any)."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    try:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    except Exception:  # noqa: BLE001, S110 - an operation with nothing to get wrong has no negative case
        pass
    return st.one_of(strategies)


def _fuzzer(operation, callers, base_url, session):
    # Each generated request goes out as one of the callers, drawn with it: the examples per operation
    # count requests, and every role still meets every operation.
    @given(case=_requests(operation), headers=st.sampled_from(callers))
    @LIVE_SETTINGS
    def fuzz(case, headers):
        try:
            case.call_and_validate(
                base_url=base_url, session=session, headers=headers, checks=[not_a_server_error], timeout=60
            )
        except requests.RequestException as exc:
            exc.add_note(case.as_curl_command(headers=headers))
            raise

    return fuzz


@pytest.fixture
def server(live_server, settings, tmp_path, clawback_case, incident):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (make test-services)")
    settings.MEDIA_ROOT = tmp_path
    with requests.Session() as session:
        yield live_server.url, session


def test_no_operation_answers_5xx_on_postgresql(server, tokens):
    base_url, session = server
    operations = _operations()
    assert len(operations) > 100, "the schema lost its operations"
    failures = []
    for operation in operations:
        anonymous = operation.path == TOKEN_PATH
        callers = [None] if anonymous else [{"Authorization": f"Token {tokens[role]}"} for role in ROLES]

        fuzz = _fuzzer(operation, callers, base_url, session)
        try:
            fuzz()
        except Exception as exc:  # noqa: BLE001 - collected, so that one run reports every operation
            notes = "\n".join(getattr(exc, "__notes__", []))
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:2000]}\n{notes[:2000]}")
    assert not failures, f"{len(failures)} operations answered 5xx:\n\n" + "\n\n".join(failures)
