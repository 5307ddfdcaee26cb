from django.urls import path

from . import views

app_name = "orientation"

urlpatterns = [
    path("talentenmuur/", views.start, name="start"),
    path("talentenmuur/resultaat/", views.result, name="result"),
    path("talentenmuur/delen/", views.share, name="share"),
    path("talentenmuur/wissen/", views.clear, name="clear"),
]
