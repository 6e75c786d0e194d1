"""Sections of the profile page contributed by other apps (e.g. "my proposals").

Apps register in ``AppConfig.ready()``::

    from portal.accounts import profile
    profile.register_section(
        "proposals",
        title=_("Le mie proposte"),
        template_name="partecipazione/includes/profile_proposals.html",
        get_context=lambda request: {"proposals": ...},  # a fixed number of queries
        order=20,
    )

The profile page renders each section's template with the returned context.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class ProfileSection:
    key: str
    title: str
    template_name: str
    get_context: Callable
    order: int = 50


_SECTIONS: dict[str, ProfileSection] = {}


def register_section(
    key: str, *, title, template_name: str, get_context: Callable, order: int = 50
) -> None:
    _SECTIONS[key] = ProfileSection(key, title, template_name, get_context, order)


def sections() -> list[ProfileSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def has_section(key: str) -> bool:
    return key in _SECTIONS
