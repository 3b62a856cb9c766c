from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.services import update_preferences

from .serializers import MeSerializer, PreferencesInputSerializer


class MeView(APIView):
    """The signed-in user. Any authenticated user may read and change their own preferences."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=PreferencesInputSerializer, responses=MeSerializer, operation_id="me_partial_update"
    )
    def patch(self, request):
        serializer = PreferencesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = update_preferences(actor=request.user, user=request.user, data=serializer.validated_data)
        return Response(MeSerializer(user).data)
