"""The stock peers `make bench` measures the app against, served by the same gunicorn, behind the same
middleware, over the same tables (bench/peer_urls.py mounts them under /bench-peer/; never in the app's
URLconf). Each is what a developer gets from the frameworks' documentation in a few lines:

- a bare DRF APIView with token authentication: the floor of any authenticated API request;
- a DRF ReadOnlyModelViewSet per table (ModelSerializer with fields="__all__", PageNumberPagination of
  50 a page, the knox token authentication the app uses);
- a Django ListView over incidents (paginate_by=50, a minimal template), signed in by session.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views.generic import ListView
from knox.auth import TokenAuthentication
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from clawback.models import Award, Executive
from compliance_site.audit.models import AuditEvent
from compliance_site.documents.models import GeneratedDocument
from regfd.models import Incident


def bare_json(request):
    """No authentication, no query: what the middleware stack alone costs."""
    return JsonResponse({"ok": True})


class BareTokenView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class StockPagination(PageNumberPagination):
    page_size = 50


def stock_viewset(model, **fields):
    """ReadOnlyModelViewSet over `model`: every field, 50 a page, token authentication. `fields` overrides a
    serializer field where the stock one cannot answer at all."""
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta, **fields})
    return type(
        f"{model.__name__}StockViewSet",
        (viewsets.ReadOnlyModelViewSet,),
        {
            "queryset": model._default_manager.all(),
            "serializer_class": serializer,
            "pagination_class": StockPagination,
            "authentication_classes": [TokenAuthentication],
            "permission_classes": [IsAuthenticated],
        },
    )


IncidentViewSet = stock_viewset(Incident)
AwardViewSet = stock_viewset(Award)
ExecutiveViewSet = stock_viewset(Executive)
AuditEventViewSet = stock_viewset(AuditEvent)
# Documents are stored outside any public URL (MEDIA_URL is None), so the stock FileField, which answers
# with the file's URL, would raise: the peer gives the stored name instead.
DocumentViewSet = stock_viewset(GeneratedDocument, file=serializers.FileField(use_url=False, read_only=True))


class IncidentListView(LoginRequiredMixin, ListView):
    model = Incident
    paginate_by = 50
    template_name = "bench/incident_list.html"
