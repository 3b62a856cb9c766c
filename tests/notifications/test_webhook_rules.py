"""The chat rules (compliance_site/notifications/webhooks/rules.py), table-driven, no database: which webhook
addresses are accepted, how a saved one is shown, the Slack and Teams payloads, the backoff."""

from dataclasses import dataclass

import pytest

from compliance_site.notifications.webhooks import rules

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXabcd"
TEAMS_URL = (
    "https://prod-12.westus.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke"
    "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zz9y"
)


@pytest.mark.parametrize(
    ("url", "allow_local", "problem"),
    [
        (SLACK_URL, False, None),
        (TEAMS_URL, False, None),
        ("https://example.webhook.office.com/webhookb2/abc", False, None),
        ("http://127.0.0.1:8123/hook", True, None),
        ("http://localhost:8123/hook", True, None),
        ("http://[::1]:8123/hook", True, None),
        ("https://127.0.0.1/hook", True, None),
        ("", False, "Enter the webhook address."),
        ("   ", False, "Enter the webhook address."),
        ("hooks.slack.com/services/T0/B0/x", False, "starting with https://"),
        ("ftp://hooks.slack.com/x", False, "starting with https://"),
        ("javascript:alert(1)", False, "starting with https://"),
        ("http://hooks.slack.com/services/T0/B0/x", False, "must start with https://"),
        ("http://hooks.slack.com/services/T0/B0/x", True, "must start with https://"),
        ("http://127.0.0.1:8123/hook", False, "on this server"),
        ("https://localhost/hook", False, "on this server"),
        ("https://127.0.0.2/hook", False, "on this server"),
        ("https://user:pass@hooks.slack.com/services/x", False, "user name or password"),
        ("https://10.0.0.5/hook", False, "private network"),
        ("https://192.168.1.10/hook", True, "private network"),
        ("https://169.254.169.254/latest/meta-data", False, "private network"),
        ("https://[fd00::1]/hook", False, "private network"),
        ("https://hooks.slack.com/services/T0/B0/x y", False, "no spaces"),
        ("https://hooks.slack.com/services/T0/B0/x\n", False, "no spaces"),
        ("https://hooks.slack.com:99999/x", False, "not a web address"),
        ("https://[::1/x", False, "not a web address"),
        ("https://hooks.slack.com/" + "x" * 1000, False, "at most 1,000 characters"),
    ],
)
def test_webhook_addresses_are_https_only_with_this_machine_allowed_only_when_said(url, allow_local, problem):
    found = rules.address_problem(url, allow_local=allow_local)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize(
    ("addresses", "allow_local", "refused"),
    [
        (["34.226.36.43"], False, False),
        (["2600:1f18::1"], False, False),
        (["127.0.0.1"], True, False),
        (["127.0.0.1"], False, True),
        (["34.226.36.43", "10.1.2.3"], False, True),
        (["192.168.0.1"], True, True),
        (["fe80::1%eth0"], False, True),
        ([], False, True),
    ],
)
def test_a_host_resolving_into_a_private_network_is_not_posted_to(addresses, allow_local, refused):
    assert (rules.destination_problem(addresses, allow_local=allow_local) is not None) is refused


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (SLACK_URL, "https://hooks.slack.com/…abcd"),
        (TEAMS_URL, "https://prod-12.westus.logic.azure.com:443/…Zz9y"),
        ("http://127.0.0.1:8123/hook/", "http://127.0.0.1:8123/…hook"),
    ],
)
def test_a_saved_address_is_shown_by_its_host_and_last_four_characters(url, shown):
    assert rules.masked(url) == shown
    assert "XXXXXXXXXXXXXXXXXXXX" not in rules.masked(url) and "sig=" not in rules.masked(url)


@pytest.mark.parametrize(
    ("failed_attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 900), (20, 900)]
)
def test_a_failed_post_is_retried_after_30_seconds_then_doubling_at_most_15_minutes(failed_attempts, seconds):
    assert rules.retry_delay(failed_attempts) == seconds


def test_the_backoff_counts_failed_attempts_from_one():
    with pytest.raises(ValueError):
        rules.retry_delay(0)


@pytest.mark.parametrize(
    ("status", "ok"), [(200, True), (202, True), (204, True), (None, False), (301, False), (400, False)]
)
def test_any_2xx_is_a_success(status, ok):
    assert rules.is_success(status) is ok


@dataclass(frozen=True)
class _Message:
    title: str = "Escalation: FD-2026-0001 public disclosure overdue by 2 h"
    body: str = "Regulation FD incident FD-2026-0001.\nWorking deadline: 2026-03-02 10:30 EST."
    link: str = "https://compliance.example.com/regfd/incidents/1/"
    legend: str = "Confidential — Attorney-Client Privileged"

    @property
    def text(self) -> str:
        return f"{self.body}\n\nOpen the record: {self.link}\n\n{self.legend}\n"


def test_slack_receives_the_title_then_the_e_mails_text_with_slacks_control_characters_escaped():
    message = _Message(title="Review <due> & overdue")
    payload = rules.payload_for("slack", message)
    assert list(payload) == ["text"]
    assert payload["text"].startswith(
        "Review &lt;due&gt; &amp; overdue\n\nRegulation FD incident FD-2026-0001."
    )
    assert "\n\nOpen the record: https://compliance.example.com/regfd/incidents/1/\n\n" in payload["text"]
    assert payload["text"].endswith(message.legend)


def test_teams_receives_an_adaptive_card_with_the_e_mails_text_and_a_button_to_the_record():
    message = _Message()
    payload = rules.payload_for("teams", message)
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [block["text"] for block in card["body"]]
    assert texts == [
        message.title,
        "Regulation FD incident FD-2026-0001.",
        "Working deadline: 2026-03-02 10:30 EST.",
        f"Open the record: {message.link}",
        message.legend,
    ]
    assert card["body"][0]["weight"] == "Bolder" and card["body"][-1]["isSubtle"] is True
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open the record", "url": message.link}]
