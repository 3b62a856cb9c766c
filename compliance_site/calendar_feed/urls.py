from django.urls import path

from . import views

app_name = "calendar_feed"

urlpatterns = [
    path("<slug:token>.ics", views.feed, name="feed"),
    path("link/", views.link_create, name="link-create"),
    path("link/revoke/", views.link_revoke, name="link-revoke"),
]
