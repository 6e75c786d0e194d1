"""GDPR registry: every app that stores personal data registers how to export and erase it.

Apps register in their ``AppConfig.ready()``::

    from portal.accounts import privacy
    privacy.register(
        "proposals",                 # section name in the export
        export=lambda user: [...],  # JSON-serialisable data about `user`
        erase=lambda user: None,    # anonymise/delete before the account goes
        models=[Proposal],          # models that reference the user (checked by tests)
    )

The export view and the account deletion (built on this registry) live in portal.accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class PersonalDataSection:
    name: str
    export: Callable
    erase: Callable | None = None
    models: list = field(default_factory=list)


_REGISTRY: dict[str, PersonalDataSection] = {}


def register(name: str, export: Callable, erase: Callable | None = None, models=()) -> None:
    _REGISTRY[name] = PersonalDataSection(name, export, erase, list(models))


def sections() -> list[PersonalDataSection]:
    return list(_REGISTRY.values())


# --- Building on the registry: the export and the erasure -------------------------------


def export_user_data(user) -> dict:
    """Everything the portal holds about `user`, section by section (JSON-serialisable)."""

    data = {}
    for section in sections():
        data[section.name] = section.export(user)
    return {"generated_at": timezone.now().isoformat(), "sections": data}


def erase_user_data(user) -> None:
    """Run every registered eraser (anonymise contributions, release memberships...)."""
    for section in sections():
        if section.erase is not None:
            section.erase(user)


def covered_models() -> set:
    """Models that some registered section declares it exports and erases."""
    return {model for section in sections() for model in section.models}
