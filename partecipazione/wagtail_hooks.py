"""The participation moderation area in the Wagtail admin (visible to moderators only)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from partecipazione import admin_views, permissions


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can(request.user, "moderate")


admin_urls = (
    [
        path("", admin_views.proposal_queue, name="queue"),
        path("proposte/<int:pk>/", admin_views.proposal_moderate, name="proposal_moderate"),
        path("segnalazioni/", admin_views.reports, name="reports"),
        path(
            "segnalazioni/<str:kind>/<int:pk>/<str:action>/",
            admin_views.moderate_content,
            name="moderate_content",
        ),
        path("sospensioni/", admin_views.suspensions, name="suspensions"),
        path(
            "sospensioni/<int:user_id>/revoca/",
            admin_views.lift_suspension,
            name="lift_suspension",
        ),
        path("associazioni/", admin_views.associations, name="associations"),
        path(
            "associazioni/<int:pk>/verifica/",
            admin_views.verify_association,
            name="verify_association",
        ),
        path("registro/", admin_views.log, name="log"),
    ],
    "partecipazione_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("partecipazione/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        ("queue", _("Proposte da esaminare"), "tasks"),
        ("reports", _("Segnalazioni"), "warning"),
        ("associations", _("Associazioni da verificare"), "group"),
        ("suspensions", _("Utenti sospesi"), "lock"),
        ("log", _("Registro della moderazione"), "list-ul"),
    ]
    menu = Menu(
        items=[
            ModeratorMenuItem(
                label,
                reverse(f"partecipazione_admin:{name}"),
                name=f"partecipazione-{name}",
                icon_name=icon,
                order=100 + i,
            )
            for i, (name, label, icon) in enumerate(items)
        ]
    )
    return SubmenuMenuItem(_("Partecipazione"), menu, icon_name="group", order=250)
