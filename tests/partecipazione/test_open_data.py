"""Proposals as open data (JSON, CSV), the "Dati aperti" page and its DCAT-AP_IT catalogue."""

import csv
import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from partecipazione import open_data, services
from tests.factories import TopicFactory, UserFactory
from tests.partecipazione.factories import AssociationFactory, ProposalFactory
from tests.queries import assert_fixed, capture

pytestmark = pytest.mark.django_db

JSON_URL = reverse("partecipazione:open_data_json")
CSV_URL = reverse("partecipazione:open_data_csv")


def test_json_lists_public_proposals_with_history_and_no_personal_names(client):
    author = UserFactory(verified=True, first_name="Giuseppina", last_name="Verdi")
    topic = TopicFactory(slug="pace")
    mine = ProposalFactory(title="Panchina della pace", author=author, topic=topic)
    moderator = UserFactory(is_superuser=True)
    services.moderate_transition(mine, "accepted", moderator, "Bella idea.")
    association = AssociationFactory(name="ACLI Cremona", slug="acli")
    ProposalFactory(title="Festa dei popoli", association=association, support_count=4)
    ProposalFactory(title="Bozza privata", state="draft")
    ProposalFactory(title="Nascosta", is_hidden=True)
    ProposalFactory(title="Ritirata", state="withdrawn")
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["licenza"].startswith("CC BY 4.0")
    assert data["totale"] == 2
    rows = {row["titolo"]: row for row in data["proposte"]}
    assert set(rows) == {"Panchina della pace", "Festa dei popoli"}
    panchina = rows["Panchina della pace"]
    assert panchina["stato"] == "accepted" and panchina["argomento"] == "pace"
    assert panchina["proposta_da"] == "cittadino" and panchina["associazione"] == ""
    assert panchina["storia"][-1]["a"] == "accepted"
    assert panchina["storia"][-1]["nota"] == "Bella idea."
    assert panchina["url"].endswith(mine.get_absolute_url())
    assert rows["Festa dei popoli"]["associazione"] == "ACLI Cremona"
    assert rows["Festa dei popoli"]["sostegni"] == 4
    text = response.content.decode()
    assert "Giuseppina" not in text and "Verdi" not in text and author.email not in text


def test_json_and_csv_take_the_listing_filters(client):
    a = ProposalFactory(title="Corridoi umanitari", topic=TopicFactory(slug="diritti-umani"))
    ProposalFactory(title="Festa", state="accepted")
    data = client.get(JSON_URL, {"topic": "diritti-umani"}).json()
    assert [row["titolo"] for row in data["proposte"]] == [a.title]
    data = client.get(JSON_URL, {"state": "accepted"}).json()
    assert [row["titolo"] for row in data["proposte"]] == ["Festa"]
    data = client.get(JSON_URL, {"q": "umanitari"}).json()
    assert data["totale"] == 1
    bad = client.get(JSON_URL, {"state": "draft"})
    assert bad.status_code == 400 and "state" in bad.json()["errori"]
    assert client.get(CSV_URL, {"state": "nessuno"}).status_code == 400
    listing = client.get(reverse("partecipazione:proposal_list"), {"state": "accepted"}).text
    assert "Festa" in listing and "Corridoi umanitari" not in listing


def test_csv_has_the_same_fields_and_cannot_start_a_formula(client):
    ProposalFactory(title='=HYPERLINK("http://x")', summary="@SUM(1)")
    response = client.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == open_data.FIELDS == list(client.get(JSON_URL).json()["proposte"][0])
    assert rows[0]["titolo"].startswith("'=")
    assert rows[0]["sommario"].startswith("'@")
    assert rows[0]["proposta_da"] == "cittadino"


@override_settings(PAGE_CACHE_SECONDS=0)
@pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
def test_open_data_query_count_is_fixed(client, url):
    moderator = UserFactory(is_superuser=True)

    def measure(n):
        for _ in range(n):
            proposal = ProposalFactory(association=AssociationFactory())
            services.moderate_transition(proposal, "under_review", moderator)
        client.get(url)
        with capture() as queries:
            assert client.get(url).status_code == 200
        return queries

    client.get(url)  # warm the per-process caches
    few = measure(5)
    many = measure(45)  # 50 proposals in all
    assert_fixed(few, many, at_most=6)


def test_the_open_data_page_documents_every_dataset_and_is_in_the_footer(client):
    page_url = reverse("home:open_data")
    listing = client.get(reverse("partecipazione:proposal_list")).content.decode()
    assert f'href="{page_url}"' in listing  # the footer of every page
    page = client.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    for url in (JSON_URL, CSV_URL, "/eventi/dati.json", "/eventi/dati.csv"):
        assert url in html
    assert "<code>proposta_da</code>" in html and "<code>latitudine</code>" in html
    assert "creativecommons.org/licenses/by/4.0" in html
    assert reverse("home:open_data_catalogue") in html


def test_the_dcat_ap_it_catalogue_lists_both_datasets_with_distributions(client):
    response = client.get(reverse("home:open_data_catalogue"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = response.json()
    assert "dcatapit:Catalog" in catalogue["@type"]
    assert catalogue["@context"]["dcatapit"] == "http://dati.gov.it/onto/dcatapit#"
    datasets = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert len(datasets) == 2
    for dataset in datasets.values():
        assert "dct:accrualPeriodicity" in dataset and "dct:publisher" in dataset
        urls = {d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]}
        assert len(urls) == 2
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dct:license"]["@id"].endswith("/by/4.0/")
    every_url = json.dumps(catalogue)
    assert JSON_URL in every_url and "/eventi/dati.csv" in every_url
