"""A model as a user names it: a Hub id, or the address of its Hub page (pure).

People copy the address bar: `https://huggingface.co/meta-llama/Llama-3.1-8B/tree/v1.0` names
the model `meta-llama/Llama-3.1-8B` at revision `v1.0`. Addresses on huggingface.co, hf.co and
the configured endpoint (`HF_ENDPOINT`) are read so; any other address is refused, never sent
to the Hub as a model id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from licensecmp import urls
from licensecmp.errors import UsageError

HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
#: Pages whose address carries a revision: /tree/<rev>, /blob/<rev>/<file>, /resolve/…
_WITH_REVISION = frozenset({"tree", "blob", "resolve", "raw", "commit", "commits"})
#: First path segments of Hub pages that are not models.
_NOT_MODELS = {
    "datasets": "a dataset",
    "spaces": "a Space",
    "collections": "a collection",
    "papers": "a paper",
    "docs": "documentation",
    "organizations": "an organisation page",
    "models": "the model listing",
    "settings": "a settings page",
    "api": "an API address",
    "blog": "a blog post",
}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?/)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A model id, and the revision its address named (None: the one `--revision` says)."""

    id: str
    revision: str | None = None


def parse(text: str, endpoint: str = "https://huggingface.co") -> ModelRef:
    """`text` as a model: an id as is, a Hub address as the id (and revision) it shows.

    UsageError (exit 2) for an address that is not a Hub model's page.
    """
    raw = text.strip()
    if not _url_like(raw):
        return ModelRef(raw)
    parts = urlsplit(raw if _SCHEME.match(raw) else f"https://{raw}")
    host = (parts.hostname or "").lower()
    path = parts.path
    if parts.scheme.lower() not in ("http", "https"):
        raise _refused(text, "not an http(s) address")
    if urls.origin(parts.geturl()) == urls.origin(endpoint):
        prefix = urlsplit(endpoint).path.rstrip("/")
        if prefix and not (path == prefix or path.startswith(prefix + "/")):
            raise _refused(text, "not the address of a model, of /tree/REV or of /blob/REV/FILE")
        path = path[len(prefix) :]
    elif host not in HUB_HOSTS:
        raise _refused(text, "not a Hugging Face Hub address")
    segments = [unquote(s) for s in path.split("/") if s]
    if not segments:
        raise _refused(text, "an address that names no model")
    if segments[0] in _NOT_MODELS:
        raise _refused(text, f"the address of {_NOT_MODELS[segments[0]]}, not of a model")
    owner, rest = (segments[0], segments[1:]) if len(segments) > 1 else ("", segments)
    name, extra = rest[0], rest[1:]
    if owner and name in _WITH_REVISION:  # hf.co/gpt2/tree/main: a model without an owner
        owner, name, extra = "", owner, rest
    model = f"{owner}/{name}" if owner else name
    if not extra:
        return ModelRef(model)
    if extra[0] in _WITH_REVISION and len(extra) > 1:
        return ModelRef(model, extra[1])
    raise _refused(text, "not the address of a model, of /tree/REV or of /blob/REV/FILE")


def _url_like(text: str) -> bool:
    """An address rather than an id: a scheme, `www.`, or a domain before the first slash
    (a model id's owner has no dot followed by a top-level domain and a further path)."""
    if _SCHEME.match(text) or text.lower().startswith("www."):
        return True
    first = text.split("/", 1)[0].lower()
    if first in HUB_HOSTS:
        return True
    return bool(_DOMAIN.match(text)) and text.count("/") >= 2


def _refused(text: str, why: str) -> UsageError:
    shown = urls.without_credentials(text.strip())
    return UsageError(
        f"{shown!r} is {why}: name a model as OWNER/NAME or by its Hub address "
        "(https://huggingface.co/OWNER/NAME)"
    )
