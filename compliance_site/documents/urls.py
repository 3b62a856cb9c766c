from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("request/", views.document_request, name="document-request"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/status/", views.document_status, name="document-status"),
    path("<int:pk>/download/", views.document_download, name="document-download"),
    path("<int:pk>/regenerate/", views.document_regenerate, name="document-regenerate"),
    path("branding/", views.branding, name="branding"),
    path("dashboards/", views.dashboards, name="dashboards"),
]
