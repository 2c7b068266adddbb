"""URLs as they may be shown: an endpoint's credentials never leave the process (pure)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def without_credentials(url: str) -> str:
    """`url` with any `user:password@` removed: what every output shows of an endpoint."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port), the default port filled in: what "the same server" means."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def redact(text: str, url: str) -> str:
    """`text` with the credentials of `url` replaced, wherever the library quoted them."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return text.replace(userinfo + "@", "") if userinfo else text
