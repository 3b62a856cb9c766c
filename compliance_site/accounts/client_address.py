"""The address a request really came from, for the lock-out after failed sign-ins and the sign-in throttles.

Behind a proxy REMOTE_ADDR is the proxy's, the same for everyone, so a lock-out keyed on it locks the real
user out too. Each proxy appends the address it received the request from to X-Forwarded-For; only the entries
appended by proxies we run can be believed, the rest are whatever the client wrote. With TRUSTED_PROXY_COUNT
proxies in front of the application the client's address is therefore the TRUSTED_PROXY_COUNT-th entry from
the right (README, "Behind a proxy"). With none (the default) the header is ignored.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if count <= 0 or not forwarded:
        return remote
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    # Fewer entries than proxies: the request did not come through every proxy; nothing in it is vouched for.
    if len(entries) < count:
        return remote
    return _address(entries[-count]) or remote
