from django.conf import settings
from django.contrib.auth import authenticate
from rest_framework import exceptions, serializers

from compliance_site.accounts.forms import USERNAME_MAX_LENGTH
from compliance_site.accounts.models import User, validate_time_zone


class TokenRequestSerializer(serializers.Serializer):
    """A user name and password for a new API token. The user name is bounded by its column, so an over-long
    name is a 400 before it reaches authenticate() and django-axes (docs/architecture.md)."""

    username = serializers.CharField(label="Username", max_length=USERNAME_MAX_LENGTH, write_only=True)
    password = serializers.CharField(
        label="Password",
        max_length=4096,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )

    def validate(self, attrs):
        request = self.context.get("request")
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            # django-axes refused before checking the password; the page says so (accounts/locked_out.html).
            minutes = round(settings.AXES_COOLOFF_TIME * 60)
            raise exceptions.PermissionDenied(
                f"Too many failed sign-in attempts for this user name from your address: it is locked for "
                f"{minutes} minutes. Ask an administrator if you need access sooner.",
                code="locked_out",
            )
        if user is None:
            raise serializers.ValidationError(
                "Unable to sign in with this user name and password.", code="authorization"
            )
        attrs["user"] = user
        return attrs


class IssuedTokenSerializer(serializers.Serializer):
    """A new token: shown this once, never again (only its digest is stored). Send it as
    `Authorization: Token <token>` until `expiry`; `id` names it in the list of your tokens."""

    id = serializers.CharField()
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class TokenSerializer(serializers.Serializer):
    """One of your API tokens, without its secret: `current` is the one this request was made with."""

    id = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    current = serializers.BooleanField()


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user as the API sees them: who they are, their roles and what those let them do."""

    full_name = serializers.CharField(source="get_full_name", read_only=True)
    # Blank is allowed, so no `format: email` on the way out.
    email = serializers.CharField(read_only=True)
    roles = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "first_name",
            "last_name",
            "email",
            "time_zone",
            "roles",
            "capabilities",
        ]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(str(role.value) for role in user.role_set)

    def get_capabilities(self, user) -> list[str]:
        return sorted(user.capabilities)


class PreferencesInputSerializer(serializers.Serializer):
    """What a user may change about themselves (accounts.services.update_preferences)."""

    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    time_zone = serializers.CharField(max_length=64, required=False, validators=[validate_time_zone])
