"""The API token endpoints (README, "API tokens"): ask for a token with a user name and password, list your
tokens, revoke one, revoke the one in use (logout) or all of them (logout-all)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.mfa import check_token_request
from compliance_site.accounts.tokens import (
    issue_token,
    live_tokens_of,
    public_id,
    revoke_all_tokens,
    revoke_token,
)
from compliance_site.api.inputs import validated
from compliance_site.api.parsers import BoundedJSONParser
from compliance_site.api.schema import ErrorSerializer
from compliance_site.api.throttling import SignInAddressThrottle, SignInUsernameThrottle, retry_message

from .serializers import IssuedTokenSerializer, TokenRequestSerializer, TokenSerializer

NO_CONTENT = {204: OpenApiResponse(description="Done.")}


def _current_digest(request) -> str | None:
    return getattr(request.auth, "digest", None)


class ObtainTokenView(APIView):
    """A new API token for a user name and password (and, for a role that needs a second factor, the current
    code in the X-MFA-Code header), valid until `expiry`. Sign-in attempts are limited per
    address and per user name (429), and repeated failures lock the user name out at that address."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInAddressThrottle, SignInUsernameThrottle]
    # Bounded JSON (depth, size, NUL), like every other endpoint.
    parser_classes = [FormParser, MultiPartParser, BoundedJSONParser]

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=retry_message(wait))

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: IssuedTokenSerializer,
            403: OpenApiResponse(
                ErrorSerializer,
                description="Locked out, too many live tokens, or the second factor (X-MFA-Code) missing.",
            ),
            429: OpenApiResponse(ErrorSerializer, description="Too many sign-in attempts; see Retry-After."),
        },
        operation_id="auth_token_create",
        auth=[],
    )
    def post(self, request):
        data = validated(TokenRequestSerializer, request.data, context={"request": request})
        check_token_request(data["user"], request)
        try:
            instance, token = issue_token(user=data["user"])
        except PermissionDenied as refusal:
            # The service's message says what to do; the generic handler would replace it with DRF's own.
            raise exceptions.PermissionDenied(str(refusal), code="too_many_tokens") from refusal
        return Response(
            IssuedTokenSerializer({"id": public_id(instance), "token": token, "expiry": instance.expiry}).data
        )


class TokenListView(APIView):
    """Your API tokens that have not expired, newest first. The tokens themselves are never shown again."""

    @extend_schema(responses=TokenSerializer(many=True), operation_id="auth_tokens_list")
    def get(self, request):
        current = _current_digest(request)
        rows = [
            {"id": public_id(t), "created": t.created, "expiry": t.expiry, "current": t.digest == current}
            for t in live_tokens_of(request.user)
        ]
        return Response(TokenSerializer(rows, many=True).data)


class TokenRevokeView(APIView):
    """Revoke one of your API tokens by its `id`: it stops working at once."""

    @extend_schema(request=None, responses=NO_CONTENT, operation_id="auth_tokens_destroy")
    def delete(self, request, token_id: str):
        revoke_token(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    """Revoke the API token this request is made with."""

    @extend_schema(request=None, responses=NO_CONTENT, operation_id="auth_logout")
    def post(self, request):
        if _current_digest(request) is None:
            raise exceptions.ValidationError(
                "This request was not made with an API token. To end a browser session, sign out of the "
                "site; to revoke your tokens, use logout-all."
            )
        revoke_token(user=request.user, token_id=public_id(request.auth))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every API token you hold, including the one this request is made with."""

    @extend_schema(request=None, responses=NO_CONTENT, operation_id="auth_logout_all")
    def post(self, request):
        revoke_all_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
