"""The API root: each app contributes its router under its own prefix."""

from django.urls import include, path

from compliance_site.accounts.api.tokens import ObtainTokenView

# The shared apps' endpoints at the root, each program's under its own name (named by module path only:
# the shared layer never imports a program).
SHARED = ["accounts", "company", "audit", "attachments", "documents"]
PROGRAMS = ["clawback", "regfd"]

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *(path("", include(f"compliance_site.{app}.api.urls")) for app in SHARED),
    *(path(f"{program}/", include(f"{program}.api.urls")) for program in PROGRAMS),
]
