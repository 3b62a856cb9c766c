"""Settings from the environment: the typed readers (compliance_site/lib/env.py) and production mode.

Production settings are exercised in subprocesses, since settings are read once per process.
"""

import functools
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from compliance_site.documents.sealing import development_credentials
from compliance_site.lib.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]

# Variables of the outer environment that would leak into the subprocess's settings.
_SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ENV",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "TEST_DATABASE_NAME",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "VAR_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "REQUIRE_SERVICES",
    "AUDIT_CHAIN_KEY",
    "AUDIT_CHECKPOINT_FILE",
    "AUDIT_CHECKPOINT_EVERY",
    "AUDIT_CHECKPOINT_SECONDS",
    "CACHE_URL",
    "TRUSTED_PROXY_COUNT",
    "DOCUMENT_SEAL_KEY_FILE",
    "DOCUMENT_SEAL_CERT_FILE",
    "DOCUMENT_SEAL_KEY_PASSPHRASE",
)


@functools.cache
def _seal_pair() -> tuple[bytes, bytes]:
    """A seal key and certificate (PEM), made once per test process: what an operator provides."""
    with tempfile.TemporaryDirectory() as scratch:
        key, cert = development_credentials(Path(scratch) / "seal")
        return key.read_bytes(), cert.read_bytes()


def seal_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "seal").mkdir(exist_ok=True)
    key, cert = tmp_path / "seal" / "key.pem", tmp_path / "seal" / "cert.pem"
    key.write_bytes(_seal_pair()[0])
    cert.write_bytes(_seal_pair()[1])
    return {"DOCUMENT_SEAL_KEY_FILE": str(key), "DOCUMENT_SEAL_CERT_FILE": str(cert)}


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _SETTINGS_VARIABLES}
    # The browser tests lift Django's async-safety guard for their own process; a deployment never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="compliance_site.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        AUDIT_CHAIN_KEY=secrets.token_urlsafe(32),
        DATABASE_URL="postgres://u:p@localhost:5432/db",
        ALLOWED_HOSTS="example.com",
        CELERY_BROKER_URL="redis://localhost:6379/0",
        CACHE_URL="redis://localhost:6379/2",
        VAR_DIR=str(tmp_path / "var"),
        **seal_files(tmp_path),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


# -- compliance_site/lib/env.py --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["ture", "flase", "yes please", "2", "enabled"])
def test_env_bool_rejects_garbage(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfiguredEnv, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("TRUE", True), (" yes ", True), ("on", True)]
    + [("0", False), ("false", False), ("no", False), ("off", False), ("", False)],
)
def test_env_bool_accepts(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", True) is True
    assert env_bool("SOME_FLAG", False) is False


@pytest.mark.parametrize("raw", ["abc", "1.5", "12abc", "ten"])
def test_env_int_rejects_garbage(monkeypatch, raw):
    monkeypatch.setenv("SOME_NUMBER", raw)
    with pytest.raises(ImproperlyConfiguredEnv, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 0)


def test_env_int(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "25")
    assert env_int("SOME_NUMBER", 0) == 25
    monkeypatch.setenv("SOME_NUMBER", " ")
    assert env_int("SOME_NUMBER", 7) == 7
    monkeypatch.delenv("SOME_NUMBER")
    assert env_int("SOME_NUMBER", 7) == 7


def test_env_list(monkeypatch):
    monkeypatch.setenv("SOME_LIST", " a.example.com, ,b.example.com ")
    assert env_list("SOME_LIST", []) == ["a.example.com", "b.example.com"]
    monkeypatch.delenv("SOME_LIST")
    assert env_list("SOME_LIST", ["x"]) == ["x"]


# -- production mode -------------------------------------------------------------------------------------

SETUP = "import django; django.setup()"


def test_production_setup_succeeds_with_the_required_variables(tmp_path):
    result = run_python(["-c", SETUP], production_env(tmp_path))
    assert result.returncode == 0, result.stderr


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = run_python(["-c", SETUP], production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr, result.stderr
    assert not (tmp_path / "var" / "secret_key").exists(), "production must never generate a key file"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({"AUDIT_CHAIN_KEY": None}, "AUDIT_CHAIN_KEY is required"),
        ({"AUDIT_CHAIN_KEY": ""}, "AUDIT_CHAIN_KEY is required"),
        ({"AUDIT_CHAIN_KEY": "short"}, "AUDIT_CHAIN_KEY must be a random value"),
        (
            {"AUDIT_CHAIN_KEY": "INSECURE-development-only-audit-chain-key-never-use-in-production"},
            "AUDIT_CHAIN_KEY must be a random value",
        ),
        ({"AUDIT_CHECKPOINT_EVERY": "0"}, "AUDIT_CHECKPOINT_EVERY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is required"),
        ({"DATABASE_URL": None}, "DATABASE_URL is required"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"DEBUG": "ture"}, "is not a boolean"),
        ({"DJANGO_ENV": "prod"}, "DJANGO_ENV"),
    ],
)
def test_production_refuses_bad_configuration(tmp_path, overrides, message):
    result = run_python(["-c", SETUP], production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def test_check_deploy_is_clean(tmp_path):
    env = production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 60
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_collectstatic_succeeds(tmp_path):
    """The Dockerfile's build step; the manifest storage fails on any file a CSS/JS file names but lacks.

    Third-party apps' assets (admin, DRF, the API docs) are skipped: they ship consistent, and compressing
    their ~40 MB takes minutes. Our own and vendored files in static/ are the ones that can break."""
    env = production_env(tmp_path, STATIC_ROOT=str(tmp_path / "static"))
    ignore = ["--ignore", "admin", "--ignore", "rest_framework", "--ignore", "drf_spectacular_sidecar"]
    result = run_python(["manage.py", "collectstatic", "--noinput", "-v0", *ignore], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_production_needs_a_shared_cache(tmp_path):
    """Spent second-factor codes and sign-in throttles live in the cache: one per process would let each
    gunicorn worker accept the same code again."""
    result = run_python(["-c", "import django; django.setup()"], production_env(tmp_path, CACHE_URL=None))
    assert result.returncode != 0 and "CACHE_URL is required in production" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"DOCUMENT_SEAL_KEY_FILE": None, "DOCUMENT_SEAL_CERT_FILE": None},
            "DOCUMENT_SEAL_KEY_FILE and DOCUMENT_SEAL_CERT_FILE are required in production",
        ),
        ({"DOCUMENT_SEAL_KEY_FILE": ""}, "DOCUMENT_SEAL_KEY_FILE and DOCUMENT_SEAL_CERT_FILE go together"),
        ({"DOCUMENT_SEAL_KEY_FILE": "/nonexistent/seal-key.pem"}, "DOCUMENT_SEAL_KEY_FILE=/nonexistent/"),
    ],
)
def test_production_refuses_to_start_without_the_operators_seal_key(tmp_path, overrides, message):
    """FINAL documents are sealed with the operator's key: production never makes a development one."""
    result = run_python(["-c", SETUP], production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "var" / "document-seal").exists()


def test_development_seals_with_a_certificate_made_once_under_var(tmp_path):
    env = production_env(tmp_path, DJANGO_ENV="development", DOCUMENT_SEAL_KEY_FILE=None,
                         DOCUMENT_SEAL_CERT_FILE=None, DATABASE_URL=None, CACHE_URL=None)  # fmt: skip
    code = (
        SETUP + "; from datetime import UTC, datetime; from weasyprint import HTML; "
        "from compliance_site.documents.sealing import seal_pdf, check_seal, configured_certificate; "
        "sealed = seal_pdf(HTML(string='<p>x</p>').write_pdf(), reason='r', signed_at=datetime.now(UTC)); "
        "print(check_seal(sealed, seal_certificate=configured_certificate()).is_seal_certificate)"
    )
    result = run_python(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    seal_dir = tmp_path / "var" / "document-seal"
    assert sorted(p.name for p in seal_dir.iterdir()) == ["seal-cert.pem", "seal-key.pem"]
