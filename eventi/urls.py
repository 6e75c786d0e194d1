"""URLs that are files (feeds, open data) or not under a page: Wagtail page URLs end with '/'."""

from django.urls import path

from eventi import submissions, views

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
    path(
        "partecipazione/associazioni/<slug:slug>/proponi-evento/",
        submissions.propose_event,
        name="association_event_propose",
    ),
]
