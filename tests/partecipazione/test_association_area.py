"""Associations run their presence: admins edit the profile (logo with alt text), members
see the association's area."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from partecipazione.models import Association
from tests.factories import TopicFactory, UserFactory
from tests.partecipazione.factories import MembershipFactory, ProposalFactory
from tests.queries import assert_fixed, request_queries


def png(name="logo.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (20, 60, 160)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def edit_url(association):
    return reverse("partecipazione:association_edit", kwargs={"slug": association.slug})


def area_url(association):
    return reverse("partecipazione:association_area", kwargs={"slug": association.slug})


def form_fields(association, **changes):
    data = {
        "name": association.name,
        "description": association.description,
        "website": association.website,
        "email": association.email,
        "phone": association.phone,
        "logo_alt": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_admin_edits_description_and_logo_and_sees_them_on_the_public_page(
    client, association, association_admin
):
    peace = TopicFactory(name="Mediazione nelle scuole cremonesi")
    client.force_login(association_admin)
    profile = client.get(association.get_absolute_url()).text
    assert edit_url(association) in profile  # the button on the public page
    page = client.get(edit_url(association))
    assert page.status_code == 200
    text = page.text
    assert 'enctype="multipart/form-data"' in text and 'name="logo_file"' in text
    # topics are visible checkboxes with their label
    assert f'type="checkbox" name="topics" value="{peace.pk}"' in text
    assert "Mediazione nelle scuole cremonesi</label>" in text

    response = client.post(
        edit_url(association),
        form_fields(
            association,
            description="Corsi di mediazione dei conflitti nelle scuole.",
            logo_alt="Colomba bianca su fondo blu",
            logo_file=png(),
            topics=[peace.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == association.get_absolute_url()
    public = client.get(response["Location"])
    text = html.unescape(public.text)
    assert "Profilo dell'associazione aggiornato." in text
    assert "Corsi di mediazione dei conflitti nelle scuole." in text
    assert 'alt="Colomba bianca su fondo blu"' in text
    assert "Mediazione nelle scuole cremonesi" in text
    association.refresh_from_db()
    assert association.logo.description == "Colomba bianca su fondo blu"
    # anonymous visitors see the same logo
    client.logout()
    assert 'alt="Colomba bianca su fondo blu"' in html.unescape(
        client.get(association.get_absolute_url()).text
    )


@pytest.mark.django_db
def test_logo_needs_alt_text_and_an_image_and_keeps_what_was_typed(
    client, association, association_admin
):
    client.force_login(association_admin)
    no_alt = client.post(
        edit_url(association),
        form_fields(association, description="Nuova descrizione", logo_file=png()),
    )
    assert no_alt.status_code == 400
    text = html.unescape(no_alt.text)
    assert "il testo alternativo è obbligatorio" in text
    assert "Nuova descrizione" in text
    not_image = client.post(
        edit_url(association),
        form_fields(
            association,
            logo_alt="Logo",
            logo_file=SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
        ),
    )
    assert not_image.status_code == 400
    assert not_image.context["form"].errors["logo_file"]
    association.refresh_from_db()
    assert association.logo_id is None and association.description != "Nuova descrizione"


@pytest.mark.django_db
def test_alt_text_changes_and_logo_removal(client, association, association_admin):
    client.force_login(association_admin)
    client.post(
        edit_url(association), form_fields(association, logo_alt="Vecchio", logo_file=png())
    )
    association.refresh_from_db()
    assert client.get(edit_url(association)).context["form"]["logo_alt"].value() == "Vecchio"
    client.post(edit_url(association), form_fields(association, logo_alt="Una colomba"))
    association.refresh_from_db()
    assert association.logo.description == "Una colomba"
    client.post(edit_url(association), form_fields(association, remove_logo="on"))
    association.refresh_from_db()
    assert association.logo_id is None


@pytest.mark.django_db
def test_members_who_are_not_admins_cannot_edit(client, association, member):
    client.force_login(member)
    assert edit_url(association) not in client.get(association.get_absolute_url()).text
    response = client.get(edit_url(association))
    assert response.status_code == 403
    assert "Solo gli amministratori dell'associazione ne modificano il profilo." in html.unescape(
        response.text
    )
    client.post(edit_url(association), form_fields(association, description="Presa"))
    assert Association.objects.get(pk=association.pk).description != "Presa"
    client.logout()
    anonymous = client.get(edit_url(association))
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]


@pytest.mark.django_db
def test_english_visitors_read_the_refusal_in_english(client, association, member):
    client.force_login(member)
    response = client.get("/en" + edit_url(association))
    assert response.status_code == 403
    assert "Only the association's administrators edit its profile." in html.unescape(response.text)


@pytest.mark.django_db
def test_area_lists_proposals_and_requests_for_members_only(client, association, member):
    admin = MembershipFactory(association=association, role="admin").user
    ProposalFactory(association=association, title="Bozza del socio", state="draft")
    ProposalFactory(
        association=association,
        title="Respinta",
        state="rejected",
        state_note="Fuori dalle competenze del Comune.",
    )
    ProposalFactory(title="D'altri")
    applicant = UserFactory(verified=True, first_name="Giulia", last_name="Neri")
    MembershipFactory(association=association, user=applicant, status="requested")
    MembershipFactory(association=association, status="invited")

    client.force_login(member)
    public = client.get(association.get_absolute_url()).text
    assert area_url(association) in public  # "Area associazione" on the public page
    profile = client.get(reverse("accounts:profile")).text
    assert area_url(association) in profile  # "La mia associazione" in the profile
    text = html.unescape(client.get(area_url(association)).text)
    assert "Bozza del socio" in text and "Respinta" in text and "D'altri" not in text
    assert "Fuori dalle competenze del Comune." in text
    assert reverse("eventi:association_event_propose", args=[association.slug]) in text
    assert "chiede di entrare" not in text  # requests are for the admins

    client.force_login(admin)
    text = html.unescape(client.get(area_url(association)).text)
    assert f"{applicant.public_name} chiede di entrare" in text
    assert "1 invito in attesa di risposta." in text
    assert edit_url(association) in text

    client.force_login(UserFactory(verified=True))
    assert client.get(area_url(association)).status_code == 403
    client.logout()
    assert client.get(area_url(association)).status_code == 302


@pytest.mark.django_db
def test_fixed_query_counts_of_area_edit_and_profile(client, settings, association):
    settings.PAGE_CACHE_SECONDS = 0
    admin = MembershipFactory(association=association, role="admin").user
    client.force_login(admin)
    client.post(edit_url(association), form_fields(association, logo_alt="Logo", logo_file=png()))

    def grow(n):
        for _ in range(n):
            ProposalFactory(association=association)
            MembershipFactory(association=association, status="requested")
            association.topics.add(TopicFactory())

    def measure(url):
        return request_queries(client, url)

    urls = [area_url(association), edit_url(association), association.get_absolute_url()]
    first = [measure(url) for url in urls]
    grow(3)
    second = [measure(url) for url in urls]
    grow(5)
    third = [measure(url) for url in urls]
    for _first, b, c in zip(first, second, third, strict=True):
        assert_fixed(b, c, at_most=25)
    client.logout()
    public = association.get_absolute_url()
    assert_fixed(measure(public), measure(public), at_most=20)


@pytest.mark.django_db
def test_a_suspended_member_still_reads_the_area_but_cannot_propose_events(client, association):
    from partecipazione import permissions, services

    user = MembershipFactory(association=association).user
    services.suspend(user, None, "spam")
    permissions.forget(user)
    client.force_login(user)
    assert client.get(area_url(association)).status_code == 200
    propose = reverse("eventi:association_event_propose", args=[association.slug])
    assert client.get(propose).status_code == 403
