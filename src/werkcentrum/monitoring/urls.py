from django.urls import path

from . import report_views, views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/targets/", views.targets, name="targets"),
    path("monitoring/drill/<slug:indicator>/", views.drill, name="drill"),
    path("monitoring/reports/", report_views.report_list, name="reports"),
    path("monitoring/reports/<int:pk>/", report_views.report_detail, name="report"),
    path("monitoring/reports/<int:pk>/status/", report_views.report_status, name="report_status"),
    path("monitoring/reports/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("monitoring/reports/<int:pk>/html/", report_views.report_html, name="report_html"),
]
