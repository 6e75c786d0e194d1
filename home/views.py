"""Site search and the 'was this page useful?' rating."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from eventi import ical
from home.chrome import localized_root, public
from home.forms import PageFeedbackForm
from home.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    SchoolProgrammeIndexPage,
    SchoolProgrammePage,
    StandardPage,
    TopicIndexPage,
    TopicPage,
    TwinCityIndexPage,
    TwinCityPage,
)
from home.open_data import DATASETS, LICENCE, LICENCE_URL, catalogue
from home.search import (
    KINDS,
    MAX_RESULTS,
    OVERVIEW_MAX_RESULTS,
    PER_PAGE,
    PREVIEW_PER_KIND,
    SearchRequest,
    with_event_details,
)
from portal.core import cache as portal_cache
from portal.core.origin import same_origin_post
from portal.core.pagination import paginate
from portal.taxonomy.models import Topic

RATED_SESSION_KEY = "home_rated_pages"
MAX_RATINGS_PER_SESSION = 30
# The page types that show the rating form (base.html includes home/includes/page_rating.html
# for them): the home page and every first- and second-level content page, as the municipal
# model asks. Only they take a rating (another page could not show the form's errors again).
RATED_PAGE_TYPES = (
    HomePage,
    StandardPage,
    TopicIndexPage,
    TopicPage,
    NewsIndexPage,
    NewsPage,
    TwinCityIndexPage,
    TwinCityPage,
    SchoolProgrammeIndexPage,
    SchoolProgrammePage,
)


def active_topics() -> list:
    """The topic filter's choices, cached with the content (a topic change bumps it)."""
    return portal_cache.cached(
        ("active-topics",), lambda: list(Topic.objects.active()), scope=portal_cache.CONTENT
    )


def search(request):
    root = localized_root(request)
    search_request = SearchRequest.from_get(request)
    for error in search_request.errors:
        messages.warning(request, error)
    context = {
        "search_query": search_request.query,
        "kind": search_request.kind,
        "selected_topic": search_request.topic,
        "kinds": KINDS,
        "topics": active_topics(),
        "sections": [],
        "results_page": None,
    }
    if search_request.query:
        if search_request.kind:
            results = search_request.results_for(search_request.kind, root)
            context["more_than"] = MAX_RESULTS if len(results) > MAX_RESULTS else None
            context["results_page"] = paginate(request, results[:MAX_RESULTS], PER_PAGE)
            context["results"] = list(context["results_page"].object_list)
            if search_request.kind == "eventi":
                with_event_details(context["results"])
        else:
            for kind, label in KINDS.items():
                results = search_request.results_for(kind, root, OVERVIEW_MAX_RESULTS)
                if results:
                    more = len(results) > OVERVIEW_MAX_RESULTS
                    results = results[:OVERVIEW_MAX_RESULTS]
                    items = results[:PREVIEW_PER_KIND]
                    if kind == "eventi":
                        with_event_details(items)
                    context["sections"].append(
                        {
                            "kind": kind,
                            "label": label,
                            "items": items,
                            "count": len(results),
                            "more": more,
                        }
                    )
    return render(request, "home/search.html", context)


SITE_MAP_DEPTH = 4  # the home page (2), its sections (3) and their pages (4)


def site_map(request):
    """The HTML site map: the sections of the site and their pages, in one query."""
    root = localized_root(request)
    pages = []
    if root is not None:
        pages = list(
            public(
                Page.objects.descendant_of(root, inclusive=True)
                .live()
                .filter(depth__lte=root.depth + SITE_MAP_DEPTH - 2)
                .order_by("path")
            ).only("id", "title", "path", "depth", "url_path", "locale_id")
        )
    home = pages[0] if pages else None
    sections = []
    for page in pages[1:]:
        if page.depth == root.depth + 1:
            sections.append((page, []))
        elif sections:
            sections[-1][1].append(page)
    return render(request, "home/site_map.html", {"home": home, "sections": sections})


@same_origin_post
@require_POST
def rate_page(request, page_id):
    page = Page.objects.live().public().type(*RATED_PAGE_TYPES).filter(pk=page_id).first()
    if page is None:
        raise Http404
    back = (page.get_url(request) or "/") + "#valutazione"
    thanks = (page.get_url(request) or "/") + "?grazie=valutazione#conferma"
    rated = request.session.get(RATED_SESSION_KEY, [])
    if page.pk in rated:
        messages.info(request, _("Hai già valutato questa pagina: grazie!"))
        return HttpResponseRedirect(back)
    if len(rated) >= MAX_RATINGS_PER_SESSION:
        messages.warning(request, _("Hai inviato troppe valutazioni: riprova più tardi."))
        return HttpResponseRedirect(back)
    form = PageFeedbackForm(request.POST)
    if not form.is_valid():
        specific = page.specific
        context = specific.get_context(request)
        context["feedback_form"] = form
        response = render(request, specific.get_template(request), context, status=400)
        return response
    feedback = form.save(commit=False)
    feedback.page = page
    feedback.save()
    request.session[RATED_SESSION_KEY] = rated + [page.pk]
    return HttpResponseRedirect(thanks)


def open_data(request):
    """The "Dati aperti" page: every dataset, its fields, licence and update frequency."""

    base = ical.site_url()
    datasets = [(d, d.distributions(base)) for d in DATASETS]
    return render(
        request,
        "home/open_data.html",
        {
            "datasets": datasets,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "catalogue_url": reverse("home:open_data_catalogue"),
        },
    )


def open_data_catalogue(request):
    """The same description as DCAT-AP_IT JSON-LD, for dati.gov.it and other harvesters."""

    response = JsonResponse(
        catalogue(), content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
