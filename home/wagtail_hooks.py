"""Admin views of what visitors send: page ratings and school booking requests."""

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from home.models import PageFeedback, SchoolBookingRequest
from portal.core.csv import SafeSpreadsheetExportMixin


class PageFeedbackFilterSet(WagtailFilterSet):
    class Meta:
        model = PageFeedback
        fields = ["rating"]


class SafeExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """A snippet listing whose CSV export cannot carry spreadsheet formulas."""


class PageFeedbackIndexView(SafeExportIndexView):
    """The list of ratings, headed by each page's average (one aggregate query)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_averages"] = list(
            PageFeedback.objects.values("page_id", "page__title")
            .annotate(average=Avg("rating"), votes=Count("pk"))
            .order_by("-votes")[:20]
        )
        return context


class PageFeedbackViewSet(SnippetViewSet):
    model = PageFeedback
    icon = "pick"
    menu_label = _("Valutazioni delle pagine")
    index_view_class = PageFeedbackIndexView
    list_display = [
        "page",
        Column("rating", label=_("Valutazione"), sort_key="rating"),
        "comment",
        "created_at",
    ]
    filterset_class = PageFeedbackFilterSet
    list_export = ["page", "rating", "comment", "created_at"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    index_results_template_name = "home/admin/page_feedback_results.html"


class SchoolBookingRequestViewSet(SnippetViewSet):
    model = SchoolBookingRequest
    icon = "group"
    index_view_class = SafeExportIndexView
    menu_label = _("Prenotazioni delle scuole")
    list_display = ["school", "class_name", "programme", "pupils", "status", "created_at"]
    list_filter = ["status", "programme"]
    list_export = [
        "programme",
        "school",
        "teacher",
        "email",
        "phone",
        "class_name",
        "pupils",
        "preferred_period",
        "notes",
        "status",
        "created_at",
    ]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True


class VisitorsGroup(SnippetViewSetGroup):
    items = (PageFeedbackViewSet, SchoolBookingRequestViewSet)
    menu_icon = "mail"
    menu_label = _("Dai visitatori")
    menu_name = "visitors"


register_snippet(VisitorsGroup)
