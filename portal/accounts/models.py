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
