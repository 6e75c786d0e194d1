from django.urls import path

from partecipazione import association_views, open_data, views

app_name = "partecipazione"
urlpatterns = [
    path("partecipazione/proposte/", views.proposal_list, name="proposal_list"),
    path("partecipazione/proposte/nuova/", views.proposal_create, name="proposal_create"),
    path("partecipazione/proposte/dati.json", open_data.proposals_json, name="open_data_json"),
    path("partecipazione/proposte/dati.csv", open_data.proposals_csv, name="open_data_csv"),
    path("partecipazione/proposte/<slug:slug>/", views.proposal_detail, name="proposal_detail"),
    path(
        "partecipazione/proposte/<slug:slug>/modifica/", views.proposal_edit, name="proposal_edit"
    ),
    path(
        "partecipazione/proposte/<slug:slug>/invia/", views.proposal_submit, name="proposal_submit"
    ),
    path(
        "partecipazione/proposte/<slug:slug>/ritira/",
        views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "partecipazione/proposte/<slug:slug>/sostieni/",
        views.proposal_support,
        name="proposal_support",
    ),
    path(
        "partecipazione/proposte/<slug:slug>/segui/", views.proposal_follow, name="proposal_follow"
    ),
    path(
        "partecipazione/proposte/<slug:slug>/versioni/<int:number>/",
        views.proposal_version,
        name="proposal_version",
    ),
    path(
        "partecipazione/proposte/<slug:slug>/allegati/<int:pk>/",
        views.proposal_attachment,
        name="proposal_attachment",
    ),
    path(
        "partecipazione/commenti/<int:ct_id>/<int:object_id>/",
        views.comment_post,
        name="comment_post",
    ),
    path("partecipazione/commenti/<int:pk>/modifica/", views.comment_edit, name="comment_edit"),
    path("partecipazione/commenti/<int:pk>/elimina/", views.comment_delete, name="comment_delete"),
    path("partecipazione/segnala/<int:ct_id>/<int:object_id>/", views.report, name="report"),
    path("partecipazione/notifiche/", views.notification_list, name="notifications"),
    path(
        "partecipazione/notifiche/<int:pk>/letta/",
        views.notification_read,
        name="notification_read",
    ),
    path("partecipazione/le-mie-proposte/", views.my_proposals, name="my_proposals"),
    path(
        "partecipazione/associazioni/", association_views.association_list, name="association_list"
    ),
    path(
        "partecipazione/associazioni/nuova/",
        association_views.association_create,
        name="association_create",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/",
        association_views.association_detail,
        name="association_detail",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/soci/",
        association_views.association_members,
        name="association_members",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/modifica/",
        association_views.association_edit,
        name="association_edit",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/area/",
        association_views.association_area,
        name="association_area",
    ),
    path(
        "partecipazione/associazioni/<slug:slug>/iscrizione/",
        association_views.association_join,
        name="association_join",
    ),
]
