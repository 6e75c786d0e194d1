from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Argomenti")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "name_en", "slug", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


register_snippet(TopicViewSet)
