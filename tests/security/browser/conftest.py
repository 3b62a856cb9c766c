"""The browser folder's fixtures (the demo data in the live server's database, chromium's page), here too."""

from tests.browser.conftest import _live_server_media_url, demo, page  # noqa: F401
