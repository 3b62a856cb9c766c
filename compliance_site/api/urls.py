"""The API root: each app contributes its router under its own prefix."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

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
