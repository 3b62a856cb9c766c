from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views
from .accounts.permissions import has_capability

admin.site.site_header = "Compliance Case Manager — administration"
admin.site.site_title = "Compliance administration"
# The admin opens to Administrators (the role), not to whoever has is_staff: one place decides access.
admin.site.has_permission = lambda request: (
    request.user.is_active and has_capability(request.user, "accounts.manage")
)

handler400 = "compliance_site.views.bad_request"
handler403 = "compliance_site.views.permission_denied"
handler404 = "compliance_site.views.page_not_found"
handler500 = "compliance_site.views.server_error"

# Each app's pages under a prefix of its own name; the programs are named by module path only (the shared
# layer never imports a program).
SHARED = [
    "accounts",
    "audit",
    "company",
    "attachments",
    "ops",
    "notifications",
    "calendar_feed",
    "documents",
]
PROGRAMS = ["clawback", "regfd"]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("glossary/", views.glossary, name="glossary"),
    *(path(f"{app}/", include(f"compliance_site.{app}.urls")) for app in SHARED),
    # After the application's own sign-in pages: the second factor, re-authentication, single sign-on.
    path("accounts/", include("compliance_site.accounts.allauth_urls")),
    *(path(f"{program}/", include(f"{program}.urls")) for program in PROGRAMS),
    path("api/", include("compliance_site.api.urls")),
    path("api/", include("compliance_site.notifications.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", http_method_names=["get", "head"]),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
