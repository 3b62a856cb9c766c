from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<int:pk>/download/", views.download, name="download"),
    path("record/<str:record_type>/<str:record_id>/", views.record_attachments, name="record"),
    path("record/<str:record_type>/<str:record_id>/upload/", views.upload, name="upload"),
]
