from django.urls import path

from . import views

app_name = "menu"

urlpatterns = [
    path("diensten/", views.service_list, name="list"),
    path("diensten/<int:pk>/", views.service_detail, name="detail"),
    path("menu/<int:pk>/edit/", views.service_edit, name="edit"),
    path("menu/<int:pk>/approve/", views.service_approve, name="approve"),
]
