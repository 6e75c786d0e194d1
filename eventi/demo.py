"""Demo events (built by the events app as it grows)."""

from portal.core.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet: the events app adds its venues, index page and events here."""
