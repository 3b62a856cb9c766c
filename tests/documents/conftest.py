"""Fixtures for the document tests: media under tmp_path, Celery eager, the approved demo case, and helpers
that generate a document the way the app does (request -> on_commit -> task) and read its text back."""

import subprocess

import pytest

from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.services import request_document
from tests.documents.demo_case import NOW, approved_demo


@pytest.fixture(autouse=True)
def _media_and_eager_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from compliance_site.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def demo(db):
    """The seeded demo data with its case approved, estimated, partly recovered and partly forgone."""
    return approved_demo()


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """generate(actor, kind, record, final=False, period="") -> the rendered GeneratedDocument."""

    def make(actor, kind, record, *, final=False, period="", now=NOW) -> GeneratedDocument:
        with django_capture_on_commit_callbacks(execute=True):
            document = request_document(
                actor=actor, kind=kind, record=record, final=final, period=period, now=now
            )
        document.refresh_from_db()
        assert document.state == GeneratedDocument.State.DONE, document.error
        return document

    return make


def pdf_text(document: GeneratedDocument) -> str:
    """The PDF's text as pdftotext extracts it (poppler-utils), in content-stream order: the watermark
    comes first on each page, never inside a sentence."""
    result = subprocess.run(
        ["pdftotext", "-raw", document.file.path, "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def pages_of(text: str) -> list[str]:
    """pdftotext ends every page with a form feed."""
    return text.split("\f")[:-1]


def body_text(text: str) -> str:
    """The text without the lines that change from one rendering to the next (document id, version,
    generation time in the footer and the meta line): what must be identical for the same snapshot."""
    kept = []
    for line in text.splitlines():
        if "DOC-" in line or "Generated " in line:
            continue
        kept.append(line)
    return "\n".join(kept)
