import zoneinfo

from django.utils import timezone


class UserTimezoneMiddleware:
    """Activates the signed-in user's zone, so `{% dual_time %}` can show it next to ET."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tz = getattr(user, "time_zone", None) if user is not None and user.is_authenticated else None
        if tz:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
