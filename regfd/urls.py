from django.urls import path

from . import views

app_name = "regfd"

urlpatterns = [
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/report/", views.incident_report, name="incident-report"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path(
        "incidents/<int:pk>/record-disclosure/",
        views.incident_record_disclosure,
        name="incident-record-disclosure",
    ),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident-close"),
]
