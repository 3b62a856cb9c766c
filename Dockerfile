# syntax=docker/dockerfile:1
#
# Production image of the Compliance Case Manager: one image for every role (web, Celery worker,
# Celery beat, migrations); docker-compose.yml picks the role with `command:`.
#
#   docker build -t compliance-case-manager .
#   docker run --env-file .env -p 8000:8000 compliance-case-manager          # gunicorn on :8000
#
# Runtime environment (see compliance_site/settings.py): DJANGO_ENV=production is baked in, so
# SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS are required at run time and the process refuses to
# start without them. CELERY_BROKER_URL must point at Redis.
#
# HEALTHCHECK: it requests http://localhost:8000/healthz from inside the container, so ALLOWED_HOSTS
# MUST include `localhost` (e.g. ALLOWED_HOSTS=compliance.example.com,localhost), otherwise Django
# answers 400 and the container is reported unhealthy. It sends `X-Forwarded-Proto: https` (the header
# SECURE_PROXY_SSL_HEADER trusts) so that SECURE_SSL_REDIRECT does not answer the probe with a redirect.
# The TLS-terminating proxy in front of the app must set (overwrite) X-Forwarded-Proto.
#
# MEDIA_ROOT (/app/media, the attachments) must be a persistent volume; it is outside STATIC_ROOT and
# never served directly (attachments go through a permission-checking view).

FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    DJANGO_SETTINGS_MODULE=compliance_site.settings \
    DJANGO_ENV=production \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint's system libraries (Pango, HarfBuzz, fontconfig, a font) and poppler-utils (pdftotext).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        shared-mime-info \
        poppler-utils \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user; fixed ids so volume ownership is stable across rebuilds.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from the lock file only, so this layer is cached until requirements-prod.lock changes.
# `uv pip sync` makes the interpreter's site-packages exactly the lock (it also removes pip itself).
COPY requirements-prod.lock ./
RUN pip install uv==0.13.9 \
    && uv pip sync --system requirements-prod.lock

# The project (see .dockerignore: no .venv, var, .git, tests). Owned by root: the app cannot modify its code.
COPY . .

# Static files at build time, served by WhiteNoise from STATIC_ROOT. Production settings insist on a
# SECRET_KEY, a DATABASE_URL, ALLOWED_HOSTS, a cache, the audit chain key and the seal's files; these dummies
# exist only for this one command (nothing connects, nothing is sealed: the seal files need only exist) and are
# not part of the image's environment.
RUN env DJANGO_ENV=production \
        SECRET_KEY=build-time-only-collectstatic-dummy-key-not-used-at-run-time-0000 \
        DATABASE_URL=postgres://build:build@build.invalid:5432/build \
        ALLOWED_HOSTS=localhost \
        CELERY_BROKER_URL=redis://build.invalid:6379/0 \
        CACHE_URL=redis://build.invalid:6379/2 \
        AUDIT_CHAIN_KEY=build-time-only-collectstatic-dummy-chain-key-000000 \
        DOCUMENT_SEAL_KEY_FILE=/etc/hostname DOCUMENT_SEAL_CERT_FILE=/etc/hostname \
        python manage.py collectstatic --noinput -v0

# The only writable places: VAR_DIR (celery beat's schedule) and MEDIA_ROOT (attachments). A named volume
# mounted on them starts with this ownership.
RUN mkdir -p /app/var /app/media \
    && chown -R app:app /app/var /app/media \
    && chmod 0750 /app/media

USER app:app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request as u; r = u.urlopen(u.Request('http://localhost:8000/healthz', headers={'X-Forwarded-Proto': 'https'}), timeout=8); sys.exit(0 if r.status == 200 and b'ok' in r.read() else 1)"

CMD ["gunicorn", "compliance_site.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
