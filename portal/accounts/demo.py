"""Demo users, one for each role, with verified e-mail addresses."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.accounts import roles
from portal.accounts.models import User
from portal.core.demo import DEMO_PASSWORD, DemoContext

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
    for key, (email, first, last, display, group_names, superuser) in DEMO_USERS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                first_name=first,
                last_name=last,
                display_name=display,
                is_superuser=superuser,
                is_staff=superuser or bool(group_names),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            ctx.count("users")
        for name in group_names:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        ctx.users[key] = user
