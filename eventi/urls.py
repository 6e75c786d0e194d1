"""URLs that are files (feeds, open data) or not under a page: Wagtail page URLs end with '/'."""

from django.urls import path

from eventi import source_views, submissions, views

app_name = "eventi"
urlpatterns = [
    path("eventi/calendario.ics", views.index_feed, name="feed"),
    path("eventi/dati.json", views.open_data_json, name="open_data_json"),
    path("eventi/dati.csv", views.open_data_csv, name="open_data_csv"),
    path(
        "eventi/calendario/personale/<str:token>.ics",
        views.personal_feed,
        name="personal_feed",
    ),
    path("eventi/<slug:slug>/evento.ics", views.event_feed, name="event_feed"),
    # an association's synchronised calendars (beside its other pages under partecipazione/)
    path(
        "partecipazione/associazioni/<slug:slug>/calendario-collegato/",
        source_views.association_calendar,
        name="association_calendar",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/calendario-collegato/<int:pk>/modifica/",
        source_views.edit_calendar_source,
        name="edit_calendar_source",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/proponi-evento/",
        submissions.propose_event,
        name="association_event_propose",
    ),
]
