"""Static checks of the production packaging: docker-compose.yml, Dockerfile and .dockerignore.

Nothing is built or started (no Docker engine needed): the files are parsed and checked against the
settings' contract and against what the development run script (scripts/run-all.sh) starts.
"""

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from compliance_site.lib.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
RUN_ALL = ROOT / "scripts" / "run-all.sh"

APP_SERVICES = ("migrate", "web", "worker", "beat")
WSGI_APP = "compliance_site.wsgi:application"
CELERY_APP = "compliance_site"
WEASYPRINT_PACKAGES = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz0b",
    "libharfbuzz-subset0",
    "libfontconfig1",
    "fonts-dejavu-core",
    "shared-mime-info",
)

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}, ${NAME:+alt}
_INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}")
# Celery's global options that take a value: the word after them is not the subcommand.
_CELERY_VALUE_OPTIONS = {"-b", "--broker", "--result-backend", "--loader", "--config", "--workdir"}
_SHELL_OPERATORS = {"&", "&&", "|", "||", ";", ";;", "(", ")", "<", ">", ">>"}


# -- helpers ---------------------------------------------------------------------------------------------


def shell_words(text: str) -> list[str]:
    """Split one logical shell line into words, with operators (&, ;, |, ...) as words of their own."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes in something we do not need to understand
        return text.split()


def logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined and whole-line comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    return [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def command_words(command) -> list[str]:
    if command is None:
        return []
    if isinstance(command, str):
        return shell_words(command)
    return [str(word) for word in command]


def celery_invocations(words: list[str], variables: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(app, subcommand) of every `celery [-A app] subcommand` in a list of words."""
    variables = variables or {}
    found = []
    for index, word in enumerate(words):
        if word != "celery" and not word.endswith("/celery"):
            continue
        app, subcommand, j = None, None, index + 1
        while j < len(words) and subcommand is None:
            token = words[j]
            if token in _SHELL_OPERATORS:
                break
            if token in ("-A", "--app"):
                app = words[j + 1] if j + 1 < len(words) else None
                j += 2
            elif token.startswith("--app="):
                app, j = token.split("=", 1)[1], j + 1
            elif token.startswith("-A"):
                app, j = token[2:], j + 1
            elif token in _CELERY_VALUE_OPTIONS:
                j += 2
            elif token.startswith("-"):
                j += 1
            else:
                subcommand = token
        if subcommand:
            found.append((expand(app, variables) if app else None, subcommand))
    return found


def expand(value: str, variables: dict[str, str]) -> str:
    """Resolve $NAME / ${NAME} from simple NAME=value assignments of the script."""
    return re.sub(r"\$\{?(\w+)\}?", lambda m: variables.get(m.group(1), m.group(0)), value)


def interpolate(value: str) -> str:
    """Compose-style interpolation with each variable unset: defaults apply, required ones become 'x'."""

    def replace(match: re.Match) -> str:
        if match.group("op") in ("-", ":-"):
            return match.group("arg")
        return "x"

    return _INTERPOLATION.sub(replace, value)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def healthcheck_text(service: dict) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    return test if isinstance(test, str) else " ".join(str(word) for word in test or [])


def volume_targets(service: dict) -> dict[str, str]:
    """Mount target -> source, for the short ("src:dst[:mode]") and the long syntax."""
    targets = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = volume.split(":")
            source, target = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
        else:
            source, target = volume.get("source", ""), volume["target"]
        targets[target] = source
    return targets


def dockerfile_instructions() -> list[tuple[str, str]]:
    instructions = []
    for line in logical_lines(DOCKERFILE.read_text()):
        keyword, _, rest = line.strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def instruction_args(keyword: str) -> list[str]:
    return [rest for kw, rest in dockerfile_instructions() if kw == keyword]


def exec_form(args: str) -> list[str]:
    args = args.strip()
    if args.startswith("["):
        return json.loads(args)
    return shell_words(args)


def run_all_invocations() -> dict[str, tuple[str, str]]:
    if not RUN_ALL.exists():
        pytest.fail(
            f"{RUN_ALL.relative_to(ROOT)} is missing: the compose worker/beat commands are checked against "
            "the celery worker/beat invocations of the development run script (make run)."
        )
    text = RUN_ALL.read_text()
    variables = {}
    for line in logical_lines(text):
        match = re.fullmatch(r"\s*(?:export\s+|readonly\s+|local\s+)?(\w+)=(\S+)\s*", line)
        if match:
            variables[match.group(1)] = match.group(2).strip("'\"")
    found: dict[str, tuple[str, str]] = {}
    for line in logical_lines(text):
        for app, subcommand in celery_invocations(shell_words(line), variables):
            found.setdefault(subcommand, (app, subcommand))
    return found


# -- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE.exists(), "docker-compose.yml is missing"
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def shared_env(services) -> dict[str, str]:
    return environment(services["web"])


# -- docker-compose.yml ----------------------------------------------------------------------------------


def test_services_exist(services):
    for name in ("postgres", "redis", "migrate", "web", "worker", "beat", "mailpit"):
        assert name in services, f"service {name!r} missing from docker-compose.yml"
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_app_services_share_one_image_and_build(services):
    images = {name: services[name].get("image") for name in APP_SERVICES}
    builds = {name: json.dumps(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    assert all(images.values()) and len(set(images.values())) == 1, images
    assert services["web"].get("build") and len(set(builds.values())) == 1, builds


def test_app_services_share_one_environment(services, shared_env):
    for name in APP_SERVICES:
        assert environment(services[name]) == shared_env, f"{name} does not use the shared x-app-env"


def test_shared_env_is_production(shared_env):
    assert shared_env["DJANGO_ENV"] == "production"


def test_secret_key_is_required(shared_env):
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", shared_env["SECRET_KEY"]), (
        "SECRET_KEY must be ${SECRET_KEY:?message} so compose refuses to start without one"
    )


def test_database_url_points_at_the_postgres_service(services, shared_env):
    url = urlsplit(interpolate(shared_env["DATABASE_URL"]))
    assert url.scheme in ("postgres", "postgresql"), url
    assert url.hostname == "postgres" and url.hostname in services
    assert url.port in (None, 5432)
    postgres_env = environment(services["postgres"])
    assert url.path.lstrip("/") == interpolate(postgres_env["POSTGRES_DB"])
    assert url.username == interpolate(postgres_env["POSTGRES_USER"])
    # The same password variable on both sides, so they cannot drift apart.
    assert "${POSTGRES_PASSWORD" in shared_env["DATABASE_URL"]
    assert postgres_env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")


def test_celery_broker_points_at_the_redis_service(services, shared_env):
    for key in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        url = urlsplit(interpolate(shared_env[key]))
        assert url.scheme == "redis", (key, url)
        assert url.hostname == "redis" and url.hostname in services, (key, url)


def test_allowed_hosts_default_lets_the_health_check_in(shared_env):
    hosts = interpolate(shared_env["ALLOWED_HOSTS"]).split(",")
    for host in ("localhost", "127.0.0.1", "web"):
        assert host in hosts


def test_typed_env_defaults_parse(shared_env, monkeypatch):
    """Booleans and integers in the shared env must be values settings accept (env_bool/env_int)."""
    for key in ("SECURE_SSL_REDIRECT", "EMAIL_USE_TLS"):
        monkeypatch.setenv(key, interpolate(shared_env[key]))
        env_bool(key, False)
    monkeypatch.setenv("EMAIL_PORT", interpolate(shared_env["EMAIL_PORT"]))
    assert env_int("EMAIL_PORT", 0) > 0
    assert env_bool("SECURE_SSL_REDIRECT", False) is True, "production should redirect to HTTPS by default"


def test_mail_goes_to_mailpit(services, shared_env):
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert interpolate(shared_env["EMAIL_HOST"]) == "mailpit"
    assert interpolate(shared_env["EMAIL_PORT"]) == "1025"


@pytest.mark.parametrize("name", ["web", "worker", "postgres", "redis"])
def test_health_checks(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck and healthcheck.get("test") and not healthcheck.get("disable"), name


def test_health_check_commands(services):
    assert "pg_isready" in healthcheck_text(services["postgres"])
    redis = healthcheck_text(services["redis"])
    assert "redis-cli" in redis and "ping" in redis, redis
    web = healthcheck_text(services["web"])
    # X-Forwarded-Proto: https keeps SECURE_SSL_REDIRECT from answering the probe with a redirect.
    assert "/healthz" in web and "X-Forwarded-Proto" in web, web
    worker = healthcheck_text(services["worker"])
    assert f"celery -A {CELERY_APP} inspect ping" in worker and "celery@$$HOSTNAME" in worker, worker


def test_image_health_check_is_disabled_where_nothing_serves_http(services):
    # The image's HEALTHCHECK probes gunicorn; without this, migrate and beat would be reported unhealthy.
    for name in ("migrate", "beat"):
        assert (services[name].get("healthcheck") or {}).get("disable") is True, name


def test_web_runs_gunicorn_like_the_image(services):
    words = command_words(services["web"]["command"])
    assert words[0] == "gunicorn" and WSGI_APP in words, words
    assert "0.0.0.0:8000" in words
    cmd = instruction_args("CMD")
    assert cmd and exec_form(cmd[-1]) == words, "web's command and the Dockerfile CMD differ"


def test_migrate_is_one_shot(services):
    words = command_words(services["migrate"]["command"])
    assert words[-3:] == ["manage.py", "migrate", "--noinput"], words
    assert services["migrate"].get("restart") == "no"


def test_startup_order(services):
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    assert services["beat"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_media_is_a_named_volume_shared_by_web_and_worker(compose, services, shared_env):
    media_root = interpolate(shared_env["MEDIA_ROOT"])
    static_root = interpolate(shared_env["STATIC_ROOT"])
    assert not media_root.startswith(static_root.rstrip("/") + "/") and media_root != static_root
    sources = {name: volume_targets(services[name]).get(media_root) for name in ("web", "worker")}
    assert sources["web"] and sources["web"] == sources["worker"], sources
    assert sources["web"] in (compose.get("volumes") or {}), "media must be a declared named volume"


def test_beat_schedule_is_on_a_volume(compose, services):
    words = command_words(services["beat"]["command"])
    schedule = words[words.index("--schedule") + 1]
    mounts = volume_targets(services["beat"])
    directory = str(Path(schedule).parent)
    assert directory in mounts and mounts[directory] in (compose.get("volumes") or {}), (schedule, mounts)


def test_data_services_use_named_volumes(compose, services):
    named = compose.get("volumes") or {}
    assert volume_targets(services["postgres"]).get("/var/lib/postgresql/data") in named
    assert volume_targets(services["redis"]).get("/data") in named
    assert "--appendonly" in command_words(services["redis"].get("command"))


@pytest.mark.parametrize("subcommand", ["worker", "beat"])
def test_celery_commands_match_the_run_script(services, subcommand):
    script = run_all_invocations()
    assert subcommand in script, (
        f"scripts/run-all.sh has no `celery -A {CELERY_APP} {subcommand}` invocation "
        f"(found: {sorted(script)})"
    )
    compose_invocations = celery_invocations(command_words(services[subcommand]["command"]))
    assert compose_invocations, f"compose {subcommand} does not run celery"
    assert compose_invocations[0] == script[subcommand], (
        f"compose {subcommand} runs {compose_invocations[0]}, scripts/run-all.sh runs {script[subcommand]}"
    )
    assert script[subcommand] == (CELERY_APP, subcommand)


# -- Dockerfile and .dockerignore -------------------------------------------------------------------------


def test_dockerfile_base_image():
    assert instruction_args("FROM")[0].split()[0] == "python:3.12-slim-bookworm"


def test_dockerfile_installs_from_the_lock_file():
    assert any("requirements-prod.lock" in args.split() for args in instruction_args("COPY"))
    installs = [args for args in instruction_args("RUN") if "requirements-prod.lock" in args]
    assert installs, "no RUN installs from requirements-prod.lock"
    assert any(
        re.search(r"uv pip sync\b.*requirements-prod\.lock|pip install\b.*-r\s+requirements-prod\.lock", run)
        for run in installs
    ), installs


def test_dockerfile_installs_weasyprint_libraries():
    apt = " ".join(args for args in instruction_args("RUN") if "apt-get install" in args).split()
    for package in (*WEASYPRINT_PACKAGES, "poppler-utils"):
        assert package in apt, f"{package} is not apt-get installed"


def test_dockerfile_runs_as_non_root():
    users = instruction_args("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_collects_static_with_build_only_secrets():
    runs = [args for args in instruction_args("RUN") if "collectstatic" in args]
    assert len(runs) == 1
    for key in ("SECRET_KEY=", "DATABASE_URL=", "DJANGO_ENV=production"):
        assert key in runs[0], key
    # The dummies live on that RUN line only, never in the image's environment or build arguments.
    persistent = " ".join(instruction_args("ENV") + instruction_args("ARG"))
    assert "SECRET_KEY" not in persistent and "DATABASE_URL" not in persistent


def test_dockerfile_cmd_healthcheck_and_port():
    cmd = exec_form(instruction_args("CMD")[-1])
    assert cmd[0] == "gunicorn" and WSGI_APP in cmd and "0.0.0.0:8000" in cmd, cmd
    healthcheck = instruction_args("HEALTHCHECK")
    assert healthcheck and "/healthz" in healthcheck[-1] and "urllib" in healthcheck[-1]
    assert "X-Forwarded-Proto" in healthcheck[-1]
    assert "8000" in instruction_args("EXPOSE")[-1].split()


def test_dockerignore_keeps_local_state_and_secrets_out():
    patterns = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines()}
    for pattern in (".venv", "var", ".git", ".env", "node_modules", "tests"):
        assert pattern in patterns, f".dockerignore does not exclude {pattern}"
    assert any("__pycache__" in pattern for pattern in patterns)
    assert "requirements-prod.lock" not in patterns and "static" not in patterns


# -- the parser itself, so a green run means something ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("celery -A compliance_site worker -l info &", [("compliance_site", "worker")]),
        ('"$BIN/celery" --app=compliance_site beat -l info', [("compliance_site", "beat")]),
        ("$PY -m celery -A $APP worker&", [("compliance_site", "worker")]),
        ("exec .venv/bin/celery -b redis://x -A compliance_site beat", [("compliance_site", "beat")]),
        ("echo starting celery", []),
    ],
)
def test_celery_invocation_parser(line, expected):
    assert celery_invocations(shell_words(line), {"APP": "compliance_site"}) == expected
