from django.urls import path

from portal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("segui/<int:ct_id>/<int:object_id>/", views.follow_toggle, name="follow_toggle"),
    path("profilo/", views.profile_view, name="profile"),
    path(
        "profilo/calendario/rigenera/",
        views.regenerate_calendar_token,
        name="regenerate_calendar_token",
    ),
    path("privacy/", views.privacy_view, name="privacy"),
    path("privacy/accetta/", views.accept_privacy_notice, name="accept_privacy_notice"),
    path("privacy/i-miei-dati.json", views.export_json, name="export_json"),
    path("privacy/i-miei-dati/", views.export_html, name="export_html"),
    path("privacy/cancella-account/", views.delete_account_view, name="delete_account"),
]
