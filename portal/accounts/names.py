"""Public names: the ones reserved to the city's staff, and the staff badge shown beside names.

A citizen may not call themselves "Redazione …", "Moderazione", "Comune di Cremona", "Admin",
"Staff"... (compared without case, accents, punctuation or extra spaces). Content written by
real staff carries a visible badge instead ("Redazione" or "Moderazione", text not colour).
"""

import re
import unicodedata

from django.db.models import Case, CharField, Exists, OuterRef, Value, When

from portal.accounts import roles
from portal.accounts.models import User

# Whole words (or runs of words) that only staff names may contain.
RESERVED_NAME_WORDS = (
    "redazione",
    "redattore",
    "redattrice",
    "moderazione",
    "moderatore",
    "moderatrice",
    "moderatori",
    "comune di cremona",
    "admin",
    "administrator",
    "amministratore",
    "amministratrice",
    "amministrazione",
    "staff",
)

BADGE_EDITORIAL = "redazione"
BADGE_MODERATION = "moderazione"


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.findall(r"[a-z0-9]+", plain)


def is_reserved_name(name: str) -> bool:
    """True if `name` contains a reserved word or phrase (case/accent/space-insensitive)."""
    words = _words(name)
    joined = " " + " ".join(words) + " "
    squashed = "".join(words)
    for reserved in RESERVED_NAME_WORDS:
        if f" {reserved} " in joined:
            return True
        if squashed == reserved.replace(" ", ""):  # "A d m i n", "Comune-di-Cremona"
            return True
    return False


def staff_badge_annotation(user_field: str = "author"):
    """An annotation giving "moderazione", "redazione" or "" for the user in `user_field`.

    Superusers and Wagtail editors/approvers get "redazione", participation moderators
    "moderazione". Computed in the same query as the rows it annotates.
    """

    memberships = User.groups.through.objects.filter(user_id=OuterRef(f"{user_field}_id"))
    return Case(
        When(**{f"{user_field}__is_superuser": True}, then=Value(BADGE_EDITORIAL)),
        When(
            Exists(memberships.filter(group__name=roles.PARTICIPATION_MODERATORS)),
            then=Value(BADGE_MODERATION),
        ),
        When(
            Exists(memberships.filter(group__name__in=(roles.EDITORS, roles.APPROVERS))),
            then=Value(BADGE_EDITORIAL),
        ),
        default=Value(""),
        output_field=CharField(),
    )
