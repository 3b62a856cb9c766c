"""Single sign-on providers from the environment (read by the settings, so nothing here needs Django set up).

No variable set, no provider, no sign-in button: an installation signs in with passwords and a second factor
only. An OpenID Connect provider needs SSO_OIDC_SERVER_URL, SSO_OIDC_CLIENT_ID and SSO_OIDC_CLIENT_SECRET; a
SAML identity provider needs SSO_SAML_IDP_ENTITY_ID with either SSO_SAML_IDP_METADATA_URL or both
SSO_SAML_IDP_SSO_URL and SSO_SAML_IDP_X509CERT. A half-configured provider refuses to start rather than show a
button that cannot work. README, "Second factor and single sign-on".

Single sign-on never creates an account: the administrator creates each person with their roles, and the
identity provider's e-mail address finds that account.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

OIDC_PROVIDER_ID = "sso"
SAML_ORGANIZATION = "sso"
OIDC_APP = "allauth.socialaccount.providers.openid_connect"
SAML_APP = "allauth.socialaccount.providers.saml"

_OIDC = ("SSO_OIDC_SERVER_URL", "SSO_OIDC_CLIENT_ID", "SSO_OIDC_CLIENT_SECRET")
_SAML_ANY = (
    "SSO_SAML_IDP_ENTITY_ID",
    "SSO_SAML_IDP_METADATA_URL",
    "SSO_SAML_IDP_SSO_URL",
    "SSO_SAML_IDP_X509CERT",
)


# The company's own identity provider vouches for its staff's addresses; the address finds the account the
# administrator created (signing up is closed, compliance_site/accounts/adapters.py).
_FIND_ACCOUNT_BY_EMAIL = {"VERIFIED_EMAIL": True, "EMAIL_AUTHENTICATION": True}


class SSOConfigurationError(ImproperlyConfigured):
    pass


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _oidc(env: Mapping[str, str]) -> dict | None:
    values = {name: _get(env, name) for name in _OIDC}
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise SSOConfigurationError(f"OpenID Connect sign-in needs {', '.join(missing)} as well")
    return {
        "OAUTH_PKCE_ENABLED": True,
        **_FIND_ACCOUNT_BY_EMAIL,
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": _get(env, "SSO_OIDC_NAME") or "Company sign-in",
                "client_id": values["SSO_OIDC_CLIENT_ID"],
                "secret": values["SSO_OIDC_CLIENT_SECRET"],
                "settings": {"server_url": values["SSO_OIDC_SERVER_URL"]},
            }
        ],
    }


def _saml(env: Mapping[str, str], site_url: str) -> dict | None:
    if not any(_get(env, name) for name in _SAML_ANY):
        return None
    entity_id = _get(env, "SSO_SAML_IDP_ENTITY_ID")
    metadata_url = _get(env, "SSO_SAML_IDP_METADATA_URL")
    sso_url, cert = _get(env, "SSO_SAML_IDP_SSO_URL"), _get(env, "SSO_SAML_IDP_X509CERT")
    if not entity_id:
        raise SSOConfigurationError("SAML sign-in needs SSO_SAML_IDP_ENTITY_ID")
    if metadata_url:
        idp = {"entity_id": entity_id, "metadata_url": metadata_url}
    elif sso_url and cert:
        idp = {"entity_id": entity_id, "sso_url": sso_url, "x509cert": cert}
    else:
        raise SSOConfigurationError(
            "SAML sign-in needs SSO_SAML_IDP_METADATA_URL, or SSO_SAML_IDP_SSO_URL and SSO_SAML_IDP_X509CERT"
        )
    return {
        **_FIND_ACCOUNT_BY_EMAIL,
        "APPS": [
            {
                "name": _get(env, "SSO_SAML_NAME") or "Company sign-in (SAML)",
                "provider_id": entity_id,
                "client_id": SAML_ORGANIZATION,
                "settings": {
                    "idp": idp,
                    "sp": {
                        "entity_id": _get(env, "SSO_SAML_SP_ENTITY_ID")
                        or f"{site_url.rstrip('/')}/accounts/saml/{SAML_ORGANIZATION}/metadata/"
                    },
                    "advanced": {
                        "want_assertion_signed": True,
                        "reject_idp_initiated_sso": True,
                        "strict": True,
                    },
                },
            }
        ],
    }


def providers_from_env(env: Mapping[str, str], *, site_url: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS for the providers the environment configures (empty when none is)."""
    providers = {}
    if oidc := _oidc(env):
        providers["openid_connect"] = oidc
    if saml := _saml(env, site_url):
        providers["saml"] = saml
    return providers


def provider_apps(providers: Mapping[str, object]) -> list[str]:
    """The allauth provider applications to install for `providers` (none when no provider is configured)."""
    return [app for key, app in (("openid_connect", OIDC_APP), ("saml", SAML_APP)) if key in providers]
