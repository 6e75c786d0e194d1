"""Moderators see every synchronised calendar in the Wagtail admin and set its publish mode."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from eventi.models import CalendarSource
from eventi.source_forms import CalendarSourceAdminForm
from eventi.tasks import sync_calendar_source
from partecipazione import permissions
from partecipazione.admin_viewsets import ModerationPermissionPolicy


class CalendarSourcePermissionPolicy(ModerationPermissionPolicy):
    """Only moderators (can MODERATE) list, add, change and remove calendar sources."""

    ALLOWED = frozenset({"view", "add", "change", "delete"})


class CalendarSourceViewSet(ModelViewSet):
    model = CalendarSource
    icon = "calendar-alt"
    menu_label = _("Calendari collegati")
    menu_order = 340
    add_to_admin_menu = True
    url_prefix = "eventi/calendari-collegati"
    name = "calendar_sources"
    edit_handler = ObjectList(CalendarSource.panels, base_form_class=CalendarSourceAdminForm)
    list_display = [
        "__str__",
        Column("enabled", label=_("attivo")),
        Column("publish_mode", label=_("eventi importati"), accessor="get_publish_mode_display"),
        Column("last_status", label=_("esito"), accessor="get_last_status_display"),
        Column("last_success_at", label=_("ultimo aggiornamento")),
        Column("event_count", label=_("eventi")),
        Column("error_count", label=_("errori")),
    ]
    list_filter = ["enabled", "publish_mode", "last_status"]
    search_fields = ["name", "url"]
    inspect_view_enabled = True
    inspect_template_name = "eventi/admin/calendar_source_inspect.html"
    inspect_view_fields = [
        "association",
        "name",
        "url",
        "enabled",
        "publish_mode",
        "last_fetch_at",
        "last_success_at",
        "last_status",
        "last_message",
        "event_count",
        "created_count",
        "updated_count",
        "withdrawn_count",
        "error_count",
    ]

    def get_queryset(self, request):
        return CalendarSource.objects.select_related("association")


calendar_source_viewset = CalendarSourceViewSet()


@require_POST
def sync_now(request, pk):
    """The inspect view's "Sincronizza ora": the same task as the association's button."""
    if not permissions.can(request.user, permissions.Action.MODERATE):
        raise PermissionDenied
    source = get_object_or_404(CalendarSource, pk=pk, enabled=True)
    sync_calendar_source.enqueue(source.pk)
    messages.success(
        request, gettext("Aggiornamento avviato per «%(source)s».") % {"source": source}
    )
    return redirect("calendar_sources:inspect", source.pk)
