"""Fixed-window rate limits in the shared cache, for anonymous forms (e.g. problem reports).

The visitor is known by address: behind `TRUSTED_PROXY_COUNT` proxies, the address those
proxies appended to X-Forwarded-For (the same rule as allauth's rate limits).
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str, default: tuple[int, int] = (5, 60)) -> tuple[int, int]:
    """'5/m' -> (5, 60); a malformed rate gives `default`."""
    try:
        count, period = str(rate).split("/")
        return max(int(count), 1), _PERIODS[period.strip()[0].lower()]
    except (ValueError, KeyError, IndexError):
        return default


def client_ip(request) -> str:
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(scope: str, ident: str, rate: str) -> bool:
    """Count one more use of `scope` by `ident`; False once past `rate` in this window."""
    limit, seconds = parse_rate(rate)
    window = int(timezone.now().timestamp() // seconds)
    key = f"ratelimit:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    return count <= limit
