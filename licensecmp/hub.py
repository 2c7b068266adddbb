"""The only module that talks to the Hugging Face Hub: model metadata and licence files.

Every request is made here, with huggingface_hub's own HTTP client (`get_session`), its
headers (`build_hf_headers`) and its error mapping (`hf_raise_for_status`), but read by us:
the library's calls read whole bodies with no wall-clock limit, retry for as long as the
Hub asks, and page wherever a `Link` header points (see `_fetch` and `_pages`). A hostile or
broken Hub therefore costs at most a bounded time and memory per request and per run.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from licensecmp import safeio, urls
from licensecmp.cardfields import CardFields, kind
from licensecmp.errors import (
    AnswerTooLarge,
    HubError,
    HubUnavailable,
    InputError,
    ModelDisabled,
    ModelGated,
    ModelNotFound,
    RateLimited,
    UsageError,
)
from licensecmp.model import BaseModelRef, ModelFacts

if TYPE_CHECKING:
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
_RATELIMIT_R = re.compile(r"\br=(\d+)")

MiB = 1024 * 1024
METADATA_LIMIT = 8 * MiB
"""One model's metadata: real ones are 2-60 KiB (a whole licence in `extra_gated_prompt`)."""
FILE_LIMIT = 1 * MiB
"""A licence file: the longest real ones (Llama, Gemma with policies) are under 100 KiB."""
LISTING_LIMIT = 64 * MiB
"""One listing page of up to 1,000 rows with card data."""
ERROR_LIMIT = 64 * 1024
"""An error answer: only its headers and short message are read."""
MAX_PAGES = 20
"""Listing pages followed per licence id; `--top` is at most 1,000 rows."""
SCAN_MAX_PAGES = 200
"""Listing pages `scan` follows: the Hub sends up to 1,000 rows a page, so 200,000 models
(the largest organisations hold tens of thousands); past it, narrow the listing (`--limit`)."""
SORTS = {
    "downloads": "downloads",
    "likes": "likes",
    "trending": "trendingScore",
    "created": "createdAt",
    "modified": "lastModified",
}
"""`scan --sort` names and the Hub's sort keys (most first: the Hub sorts descending)."""


@dataclass(frozen=True, slots=True)
class HubSettings:
    endpoint: str | None = None
    """None: `HF_ENDPOINT`, else the public Hub."""
    token: str | bool | None = None
    """None: the client's own lookup (`HF_TOKEN`, token file); False: anonymous."""
    timeout: float = 10.0
    """Seconds per request, wall clock: a body dripped byte by byte is cut off too."""
    attempts: int = 4
    """Tries per request on 429, 5xx, timeouts and connection errors."""
    backoff: float = 0.5
    """First wait between tries, doubled each time, unless the Hub says how long."""
    max_wait: float = 60.0
    """Longest single wait a Retry-After / RateLimit header is honoured for."""
    deadline: float | None = None
    """Seconds for the whole run, from the Hub's creation; None: no run limit."""
    metadata_limit: int = METADATA_LIMIT
    file_limit: int = FILE_LIMIT
    listing_limit: int = LISTING_LIMIT
    max_pages: int = MAX_PAGES
    scan_max_pages: int = SCAN_MAX_PAGES


@dataclass(frozen=True, slots=True)
class Listing:
    """Models to list on the Hub: an author's (organisation or user), or a search's."""

    author: str | None = None
    search: str | None = None
    sort: str | None = None
    """A key of `SORTS`; None: the Hub's own order."""
    limit: int | None = None
    """At most this many models; None: all of them."""

    @property
    def label(self) -> str:
        """How messages name the listing: `author:ORG`, `search:TEXT`."""
        return f"author:{self.author}" if self.author is not None else f"search:{self.search}"


@dataclass(frozen=True, slots=True)
class _Answer:
    url: str
    body: bytes
    next_page: str | None


class _Gate:
    """One backoff for every worker: a 429 to one request holds back all of them, so eight
    workers against one quota wait together instead of each spending its own retries."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._until = 0.0

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, self._clock() + seconds)

    def remaining(self) -> float:
        with self._lock:
            return max(0.0, self._until - self._clock())


class _Slow(Exception):
    """A request that outran its wall-clock budget while the body was still arriving."""


class Hub:
    """Metadata and files for models, each request made at most once per run (thread-safe)."""

    def __init__(
        self,
        settings: HubSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or HubSettings()
        self._sleep = sleep
        self._clock = clock
        self._memo: dict[tuple[str, ...], Future[Any]] = {}
        self._lock = threading.Lock()
        self._gate = _Gate(clock)
        self._base = (
            self.settings.endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
        ).rstrip("/")
        deadline = self.settings.deadline
        self._ends = None if deadline is None else clock() + deadline
        # Read at import by huggingface_hub: no telemetry.
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

    @property
    def label(self) -> str:
        return f"hub {self.endpoint}"

    @property
    def endpoint(self) -> str:
        """The endpoint as shown anywhere (results, reports, snapshots): no credentials."""
        return urls.without_credentials(self._base)

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
        """A repository file's text at a pinned commit; raises HubError (ModelGated when gated,
        AnswerTooLarge over `file_limit`)."""
        return self._once(
            ("file", repo_id, filename, revision),
            lambda: self._file_text(repo_id, filename, revision),
        )

    def models_by_license(self, hub_license_id: str, limit: int) -> list[ModelFacts]:
        """The `limit` most-downloaded models tagged `license:<id>`, anonymously."""
        return self._once(
            ("list", hub_license_id, str(limit)), lambda: self._list(hub_license_id, limit)
        )

    def list_models(self, listing: Listing) -> list[ModelFacts]:
        """Every model the listing names, with every fact `check` reads (the same `expand` as
        `model`): about one request per thousand models. Each model's facts are kept as if
        `model(id)` had asked, so checking a listed model asks the Hub only for the files and
        base models its check needs. The token is sent (an organisation's private models),
        only to the endpoint's own origin. Raises HubError."""
        params = [("author", listing.author)] if listing.author is not None else []
        params += [("search", listing.search)] if listing.search is not None else []
        params += [("sort", SORTS[listing.sort])] if listing.sort is not None else []
        params += [("limit", str(listing.limit))] if listing.limit is not None else []
        params += [("expand", e) for e in EXPAND]
        rows = self._pages(
            listing.label,
            params,
            token=self.settings.token,
            limit=listing.limit,
            max_pages=self.settings.scan_max_pages,
        )
        for facts in rows:
            known: Future[Any] = Future()
            known.set_result(facts)
            with self._lock:  # a request already made or under way is kept
                self._memo.setdefault(("model", facts.id, ""), known)
        return list({facts.id: facts for facts in rows}.values())

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

    def _model(self, repo_id: str, revision: str | None) -> ModelFacts:
        # Our own GET rather than `HfApi.model_info`, which reads the whole body into memory
        # (an endless or gzip-bombed answer took gigabytes) with only a per-read timeout.
        # Same URL, query and headers as the library's; `ModelInfo` parses the JSON as it would.
        from huggingface_hub.errors import HFValidationError
        from huggingface_hub.utils import validate_repo_id  # type: ignore[attr-defined]

        try:
            validate_repo_id(repo_id)
        except HFValidationError:  # checked locally, before any request
            raise ModelNotFound(repo_id, "not a valid Hub model id") from None
        path = f"/api/models/{repo_id}"
        if revision:
            path += f"/revision/{quote(revision, safe='')}"
        answer = self._retrying(
            repo_id,
            lambda: self._fetch(
                self._base + path,
                repo_id,
                params=[("expand", e) for e in EXPAND],
                limit=self.settings.metadata_limit,
                token=self.settings.token,
            ),
        )
        return facts_from(_model_info(answer.body, repo_id), requested=repo_id)

    def _file_text(self, repo_id: str, filename: str, revision: str) -> str:
        # One plain GET, not `hf_hub_download`: when its first HEAD fails that retries on its
        # own with a 60 s timeout (a stalled LICENSE took a minute under --timeout 0.5), turns
        # a 429 into "not in the local cache", falls back to stale cached copies, and has no
        # size limit.
        from huggingface_hub import hf_hub_url

        url = hf_hub_url(repo_id, filename, revision=revision, endpoint=self._base)
        answer = self._retrying(
            repo_id,
            lambda: self._fetch(
                url, repo_id, params=None, limit=self.settings.file_limit, token=self.settings.token
            ),
        )
        return answer.body.decode("utf-8", errors="replace")

    def _list(self, hub_license_id: str, limit: int) -> list[ModelFacts]:
        # The listing is public: no token is sent with it.
        label = f"license:{hub_license_id}"
        params = [
            ("filter", label),
            ("sort", "downloads"),
            ("limit", str(limit)),
            *(("expand", e) for e in LIST_EXPAND),
        ]
        return self._pages(
            label, params, token=False, limit=limit, max_pages=self.settings.max_pages
        )

    def _pages(
        self,
        label: str,
        params: list[tuple[str, str]],
        *,
        token: str | bool | None,
        limit: int | None,
        max_pages: int,
    ) -> list[ModelFacts]:
        """Every row of a listing, page after page.

        Paged by hand, not with `HfApi.list_models`: that sends the user's token with every
        page, follows a `Link: rel="next"` to any host (the token with it) and forever when
        it points at itself, waits as long as a 429's Retry-After asks (an hour), and reads
        each page whole. Here: pages only on the endpoint's own origin (asked through the
        endpoint, so a token goes nowhere else), at most `max_pages`, the same capped retries
        and size limit as `check`; a page naming one already read ends the listing.
        """
        url = f"{self._base}/api/models"
        query: list[tuple[str, str]] | None = params
        rows: list[ModelFacts] = []
        seen: set[str] = set()
        for _ in range(max_pages):
            answer = self._retrying(
                label,
                functools.partial(
                    self._fetch,
                    url,
                    label,
                    params=query,
                    limit=self.settings.listing_limit,
                    token=token,
                ),
            )
            seen.add(answer.url)
            rows += _listing(answer.body, label)
            if (limit is not None and len(rows) >= limit) or not answer.next_page:
                return rows[:limit]
            following = urljoin(answer.url, answer.next_page)
            if urls.origin(following) != urls.origin(self._base):
                host = urlsplit(following).netloc.rpartition("@")[2]
                raise HubUnavailable(label, f"next page is on another host ({host}): not followed")
            if urls.without_credentials(following) in seen:  # a page naming itself: the end
                return rows[:limit]
            # Same origin: ask through our endpoint (its credentials, if any), with its path.
            parts = urlsplit(following)
            url = urlunsplit(urlsplit(self._base)._replace(path=parts.path, query=parts.query))
            query = None
        raise HubUnavailable(label, f"more than {max_pages} pages of results: listing stopped")

    def _fetch(
        self,
        url: str,
        who: str,
        *,
        params: Any,
        limit: int,
        token: str | bool | None,
    ) -> _Answer:
        """One GET through the library's shared client, streamed: at most `limit` bytes
        (compressed and decompressed) and `timeout` seconds of wall clock, whatever the
        server sends; an error answer goes through the library's own error mapping."""
        from huggingface_hub.utils import (  # type: ignore[attr-defined]
            build_hf_headers,
            get_session,
            hf_raise_for_status,
            httpx,
        )

        budget = self._budget(who)
        ends = self._clock() + budget
        headers = build_hf_headers(token=token)
        headers["Accept-Encoding"] = "gzip, deflate"  # the encodings `_read_capped` decodes
        with get_session().stream(
            "GET", url, params=params, headers=headers, timeout=budget
        ) as response:
            self._note_rate_limit(response.headers)
            ok = 200 <= response.status_code < 300
            body = _read_capped(response, limit if ok else ERROR_LIMIT, ends, self._clock, who)
            if not ok:  # replayed from the capped body: the library would read it all
                hf_raise_for_status(
                    httpx.Response(
                        response.status_code,
                        headers=[
                            (k, v)
                            for k, v in response.headers.multi_items()
                            if k.lower() not in ("content-encoding", "content-length")
                        ],
                        content=body,
                        request=response.request,
                    )
                )
            found = response.links.get("next", {}).get("url")
            return _Answer(urls.without_credentials(str(response.url)), body, found)

    def _budget(self, who: str) -> float:
        """Seconds this request may take: `timeout`, or less when the run's deadline is near."""
        if self._ends is None:
            return self.settings.timeout
        left = self._ends - self._clock()
        if left <= 0:
            raise HubUnavailable(who, f"run deadline of {self.settings.deadline:g} s reached")
        return min(self.settings.timeout, left)

    def _pause(self, seconds: float, error: HubError) -> None:
        """Sleep before a retry, unless the run's deadline comes first: then fail now."""
        if self._ends is not None and self._clock() + seconds >= self._ends:
            raise error
        self._sleep(seconds)

    def _note_rate_limit(self, headers: Any) -> None:
        """`RateLimit: …;r=0;t=N` on any answer: the quota is spent, so every worker waits."""
        value = headers.get("RateLimit", "")
        remaining, reset = _RATELIMIT_R.search(value), _RATELIMIT_T.search(value)
        if remaining and reset and int(remaining.group(1)) == 0:
            seconds = float(reset.group(1))
            if seconds <= self.settings.max_wait:
                self._gate.hold(seconds)

    def _token_in_use(self) -> bool:
        """Whether requests carry a token (ours, `HF_TOKEN`, or `hf auth login`'s): what a
        not-found or gated model's message tells the user to do next. Never the token itself."""
        if isinstance(self.settings.token, str):
            return True
        if self.settings.token is False:
            return False
        from huggingface_hub import get_token

        return get_token() is not None

    def _retrying(self, who: str, call: Callable[[], T]) -> T:
        from huggingface_hub.utils import httpx  # type: ignore[attr-defined]

        transient: tuple[type[BaseException], ...] = (httpx.TransportError, _Slow)
        error: HubError | None = None
        for attempt in range(1, self.settings.attempts + 1):
            held = self._gate.remaining()
            if held > 0:  # another worker's 429: wait with it, not on our own
                self._pause(held, error or RateLimited(who, "rate limited by the Hub (429)"))
            backoff = self.settings.backoff * 2 ** (attempt - 1)
            try:
                return call()
            except transient as exc:
                error, wait = HubUnavailable(who, _timeout_or_network(exc)), backoff
            except Exception as exc:
                error, found = _translate(who, exc, backoff, self._base, self._token_in_use())
                if found is None:
                    raise error from None
                wait = found
            if wait > self.settings.max_wait:
                raise _over_max_wait(error, wait, self.settings.max_wait) from None
            if attempt == self.settings.attempts:
                raise error
            if isinstance(error, RateLimited):
                self._gate.hold(wait)
            self._pause(wait, error)
        raise AssertionError("unreachable")  # pragma: no cover


def _over_max_wait(error: HubError, wait: float, max_wait: float) -> HubError:
    return type(error)(
        error.model, f"{error.reason}: it asks for a {wait:g} s wait, over the {max_wait:g} s limit"
    )


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit:,} bytes"


def _read_capped(
    response: Any, limit: int, ends: float, clock: Callable[[], float], who: str
) -> bytes:
    """The body, decoded, refusing more than `limit` bytes before or after decompression
    (a gzip bomb is stopped at `limit`, not expanded) and any read past `ends`."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    decoder: Any = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding not in ("", "identity"):
        raise HubUnavailable(who, f"Hub answer in an unsupported encoding ({encoding[:40]})")
    too_large = AnswerTooLarge(who, f"answer over the {_size(limit)} limit: not read")
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise too_large
    out = bytearray()
    received = 0
    try:
        for data in response.iter_raw():  # as received (a chunk size would wait to fill it)
            received += len(data)
            if received > limit:
                raise too_large
            if decoder is not None:
                data = decoder.decompress(data, limit + 1 - len(out))
                if decoder.unconsumed_tail:
                    raise too_large
            out += data
            if len(out) > limit:
                raise too_large
            if clock() > ends:
                raise _Slow()
        if decoder is not None:
            out += decoder.flush()
    except zlib.error:
        raise HubUnavailable(who, f"Hub answer could not be decoded ({encoding})") from None
    if len(out) > limit:
        raise too_large
    return bytes(out)


def _model_info(body: bytes, repo_id: str) -> ModelInfo:
    from huggingface_hub import ModelInfo

    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise ValueError("not a model")
        return ModelInfo(**data)  # type: ignore[no-untyped-call]
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise HubUnavailable(repo_id, "Hub answer was not valid model metadata") from None


def _listing(body: bytes, label: str) -> list[ModelFacts]:
    from huggingface_hub import ModelInfo

    try:
        rows = json.loads(body)
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("id"), str) for r in rows
        ):
            raise ValueError("not a listing")
        return [facts_from(ModelInfo(**row)) for row in rows]  # type: ignore[no-untyped-call]
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise HubUnavailable(label, "Hub answer was not a valid model listing") from None


NOT_FOUND = "model not found (or private: to read it, set HF_TOKEN or run `hf auth login`)"
NOT_FOUND_WITH_TOKEN = "model not found (or private, and the token in use cannot read it)"
GATED = (
    "gated: files need a token whose user accepted the model's terms "
    "(set HF_TOKEN or run `hf auth login`)"
)
GATED_WITH_TOKEN = "gated: the token in use has not accepted the model's terms on its Hub page"


def _translate(
    repo_id: str, exc: Exception, backoff: float, endpoint: str, token_in_use: bool = False
) -> tuple[HubError, float | None]:
    """Our error for a client exception, and how long to wait before a retry (None: final)."""
    from huggingface_hub import errors
    from huggingface_hub.utils import httpx  # type: ignore[attr-defined]

    if isinstance(exc, HubError):  # ours, already worded (size limit, deadline, bad answer)
        return exc, None
    if isinstance(exc, errors.GatedRepoError):  # before its parent, RepositoryNotFoundError
        return ModelGated(repo_id, GATED_WITH_TOKEN if token_in_use else GATED), None
    if isinstance(exc, errors.RevisionNotFoundError):
        return ModelNotFound(repo_id, "revision not found"), None
    if isinstance(exc, errors.RepositoryNotFoundError):
        return ModelNotFound(repo_id, NOT_FOUND_WITH_TOKEN if token_in_use else NOT_FOUND), None
    if isinstance(exc, errors.DisabledRepoError):
        return ModelDisabled(repo_id, "model disabled on the Hub"), None
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
    if isinstance(exc, httpx.TooManyRedirects):
        return HubUnavailable(repo_id, "too many redirects (a redirect loop?)"), None
    if isinstance(exc, httpx.HTTPError):
        return HubUnavailable(repo_id, f"Hub answer could not be read ({type(exc).__name__})"), None
    detail = urls.redact(f"{type(exc).__name__}: {exc}", endpoint)
    return HubUnavailable(repo_id, f"internal error: {detail}"), None


def _retry_after(exc: Any, default: float) -> float:
    headers = exc.response.headers if exc.response is not None else {}
    value = headers.get("Retry-After")
    if value and value.strip().isdigit():
        return float(value)
    match = _RATELIMIT_T.search(headers.get("RateLimit", ""))
    return float(match.group(1)) if match else default


def _timeout_or_network(exc: BaseException) -> str:
    kind = type(exc).__name__
    slow = isinstance(exc, _Slow) or "Timeout" in kind
    return "Hub did not answer in time" if slow else f"Hub unreachable ({kind})"


def facts_from(info: ModelInfo, requested: str | None = None) -> ModelFacts:
    """Pick the licensing facts out of a `ModelInfo` (pure field-picking).

    Card fields are YAML written by anyone: each is type-checked, and one of the wrong type
    is recorded in `card_problems` (a review finding), never coerced (`"false"` is not false).
    """
    card = CardFields(info.card_data)
    problems = card.problems
    card_licenses = card.licenses()
    eu = card.eu_disallowed()
    tags = tuple(t for t in info.tags or () if isinstance(t, str))
    gated = info.gated if info.gated in ("auto", "manual") else None
    if info.gated not in (None, False, "auto", "manual"):
        problems.append(f"the Hub's gated field is {kind(info.gated)}: it was not read")
    return ModelFacts(
        id=info.id,
        sha=info.sha if isinstance(info.sha, str) else None,
        card_licenses=card_licenses,
        license_name=card.string("license_name"),
        license_link=card.string("license_link"),
        tag_licenses=tuple(t.split(":", 1)[1] for t in tags if t.startswith("license:")),
        gated=gated,
        pipeline_tag=info.pipeline_tag if isinstance(info.pipeline_tag, str) else None,
        tags=tags,
        files=tuple(
            s.rfilename for s in info.siblings or () if isinstance(getattr(s, "rfilename", 0), str)
        ),
        base_models=_base_models(info, card),
        eu_disallowed=eu,
        requested_id=requested if requested and requested != info.id else None,
        downloads=info.downloads if isinstance(info.downloads, int) else None,
        card_problems=tuple(problems),
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


def _base_models(info: ModelInfo, card: CardFields) -> tuple[BaseModelRef, ...]:
    """The Hub's own `baseModels` when it has them, else the card's `base_model`."""
    raw: Any = info.base_models
    if isinstance(raw, dict) and isinstance(raw.get("models"), list) and raw["models"]:
        relation = raw.get("relation")
        relation = relation if isinstance(relation, str) and relation else "finetune"
        return tuple(
            BaseModelRef(m["id"], relation)
            for m in raw["models"]
            if isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"]
        )
    return card.base_models()


# -- the local Hugging Face cache: folder checks look bases up there, with no network ----------

_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_REF = re.compile(r"^[\w.-]+(?:/[\w.-]+)*$")


def cache_root(cache_dir: Path | None = None) -> Path:
    """The Hugging Face cache: `cache_dir`, else HF_HUB_CACHE (or HF_HOME/hub) as set now,
    else huggingface_hub's default."""
    if cache_dir is not None:
        return cache_dir
    from huggingface_hub import constants

    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path(constants.HF_HUB_CACHE)


def cached_folder(
    repo_id: str, revision: str | None = None, cache_dir: Path | None = None
) -> tuple[Path, str] | None:
    """The cached snapshot folder of model `repo_id` at `revision` (default main) and its
    commit, found through the cache's own layout (`models--org--name/refs/<ref>` holds the
    commit of `snapshots/<commit>/`), named as huggingface_hub names it; None when the cache
    does not hold it. No network."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.file_download import repo_folder_name
    from huggingface_hub.utils import validate_repo_id  # type: ignore[attr-defined]

    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        return None
    ref = revision or "main"
    if not _REF.match(ref) or ".." in ref:
        return None
    repo = cache_root(cache_dir) / repo_folder_name(repo_id=repo_id, repo_type="model")
    commit = ref
    if not _COMMIT.match(ref):
        try:
            commit = safeio.read_text(repo / "refs" / ref, 1024).strip()
        except InputError:
            return None
        if not _COMMIT.match(commit):
            return None
    folder = repo / "snapshots" / commit
    return (folder, commit) if folder.is_dir() else None


def offline() -> bool:
    """Whether HF_HUB_OFFLINE (as set now, or when huggingface_hub was imported) forbids
    requests to the Hub."""
    from huggingface_hub import constants

    value = os.environ.get("HF_HUB_OFFLINE", "")
    return bool(constants.HF_HUB_OFFLINE) or value.strip().upper() in {"1", "ON", "YES", "TRUE"}


@dataclass(frozen=True, slots=True)
class CachedRevision:
    """One model revision in the local Hugging Face cache: its snapshot folder on disk."""

    repo_id: str
    commit: str
    folder: Path
    refs: tuple[str, ...]
    """The branches and tags that point at it (none: a detached, older revision)."""


@dataclass(frozen=True, slots=True)
class CacheScan:
    root: Path
    revisions: tuple[CachedRevision, ...]
    """Sorted by model id, revisions that a ref points at first, then by commit."""
    problems: tuple[str, ...]
    """What the cache scanner could not read (a repository folder without snapshots…)."""


def cached_revisions(cache_dir: Path | None = None) -> CacheScan:
    """Every model revision in the Hugging Face cache (`cache_dir`, default as `cache_root`),
    as huggingface_hub's own cache scanner (`scan_cache_dir`) sees it: no network. UsageError
    when there is no cache there."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    root = cache_root(cache_dir)
    try:
        info = scan_cache_dir(root)
    except CacheNotFound:
        raise UsageError(f"{root}: no Hugging Face cache there") from None
    except OSError as exc:
        raise UsageError(f"{root}: cannot read the cache: {exc.strerror or exc}") from None
    revisions = [
        CachedRevision(repo.repo_id, rev.commit_hash, rev.snapshot_path, tuple(sorted(rev.refs)))
        for repo in info.repos
        if repo.repo_type == "model"
        for rev in repo.revisions
    ]
    revisions.sort(key=lambda r: (r.repo_id.lower(), not r.refs, r.commit))
    return CacheScan(root, tuple(revisions), tuple(str(w) for w in info.warnings))
