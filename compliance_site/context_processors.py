from django.conf import settings
from django.utils import timezone

from compliance_site.navigation import navigation_for


def site(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user) if user is not None else [],
        "now": timezone.now(),
        "site_environment": settings.ENVIRONMENT,
    }
