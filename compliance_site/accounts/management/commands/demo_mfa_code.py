"""The current authenticator code of the demo logins (README, "Second factor and single sign-on"), for a
reviewer without an authenticator app at hand. Development only, like the demo data."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance_site.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo logins' current authenticator code (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Refusing with DJANGO_ENV=production: the demo secret is public.")
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // 30))
        self.stdout.write(f"{code}  (valid for {30 - now % 30} more seconds; each code is accepted once)")
