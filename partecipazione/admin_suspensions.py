"""Suspensions and the moderation log as Wagtail viewsets.

Suspensions: a listing with filters (active by default, over, all), Wagtail's create view to
suspend a user found by e-mail (a reason, an optional end date) and a "lift" workflow action.
The log: a read-only listing of ``ModerationLog`` with filters (action, date) and search. Every
change goes through ``services`` (the moderation log and Wagtail's ``log_action`` history on the
user), every ``next`` through ``get_valid_next_url_from_request`` (``ModerationActionView``).
The old URLs (``partecipazione_admin:suspensions``, ``lift_suspension``, ``log``) answer with
the same views.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView

from partecipazione import services
from partecipazione.admin_viewsets import (
    ModerationActionView,
    ModerationIndexView,
    ModerationPermissionPolicy,
    ModerationViewSet,
    RestoreForm,
)
from partecipazione.models import ModerationLog, Suspension


class SuspensionPermissionPolicy(ModerationPermissionPolicy):
    """Moderators also add suspensions (never edit or delete one: they lift it)."""

    ALLOWED = frozenset({"view", "moderate", "add"})


# --- the suspension form --------------------------------------------------------------------


class SuspensionForm(WagtailAdminModelForm):
    """Suspend a user, found by e-mail, with a reason and an optional end."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail dell'utente"),
        error_messages={"required": gettext_lazy("Indica l'e-mail dell'utente da sospendere.")},
    )

    class Meta:
        model = Suspension
        fields = ["email", "reason", "ends_at"]
        error_messages = {"reason": {"required": gettext_lazy("Indica il motivo.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].max_length = 2000
        self.fields["reason"].widget.attrs.update(rows=3, maxlength=2000)
        self.target = None

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        target = get_user_model().objects.filter(email__iexact=email).first()
        if target is None:
            raise ValidationError(_("Nessun utente con questo indirizzo e-mail."))
        if target == self.for_user or target.is_superuser:
            raise ValidationError(_("Non puoi sospendere questo utente."))
        self.target = target
        return email

    def clean_ends_at(self):
        ends_at = self.cleaned_data.get("ends_at")
        if ends_at is not None and ends_at <= timezone.now():
            raise ValidationError(_("La fine della sospensione deve essere nel futuro."))
        return ends_at


# --- views ----------------------------------------------------------------------------------


class SuspensionStateFilter(django_filters.ChoiceFilter):
    ACTIVE, OVER = "attive", "concluse"

    def filter(self, qs, value):
        if value == self.ACTIVE:
            return qs.active()
        if value == self.OVER:
            return qs.exclude(pk__in=Suspension.objects.active().values("pk"))
        return qs


class SuspensionFilterSet(WagtailFilterSet):
    stato = SuspensionStateFilter(
        label=gettext_lazy("Stato"),
        choices=[
            (SuspensionStateFilter.ACTIVE, gettext_lazy("Attive")),
            (SuspensionStateFilter.OVER, gettext_lazy("Concluse o revocate")),
        ],
        empty_label=gettext_lazy("Tutte"),
    )

    class Meta:
        model = Suspension
        fields = ["stato", "created_at"]


class SuspensionStateColumn(Column):
    def get_value(self, instance):
        if instance.lifted_at:
            return _("revocata il %(date)s") % {
                "date": timezone.localtime(instance.lifted_at).strftime("%d/%m/%Y")
            }
        if instance.ends_at and instance.ends_at <= timezone.now():
            return _("conclusa")
        return _("attiva")


class SuspensionIndexView(ModerationIndexView):
    """The suspensions, the active ones unless the moderator filters otherwise."""

    default_ordering = "-created_at"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "created_by")

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "stato" not in kwargs["data"]:
            data = kwargs["data"].copy()
            data["stato"] = SuspensionStateFilter.ACTIVE
            kwargs["data"] = data
        return kwargs

    def get_page_title(self):
        return _("Utenti sospesi")

    def row_actions(self, instance):
        if instance.lifted_at is None and (
            instance.ends_at is None or instance.ends_at > timezone.now()
        ):
            return [(_("Revoca"), "lift", "lock-open")]
        return []


class SuspendView(CreateView):
    """Suspend a user: through services.suspend (moderation log and Wagtail's history)."""

    def get_page_title(self):
        return _("Sospendi un utente")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        data = self.form.cleaned_data
        return services.suspend(
            self.form.target, self.request.user, data["reason"], data.get("ends_at")
        )

    def get_success_message(self, instance):
        return _("%(name)s è sospeso.") % {"name": instance.user.public_name}


class LiftSuspensionView(ModerationActionView):
    """Lift a suspension before its end; the reason is optional and logged."""

    model = Suspension
    form_class = RestoreForm
    header_icon = "lock-open"
    submit_label = gettext_lazy("Revoca la sospensione")

    def get_queryset(self):
        return Suspension.objects.active().select_related("user")

    def get_page_title(self):
        return _("Revoca la sospensione")

    def get_page_subtitle(self):
        return self.object.user.public_name

    def get_preview(self):
        return self.object.reason

    def perform(self, data):
        services.unsuspend(self.object.user, self.request.user, data.get("reason", ""))
        messages.success(self.request, _("Sospensione revocata."))


class ModerationLogIndexView(ModerationIndexView):
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor")

    def get_page_title(self):
        return _("Registro della moderazione")


class ActorColumn(Column):
    def get_value(self, instance):
        return instance.actor.public_name if instance.actor else _("sistema")


# --- viewsets -------------------------------------------------------------------------------


class SuspensionViewSet(ModerationViewSet):
    model = Suspension
    icon = "lock"
    index_view_class = SuspensionIndexView
    add_view_class = SuspendView
    filterset_class = SuspensionFilterSet
    list_display = [
        "user",
        "reason",
        "created_at",
        "ends_at",
        SuspensionStateColumn("lifted_at", label=gettext_lazy("Stato")),
        "created_by",
    ]
    search_fields = None
    moderation_actions = {"lift": ("revoca", LiftSuspensionView)}

    def get_form_class(self, for_update=False):
        return SuspensionForm


class ModerationLogViewSet(ModerationViewSet):
    model = ModerationLog
    icon = "list-ul"
    index_view_class = ModerationLogIndexView
    list_display = [
        "created_at",
        ActorColumn("actor", label=gettext_lazy("Chi")),
        Column("get_action_display", label=gettext_lazy("Cosa")),
        "object_repr",
        "reason",
    ]
    list_filter = ["action", "created_at"]
    search_fields = ["object_repr", "reason"]
    search_backend_name = None  # Django's icontains: the log is not in the search index
    list_per_page = 50


suspension_viewset = SuspensionViewSet(
    "moderation_suspensions", url_prefix="partecipazione/utenti-sospesi"
)
log_viewset = ModerationLogViewSet("moderation_log", url_prefix="partecipazione/registro-azioni")


# --- the old URLs ---------------------------------------------------------------------------


def legacy_suspensions(request):
    """`partecipazione/sospensioni/`: the listing, and the suspend form posted to it."""
    if request.method == "POST":
        return suspension_viewset.add_view(request)
    return suspension_viewset.index_view(request)


def legacy_lift_suspension(request, user_id):
    """`partecipazione/sospensioni/<user>/revoca/`: the lift action of that user's suspension."""
    suspension = get_object_or_404(Suspension.objects.active(), user_id=user_id)
    view = suspension_viewset.construct_view(LiftSuspensionView, model=Suspension)
    return view(request, pk=suspension.pk)


def legacy_log(request):
    return log_viewset.index_view(request)
