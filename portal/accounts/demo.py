"""Demo users, one for each role, with verified e-mail addresses."""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from portal.accounts import roles
from portal.accounts.mfa import requires_mfa
from portal.accounts.models import User
from portal.core.demo import DEMO_PASSWORD, DemoContext

# Demo-only TOTP secret (base32) given to every demo staff user, who must use two-factor
# authentication: add it to any authenticator app, or compute codes with
# ``allauth.mfa.totp.internal.auth.hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30)``.
DEMO_TOTP_SECRET = "CDPDEMOPACECREMONATOTPSECRETKEY2"  # noqa: S105 - printed on purpose

# key: (email, first name, last name, display name, groups, is_superuser)
DEMO_USERS = {
    "admin": (
        "admin@cittadellapace.example",
        "Anna",
        "Ferrari",
        "Redazione Città della Pace",
        [],
        True,
    ),
    "editor": (
        "redattore@cittadellapace.example",
        "Marco",
        "Bianchi",
        "Marco B.",
        [roles.EDITORS],
        False,
    ),
    "approver": (
        "approvatrice@cittadellapace.example",
        "Laura",
        "Rossi",
        "Laura R.",
        [roles.EDITORS, roles.APPROVERS],
        False,
    ),
    "moderator": (
        "moderatore@cittadellapace.example",
        "Paolo",
        "Conti",
        "Moderazione",
        [roles.PARTICIPATION_MODERATORS],
        False,
    ),
    "citizen": ("cittadina@cittadellapace.example", "Giulia", "Galli", "Giulia G.", [], False),
    "citizen2": ("cittadino@cittadellapace.example", "Ahmed", "Benali", "Ahmed B.", [], False),
    "member": ("socia@cittadellapace.example", "Francesca", "Moretti", "Francesca M.", [], False),
}


def load(ctx: DemoContext) -> None:
    """Demo users; with ``force_production`` each gets a random password and TOTP secret
    (existing demo users too: the published ones must not open a production site)."""
    randomise = bool(ctx.options.get("force_production"))
    for key, (email, first, last, display, group_names, superuser) in DEMO_USERS.items():
        user = User.objects.filter(email=email).first()
        password = secrets.token_urlsafe(16) if randomise else DEMO_PASSWORD
        if user is None:
            user = User(
                email=email,
                first_name=first,
                last_name=last,
                display_name=display,
                is_superuser=superuser,
                is_staff=superuser or bool(group_names),
            )
            user.set_password(password)
            user.save()
            ctx.count("users")
        elif randomise:
            user.set_password(password)
            user.save(update_fields=["password"])
        for name in group_names:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        ctx.users[key] = user
        credentials = {"password": password}
        if requires_mfa(user):
            totps = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
            if randomise:
                totps.delete()
                credentials["totp_secret"] = generate_totp_secret()
                TOTP.activate(user, credentials["totp_secret"])
                ctx.count("TOTP authenticators")
            elif not totps.exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
                ctx.count("TOTP authenticators")
        ctx.credentials[key] = credentials
    if not randomise:
        ctx.log(
            "Demo staff accounts (admin, editor, approver, moderator) use two-factor "
            f"authentication: TOTP secret {DEMO_TOTP_SECRET} (add it to an authenticator app)."
        )
