"""Query pieces about Wagtail pages shared by every app."""

from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef
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
