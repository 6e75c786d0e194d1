"""Open data of participation: the public proposals as JSON and CSV (CC BY 4.0).

The same filters as the listing (``ProposalFilterForm``, ``queries.filter_proposals``); one row
per proposal with its public state history. Personal data never leaves: a proposal made by a
citizen says so (``proposta_da = "cittadino"``) without a name, one made for an association
names the association. Three queries whatever the number of proposals (count, rows, history).
"""

import io
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from partecipazione.forms import ProposalFilterForm
from partecipazione.models import Proposal, ProposalEvent
from partecipazione.queries import filter_proposals
from portal.core.csv import SafeDictWriter
from portal.core.pagination import paginate

LICENCE = "CC BY 4.0 – Comune di Cremona"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PER_PAGE = 500
FIELDS = [
    "id",
    "titolo",
    "sommario",
    "url",
    "argomento",
    "stato",
    "proposta_da",
    "associazione",
    "sostegni",
    "commenti",
    "creata",
    "inviata",
    "aggiornata",
    "storia",
]


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _queryset():
    history = ProposalEvent.objects.filter(kind=ProposalEvent.Kind.STATE).only(
        "proposal_id", "from_state", "to_state", "note", "created_at"
    )
    return (
        Proposal.objects.public()
        .select_related("topic", "association")
        .only(
            "pk",
            "title",
            "slug",
            "summary",
            "state",
            "support_count",
            "comment_count",
            "created_at",
            "submitted_at",
            "updated_at",
            "topic__slug",
            "association__name",
            "association__slug",
        )
        .prefetch_related(Prefetch("events", queryset=history, to_attr="state_history"))
    )


def _iso(value):
    return value.isoformat() if value else None


def _row(proposal, base: str) -> dict:
    return {
        "id": proposal.pk,
        "titolo": proposal.title,
        "sommario": proposal.summary,
        "url": base + proposal.get_absolute_url(),
        "argomento": proposal.topic.slug if proposal.topic_id else "",
        "stato": proposal.state,
        "proposta_da": "associazione" if proposal.association_id else "cittadino",
        "associazione": proposal.association.name if proposal.association_id else "",
        "sostegni": proposal.support_count,
        "commenti": proposal.comment_count,
        "creata": _iso(proposal.created_at),
        "inviata": _iso(proposal.submitted_at),
        "aggiornata": _iso(proposal.updated_at),
        "storia": [
            {"data": _iso(e.created_at), "da": e.from_state, "a": e.to_state, "nota": e.note}
            for e in proposal.state_history
        ],
    }


def _rows(request):
    """(rows, page, form) or (None, None, form) when a filter is invalid."""
    form = ProposalFilterForm(request.GET or None)
    data = {}
    if request.GET:
        if not form.is_valid():
            return None, None, form
        data = form.cleaned_data
    page = paginate(request, filter_proposals(_queryset(), data), PER_PAGE)
    base = _site_url()
    return [_row(p, base) for p in page.object_list], page, form


def _errors(form) -> JsonResponse:
    return JsonResponse({"errori": form.errors.get_json_data()}, status=400)


def proposals_json(request):
    rows, page, form = _rows(request)
    if rows is None:
        return _errors(form)
    query = {k: v for k, v in request.GET.items() if k != "pagina"}
    base = _site_url() + reverse("partecipazione:open_data_json") + "?"

    def link(number):
        return base + urlencode({**query, "pagina": number})

    payload = {
        "licenza": LICENCE,
        "licenza_url": LICENCE_URL,
        "totale": page.paginator.count,
        "pagina": page.number,
        "successiva": link(page.next_page_number()) if page.has_next() else None,
        "precedente": link(page.previous_page_number()) if page.has_previous() else None,
        "proposte": rows,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def proposals_csv(request):
    rows, _page, form = _rows(request)
    if rows is None:
        return _errors(form)
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        row = dict(row)
        row["storia"] = ";".join(
            f"{step['data']} {step['da'] or '-'}>{step['a']}" for step in row["storia"]
        )
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="proposte.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
