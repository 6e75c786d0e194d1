"""Associations: directory, public profile, creation, membership management."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partecipazione import notifications, permissions
from partecipazione.forms import AssociationForm, AssociationProfileForm, InviteForm
from partecipazione.models import Association, Membership, Notification
from partecipazione.notifications import _notify
from partecipazione.queries import association_event_rows, linked_event_pages, public_proposals
from partecipazione.views import _deny
from portal.accounts.models import User
from portal.core.pagination import paginate
from portal.taxonomy.models import Topic

# Events (eventi.EventPage.organisers) shown on an association's profile: upcoming first.
PROFILE_EVENTS = 5
# Proposals and events listed in the association's area (the newest first).
AREA_ITEMS = 50


def association_list(request):
    topics = list(Topic.objects.order_by("name"))
    qs = Association.objects.prefetch_related("topics").order_by("-is_verified", "name")
    # NUL characters are refused by PostgreSQL: drop them rather than fail.
    q = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    topic = request.GET.get("topic", "")[:100].replace("\x00", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if topic:
        qs = qs.filter(topics__slug=topic)
    page = paginate(request, qs, 12)
    return render(
        request,
        "partecipazione/association_list.html",
        {
            "page_obj": page,
            "topics": topics,
            "q": q,
            "topic": topic,
        },
    )


def association_detail(request, slug):
    association = get_object_or_404(
        Association.objects.select_related("logo")
        .prefetch_related("topics")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status="active"))),
        slug=slug,
    )
    proposals = list(public_proposals().filter(association=association)[:20])
    event_pages = list(
        linked_event_pages(association.events, limit=PROFILE_EVENTS, upcoming_first=True)
    )
    role = permissions.active_roles(request.user).get(association.pk)
    pending = None
    if request.user.is_authenticated and role is None:
        pending = (
            Membership.objects.filter(association=association, user=request.user)
            .values_list("status", flat=True)
            .first()
        )
    return render(
        request,
        "partecipazione/association.html",
        {
            "association": association,
            "proposals": proposals,
            "event_pages": event_pages,
            "role": role,
            "pending_status": pending,
        },
    )


def association_create(request):
    if not permissions.can(request.user, "create_association"):
        return _deny(
            request, _("Per creare un'associazione devi confermare il tuo indirizzo e-mail.")
        )
    form = AssociationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            association = form.save(commit=False)
            base = slugify(association.name)[:150] or "associazione"
            slug, n = base, 2
            while Association.objects.filter(slug=slug).exists() or slug == "nuova":
                slug, n = f"{base}-{n}", n + 1
            association.slug = slug
            association.created_by = request.user
            association.is_verified = False
            association.save()
            form.save_m2m()
            Membership.objects.create(
                association=association,
                user=request.user,
                role=Membership.Role.ADMIN,
                status=Membership.Status.ACTIVE,
            )
        messages.success(
            request,
            _("Associazione creata: resterà «non verificata» finché la redazione non la verifica."),
        )
        return redirect(association)
    return render(request, "partecipazione/association_form.html", {"form": form})


@require_POST
def association_join(request, slug):
    """The current user asks to join, accepts an invitation, or leaves."""
    association = get_object_or_404(Association, slug=slug)
    if not request.user.is_authenticated:
        return _deny(request)
    action = request.POST.get("action", "")
    membership = Membership.objects.filter(association=association, user=request.user).first()
    if action == "leave" and membership is not None:
        admins = association.memberships.filter(role="admin", status="active")
        if membership.role == "admin" and admins.count() <= 1:
            messages.error(request, _("Sei l'unico amministratore: nomina prima un altro socio."))
        else:
            membership.delete()
            messages.success(request, _("Non sei più socio di questa associazione."))
    elif action == "accept" and membership and membership.status == "invited":
        if permissions.may_post(request.user):
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
            messages.success(request, _("Benvenuto: ora sei socio dell'associazione."))
        else:
            messages.error(request, _("Conferma il tuo indirizzo e-mail per accettare l'invito."))
    elif action == "request" and membership is None:
        if not permissions.can(request.user, "join", association):
            return _deny(request, _("Per chiedere l'iscrizione conferma il tuo indirizzo e-mail."))
        Membership.objects.create(
            association=association, user=request.user, status=Membership.Status.REQUESTED
        )
        admins = User.objects.filter(
            memberships__association=association,
            memberships__role="admin",
            memberships__status="active",
        )
        _notify(
            list(admins),
            Notification.Kind.MEMBERSHIP,
            _("%(name)s chiede di entrare in «%(assoc)s».")
            % {"name": request.user.public_name, "assoc": association.name},
            association.get_absolute_url() + "soci/",
        )
        messages.success(request, _("Richiesta inviata agli amministratori dell'associazione."))
    else:
        messages.error(request, _("Azione non valida."))
    permissions.forget(request.user)
    return redirect(association)


def association_members(request, slug):
    association = get_object_or_404(Association, slug=slug)
    if not permissions.can(request.user, "manage_members", association):
        if not request.user.is_authenticated:
            return _deny(request)
        return _deny(request, _("Solo gli amministratori dell'associazione gestiscono i soci."))
    invite_form = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite":
            if invite_form.is_valid():
                email = invite_form.cleaned_data["email"]
                invited = User.objects.filter(email__iexact=email, is_active=True).first()
                # The same answer whether the address is registered, already a member or
                # unknown: the page never tells who has an account (nor shows their name).
                if invited is None:
                    notifications.association_invitation(association, email)
                elif not Membership.objects.filter(association=association, user=invited).exists():
                    Membership.objects.create(
                        association=association, user=invited, status=Membership.Status.INVITED
                    )
                    notifications.association_invitation(association, email, invited)
                messages.success(
                    request,
                    _(
                        "Se l'indirizzo %(email)s è corretto, riceverà un invito a entrare "
                        "nell'associazione."
                    )
                    % {"email": email},
                )
                return redirect("partecipazione:association_members", slug=slug)
        else:
            membership = Membership.objects.filter(
                association=association, pk=_int(request.POST.get("membership"))
            ).first()
            if membership is None:
                messages.error(request, _("Iscrizione non trovata."))
            elif action == "accept" and membership.status == Membership.Status.REQUESTED:
                membership.status = Membership.Status.ACTIVE
                membership.save(update_fields=["status"])
                messages.success(request, _("Richiesta accolta."))
            elif action in ("make_admin", "make_member") and membership.status == "active":
                if action == "make_member" and _last_admin(association, membership):
                    messages.error(request, _("Serve almeno un amministratore."))
                else:
                    membership.role = "admin" if action == "make_admin" else "member"
                    membership.save(update_fields=["role"])
                    messages.success(request, _("Ruolo aggiornato."))
            elif action == "remove":
                if _last_admin(association, membership):
                    messages.error(request, _("Serve almeno un amministratore."))
                else:
                    membership.delete()
                    messages.success(request, _("Iscrizione rimossa."))
            else:
                messages.error(request, _("Azione non valida."))
            return redirect("partecipazione:association_members", slug=slug)
    # Pending invitations are not listed: the row (and its name) would tell that the address
    # belongs to an account. The invited person accepts from the association's page.
    members = list(
        association.memberships.exclude(status=Membership.Status.INVITED)
        .select_related("user")
        .order_by("status", "user__email")
    )
    return render(
        request,
        "partecipazione/association_members.html",
        {"association": association, "members": members, "invite_form": invite_form},
        status=400 if invite_form.is_bound and invite_form.errors else 200,
    )


def association_edit(request, slug):
    """The association's admins edit its public profile: texts, contacts, topics, logo."""
    association = get_object_or_404(Association.objects.select_related("logo"), slug=slug)
    if not permissions.can(request.user, "edit_association", association):
        return _deny(
            request, _("Solo gli amministratori dell'associazione ne modificano il profilo.")
        )
    form = AssociationProfileForm(request.POST or None, request.FILES or None, instance=association)
    if request.method == "POST" and form.is_valid():
        form.save(user=request.user)
        messages.success(request, _("Profilo dell'associazione aggiornato."))
        return redirect(association)
    return render(
        request,
        "partecipazione/association_edit.html",
        {"association": association, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def association_area(request, slug):
    """ "Area associazione": what the association has under way, for its members only."""
    association = get_object_or_404(Association, slug=slug)
    if not permissions.can(request.user, "association_area", association):
        return _deny(request, _("L'area dell'associazione è riservata ai suoi soci."))
    is_admin = permissions.can(request.user, "manage_members", association)
    proposals = list(
        association.proposals.select_related("topic", "author").order_by("-created_at", "-pk")[
            :AREA_ITEMS
        ]
    )
    pending = []
    invitations = 0
    if is_admin:
        for membership in association.memberships.exclude(
            status=Membership.Status.ACTIVE
        ).select_related("user"):
            if membership.status == Membership.Status.REQUESTED:
                pending.append(membership)
            else:
                invitations += 1  # counted, never named (see association_members)
    return render(
        request,
        "partecipazione/association_area.html",
        {
            "association": association,
            "role": permissions.active_roles(request.user).get(association.pk),
            "is_admin": is_admin,
            "proposals": proposals,
            "event_rows": association_event_rows(association, limit=AREA_ITEMS),
            "requests": pending,
            "invitation_count": invitations,
        },
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _last_admin(association, membership):
    return (
        membership.role == "admin"
        and association.memberships.filter(role="admin", status="active").count() <= 1
    )
