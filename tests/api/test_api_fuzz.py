"""Property-based fuzzing of every API operation as every role (schemathesis 4, in-process WSGI).

Whatever a client sends, as whoever they are, the API answers with a documented status code and a body
that matches the schema; never a 500. Two passes over every operation:

- random generation (the examples and fuzzing phases, positive and negative data), once per role, since
  each role takes a different path through the permission checks and the selectors;
- schemathesis' deterministic coverage phase (boundary values, missing and malformed fields, unexpected
  methods), as the administrator, whose requests get past every capability check into the services.

The schema comes from drf-spectacular's generator, as served at /api/schema/ (which needs authentication);
generating it here needs no database at collection time.
"""

import copy

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

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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


@fuzz_schema.parametrize()
@FUZZ_SETTINGS
@pytest.mark.parametrize("role", [role.value for role in Role])
@pytest.mark.django_db
def test_random_requests_as_each_role(case, role, tokens, in_process_app):
    call_and_validate(case, in_process_app, tokens[role])


@coverage_schema.parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_edge_case_requests_as_administrator(case, tokens, in_process_app):
    call_and_validate(case, in_process_app, tokens[Role.ADMIN.value])
