from django.urls import path

from .tokens import LogoutAllView, LogoutView, TokenListView, TokenRevokeView
from .views import MeView

app_name = "accounts-api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/tokens/", TokenListView.as_view(), name="token-list"),
    path("auth/tokens/<str:token_id>/", TokenRevokeView.as_view(), name="token-detail"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="logout-all"),
]
