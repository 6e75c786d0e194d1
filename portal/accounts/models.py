"""The portal user: identified by e-mail, public display name kept apart from the real name."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("subito")
    DAILY = "daily", _("riepilogo giornaliero")
    NONE = "none", _("mai")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("indirizzo e-mail"), unique=True)
    display_name = models.CharField(
        _("nome pubblico"),
        max_length=80,
        blank=True,
        help_text=_("Il nome mostrato accanto ai tuoi contributi. Se vuoto si usa il nome."),
    )
    bio = models.TextField(_("breve presentazione"), max_length=600, blank=True)
    email_notifications = models.CharField(
        _("notifiche via e-mail"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["email"]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        """What other people see: never the e-mail address."""
        if self.display_name:
            return self.display_name
        if self.first_name:
            return f"{self.first_name} {self.last_name[:1]}.".strip(" .") + (
                "." if self.last_name else ""
            )
        return str(_("Utente"))


class Follow(models.Model):
    """A user follows something: a topic, an association, a venue, an event, a proposal.

    Generic, so that the lowest layer can hold follows of objects defined in higher apps.
    Use the functions in ``portal.accounts.follows`` rather than this model directly.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="follows", verbose_name=_("utente")
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("tipo")
    )
    object_id = models.PositiveBigIntegerField(_("oggetto"))
    created_at = models.DateTimeField(_("dal"), auto_now_add=True)

    class Meta:
        verbose_name = _("elemento seguito")
        verbose_name_plural = _("elementi seguiti")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="unique_follow_per_user"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"


class CalendarToken(models.Model):
    """The secret in a user's private calendar feed URL (never the user id)."""

    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("utente"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("creato il"), auto_now=True)

    class Meta:
        verbose_name = _("token del calendario personale")
        verbose_name_plural = _("token dei calendari personali")

    def __str__(self):
        return f"calendar token of user {self.user_id}"


class PrivacyConsent(models.Model):
    """The user accepted a version of the privacy notice (recorded at signup, GDPR art. 7)."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="privacy_consents",
        verbose_name=_("utente"),
    )
    notice_version = models.CharField(_("versione dell'informativa"), max_length=80)
    accepted_at = models.DateTimeField(_("accettata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("consenso all'informativa privacy")
        verbose_name_plural = _("consensi all'informativa privacy")
        ordering = ["-accepted_at"]

    def __str__(self):
        return f"{self.notice_version} @ {self.accepted_at:%Y-%m-%d}"


class LoginEvent(models.Model):
    """A successful login: when, and from which network (the IP address is truncated)."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="login_events",
        verbose_name=_("utente"),
    )
    timestamp = models.DateTimeField(_("data e ora"), auto_now_add=True, db_index=True)
    ip_network = models.CharField(_("rete di provenienza"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("accesso")
        verbose_name_plural = _("accessi")
        ordering = ["-timestamp"]

    def __str__(self):
        return f"login {self.timestamp:%Y-%m-%d %H:%M}"


class AccountDeletionLog(models.Model):
    """An account was deleted: no personal data, only when and a keyed hash of the old id."""

    deleted_at = models.DateTimeField(_("cancellato il"), auto_now_add=True)
    user_hash = models.CharField(_("impronta dell'identificativo"), max_length=64)

    class Meta:
        verbose_name = _("cancellazione di account")
        verbose_name_plural = _("cancellazioni di account")
        ordering = ["-deleted_at"]

    def __str__(self):
        return f"deletion {self.deleted_at:%Y-%m-%d %H:%M}"
