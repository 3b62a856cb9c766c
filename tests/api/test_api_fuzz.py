"""Property-based fuzzing of every API operation as every role (schemathesis 4, in-process WSGI).

Whatever a client sends, as whoever they are, the API answers with a documented status code and a body
that matches the schema; never a 500. The tests:

- random requests (schemathesis' examples and fuzzing phases, valid and invalid data) to every operation,
  each one sent as every role, since each role takes its own path through the capability checks and the
  selectors. The number of requests generated per operation shrinks as the API grows, so the whole run
  stays under two minutes on two cores;
- every method a route does not serve, as the administrator: a 405 (or a refusal), never a 500;
- opt-in, with API_FUZZ_EDGE_CASES=1: schemathesis' deterministic coverage phase (boundary values, missing
  and malformed fields) for every operation, as the administrator. It costs about a second an operation.

The schema comes from drf-spectacular's generator, as served at /api/schema/ (which needs authentication);
generating it here needs no database at collection time.
"""

import copy
import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from compliance_site.accounts.roles import Role
from compliance_site.wsgi import application

RAW_SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATION_COUNT = sum(
    1
    for item in RAW_SCHEMA["paths"].values()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
)
# About 800 generated requests in all (each then sent as every role): 15 per operation for a small API,
# never fewer than 3.
MAX_EXAMPLES = max(3, min(15, 800 // OPERATION_COUNT))

# The token endpoint takes no token: fuzzed once, anonymously, rather than once per role.
TOKEN_PATH = "/api/auth/token/"
ROLES = [role.value for role in Role]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

fuzz_schema = schemathesis.openapi.from_dict(
    copy.deepcopy(RAW_SCHEMA),
    config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
)
coverage_schema = schemathesis.openapi.from_dict(
    copy.deepcopy(RAW_SCHEMA),
    config=schemathesis.Config.from_dict(
        {
            "phases": {
                "examples": {"enabled": False},
                "fuzzing": {"enabled": False},
                "coverage": {"enabled": True},
            }
        }
    ),
)


@pytest.fixture
def in_process_app(settings, tmp_path, clawback_case, incident):
    """The WSGI application, with some records for generated ids to find.

    Django's test client stops the request signals from closing the database connection mid-test; the
    application called directly does not, so the same is done here (each test runs in one transaction).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.MEDIA_ROOT = tmp_path
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call_and_validate(case, app, token):
    case.call_and_validate(app=app, headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@fuzz_schema.exclude(path=TOKEN_PATH).parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_random_requests_as_every_role(case, tokens, in_process_app):
    # The same request as each persona: one generation, eight answers to check.
    for role in ROLES:
        try:
            call_and_validate(case, in_process_app, tokens[role])
        except Exception as exc:
            exc.add_note(f"Sent as the {role!r} persona.")
            raise


@fuzz_schema.include(path=TOKEN_PATH).parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_random_requests_to_the_token_endpoint(case, users, in_process_app):
    case.call_and_validate(app=in_process_app, checks=CHECKS)


@pytest.mark.django_db
def test_methods_a_route_does_not_serve_are_refused_never_500(client_as, in_process_app):
    client = client_as(Role.ADMIN.value)
    failures = []
    for path, item in RAW_SCHEMA["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                continue
            response = getattr(client, method)(url)
            if response.status_code not in (403, 404, 405) or "error" not in response.json():
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.skipif(not os.environ.get("API_FUZZ_EDGE_CASES"), reason="set API_FUZZ_EDGE_CASES=1 to run")
@coverage_schema.parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_edge_case_requests_as_administrator(case, tokens, in_process_app):
    call_and_validate(case, in_process_app, tokens[Role.ADMIN.value])
