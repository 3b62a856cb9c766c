"""The calendar link on the preferences page: made, shown once, made anew, turned off; each step on the audit
trail; the page and the link's page readable (plain words) and usable without sight (every field labelled,
every button named, ids unique)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from compliance_site.audit.models import AuditEvent
from compliance_site.calendar_feed.models import CalendarFeedToken
from tests.calendar_feed.helpers import SITE_URL, fetch
from tests.test_plain_language import findings, visible_text

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("accounts:preferences")
CREATE = reverse("calendar_feed:link-create")
REVOKE = reverse("calendar_feed:link-revoke")
ADDRESS = re.compile(r'value="(https://compliance\.example\.com/calendar_feed/([\w-]+)\.ics)"')


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def secretary(client, users):
    client.force_login(users["secretary"])
    return client


def _made(client) -> tuple[str, str, object]:
    """Make a link from the page: (its address, its token, the response that showed it)."""
    response = client.post(CREATE)
    assert response.status_code == 200
    found = ADDRESS.search(response.content.decode())
    assert found, "the new link is shown"
    return found.group(1), found.group(2), response


def test_the_page_offers_a_link_to_whoever_has_none(secretary):
    page = secretary.get(PREFERENCES).content.decode()
    assert "Deadlines in your calendar" in page and "You have no calendar link." in page
    assert f'action="{CREATE}"' in page and "Make my calendar link" in page
    assert f'action="{REVOKE}"' not in page


def test_a_link_is_shown_once_and_opens_the_feed(secretary, users):
    address, token, response = _made(secretary)
    assert address == f"{SITE_URL}/calendar_feed/{token}.ics"
    assert f'href="webcal://compliance.example.com/calendar_feed/{token}.ics"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert fetch(token).status_code == 200
    # Afterwards the page says a link exists, and when it was made, but never shows it again.
    page = secretary.get(PREFERENCES).content.decode()
    assert token not in page and "Your calendar link was made" in page
    assert "Make a new calendar link" in page and "Turn off my calendar link" in page
    assert CalendarFeedToken.objects.get(user=users["secretary"]).digest != token


def test_a_new_link_replaces_the_old_and_turning_it_off_stops_the_feed(secretary, users):
    _, old, _ = _made(secretary)
    _, new, _ = _made(secretary)
    assert old != new
    assert fetch(old).status_code == 404 and fetch(new).status_code == 200

    response = secretary.post(REVOKE, follow=True)
    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert "Your calendar link is turned off" in response.content.decode()
    assert "You have no calendar link." in response.content.decode()
    assert fetch(new).status_code == 404
    # Revoked, never deleted: both links stay on record, neither live.
    assert CalendarFeedToken.objects.filter(user=users["secretary"], revoked_at__isnull=False).count() == 2

    again = secretary.post(REVOKE, follow=True)
    assert "You had no calendar link to turn off." in again.content.decode()


def test_making_and_turning_off_a_link_are_on_the_audit_trail(secretary, users):
    _made(secretary)
    _made(secretary)
    secretary.post(REVOKE)
    verbs = list(
        AuditEvent.objects.filter(object_id=str(users["secretary"].pk), verb__contains="calendar_link")
        .order_by("seq")
        .values_list("verb", "changes")
    )
    assert verbs == [
        ("make_calendar_link", {"replaced_a_live_link": False}),
        ("make_calendar_link", {"replaced_a_live_link": True}),
        ("turn_off_calendar_link", {}),
    ]


def test_the_steps_take_post_only_and_ask_for_a_sign_in(client, users):
    assert client.post(CREATE).status_code == 302  # to the sign-in
    assert not CalendarFeedToken.objects.exists()
    client.force_login(users["employee"])
    assert client.get(CREATE).status_code == 405 and client.get(REVOKE).status_code == 405


# ---- readable and labelled ----


class _Fields(HTMLParser):
    """The form controls, labels, buttons and ids of a page."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.ids, self.buttons = [], set(), [], []
        self._button = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag == "button":
            self._button = attrs.get("aria-label") or ""

    def handle_data(self, data):
        if self._button is not None:
            self._button += data

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons.append(self._button.strip())
            self._button = None


def _check_labels_and_words(html: str) -> None:
    page = _Fields()
    page.feed(html)
    unlabelled = [c for c in page.controls if c.get("id") not in page.labelled and not c.get("aria-label")]
    assert unlabelled == []
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    assert page.buttons and all(page.buttons), "every button says what it does"
    assert findings(visible_text(html)) == []


def test_the_preferences_page_in_each_state_and_the_links_page_are_labelled_and_plain(secretary):
    _check_labels_and_words(secretary.get(PREFERENCES).content.decode())
    _, _, shown = _made(secretary)
    html = shown.content.decode()
    _check_labels_and_words(html)
    assert '<label class="form-label" for="calendar-link-address">' in html
    assert 'aria-describedby="calendar-link-help"' in html and 'id="calendar-link-help"' in html
    _check_labels_and_words(secretary.get(PREFERENCES).content.decode())
