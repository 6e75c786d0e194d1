"""Demo associations, proposals and comments (built by the participation app as it grows)."""

from portal.core.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet: the participation app adds its data here."""
