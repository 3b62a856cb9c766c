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

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("compliance_site.accounts.api.urls")),
    path("", include("compliance_site.company.api.urls")),
    path("", include("compliance_site.audit.api.urls")),
    path("", include("compliance_site.attachments.api.urls")),
    path("", include("compliance_site.documents.api.urls")),
    path("clawback/", include("clawback.api.urls")),
    path("regfd/", include("regfd.api.urls")),
]
