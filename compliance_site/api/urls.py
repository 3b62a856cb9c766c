"""The API root: each app contributes its router under its own prefix."""

from django.urls import include, path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser

from compliance_site.accounts.api.serializers import TokenRequestSerializer

from .parsers import BoundedJSONParser

# DRF's view names its own serializer and parsers: here the user name is bounded and the JSON too.
obtain_auth_token = ObtainAuthToken.as_view(
    serializer_class=TokenRequestSerializer, parser_classes=(FormParser, MultiPartParser, BoundedJSONParser)
)

# The shared apps' endpoints at the root, each program's under its own name (named by module path only:
# the shared layer never imports a program).
SHARED = ["accounts", "company", "audit", "attachments", "documents"]
PROGRAMS = ["clawback", "regfd"]

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *(path("", include(f"compliance_site.{app}.api.urls")) for app in SHARED),
    *(path(f"{program}/", include(f"{program}.api.urls")) for program in PROGRAMS),
]
