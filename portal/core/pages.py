"""Query pieces about Wagtail pages shared by every app."""

from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import PageViewRestriction


def in_private_section():
    """True (a correlated EXISTS) for a page that is, or lies under, a view-restricted page.

    Wagtail's ``PageQuerySet.public()`` reads every restriction first (an extra query); this
    runs inside the page query itself: a restricted page's tree path is a prefix of the path.
    """
    return Exists(
        PageViewRestriction.objects.annotate(
            outer_path=ExpressionWrapper(OuterRef("path"), output_field=CharField())
        ).filter(outer_path__startswith=F("page__path"))
    )


def public(queryset):
    """`queryset` without the pages in private sections: Wagtail's `.public()`, but inside
    the same SQL query (no query for the restrictions first)."""
    return queryset.exclude(in_private_section())


# --- slugs that routable pages keep for their own URLs ------------------------------------


def route_slugs(page_class) -> frozenset[str]:
    """The first URL segments of a routable page's routes (`mese`, `archivio`, `luoghi`...).

    A child page with such a slug would never be reached: the route answers first.
    """
    if not issubclass(page_class, RoutablePageMixin):
        return frozenset()
    slugs = set()
    for pattern in page_class.get_subpage_urls():
        first = str(pattern.pattern).lstrip("^").split("/", 1)[0]
        if first and first.replace("-", "").replace("_", "").isalnum():
            slugs.add(first)
    return frozenset(slugs)


def reserved_slug_error(slug: str, parent_class) -> ValidationError | None:
    if slug not in route_slugs(parent_class):
        return None
    return ValidationError(
        _(
            "L'indirizzo «%(slug)s» è riservato a una pagina di «%(parent)s»: "
            "scegline un altro (per esempio «%(slug)s-1»)."
        ),
        code="reserved_slug",
        params={"slug": slug, "parent": parent_class._meta.verbose_name},
    )


class RouteSafeSlugMixin:
    """For pages that live under a routable page: a slug taken by a route is refused.

    Checked on every save (the admin, the importer, the proposal -> event service), where the
    page is already in the tree; `RouteSafeSlugPageForm` checks it in the admin before a new
    page has a place.
    """

    def clean(self):
        super().clean()
        parent = self.get_parent()
        if parent is not None:
            error = reserved_slug_error(self.slug, parent.specific_class or type(parent))
            if error is not None:
                raise ValidationError({"slug": error})


class RouteSafeSlugPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        parent = getattr(self, "parent_page", None)
        if slug and parent is not None:
            error = reserved_slug_error(slug, parent.specific_class or type(parent))
            if error is not None:
                self.add_error("slug", error)
        return cleaned_data
