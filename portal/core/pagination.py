"""One way to paginate a public listing: `?pagina=N` (Italian, as the open data already uses).

Links are built by `templates/includes/pagination.html`. Older links used `?page=N` (proposals,
associations, notifications): they are still read, so bookmarks keep their page.
"""

from django.core.paginator import Paginator

PAGE_PARAM = "pagina"
OLD_PAGE_PARAMS = ("page",)


def page_number(request) -> str:
    """The page asked for, as typed (the paginator copes with junk): `pagina`, else `page`."""
    for name in (PAGE_PARAM, *OLD_PAGE_PARAMS):
        if value := request.GET.get(name, "").strip():
            return value
    return "1"


def paginate(request, object_list, per_page, paginator_class=Paginator, **paginator_kwargs):
    """The requested page of `object_list`; page 1 for junk, the last page when past the end."""
    paginator = paginator_class(object_list, per_page, **paginator_kwargs)
    number = page_number(request)
    try:
        # A negative number is junk too: the first page, not the last.
        if int(number) < 1:
            number = 1
    except ValueError:
        number = 1
    return paginator.get_page(number)
