"""The moderation queue as Wagtail viewsets: proposals and comments, with workflow action views.

Who may use them is one rule, ``permissions.can(user, Action.MODERATE)``, given to Wagtail by
:class:`ModerationPermissionPolicy`. Moderators view, moderate and read the history; nobody adds,
edits or deletes citizens' content from the admin. Every change goes through ``services`` (which
writes the moderation log and Wagtail's ``log_action`` history), and every ``next`` is read with
``get_valid_next_url_from_request`` (a ``next`` to another site is ignored).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from partecipazione import permissions, services
from partecipazione.forms import ModerationForm, RealisedForm, ReasonForm
from partecipazione.models import REALISABLE_STATES, Association, Comment, Proposal
from partecipazione.queries import realisable_events


class ModerationPermissionPolicy(BasePermissionPolicy):
    """Wagtail's questions answered by our permission module: moderators view and moderate."""

    ALLOWED = frozenset({"view", "moderate"})

    def user_has_permission(self, user, action):
        return action in self.ALLOWED and permissions.can(user, permissions.Action.MODERATE)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.ALLOWED.intersection(actions):
            return users.none()
        app_label, codename = permissions.MODERATE_PERMISSION.split(".")
        holds = Q(user_permissions__codename=codename) & Q(
            user_permissions__content_type__app_label=app_label
        )
        via_group = Q(groups__permissions__codename=codename) & Q(
            groups__permissions__content_type__app_label=app_label
        )
        return users.filter(Q(is_superuser=True) | holds | via_group).distinct()


# --- listings -------------------------------------------------------------------------------


class ModerationIndexView(IndexView):
    """A listing whose rows link to the workflow actions, never to a generic edit form."""

    actions_namespace = None
    history_url_name = None

    def row_actions(self, instance):
        """(label, action view name, icon) of the actions offered on `instance`."""
        return []

    def action_url(self, name, instance):
        url = reverse(f"{self.actions_namespace}:{name}", args=(instance.pk,))
        # Back to the listing with its filters (also when rows come from the results view).
        back = reverse(self.index_url_name)
        if self.request.GET:
            back = f"{back}?{self.request.GET.urlencode()}"
        return f"{url}?{urlencode({'next': back})}"

    def get_edit_url(self, instance):
        actions = self.row_actions(instance)
        if actions and self.user_has_permission("moderate"):
            return self.action_url(actions[0][1], instance)

    def get_list_more_buttons(self, instance):
        if not self.user_has_permission("moderate"):
            return []
        buttons = [
            MenuItem(label, url=self.action_url(name, instance), icon_name=icon, priority=10)
            for label, name, icon in self.row_actions(instance)
        ]
        if self.history_url_name:
            buttons.append(
                MenuItem(
                    _("Cronologia"),
                    url=reverse(self.history_url_name, args=(instance.pk,)),
                    icon_name="history",
                    priority=20,
                )
            )
        return buttons


class ProposalQueueView(ModerationIndexView):
    """Proposals waiting for the moderators, the oldest submission first."""

    default_ordering = "submitted_at"

    def get_base_queryset(self):
        return (
            super().get_base_queryset().moderation_queue().select_related("author", "association")
        )

    def get_page_title(self):
        return _("Proposte da esaminare")

    def row_actions(self, instance):
        actions = [(_("Modera"), "moderate", "tasks")]
        if instance.state in REALISABLE_STATES:
            actions.insert(0, (_("Segna come realizzata"), "realise", "date"))
        if instance.is_hidden:
            return actions + [(_("Ripristina"), "restore", "view")]
        return actions + [(_("Nascondi"), "hide", "no-view")]


class CommentQueueView(ModerationIndexView):
    """Comments reported, hidden or waiting for pre-moderation (removed ones are gone)."""

    default_ordering = "-report_count"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(Q(report_count__gt=0) | Q(is_hidden=True) | Q(is_pending=True))
            .filter(is_removed=False)
            .select_related("author")
        )

    def get_page_title(self):
        return _("Commenti da moderare")

    def row_actions(self, instance):
        if instance.is_pending:
            return [(_("Approva"), "restore", "check"), (_("Nascondi"), "hide", "no-view")]
        if instance.is_hidden:
            return [(_("Ripristina"), "restore", "view")]
        return [
            (_("Nascondi"), "hide", "no-view"),
            (_("Respingi le segnalazioni"), "restore", "check"),
        ]


class AssociationQueueView(ModerationIndexView):
    """Associations registered by citizens and not verified yet."""

    default_ordering = "name"

    def get_base_queryset(self):
        return super().get_base_queryset().filter(is_verified=False).select_related("created_by")

    def get_page_title(self):
        return _("Associazioni da verificare")

    def row_actions(self, instance):
        return [(_("Verifica"), "verify", "success")]


class ModerationHistoryView(HistoryView):
    """Moderators read the history (Wagtail's would ask for add, change or delete)."""

    any_permission_required = ["view", "moderate"]


class StateColumn(Column):
    def get_value(self, instance):
        if instance.is_pending:
            return _("in attesa di approvazione")
        if instance.is_hidden:
            return _("nascosto")
        return _("visibile")


# --- action views ---------------------------------------------------------------------------


class ModerationActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One workflow step on one object: GET shows the form, POST does it through services."""

    permission_required = "moderate"
    model = None
    index_url_name = None
    header_icon = "tasks"
    template_name = "partecipazione/admin/moderation_action.html"
    form_class = ReasonForm
    submit_label = gettext_lazy("Conferma")

    @cached_property
    def object(self):
        # Read after PermissionCheckedMixin.dispatch: others get a 403, never a 404 hint.
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_queryset(self):
        return self.model._default_manager.all()

    @cached_property
    def next_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            next_url=self.next_url,
            submit_label=self.submit_label,
            action_url=self.request.path,
            preview=self.get_preview(),
        )
        return context

    def get_preview(self):
        if isinstance(self.object, Comment):
            return self.object.body
        return self.object.summary

    def get_page_subtitle(self):
        return Truncator(str(self.object)).chars(80)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            messages.error(request, self.invalid_message(form))
            return self.render_to_response(self.get_context_data(form=form))
        error = self.perform(form.cleaned_data)
        if error:
            form.add_error(None, error)
            messages.error(request, error)
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(self.next_url)

    def invalid_message(self, form):
        return _("Correggi gli errori indicati.")

    def perform(self, data):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class ProposalModerateView(ModerationActionView):
    """Move a proposal on in its lifecycle (accept, reject with a public reason, ...)."""

    model = Proposal
    form_class = ModerationForm
    submit_label = gettext_lazy("Applica")

    def get_page_title(self):
        return _("Modera la proposta")

    def get_form(self):
        form = super().get_form()
        allowed = services.MODERATOR_TRANSITIONS.get(services.S(self.object.state), set())
        form.fields["state"].choices = [c for c in form.fields["state"].choices if c[0] in allowed]
        return form

    def invalid_message(self, form):
        return _("Scegli uno stato valido.")

    def perform(self, data):
        proposal = self.object
        try:
            services.moderate_transition(proposal, data["state"], self.request.user, data["note"])
        except services.TransitionError as exc:
            return str(exc)
        messages.success(
            self.request,
            _("«%(title)s» ora è: %(state)s. L'autore è stato avvisato.")
            % {"title": proposal.title, "state": proposal.get_state_display()},
        )


class RealiseView(ModerationActionView):
    """Mark an accepted proposal realised, with the event it became (linked both ways)."""

    model = Proposal
    form_class = RealisedForm
    header_icon = "date"
    submit_label = gettext_lazy("Segna come realizzata")

    def get_page_title(self):
        return _("Segna come realizzata")

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, events=realisable_events(self.object))

    def invalid_message(self, form):
        return _("Correggi gli errori indicati.")

    def perform(self, data):
        proposal = self.object
        if not permissions.can(self.request.user, permissions.Action.MARK_REALISED, proposal):
            return _("Solo una proposta accolta può essere segnata come realizzata.")
        try:
            services.mark_realised(proposal, self.request.user, data["note"], data["event"])
        except services.TransitionError as exc:
            return str(exc)
        messages.success(
            self.request,
            _("«%(title)s» è segnata come realizzata: autore e chi la segue sono avvisati.")
            % {"title": proposal.title},
        )


class HideView(ModerationActionView):
    """Hide a comment or a proposal: the reason is required and logged."""

    submit_label = gettext_lazy("Nascondi")

    def get_page_title(self):
        return _("Nascondi il contenuto")

    def invalid_message(self, form):
        return _("Indica il motivo per nascondere il contenuto.")

    def perform(self, data):
        services.hide(self.object, self.request.user, data["reason"])
        messages.success(self.request, _("Contenuto nascosto."))


class RestoreForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False


class RestoreView(ModerationActionView):
    """Show again (reports dismissed); for a comment waiting for approval this approves it."""

    form_class = RestoreForm
    submit_label = gettext_lazy("Ripristina")

    def get_page_title(self):
        return _("Ripristina il contenuto")

    def perform(self, data):
        services.restore(self.object, self.request.user, data.get("reason", ""))
        messages.success(self.request, _("Contenuto visibile di nuovo."))


class VerifyForm(forms.Form):
    register_number = forms.CharField(
        label=gettext_lazy("Numero di iscrizione all'albo comunale"),
        required=False,
        max_length=40,
    )


class VerifyAssociationView(ModerationActionView):
    """Mark an association as verified, with its number in the municipal register."""

    model = Association
    form_class = VerifyForm
    submit_label = gettext_lazy("Verifica")

    def get_page_title(self):
        return _("Verifica l'associazione")

    def get_preview(self):
        return self.object.description

    def get_form(self):
        if self.request.method == "POST":
            return self.form_class(self.request.POST)
        return self.form_class(initial={"register_number": self.object.register_number})

    def perform(self, data):
        association = self.object
        services.verify_association(association, self.request.user, data["register_number"].strip())
        messages.success(self.request, _("«%(name)s» è verificata.") % {"name": association.name})


# --- viewsets -------------------------------------------------------------------------------


class ModerationViewSet(ModelViewSet):
    """Listing, history and workflow actions; no add, edit, copy or delete views are reachable."""

    copy_view_enabled = False
    # Citizens' records are not content that pages point at: no reference index work on save.
    add_to_reference_index = False
    # The generic add/edit views exist in every ModelViewSet, but the policy refuses "add" and
    # "change" to everyone: citizens' text is never edited from the admin.
    form_fields: list[str] = []
    history_view_class = ModerationHistoryView
    add_to_admin_menu = False
    moderation_actions: dict = {}

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(actions_namespace=self.url_namespace, **kwargs)

    def get_urlpatterns(self):
        urls = super().get_urlpatterns()
        for name, (segment, view_class) in self.moderation_actions.items():
            view = self.construct_view(view_class, model=self.model)
            urls.append(path(f"<int:pk>/{segment}/", view, name=name))
        return urls


class ProposalModerationViewSet(ModerationViewSet):
    model = Proposal
    icon = "tasks"
    index_view_class = ProposalQueueView
    list_display = ["title", "state", "author", "association", "submitted_at"]
    list_filter = ["state", "topic"]
    search_fields = None
    moderation_actions = {
        "moderate": ("modera", ProposalModerateView),
        "realise": ("realizzata", RealiseView),
        "hide": ("nascondi", HideView),
        "restore": ("ripristina", RestoreView),
    }


class CommentModerationViewSet(ModerationViewSet):
    model = Comment
    icon = "comment"
    index_view_class = CommentQueueView
    list_display = [
        "excerpt",
        "author",
        StateColumn("is_hidden", label=gettext_lazy("Stato")),
        "report_count",
        "created_at",
    ]
    list_filter = ["is_hidden", "is_pending"]
    moderation_actions = {
        "hide": ("nascondi", HideView),
        "restore": ("ripristina", RestoreView),
    }


class AssociationModerationViewSet(ModerationViewSet):
    model = Association
    icon = "group"
    index_view_class = AssociationQueueView
    list_display = ["name", "register_number", "created_by", "created_at"]
    search_fields = None
    moderation_actions = {"verify": ("verifica", VerifyAssociationView)}


proposal_viewset = ProposalModerationViewSet(
    "moderation_proposals", url_prefix="partecipazione/proposte"
)
comment_viewset = CommentModerationViewSet(
    "moderation_comments", url_prefix="partecipazione/commenti"
)
association_viewset = AssociationModerationViewSet(
    "moderation_associations", url_prefix="partecipazione/associazioni-da-verificare"
)
