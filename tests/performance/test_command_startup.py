"""A command's start-up stays light: `manage.py regfd_deadline` and `clawback_scenario` must answer in under a
second (measured by `make bench`, not here), and most of that second is Django setting up the apps. The
libraries that take a tenth of a second or more to import are loaded by the work that needs them (a study, a
workbook, a Word file, an API response), never by the registrations every process runs at start-up. This
test fails when a module-level import brings one back; it does not time anything."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "scipy", "numpy", "openpyxl", "docx", "rest_framework.serializers", "weasyprint", "pyhanko", "icalendar"
)  # fmt: skip

PROBE = f"""
import sys
import django
django.setup()
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_setting_up_django_imports_none_of_the_heavy_libraries():
    env = {"DJANGO_SETTINGS_MODULE": "compliance_site.settings", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
