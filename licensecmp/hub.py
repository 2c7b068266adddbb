"""The only module that talks to the Hugging Face Hub: model metadata and licence files."""

from __future__ import annotations

import functools
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from licensecmp.errors import (
    HubError,
    HubUnavailable,
    ModelDisabled,
    ModelGated,
    ModelNotFound,
    RateLimited,
)
from licensecmp.model import BaseModelRef, ModelFacts

if TYPE_CHECKING:
    from huggingface_hub import HfApi
    from huggingface_hub.hf_api import ModelInfo

T = TypeVar("T")

#: Exactly what `check` reads; with `expand` the Hub sends nothing else (hub-api §3).
EXPAND = [
    "cardData",
    "tags",
    "gated",
    "sha",
    "siblings",
    "baseModels",
    "pipeline_tag",
    "config",  # model_type, architectures: clues to an undeclared base (signals.py)
    "gguf",  # architecture and general.* metadata, same use
]
#: What `enrich` reads per listed model (one page per licence id, so no file list).
LIST_EXPAND = ["cardData", "tags", "gated", "sha", "baseModels", "pipeline_tag", "downloads"]
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_RATELIMIT_T = re.compile(r"\bt=(\d+)")


@dataclass(frozen=True, slots=True)
class HubSettings:
    endpoint: str | None = None
    """None: `HF_ENDPOINT`, else the public Hub."""
    token: str | bool | None = None
    """None: the client's own lookup (`HF_TOKEN`, token file); False: anonymous."""
    timeout: float = 10.0
    """Seconds per request; the client has no timeout of its own (hub-api §7)."""
    attempts: int = 4
    """Tries per request on 429, 5xx, timeouts and connection errors."""
    backoff: float = 0.5
    """First wait between tries, doubled each time, unless the Hub says how long."""
    max_wait: float = 60.0
    """Longest single wait a Retry-After / RateLimit header is honoured for."""


class Hub:
    """Metadata and files for models, each request made at most once per run (thread-safe)."""

    def __init__(
        self, settings: HubSettings | None = None, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings or HubSettings()
        self._sleep = sleep
        self._memo: dict[tuple[str, ...], Future[Any]] = {}
        self._lock = threading.Lock()
        self._api: HfApi | None = None

    @property
    def label(self) -> str:
        return f"hub {self.endpoint}"

    @property
    def endpoint(self) -> str:
        return (
            self.settings.endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
        ).rstrip("/")

    def model(self, repo_id: str, revision: str | None = None) -> ModelFacts:
        """The model's licensing facts at `revision` (default: main); raises HubError."""
        facts = self._once(
            ("model", repo_id, revision or ""), lambda: self._model(repo_id, revision)
        )
        if facts.requested_id is not None:  # renamed: asking by the new id needs no request
            known: Future[Any] = Future()
            known.set_result(replace(facts, requested_id=None))
            with self._lock:
                self._memo.setdefault(("model", facts.id, revision or ""), known)
        return facts

    def file_text(self, repo_id: str, filename: str, revision: str) -> str:
        """A repository file's text at a pinned commit; raises HubError (ModelGated when gated)."""
        return self._once(
            ("file", repo_id, filename, revision),
            lambda: self._file_text(repo_id, filename, revision),
        )

    def _once(self, key: tuple[str, ...], call: Callable[[], T]) -> T:
        with self._lock:
            future = self._memo.get(key)
            owner = future is None
            if future is None:
                future = self._memo[key] = Future()
        if owner:
            try:
                future.set_result(call())
            except BaseException as exc:  # re-raised to every caller waiting on this key
                future.set_exception(exc)
        result: T = future.result()
        return result

    def models_by_license(self, hub_license_id: str, limit: int) -> list[ModelFacts]:
        """The `limit` most-downloaded models tagged `license:<id>`: one request, one page."""
        return self._once(
            ("list", hub_license_id, str(limit)), lambda: self._list(hub_license_id, limit)
        )

    def _list(self, hub_license_id: str, limit: int) -> list[ModelFacts]:
        api = self._client()
        label = f"license:{hub_license_id}"

        def fetch() -> list[ModelFacts]:
            rows = api.list_models(filter=label, sort="downloads", limit=limit, expand=LIST_EXPAND)  # type: ignore[arg-type]
            return [facts_from(info) for info in rows]

        try:
            return fetch()  # list_models retries 429/5xx itself (hub-api §4)
        except Exception as exc:
            error, _ = (
                _translate(label, exc, 0.0)
                if not _is_transport(exc)
                else (HubUnavailable(label, _timeout_or_network(exc)), None)
            )
            raise error from None

    def _client(self) -> HfApi:
        with self._lock:
            if self._api is None:
                # Read at import by huggingface_hub: no telemetry.
                os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
                from huggingface_hub import HfApi

                _install_default_timeout(self.settings.timeout)
                self._api = HfApi(endpoint=self.endpoint, token=self.settings.token)
            return self._api

    def _model(self, repo_id: str, revision: str | None) -> ModelFacts:
        api = self._client()
        info = self._retrying(
            repo_id,
            lambda: api.model_info(
                repo_id,
                revision=revision,
                expand=EXPAND,  # type: ignore[arg-type]
                timeout=self.settings.timeout,
            ),
        )
        return facts_from(info, requested=repo_id)

    def _file_text(self, repo_id: str, filename: str, revision: str) -> str:
        # One plain GET, not `hf_hub_download`: when its first HEAD fails that retries on its
        # own with a 60 s timeout (a stalled LICENSE took a minute under --timeout 0.5), turns
        # a 429 into "not in the local cache", and falls back to stale cached copies.
        from huggingface_hub import hf_hub_url
        from huggingface_hub.utils import (  # type: ignore[attr-defined]
            build_hf_headers,
            get_session,
            hf_raise_for_status,
        )

        url = hf_hub_url(repo_id, filename, revision=revision, endpoint=self.endpoint)
        headers = build_hf_headers(token=self.settings.token)

        def fetch() -> bytes:
            response = get_session().get(url, headers=headers, timeout=self.settings.timeout)
            hf_raise_for_status(response)
            return response.content

        return self._retrying(repo_id, fetch).decode("utf-8", errors="replace")

    def _retrying(self, repo_id: str, call: Callable[[], T]) -> T:
        from huggingface_hub.utils import httpx  # type: ignore[attr-defined]

        transient: tuple[type[BaseException], ...] = (httpx.TransportError,)
        for attempt in range(1, self.settings.attempts + 1):
            try:
                return call()
            except transient as exc:
                error: HubError = HubUnavailable(repo_id, _timeout_or_network(exc))
                wait = self.settings.backoff * 2 ** (attempt - 1)
            except Exception as exc:
                error, wait = _translate(repo_id, exc, self.settings.backoff * 2 ** (attempt - 1))
                if wait is None:
                    raise error from None
            if attempt == self.settings.attempts or wait > self.settings.max_wait:
                raise error
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


_factory_lock = threading.Lock()
_default_timeout: list[float] = []
"""The timeout the shared client fills in; a list so the installed factory sees updates."""


def _install_default_timeout(seconds: float) -> None:
    """The shared client has no timeout and list_models passes none (hub-api §7): give it,
    once per process, a transport that fills ours into every request that carries none.

    Installing a factory closes the shared client, so it is done once (under a lock): a second
    Hub in the process only updates the timeout, never breaks requests in flight.
    """
    from huggingface_hub import set_client_factory

    with _factory_lock:
        first = not _default_timeout
        _default_timeout[:] = [seconds]
        if first:
            set_client_factory(functools.partial(_client_with_timeout, _default_timeout))


def _client_with_timeout(current: list[float]) -> Any:
    """The library's default client, with a transport that fills in our timeout."""
    from huggingface_hub.utils import _http, httpx  # type: ignore[attr-defined]

    class DefaultTimeout(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: Any) -> Any:
            timeout = request.extensions.get("timeout") or {}
            if all(v is None for v in timeout.values()):
                request.extensions["timeout"] = dict.fromkeys(
                    ("connect", "read", "write", "pool"), current[0]
                )
            return self.inner.handle_request(request)

        def close(self) -> None:
            self.inner.close()

    default = _http.default_client_factory()
    return httpx.Client(
        event_hooks=default.event_hooks,
        follow_redirects=True,
        timeout=None,
        transport=DefaultTimeout(),
    )


def _is_transport(exc: BaseException) -> bool:
    from huggingface_hub.utils import httpx  # type: ignore[attr-defined]

    return isinstance(exc, httpx.TransportError)


def _translate(repo_id: str, exc: Exception, backoff: float) -> tuple[HubError, float | None]:
    """Our error for a client exception, and how long to wait before a retry (None: final)."""
    from huggingface_hub import errors

    if isinstance(exc, errors.HFValidationError):  # checked locally, before any request
        return ModelNotFound(repo_id, "not a valid Hub model id"), None
    if isinstance(exc, errors.GatedRepoError):  # before its parent, RepositoryNotFoundError
        return ModelGated(
            repo_id, "gated: files need a token whose user accepted the model's terms"
        ), None
    if isinstance(exc, errors.RevisionNotFoundError):
        return ModelNotFound(repo_id, "revision not found"), None
    if isinstance(exc, errors.RepositoryNotFoundError):
        return ModelNotFound(repo_id, "model not found (or private)"), None
    if isinstance(exc, errors.DisabledRepoError):
        return ModelDisabled(repo_id, "model disabled on the Hub"), None
    if isinstance(exc, errors.LocalEntryNotFoundError):  # before its parent, EntryNotFoundError
        cause = exc.__cause__
        if isinstance(cause, Exception) and cause is not exc:
            return _translate(repo_id, cause, backoff)
        return HubUnavailable(repo_id, "Hub unreachable and no cached copy"), backoff
    if isinstance(exc, errors.EntryNotFoundError):
        return ModelNotFound(repo_id, "file not found in the repository"), None
    if isinstance(exc, errors.HfHubHTTPError):
        response = exc.response
        status = response.status_code if response is not None else 0
        if status == 429:
            return RateLimited(repo_id, "rate limited by the Hub (429)"), _retry_after(exc, backoff)
        if status in RETRY_STATUSES:
            return HubUnavailable(repo_id, f"Hub error {status}"), _retry_after(exc, backoff)
        return HubUnavailable(repo_id, f"Hub answered {status}"), None
    if isinstance(exc, ValueError):  # a body that is not the Hub's JSON
        return HubUnavailable(repo_id, "Hub answer was not valid model metadata"), None
    raise exc


def _retry_after(exc: Any, default: float) -> float:
    headers = exc.response.headers if exc.response is not None else {}
    value = headers.get("Retry-After")
    if value and value.strip().isdigit():
        return float(value)
    match = _RATELIMIT_T.search(headers.get("RateLimit", ""))
    return float(match.group(1)) if match else default


def _timeout_or_network(exc: BaseException) -> str:
    kind = type(exc).__name__
    return "Hub did not answer in time" if "Timeout" in kind else f"Hub unreachable ({kind})"


def facts_from(info: ModelInfo, requested: str | None = None) -> ModelFacts:
    """Pick the licensing facts out of a `ModelInfo` (pure field-picking)."""
    card = info.card_data
    license_value: Any = card.license if card is not None else None
    card_licenses = license_value if isinstance(license_value, list) else [license_value]
    tags = tuple(info.tags or ())
    return ModelFacts(
        id=info.id,
        sha=info.sha,
        card_licenses=tuple(str(v) for v in card_licenses if v not in (None, "")),
        license_name=card.license_name if card is not None else None,
        license_link=card.license_link if card is not None else None,
        tag_licenses=tuple(t.split(":", 1)[1] for t in tags if t.startswith("license:")),
        gated=info.gated if isinstance(info.gated, str) else None,
        pipeline_tag=info.pipeline_tag,
        tags=tags,
        files=tuple(s.rfilename for s in info.siblings or ()),
        base_models=_base_models(info),
        eu_disallowed=bool(card.get("extra_gated_eu_disallowed")) if card is not None else False,
        requested_id=requested if requested and requested != info.id else None,
        downloads=info.downloads,
        **_shape(info),
    )


_MAX_GGUF_FIELDS = 64
_MAX_FIELD_CHARS = 500


def _shape(info: ModelInfo) -> dict[str, Any]:
    """`model_type`, `architectures` and GGUF text fields; anything not text is dropped."""
    config: Any = info.config
    gguf: Any = info.gguf
    out: dict[str, Any] = {}
    if isinstance(config, dict):
        if isinstance(config.get("model_type"), str):
            out["model_type"] = config["model_type"][:_MAX_FIELD_CHARS]
        archs = config.get("architectures")
        if isinstance(archs, list):
            out["architectures"] = tuple(
                a[:_MAX_FIELD_CHARS] for a in archs[:_MAX_GGUF_FIELDS] if isinstance(a, str)
            )
    if isinstance(gguf, dict):
        fields = [
            (k, v[:_MAX_FIELD_CHARS])
            for k, v in gguf.items()
            if isinstance(k, str)
            and isinstance(v, str)
            and (k == "architecture" or k.startswith("general."))
        ]
        out["gguf"] = tuple(sorted(fields)[:_MAX_GGUF_FIELDS])
    return out


def _base_models(info: ModelInfo) -> tuple[BaseModelRef, ...]:
    raw: Any = info.base_models
    if isinstance(raw, dict) and raw.get("models"):
        relation = str(raw.get("relation") or "finetune")
        return tuple(BaseModelRef(str(m["id"]), relation) for m in raw["models"] if m.get("id"))
    card = info.card_data
    declared: Any = card.base_model if card is not None else None
    if not declared:
        return ()
    ids = [declared] if isinstance(declared, str) else list(declared)
    relation = str(
        (card.get("base_model_relation") if card is not None else None)
        or ("merge" if len(ids) > 1 else "finetune")
    )
    return tuple(BaseModelRef(str(i), relation) for i in ids)
