from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from compliance_site.accounts.forms import USERNAME_MAX_LENGTH
from compliance_site.accounts.models import User, validate_time_zone


class TokenRequestSerializer(AuthTokenSerializer):
    """POST /api/auth/token/: DRF's, with the user name bounded by its column, so an over-long name is a 400
    before it reaches authenticate() and django-axes (docs/architecture.md)."""

    username = serializers.CharField(label="Username", max_length=USERNAME_MAX_LENGTH, write_only=True)
    password = serializers.CharField(
        label="Password",
        max_length=4096,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


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
