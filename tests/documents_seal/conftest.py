"""Media under tmp_path and Celery eager, as in tests/documents; the demo case and `generate` reused from
there; `pdfsig`, which CI always has (.ci/run installs poppler-utils), so a missing one fails there."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_BROWSER
from tests.documents.conftest import demo, generate  # noqa: F401 (fixtures, reused as they are)


@pytest.fixture(autouse=True)
def _media_and_eager_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from compliance_site.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def require_tool(name: str) -> str:
    """The path of a poppler tool; skipped where it is missing, except on CI, where it is a failure."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI") or REQUIRE_BROWSER:
        pytest.fail(f"{name} (poppler-utils) is required on CI")
    pytest.skip(f"{name} is not installed (apt-get install -y poppler-utils)")


def pdfsig(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([require_tool("pdfsig"), str(path)], capture_output=True, text=True, check=False)


def pdf_text_of(path: Path) -> str:
    return subprocess.run(
        [require_tool("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
