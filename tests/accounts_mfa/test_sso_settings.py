"""Single sign-on from the environment: no variable, no provider and no button; OpenID Connect and SAML each
produced from their variables (and their allauth application installed); a half-configured provider
refuses to start."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from compliance_site.accounts import sso

OIDC_ENV = {
    "SSO_OIDC_SERVER_URL": "https://login.example.com/realms/acme",
    "SSO_OIDC_CLIENT_ID": "compliance",
    "SSO_OIDC_CLIENT_SECRET": "s3cret",
    "SSO_OIDC_NAME": "Acme sign-in",
}
SAML_ENV = {
    "SSO_SAML_IDP_ENTITY_ID": "https://idp.example.com/saml",
    "SSO_SAML_IDP_SSO_URL": "https://idp.example.com/saml/sso",
    "SSO_SAML_IDP_X509CERT": "MIIC...",
}


def test_no_variable_no_provider():
    assert sso.providers_from_env({}, site_url="https://c.example.com") == {}
    assert sso.provider_apps({}) == []
    assert settings.SOCIALACCOUNT_PROVIDERS == {}  # the test environment configures none


def test_openid_connect_from_the_environment():
    providers = sso.providers_from_env(OIDC_ENV, site_url="https://c.example.com")
    (app,) = providers["openid_connect"]["APPS"]
    assert app["provider_id"] == "sso" and app["name"] == "Acme sign-in"
    assert app["client_id"] == "compliance" and app["secret"] == "s3cret"
    assert app["settings"]["server_url"] == OIDC_ENV["SSO_OIDC_SERVER_URL"]
    assert providers["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    assert sso.provider_apps(providers) == [sso.OIDC_APP]


def test_saml_from_the_environment():
    providers = sso.providers_from_env(SAML_ENV, site_url="https://c.example.com/")
    (app,) = providers["saml"]["APPS"]
    assert app["settings"]["idp"] == {
        "entity_id": SAML_ENV["SSO_SAML_IDP_ENTITY_ID"],
        "sso_url": SAML_ENV["SSO_SAML_IDP_SSO_URL"],
        "x509cert": SAML_ENV["SSO_SAML_IDP_X509CERT"],
    }
    assert app["settings"]["sp"]["entity_id"] == "https://c.example.com/accounts/saml/sso/metadata/"
    assert app["settings"]["advanced"]["reject_idp_initiated_sso"] is True
    with_metadata = sso.providers_from_env(
        {"SSO_SAML_IDP_ENTITY_ID": "x", "SSO_SAML_IDP_METADATA_URL": "https://idp.example.com/md"},
        site_url="https://c.example.com",
    )
    assert with_metadata["saml"]["APPS"][0]["settings"]["idp"]["metadata_url"] == "https://idp.example.com/md"
    assert sso.provider_apps({**providers, **sso.providers_from_env(OIDC_ENV, site_url="")}) == [
        sso.OIDC_APP,
        sso.SAML_APP,
    ]


@pytest.mark.parametrize(
    "env",
    [
        {"SSO_OIDC_SERVER_URL": "https://login.example.com"},
        {"SSO_SAML_IDP_SSO_URL": "https://idp.example.com/sso"},
        {"SSO_SAML_IDP_ENTITY_ID": "x", "SSO_SAML_IDP_SSO_URL": "https://idp.example.com/sso"},
    ],
)
def test_a_half_configured_provider_refuses_to_start(env):
    with pytest.raises(ImproperlyConfigured):
        sso.providers_from_env(env, site_url="https://c.example.com")


def test_the_settings_produce_both_providers_from_the_environment():
    """The real settings module, in a fresh interpreter with the variables set."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'apps': settings.INSTALLED_APPS, 'providers': sorted(settings.SOCIALACCOUNT_PROVIDERS)}))"
    )
    env = {**os.environ, **OIDC_ENV, **SAML_ENV, "DJANGO_SETTINGS_MODULE": "compliance_site.settings"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["providers"] == ["openid_connect", "saml"]
    assert sso.OIDC_APP in result["apps"] and sso.SAML_APP in result["apps"]


@pytest.mark.django_db
def test_no_provider_no_button_on_the_sign_in_page():
    html = Client().get("/accounts/login/").content.decode()
    assert 'data-testid="sso"' not in html
