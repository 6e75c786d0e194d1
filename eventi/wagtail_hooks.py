from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from eventi import admin_views, import_admin
from eventi.models import CalendarSource, EventType, Venue
from eventi.source_admin import (
    CalendarSourcePermissionPolicy,
    calendar_source_viewset,
    sync_now,
)
from partecipazione import permissions

# Before anything asks Wagtail for the model's policy (it would create a fallback one).
register_permission_policy(
    CalendarSource, CalendarSourcePermissionPolicy(CalendarSource), exact_class=True
)


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Luoghi")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "address", "city"]
    search_fields = ["name", "address"]


class EventTypeViewSet(SnippetViewSet):
    model = EventType
    icon = "tag"
    menu_label = _("Tipi di evento")
    list_display = ["name", "name_en", "slug", "sort_order"]


register_snippet(VenueViewSet)
register_snippet(EventTypeViewSet)


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_create_events(request.user)


class ProposalsToEventsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can(request.user, permissions.Action.CREATE_EVENT)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.accepted_proposals, name="accepted_proposals"),
        path(
            "proposte/<int:pk>/crea-evento/",
            admin_views.create_event_from_proposal,
            name="create_event",
        ),
        path("importa/", import_admin.import_ics, name="import_ics"),
        path("sincronizza-calendario/<int:pk>/", sync_now, name="sync_calendar_source"),
    ]
    return [path("eventi/", include((urls, "eventi_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu():
    return ProposalsToEventsMenuItem(
        _("Proposte → eventi"),
        reverse("eventi_admin:accepted_proposals"),
        name="eventi-proposals",
        icon_name="date",
        order=320,
    )


@hooks.register("register_admin_menu_item")
def register_import_menu():
    return EditorMenuItem(
        _("Importa calendario"),
        reverse("eventi_admin:import_ics"),
        name="eventi-import",
        icon_name="upload",
        order=330,
    )


@hooks.register("register_admin_viewset")
def register_calendar_sources():
    return calendar_source_viewset
