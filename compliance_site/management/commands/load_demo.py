from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance_site import demo
from compliance_site.accounts.roles import Role


class Command(BaseCommand):
    help = "Load demo data and one demo user per role (safe to run again). Refuses in production."

    def handle(self, *args, **options):
        try:
            users = demo.load_demo(now=timezone.now())
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, user in users.items():
            roles = ", ".join(Role(r).label for r in sorted(user.role_set))
            self.stdout.write(f"  {username:<12} {roles}")
