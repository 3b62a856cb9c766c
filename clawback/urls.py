from django.urls import path

from . import views

app_name = "clawback"

urlpatterns = [
    path("restatements/", views.restatement_list, name="restatement-list"),
    path("restatements/<int:pk>/", views.restatement_detail_view, name="restatement-detail"),
    path("executives/", views.executive_list, name="executive-list"),
    path("awards/", views.award_list, name="award-list"),
    path("what-if/", views.whatif, name="whatif"),
]
