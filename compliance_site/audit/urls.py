from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export.<str:fmt>", views.event_export, name="event-export"),
    path("record/<str:object_type>/<str:object_id>/", views.record_detail, name="record-history"),
]
