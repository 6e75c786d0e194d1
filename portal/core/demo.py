"""Shared plumbing for the demo data that each app contributes.

`home`'s `load_demo_data` command builds a DemoContext and hands it, in layer order,
to each app's `demo.load(ctx)`. Every loader is idempotent: it looks things up by a
natural key (e-mail, slug, title) before creating them, so running the command twice
changes nothing.
"""

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "pace-Cremona-2026"  # noqa: S105 - printed on purpose for the demo site


@dataclass
class DemoContext:
    stdout: Any
    options: dict = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    # key: {"password": ..., "totp_secret": ...} of the demo accounts (printed by the command)
    credentials: dict[str, dict] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def log(self, message: str) -> None:
        self.stdout.write(message)
