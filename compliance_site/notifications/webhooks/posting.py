"""Posting one chat message: a JSON POST with a timeout, standard library only (urllib.request).

- No redirect is followed: a chat service answers 2xx at its webhook address, and a redirect is a changed
  or wrong address (or a way into another host), so a 3xx is a failed attempt like any other answer.
- The host is resolved and checked before the post (webhooks/rules.py, `destination_problem`), so a name
  pointing into a private network is not posted to. Behind an outbound proxy (HTTPS_PROXY) the proxy
  resolves the name and is the one to refuse; a local receiver (tests) is reached directly, never through it.
- The outcome is said in words, and never with the address: it is a secret, and the error is shown on the
  operations page.
"""

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit

from . import rules

USER_AGENT = "compliance-case-manager (chat notifications)"
DETAIL_CHARS = 200
# Before the service's own words ("invalid_token", "no_service"): computer text, shown as such (split_error).
SAID = " It said: "


@dataclass(frozen=True)
class PostResult:
    """What one attempt got: the HTTP status the service answered (None: no answer), and the failure in
    words (empty on success)."""

    status_code: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return rules.is_success(self.status_code) and not self.error


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx: an answer, not a place to go


def _detail(exc: urllib.error.HTTPError) -> str:
    """The first characters of the service's answer ("invalid_payload", "no_service"), on one line."""
    try:
        raw = exc.read(DETAIL_CHARS * 4)
    except (OSError, HTTPException):
        return ""
    text = raw.decode("utf-8", "replace")
    return " ".join(text.split())[:DETAIL_CHARS]


def _resolved(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def post_json(url: str, payload: dict, *, timeout: float, allow_local: bool) -> PostResult:
    """POST `payload` as JSON to `url`; never raises for a network or HTTP failure."""
    problem = rules.address_problem(url, allow_local=allow_local)  # again: the settings may have changed
    if problem:
        return PostResult(None, problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    local = rules.is_local_host(host)
    proxied = not local and bool(urllib.request.getproxies().get(parts.scheme))
    if not proxied:
        try:
            addresses = _resolved(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError):
            return PostResult(None, "The host name of the address did not resolve (DNS).")
        problem = rules.destination_problem(addresses, allow_local=allow_local)
        if problem:
            return PostResult(None, problem)
    handlers = [_NoRedirect()]
    if local:
        handlers.append(urllib.request.ProxyHandler({}))  # a local receiver, reached directly
    opener = urllib.request.build_opener(*handlers)
    # The scheme is https (or http to this machine where allowed): the address rule, checked on saving.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = _detail(exc)
        return PostResult(
            exc.code,
            f"The chat service answered {exc.code} ({exc.reason})." + (f"{SAID}{detail}" if detail else ""),
        )
    except TimeoutError:
        return PostResult(None, f"The chat service did not answer within {timeout:g} s.")
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return PostResult(None, f"The chat service did not answer within {timeout:g} s.")
        return PostResult(None, f"Could not reach the chat service: {_words(exc.reason)}")
    except (OSError, HTTPException) as exc:
        return PostResult(None, f"The connection failed: {_words(exc)}")
    if not rules.is_success(status):
        return PostResult(status, f"The chat service answered {status}.")
    return PostResult(status)


def _words(reason) -> str:
    """An OS or SSL error as its message ("Connection refused"), without the errno and never the address."""
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def split_error(error: str) -> tuple[str, str]:
    """(the failure in words, what the service itself said: verbatim computer text, or "")."""
    words, _, said = error.partition(SAID)
    return words, said
