"""The request's context on every row event it causes: who (the signed-in user, by id and name) and which
request (method and path), so a row event can be read beside the audit-trail entry of the same change."""

from django.db import connection
from pghistory.middleware import HistoryMiddleware


class RowHistoryContextMiddleware(HistoryMiddleware):
    def get_context(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and getattr(user, "is_authenticated", False)
        return {
            "user": user.pk if signed_in else None,
            "username": user.get_username() if signed_in else "",
            "url": request.path,
            "method": request.method,
        }

    def __call__(self, request):
        # pghistory injects its context into every statement as PostgreSQL settings; SQLite has no such
        # settings and no triggers to read them.
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
