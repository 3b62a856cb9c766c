from django.urls import path

from . import views

app_name = "company"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("edit/", views.company_edit, name="edit"),
    path("periods/add/", views.period_add, name="period-add"),
    path("policies/add/", views.policy_add, name="policy-add"),
    path("policies/<int:pk>/", views.policy_detail, name="policy-detail"),
]
