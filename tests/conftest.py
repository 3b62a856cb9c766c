"""Shared fixtures and named personas, one per role (as healthchecks' hc/test.py has Alice, Bob, Charlie).

- `users[role]`: one user holding exactly that role; the Authorized Officer (`users["officer"]`) is also the
  covered executive "ceo" of `clawback_case`, so must never see it.
- `users["committee2"]` is a second committee member, recused from `clawback_case`.
"""

import os

import pytest

from clawback.models import Recusal
from compliance_site.accounts.roles import Role
from tests.factories import CompanyFactory, ExecutiveFactory, RestatementFactory, UserFactory

PASSWORD = "correct horse battery staple"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher costs ~0.3 s a user by design; tests create dozens of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. The cache counts sign-in attempts per client address (all
    tests sign in from 127.0.0.1), so without this a test signing in through the login page could be refused
    with a 429 for attempts other tests made in the same minute, depending on which tests ran before it in
    the same process. Only the in-process cache is cleared: a shared one (Redis) is never emptied under
    another process's feet."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _second_factor_off_unless_tested(request, settings):
    """The second-factor rule (MFA_REQUIRED, on everywhere by default) is off for tests that sign in with
    `force_login` and are about something else; tests marked `mfa` keep it on (tests/accounts_mfa/)."""
    if not request.node.get_closest_marker("mfa"):
        settings.MFA_REQUIRED = False


@pytest.fixture
def users(db):
    people = {role.value: UserFactory(username=role.value, roles=[role]) for role in Role}
    people["committee2"] = UserFactory(username="committee2", roles=[Role.COMMITTEE, Role.BOARD])
    return people


@pytest.fixture
def company(db):
    return CompanyFactory(name="Allient Inc.", ticker="ALNT")


@pytest.fixture
def clawback_case(users, company):
    """A restatement covering the officer persona's own pay, with committee2 recused."""
    ceo = ExecutiveFactory(company=company, key="ceo", name="Avery Chen", user=users["officer"])
    cfo = ExecutiveFactory(company=company, key="cfo", name="Blake Ortiz")
    case = RestatementFactory(company=company, title="FY2025 restatement")
    case.covered_executives.set([ceo, cfo])
    Recusal.objects.create(restatement=case, user=users["committee2"], reason="Prior audit committee service")
    return case


def login(client, user):
    client.force_login(user)
    return client


# ---- Required legs: a skip of a required test is a failure, so CI can never pass on a silent skip ----


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    required = (REQUIRE_SERVICES and item.get_closest_marker("services")) or (
        REQUIRE_BROWSER and item.get_closest_marker("browser")
    )
    if required:
        report.outcome = "failed"
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"required test was skipped: {reason}"


# ---- playwright against Debian's chromium (never `playwright install`) ----


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            *browser_type_launch_args.get("args", []),
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }
