from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.services import update_preferences
from compliance_site.api.inputs import validated

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
        data = validated(PreferencesInputSerializer, request.data)
        user = update_preferences(actor=request.user, user=request.user, data=data)
        return Response(MeSerializer(user).data)
