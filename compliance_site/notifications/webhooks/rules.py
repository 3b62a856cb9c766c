"""Chat notifications: the rules, standard library only, so they are tested in milliseconds and read as a
spec (docs/architecture.md, "Chat notifications").

- **Which addresses are accepted** (`address_problem`). A webhook address is a bearer secret: whoever has it
  posts to the channel. It is reached over https only. Plain http is accepted for this machine alone
  (127.0.0.1, localhost, ::1), and only where the settings allow it (DEBUG, or WEBHOOK_ALLOW_LOCAL_HTTP,
  which production refuses), so tests can post to a local receiver. An address carrying a user name or
  password, or an IP address on a private or reserved network, is refused: the application would otherwise
  post into the network it runs in. A host name is checked again, once resolved, before each post
  (`destination_problem`).
- **How a saved address is shown** (`masked`): the scheme, the host and the last four characters, never
  the rest (the token is in the path, or for a Teams workflow in the query string).
- **What is posted** (`slack_payload`, `teams_payload`): the reminder exactly as it is e-mailed — its title,
  then the e-mail's text (the body, the link to the record, the company's confidentiality legend), which
  `compliance_site/notifications/messages.py` builds for both channels (the no-MNPI rule is stated in
  `compliance_site/notifications/registry.py`). Slack receives `{"text": ...}`; Teams an Adaptive Card
  (version 1.4) in a `message` envelope, the format Teams workflows ("When a Teams webhook request is
  received") and the older Office 365 connectors both accept.
- **When a failed post is tried again** (`retry_delay`): 30 s after the first failure, then doubling (60 s,
  120 s, 240 s ...), never more than 15 minutes apart.
"""

import ipaddress
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urlsplit

SLACK = "slack"
TEAMS = "teams"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_ADDRESS_CHARS = 1000
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 900
ADAPTIVE_CARD_VERSION = "1.4"


class Message(Protocol):
    """A reminder as it leaves the application (messages.OutgoingMessage)."""

    title: str
    link: str
    legend: str

    @property
    def text(self) -> str: ...


# ---- addresses ----------------------------------------------------------------------------------------


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_local_host(host: str) -> bool:
    """This machine: localhost, or a loopback address (127.0.0.0/8, ::1)."""
    ip = _ip(host)
    return host.lower() in LOCAL_HOSTS or (ip is not None and ip.is_loopback)


def address_problem(url: str, *, allow_local: bool) -> str | None:
    """Why `url` cannot be a webhook address, in words a person can act on; None when it can."""
    if not url or not url.strip():
        return "Enter the webhook address."
    if len(url) > MAX_ADDRESS_CHARS:
        return f"A webhook address has at most {MAX_ADDRESS_CHARS:,} characters."
    if any(char.isspace() or ord(char) < 32 for char in url):
        return "A webhook address has no spaces or line breaks: paste it again as the chat service shows it."
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return "This is not a web address: paste the address the chat service gave, starting with https://."
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in ("https", "http") or not host:
        return "Enter the full address the chat service gave, starting with https://."
    if not port_ok:
        return "The port in the address is not valid."
    if parts.username or parts.password:
        return "A webhook address cannot carry a user name or password."
    local = is_local_host(host)
    if local and not allow_local:
        return (
            "This address is on this server. Chat services are reached over the internet: paste the address "
            "Slack or Teams gave."
        )
    if scheme != "https" and not local:
        return "The address must start with https:// (an encrypted connection)."
    ip = _ip(host)
    if ip is not None and not local and not ip.is_global:
        return "This address is on a private network. Paste the address Slack or Teams gave."
    return None


def destination_problem(addresses: Iterable[str], *, allow_local: bool) -> str | None:
    """Why a host resolving to `addresses` may not be posted to (an address on a private or reserved
    network, or this machine where not allowed); None when it may."""
    addresses = list(addresses)
    if not addresses:
        return "The host name of the address did not resolve."
    for address in addresses:
        ip = _ip(address.split("%", 1)[0])  # an IPv6 scope (fe80::1%eth0) is not part of the address
        if ip is None:
            return "The host name of the address did not resolve to an IP address."
        if ip.is_loopback and allow_local:
            continue
        if not ip.is_global:
            return "The address resolves to a private network; the message was not posted."
    return None


def masked(url: str) -> str:
    """The address as shown once saved: scheme, host (and port), and the last four characters."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}/…{url.rstrip('/')[-4:]}"


# ---- payloads -----------------------------------------------------------------------------------------


def _slack_escaped(text: str) -> str:
    # Slack reads <...> as links and mentions and & as an entity: the three are escaped, nothing else.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: Message) -> dict:
    """A Slack incoming webhook's body: the title, a blank line, the e-mail's text."""
    return {"text": _slack_escaped(f"{message.title}\n\n{message.text}".rstrip("\n"))}


def teams_payload(message: Message) -> dict:
    """A Teams message holding one Adaptive Card: the title in bold, then the e-mail's text one paragraph a
    block (the legend last, subdued), and a button opening the record."""
    paragraphs = [line for line in message.text.splitlines() if line.strip()]
    blocks = [
        {"type": "TextBlock", "text": message.title, "weight": "Bolder", "size": "Medium", "wrap": True}
    ]
    for line in paragraphs:
        block = {"type": "TextBlock", "text": line, "wrap": True}
        if line == message.legend:
            block.update(isSubtle=True, size="Small")
        blocks.append(block)
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": blocks,
        "actions": [{"type": "Action.OpenUrl", "title": "Open the record", "url": message.link}],
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


PAYLOADS = {SLACK: slack_payload, TEAMS: teams_payload}


def payload_for(kind: str, message: Message) -> dict:
    """The JSON body posted to an endpoint of `kind` (slack or teams)."""
    return PAYLOADS[kind](message)


# ---- retries ------------------------------------------------------------------------------------------


def retry_delay(failed_attempts: int) -> int:
    """Seconds to wait after the `failed_attempts`-th failure: 30, 60, 120, 240 ..., at most 900."""
    if failed_attempts < 1:
        raise ValueError("retry_delay counts failed attempts from 1")
    return min(FIRST_RETRY_SECONDS * 2 ** (failed_attempts - 1), MAX_RETRY_SECONDS)


def is_success(status_code: int | None) -> bool:
    """A chat service accepted the message: any 2xx answer (Slack answers 200 "ok", a Teams workflow 202)."""
    return status_code is not None and 200 <= status_code < 300
