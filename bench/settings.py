"""Settings of the server `make bench` starts: the production settings, from the environment bench/run.py
gives (DJANGO_ENV=production, DEBUG off, its own SECRET_KEY, AUDIT_CHAIN_KEY, CACHE_URL, seal files), with
only what the benchmark needs on top:

- ROOT_URLCONF: the app's URLconf plus the stock peers under /bench-peer/ (bench/peer_urls.py), so the
  peers never appear in the app's own URLs;
- the peers' one template directory (bench/templates/);
- static files stored by ManifestStaticFilesStorage instead of its Compressed subclass: pages look up the
  same manifest of hashed names, but `collectstatic` takes 4 s instead of 80-100 s (the compressed .gz/.br
  copies only matter when serving static files, which the benchmark does not measure).
"""

from compliance_site.settings import *  # noqa: F403
from compliance_site.settings import BASE_DIR, STORAGES, TEMPLATES

ROOT_URLCONF = "bench.peer_urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
