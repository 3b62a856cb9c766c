"""A stand-in API step for the fresh-check tests: declared the way an API viewset declares its steps that bind
the company (`fresh_second_factor_actions`), behind the real permission class."""

from django.urls import include, path
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from compliance_site.accounts.permissions import HasCapability


class VoteViewSet(viewsets.ViewSet):
    permission_classes = [HasCapability]
    capability = "clawback.vote"
    fresh_second_factor_actions = {"create": lambda request: request.data.get("status") == "final"}

    def list(self, request):
        return Response([])

    def create(self, request):
        return Response({"recorded": True}, status=201)


router = SimpleRouter()
router.register("votes", VoteViewSet, basename="votes")
urlpatterns = [path("api/", include(router.urls)), path("", include("compliance_site.urls"))]
