from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("beheer/taken/", views.tasks, name="tasks"),
    path("beheer/taken/emails/retry/", views.retry_all_emails, name="retry_all_emails"),
    path("beheer/taken/emails/<int:pk>/retry/", views.retry_email, name="retry_email"),
    path("beheer/taken/reports/<int:pk>/retry/", views.retry_report, name="retry_report"),
]
