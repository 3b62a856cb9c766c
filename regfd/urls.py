from django.urls import path

from .views import incidents

app_name = "regfd"

urlpatterns = [
    path("incidents/", incidents.incident_list, name="incident-list"),
    path("incidents/report/", incidents.incident_report, name="incident-report"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path(
        "incidents/<int:pk>/record-disclosure/",
        incidents.incident_record_disclosure,
        name="incident-record-disclosure",
    ),
    path("incidents/<int:pk>/close/", incidents.incident_close, name="incident-close"),
]
