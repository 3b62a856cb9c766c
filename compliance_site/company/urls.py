from django.urls import path

from . import views

app_name = "company"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("edit/", views.company_edit, name="edit"),
    path("periods/add/", views.period_add, name="period-add"),
    path("policies/add/", views.policy_add, name="policy-add"),
    path("policies/<int:pk>/", views.policy_detail, name="policy-detail"),
    path("seats/", views.seat_list, name="seat-list"),
    path("seats/add/", views.seat_add, name="seat-add"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat-end"),
]
