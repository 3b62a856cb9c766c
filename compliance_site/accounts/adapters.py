"""How django-allauth fits this application: accounts are created by the administrator (no sign-up, by
password or by single sign-on), and a re-authentication asks for the second factor first."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

# The backend a session records when allauth signs someone in without a password (single sign-on, or the
# second step after a password checked here): the one that answers capability checks.
ROLE_BACKEND = "compliance_site.accounts.permissions.RoleBackend"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        if not hasattr(user, "backend"):
            user.backend = ROLE_BACKEND
        super().login(request, user)

    def get_reauthentication_methods(self, user):
        # A fresh check is a second-factor check (compliance_site/accounts/mfa.py); the password is offered
        # only to someone who has no second factor yet, to set one up.
        methods = super().get_reauthentication_methods(user)
        return sorted(methods, key=lambda method: not method["id"].startswith("mfa_"))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False
