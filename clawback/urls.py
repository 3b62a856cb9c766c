from django.urls import path

from .views import records, whatif

app_name = "clawback"

urlpatterns = [
    path("restatements/", records.restatement_list, name="restatement-list"),
    path("restatements/<int:pk>/", records.restatement_detail_view, name="restatement-detail"),
    path("executives/", records.executive_list, name="executive-list"),
    path("awards/", records.award_list, name="award-list"),
    path("what-if/", whatif.whatif, name="whatif"),
]
