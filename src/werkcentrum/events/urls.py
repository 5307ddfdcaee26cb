from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    # public (Dutch paths, like /vacatures/)
    path("evenementen/", views.event_list, name="list"),
    path("evenementen/<int:pk>/", views.event_detail, name="detail"),
    path("evenementen/<int:pk>/agenda.ics", views.event_ics, name="ics"),
    path("evenementen/<int:pk>/afmelden/", views.cancel_mine, name="cancel_mine"),
    path("evenementen/afmelden/<str:token>/", views.cancel_by_link, name="cancel"),
    # organisers
    path("events/", views.staff_list, name="staff_list"),
    path("events/new/", views.event_new, name="new"),
    path("events/<int:pk>/", views.event_edit, name="edit"),
    path("events/<int:pk>/publish/", views.event_publish, name="publish"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path(
        "events/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
