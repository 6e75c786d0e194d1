"""The participation moderation area in the Wagtail admin (visible to moderators only)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from partecipazione import admin_suspensions, admin_views, permissions, services
from partecipazione.admin_viewsets import (
    ModerationPermissionPolicy,
    association_viewset,
    comment_viewset,
    proposal_viewset,
)
from partecipazione.models import Association, Comment, ModerationLog, Proposal, Suspension

# Before anything asks Wagtail for these models' policy (it would create a fallback one).
register_permission_policy(Proposal, ModerationPermissionPolicy(Proposal), exact_class=True)
register_permission_policy(Comment, ModerationPermissionPolicy(Comment), exact_class=True)
register_permission_policy(Association, ModerationPermissionPolicy(Association), exact_class=True)
register_permission_policy(
    Suspension, admin_suspensions.SuspensionPermissionPolicy(Suspension), exact_class=True
)
register_permission_policy(
    ModerationLog, ModerationPermissionPolicy(ModerationLog), exact_class=True
)


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can(request.user, "moderate")


admin_urls = (
    [
        # The queue moved to the proposals viewset; old links still land there.
        path("", RedirectView.as_view(pattern_name="moderation_proposals:index"), name="queue"),
        path("segnalazioni/", admin_views.reports, name="reports"),
        # Suspensions and the log moved to viewsets; the old URLs answer with their views.
        path("sospensioni/", admin_suspensions.legacy_suspensions, name="suspensions"),
        path(
            "sospensioni/<int:user_id>/revoca/",
            admin_suspensions.legacy_lift_suspension,
            name="lift_suspension",
        ),
        path(
            "associazioni/",
            RedirectView.as_view(pattern_name="moderation_associations:index"),
            name="associations",
        ),
        path("registro/", admin_suspensions.legacy_log, name="log"),
    ],
    "partecipazione_admin",
)


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return [
        proposal_viewset,
        comment_viewset,
        association_viewset,
        admin_suspensions.suspension_viewset,
        admin_suspensions.log_viewset,
    ]


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    """Each moderation action in Wagtail's history (written by services.log)."""
    for action, label in ModerationLog.Action.choices:
        actions.register_action(f"{services.LOG_ACTION_PREFIX}{action}", label, label)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("partecipazione/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        ("queue", "moderation_proposals:index", _("Proposte da esaminare"), "tasks"),
        ("comments", "moderation_comments:index", _("Commenti da moderare"), "comment"),
        ("reports", "partecipazione_admin:reports", _("Segnalazioni"), "warning"),
        (
            "associations",
            "moderation_associations:index",
            _("Associazioni da verificare"),
            "group",
        ),
        ("suspensions", "moderation_suspensions:index", _("Utenti sospesi"), "lock"),
        ("log", "moderation_log:index", _("Registro della moderazione"), "list-ul"),
    ]
    menu = Menu(
        items=[
            ModeratorMenuItem(
                label,
                reverse(url_name),
                name=f"partecipazione-{name}",
                icon_name=icon,
                order=100 + i,
            )
            for i, (name, url_name, label, icon) in enumerate(items)
        ]
    )
    return SubmenuMenuItem(_("Partecipazione"), menu, icon_name="group", order=250)
