"""Defects the quality checks found in files owned by other issues, not fixed yet.

Each entry marks the matching tests as expected failures (``xfail``, strict): the suite stays
green while the defect is open, the report lists it with its fix, and once fixed the unexpected
pass (XPASS) FAILS the suite until the entry is deleted, so the check then guards the fix. Keep
it empty unless a defect is really open elsewhere; never list a test to hide a missing feature.
Keys are test ids relative to ``tests/e2e/`` (a ``*`` at the end matches any parameter).
"""

KNOWN_ISSUES: dict[str, str] = {}


def reason_for(nodeid: str) -> str | None:
    short = nodeid.split("tests/e2e/", 1)[-1]
    for pattern, reason in KNOWN_ISSUES.items():
        if pattern.endswith("*") and short.startswith(pattern[:-1]) or short == pattern:
            return reason
    return None
