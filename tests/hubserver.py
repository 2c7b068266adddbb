"""A small fake Hugging Face Hub for tests, served over real HTTP on 127.0.0.1.

The real ``huggingface_hub`` client talks to it unchanged (``HfApi(endpoint=hub.url)``,
``hf_hub_download(..., endpoint=hub.url)``): nothing in the client is patched.  The answers
follow what ``huggingface_hub`` 2.4.0 needs from the Hub: payload keys and order of
``/api/models/{id}``, repeated ``expand=``, ``X-Error-Code`` / ``X-Error-Message`` error
headers, ``...Z`` dates, ``ETag`` / ``X-Repo-Commit`` / ``Content-Length`` / ``Accept-Ranges``
on ``/resolve/``, ``Range`` requests, ``Link: <...>; rel="next"`` pagination and the
``/tree/`` listing ``snapshot_download`` reads.

Standard library only.  Typical use::

    with FakeHub() as hub:
        hub.add_model("org/model", card_data={"license": "mit"}, files={"LICENSE": b"MIT ..."})
        info = HfApi(endpoint=hub.url, token=False).model_info("org/model")
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import math
import re
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

__all__ = [
    "EXPAND_PROPERTIES",
    "FakeHub",
    "Gated",
    "RecordedRequest",
    "RequestLog",
    "model_card_readme",
    "resolve_path",
    "start_hub",
]

Gated = Literal[False, "auto", "manual"]

DEFAULT_CREATED_AT = "2024-01-01T00:00:00.000Z"
DEFAULT_LAST_MODIFIED = "2024-06-01T12:00:00.000Z"

# Key order of a real default `GET /api/models/{repo_id}` answer (bert-base-uncased).
_INFO_ORDER: tuple[str, ...] = (
    "_id",
    "id",
    "private",
    "pipeline_tag",
    "library_name",
    "tags",
    "downloads",
    "likes",
    "modelId",
    "author",
    "sha",
    "lastModified",
    "gated",
    "disabled",
    "mask_token",
    "widgetData",
    "model-index",
    "config",
    "cardData",
    "transformersInfo",
    "siblings",
    "spaces",
    "createdAt",
    "safetensors",
    "inference",
    "usedStorage",
)
# Properties the Hub only sends when asked for with `expand=`.
_EXPAND_ONLY = frozenset({"baseModels", "downloadsAllTime", "childrenModelCount", "trendingScore"})
# Observed fields of a `GET /api/models` row without `expand`.
_LIST_ORDER: tuple[str, ...] = (
    "_id",
    "id",
    "likes",
    "trendingScore",
    "private",
    "downloads",
    "tags",
    "pipeline_tag",
    "library_name",
    "createdAt",
)
# Fields of a row with `full=true` (and `cardData` / `config` when asked for).
_FULL_LIST_ORDER: tuple[str, ...] = (
    "_id",
    "id",
    "author",
    "gated",
    "inference",
    "lastModified",
    "likes",
    "trendingScore",
    "private",
    "sha",
    "config",
    "downloads",
    "tags",
    "pipeline_tag",
    "library_name",
    "createdAt",
    "modelId",
    "siblings",
    "cardData",
)
# `ExpandModelProperty_T` of huggingface_hub 2.4.0.
EXPAND_PROPERTIES = frozenset(
    {
        "author",
        "baseModels",
        "cardData",
        "childrenModelCount",
        "config",
        "createdAt",
        "disabled",
        "downloads",
        "downloadsAllTime",
        "evalResults",
        "gated",
        "gguf",
        "inference",
        "inferenceProviderMapping",
        "lastModified",
        "library_name",
        "likes",
        "mask_token",
        "model-index",
        "pipeline_tag",
        "private",
        "resourceGroup",
        "safetensors",
        "sha",
        "siblings",
        "spaces",
        "tags",
        "transformersInfo",
        "trendingScore",
        "usedStorage",
        "widgetData",
    }
)
_SORT_KEYS = frozenset({"downloads", "likes", "createdAt", "lastModified", "trendingScore"})
_SHA_RE = re.compile(r"^[0-9a-f]{40}$")
_PLAIN_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_BASE_MODEL_RELATIONS = frozenset({"adapter", "merge", "quantized", "finetune"})
_DISABLED_MESSAGE = "Access to this resource is disabled."
_MALFORMED_BODY = b'{"_id": "0000", "id": "broken", "tags": ['


class RecordedRequest(NamedTuple):
    """One request as the server saw it; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]


class RequestLog(list[RecordedRequest]):
    """The list of every request received; appends and snapshots are thread-safe."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def record(self, item: RecordedRequest) -> None:
        with self._lock:
            self.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self)

    def reset(self) -> None:
        with self._lock:
            self.clear()


@dataclass
class _Model:
    repo_id: str
    card_data: dict[str, Any] | None
    tags: list[str] | None
    gated: Gated
    sha: str
    files: dict[str, bytes]
    base_models: dict[str, Any] | None
    private: bool
    disabled: bool
    downloads: int
    config: dict[str, Any] | None
    gguf: dict[str, Any] | None
    extra: dict[str, Any]
    object_id: str


@dataclass
class _Rule:
    kind: Literal["fail", "stall", "malformed", "hostile"]
    prefix: str
    method: str | None
    remaining: int | None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    seconds: float = 0.0
    reply: Callable[[str], _Reply] | None = None


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunks: Iterable[bytes] | None = None
    """Sent after ``body``, one write each (hostile answers: drip, endless, huge)."""


def _json_reply(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return _Reply(status, body, [("Content-Type", "application/json; charset=utf-8"), *headers])


def _error(status: int, message: str, code: str | None = None, commit: str | None = None) -> _Reply:
    headers = [("X-Error-Message", message)]
    if code is not None:
        headers.append(("X-Error-Code", code))
    if commit is not None:
        headers.append(("X-Repo-Commit", commit))
    return _json_reply(status, {"error": message}, headers)


def _git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _as_str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _yaml_key(key: Any) -> str:
    text = str(key)
    return text if _PLAIN_KEY_RE.match(text) else json.dumps(text, ensure_ascii=False)


def _to_yaml(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML for the JSON-like values of a model card (strings always quoted)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines: list[str] = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{_yaml_key(key)}:")
                lines.extend(_to_yaml(item, indent + 2))
            else:
                lines.append(f"{pad}{_yaml_key(key)}: {_to_yaml(item)[0]}")
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            sub = _to_yaml(item, indent + 2)
            lines.append(f"{pad}- {sub[0].lstrip()}")
            lines.extend(sub[1:])
        return lines
    return [pad + _yaml_scalar(value)]


def model_card_readme(repo_id: str, card_data: Mapping[str, Any] | None) -> bytes:
    """The README.md served for a model registered without one: YAML front matter + a title."""
    title = f"# {repo_id.rsplit('/', 1)[-1]}\n"
    if not card_data:
        return title.encode("utf-8")
    front = "\n".join(_to_yaml(dict(card_data)))
    return f"---\n{front}\n---\n\n{title}".encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hub: FakeHub) -> None:
        self.hub = hub
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (timeouts, cancelled downloads) are normal here: stay quiet.
        return


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 60
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle + delayed ACK add
    # ~40 ms to every keep-alive answer.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(length)
        headers = {key.lower(): value for key, value in self.headers.items()}
        reply = self.server.hub._handle(self.command, self.path, headers)
        try:
            self.send_response(reply.status)
            names = {name.lower() for name, _ in reply.headers}
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.chunks is not None and "content-length" not in names:
                self.send_header("Connection", "close")  # the body ends when we hang up
            elif "content-length" not in names:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD" and reply.body:
                self.wfile.write(reply.body)
            self.wfile.flush()
            if self.command != "HEAD" and reply.chunks is not None:
                self.close_connection = True
                for chunk in reply.chunks:
                    if self.server.hub._stopping.is_set():
                        break
                    self.wfile.write(chunk)
                    self.wfile.flush()
        except OSError:
            self.close_connection = True

    do_GET = _dispatch
    do_HEAD = _dispatch
    do_POST = _dispatch
    do_PUT = _dispatch
    do_DELETE = _dispatch
    do_PATCH = _dispatch
    do_OPTIONS = _dispatch


class FakeHub:
    """A fake Hub listening on ``127.0.0.1`` (random port), started by the constructor.

    Attributes:
        url: base URL to give the client as ``endpoint`` (no trailing slash).
        requests: every request received, as ``(method, path_with_query, headers)``.
        accepted_tokens: bearer tokens granted access to gated (and private) repos.
        page_size: rows per ``GET /api/models`` page.
        delay: seconds added to every answer (simulated round trip).
    """

    def __init__(self, *, page_size: int = 1000, delay: float = 0.0) -> None:
        self.page_size = page_size
        self.delay = delay
        self.accepted_tokens: set[str] = set()
        self.requests = RequestLog()
        self.rate_limited = 0
        """429 answers sent by ``quota``."""
        self._models: dict[str, _Model] = {}
        self._renames: dict[str, str] = {}
        self._rules: list[_Rule] = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> FakeHub:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving, wake stalled answers and close every open connection (idempotent)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        with self._server.connections_lock:
            connections = list(self._server.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- registry --------------------------------------------------------------------------

    def add_model(
        self,
        repo_id: str,
        *,
        card_data: Mapping[str, Any] | None = None,
        tags: list[str] | None = None,
        gated: Gated = False,
        sha: str | None = None,
        files: Mapping[str, bytes] | None = None,
        base_models: Mapping[str, Any] | None = None,
        private: bool = False,
        disabled: bool = False,
        downloads: int = 0,
        config: Mapping[str, Any] | None = None,
        gguf: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Register (or replace) a model; returns its commit sha.

        ``files`` are the repo files besides README.md, which is generated from ``card_data``
        unless given.  ``tags`` replace the card's ``tags``; the Hub-computed tags
        (``license:*``, ``base_model:*``, ``region:us``...) are always added.  ``extra`` keys
        override or extend the payload (e.g. ``likes``, ``createdAt``, ``safetensors``).
        ``config`` is the Hub's ``config`` property (``model_type``, ``architectures``...),
        ``gguf`` its ``gguf`` property (``architecture``, ``total``, ``general.*``...); a
        README.md given in ``files`` is served as is (prose included).
        """
        if gated not in (False, "auto", "manual"):
            raise ValueError(f"gated must be False, 'auto' or 'manual', not {gated!r}")
        commit = sha if sha is not None else hashlib.sha1(repo_id.encode("utf-8")).hexdigest()
        if not _SHA_RE.match(commit):
            raise ValueError(f"sha must be 40 lower-case hex digits, not {commit!r}")
        card = copy.deepcopy(dict(card_data)) if card_data is not None else None
        repo_files = {name: bytes(data) for name, data in (files or {}).items()}
        if "README.md" not in repo_files:
            repo_files["README.md"] = model_card_readme(repo_id, card)
        model = _Model(
            repo_id=repo_id,
            card_data=card,
            tags=list(tags) if tags is not None else None,
            gated=gated,
            sha=commit,
            files=repo_files,
            base_models=copy.deepcopy(dict(base_models)) if base_models is not None else None,
            private=private,
            disabled=disabled,
            downloads=downloads,
            config=copy.deepcopy(dict(config)) if config is not None else None,
            gguf=copy.deepcopy(dict(gguf)) if gguf is not None else None,
            extra=copy.deepcopy(dict(extra)) if extra is not None else {},
            object_id=hashlib.sha1(b"_id:" + repo_id.encode("utf-8")).hexdigest()[:24],
        )
        with self._lock:
            self._models[repo_id] = model
            self._renames.pop(repo_id, None)
        return commit

    def rename(self, old_id: str, new_id: str) -> None:
        """Move ``old_id`` to ``new_id``; requests for the old id get a 307 to the new one."""
        with self._lock:
            model = self._models.pop(old_id, None)
            if model is not None:
                model.repo_id = new_id
                self._models[new_id] = model
            self._renames[old_id] = new_id

    # -- behaviours ------------------------------------------------------------------------

    def fail(
        self,
        path_prefix: str,
        status: int,
        *,
        times: int | None = 1,
        headers: Mapping[str, str] | None = None,
        body: object = None,
        method: str | None = None,
    ) -> None:
        """Answer ``status`` to the next ``times`` requests (``None``: all) whose path+query
        starts with ``path_prefix``.  ``body``: bytes/str as is, anything else as JSON; by
        default ``{"error": "<reason>"}``."""
        if body is None:
            raw = json.dumps({"error": HTTPStatus(status).phrase}).encode("utf-8")
        elif isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        else:
            raw = json.dumps(body).encode("utf-8")
        rule = _Rule(
            "fail", path_prefix, method, times, status=status, headers=dict(headers or {}), body=raw
        )
        with self._lock:
            self._rules.append(rule)

    def stall(
        self, path_prefix: str, seconds: float, *, times: int | None = 1, method: str | None = None
    ) -> None:
        """Hold the next ``times`` matching answers for ``seconds`` (cut short by ``stop()``)."""
        with self._lock:
            self._rules.append(_Rule("stall", path_prefix, method, times, seconds=seconds))

    def malformed(
        self, path_prefix: str, *, times: int | None = None, method: str | None = None
    ) -> None:
        """Answer 200 with a truncated JSON body to matching requests (all of them by default)."""
        with self._lock:
            self._rules.append(_Rule("malformed", path_prefix, method, times))

    # -- hostile behaviours (a Hub that attacks or wedges its client) ----------------------

    def hostile(
        self,
        path_prefix: str,
        reply: Callable[[str], _Reply],
        *,
        times: int | None = None,
        method: str | None = None,
    ) -> None:
        """Answer matching requests with ``reply(path_with_query)``."""
        with self._lock:
            self._rules.append(_Rule("hostile", path_prefix, method, times, reply=reply))

    def drip(
        self, path_prefix: str, body: bytes, interval: float, *, times: int | None = None
    ) -> None:
        """200 with the right Content-Length, then ``body`` one byte every ``interval`` s:
        each read succeeds, so only a wall-clock limit ends it."""
        stopping = self._stopping

        def chunks() -> Iterator[bytes]:
            for i in range(len(body)):
                if stopping.wait(interval):
                    return
                yield body[i : i + 1]

        self.hostile(
            path_prefix,
            lambda _: _Reply(
                200,
                headers=[("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
                chunks=chunks(),
            ),
            times=times,
        )

    def endless(self, path_prefix: str, *, size: int | None = None, declare: bool = False) -> None:
        """200 with a body that never ends (``size=None``) or is ``size`` bytes long, sent as
        fast as the client reads; ``declare`` sends its Content-Length up front."""

        def chunks() -> Iterator[bytes]:
            block = b'{"id": "' + b"A" * (64 * 1024 - 8)
            sent = 0
            while size is None or sent < size:
                piece = block if size is None else block[: size - sent]
                sent += len(piece)
                yield piece

        def reply(_: str) -> _Reply:
            headers = [("Content-Type", "application/json")]
            if declare and size is not None:
                headers.append(("Content-Length", str(size)))
            return _Reply(200, headers=headers, chunks=chunks())

        self.hostile(path_prefix, reply)

    def gzip_bomb(self, path_prefix: str, expanded: int) -> None:
        """200 ``Content-Encoding: gzip`` whose body is small but inflates to ``expanded``
        bytes of spaces (valid JSON whitespace, so only a size limit stops it)."""
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b" " * (1024 * 1024)
        parts = [packer.compress(block) for _ in range(expanded // len(block))]
        parts.append(packer.compress(b'{"id": "x"}') + packer.flush())
        bomb = b"".join(parts)
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(bomb))),
        ]
        self.hostile(path_prefix, lambda _: _Reply(200, bomb, list(headers)))

    def next_link(self, path_prefix: str, target: str | None = None) -> None:
        """The normal listing page, with ``Link: <target>; rel="next"``: another host's URL,
        or (``None``) the very URL that was asked for."""

        def reply(raw_path: str) -> _Reply:
            split = urlsplit(raw_path)
            params = parse_qsl(split.query, keep_blank_values=True)
            with self._lock:
                page = self._list_models(params, None)
            url = target if target is not None else self.url + raw_path
            page.headers = [(k, v) for k, v in page.headers if k != "Link"]
            page.headers.append(("Link", f'<{url}>; rel="next"'))
            return page

        self.hostile(path_prefix, reply)

    def quota(self, limit: int, window: float, path_prefix: str = "/api/") -> None:
        """A fixed-window rate limit shared by every client, like the Hub's: ``limit``
        requests per ``window`` seconds, then 429 with ``Retry-After`` and ``RateLimit``
        (``r`` remaining, ``t`` seconds to the reset) until the window turns; every answer
        in the window carries ``RateLimit``."""
        state = {"start": time.monotonic(), "used": 0}
        lock = threading.Lock()
        original = self._route

        def limited(method: str, raw_path: str, headers: dict[str, str]) -> _Reply:
            if not raw_path.startswith(path_prefix):
                return original(method, raw_path, headers)
            with lock:
                now = time.monotonic()
                if now - state["start"] >= window:
                    state["start"], state["used"] = now, 0
                reset = max(1, math.ceil(window - (now - state["start"])))
                state["used"] += 1
                left = limit - state["used"]
            rate = [("RateLimit", f'"api";r={max(0, left)};t={reset}')]
            if left < 0:
                self.rate_limited += 1
                return _json_reply(
                    429, {"error": "Too Many Requests"}, [("Retry-After", str(reset)), *rate]
                )
            answer = original(method, raw_path, headers)
            answer.headers.extend(rate)
            return answer

        self._route = limited  # type: ignore[method-assign]

    def clear_behaviours(self) -> None:
        """Drop every pending ``fail`` / ``stall`` / ``malformed`` rule."""
        with self._lock:
            self._rules.clear()

    def count(self, path_prefix: str = "", method: str | None = None) -> int:
        """Number of requests received whose path+query starts with ``path_prefix``."""
        return sum(
            1
            for r in self.requests.snapshot()
            if r.path.startswith(path_prefix) and (method is None or r.method == method)
        )

    # -- request handling ------------------------------------------------------------------

    def _take_rule(self, kind: str, method: str, path: str) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if (
                    rule.kind == kind
                    and path.startswith(rule.prefix)
                    and (rule.method is None or rule.method.upper() == method)
                    and (rule.remaining is None or rule.remaining > 0)
                ):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    return rule
        return None

    def _handle(self, method: str, raw_path: str, headers: dict[str, str]) -> _Reply:
        self.requests.record(RecordedRequest(method, raw_path, headers))
        if self.delay > 0:
            self._stopping.wait(self.delay)
        stall = self._take_rule("stall", method, raw_path)
        if stall is not None:
            self._stopping.wait(stall.seconds)
        reply = self._route(method, raw_path, headers)
        reply.headers.append(("X-Request-Id", f"Root=1-{uuid.uuid4().hex[:24]}"))
        return reply

    def _route(self, method: str, raw_path: str, headers: dict[str, str]) -> _Reply:
        failure = self._take_rule("fail", method, raw_path)
        if failure is not None:
            fail_headers = list(failure.headers.items())
            if not any(name.lower() == "content-type" for name, _ in fail_headers):
                fail_headers.append(("Content-Type", "application/json; charset=utf-8"))
            return _Reply(failure.status, failure.body or b"", fail_headers)
        hostile = self._take_rule("hostile", method, raw_path)
        if hostile is not None and hostile.reply is not None:
            return hostile.reply(raw_path)
        if self._take_rule("malformed", method, raw_path) is not None:
            return _Reply(200, _MALFORMED_BODY, [("Content-Type", "application/json")])

        split = urlsplit(raw_path)
        path, query = split.path, split.query
        params = parse_qsl(query, keep_blank_values=True)
        auth = headers.get("authorization", "")
        token = auth[len("Bearer ") :].strip() if auth.startswith("Bearer ") else None
        if method not in ("GET", "HEAD"):
            return _error(405, "Method not allowed")
        with self._lock:
            if path == "/api/agent-harnesses":
                # The client reads this as {"standardEnvVars": [...], "harnesses": {...}}:
                # a bare `[]` makes every later call fail with AttributeError.
                return _json_reply(200, {"standardEnvVars": [], "harnesses": {}})
            if path in ("/api/models", "/api/models/"):
                return self._list_models(params, token)
            if path.startswith("/api/models/"):
                return self._model_api(path[len("/api/models/") :], query, params, token)
            if "/resolve/" in path:
                return self._resolve(path, query, headers, token)
        return _error(404, "Not Found")

    # -- model lookup ----------------------------------------------------------------------

    def _final_id(self, repo_id: str) -> str:
        seen = {repo_id}
        while repo_id not in self._models and repo_id in self._renames:
            repo_id = self._renames[repo_id]
            if repo_id in seen:
                break
            seen.add(repo_id)
        return repo_id

    def _split_repo(self, raw: str) -> tuple[str, list[str]]:
        """Split ``ns/name/rest...`` (raw, still quoted) into a repo id and the rest."""
        parts = [unquote(p) for p in raw.split("/")]
        two = "/".join(parts[:2])
        if len(parts) >= 2 and (two in self._models or two in self._renames):
            return two, raw.split("/")[2:]
        if parts[0] in self._models or parts[0] in self._renames:
            return parts[0], raw.split("/")[1:]
        return two, raw.split("/")[2:]

    def _visible(self, model: _Model, token: str | None) -> bool:
        return not model.private or (token is not None and token in self.accepted_tokens)

    def _check_repo(self, repo_id: str, token: str | None) -> _Model | _Reply:
        model = self._models.get(repo_id)
        if model is None or not self._visible(model, token):
            return _error(401 if token is None else 404, "Repository not found", "RepoNotFound")
        if model.disabled:
            return _error(403, _DISABLED_MESSAGE)
        return model

    # -- /api/models/{repo_id}[/revision/{rev}] ----------------------------------------------

    def _model_api(
        self, raw_rest: str, query: str, params: list[tuple[str, str]], token: str | None
    ) -> _Reply:
        repo_id, rest = self._split_repo(raw_rest)
        final = self._final_id(repo_id)
        if final != repo_id:
            tail = "".join("/" + part for part in rest)
            location = f"/api/models/{final}{tail}" + (f"?{query}" if query else "")
            return _json_reply(307, {"error": "Repository moved"}, [("Location", location)])
        checked = self._check_repo(repo_id, token)
        if isinstance(checked, _Reply):
            return checked
        model = checked
        if rest and rest[0] == "tree" and len(rest) >= 2:
            return self._tree(model, unquote(rest[1]), unquote("/".join(rest[2:])), params)
        if rest and rest[0] == "revision" and len(rest) >= 2:
            revision = unquote("/".join(rest[1:]))
            if revision not in ("main", model.sha):
                return _error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        elif rest:
            return _error(404, "Not Found")

        expand = [v for k, v in params if k in ("expand", "expand[]")]
        unknown = [v for v in expand if v not in EXPAND_PROPERTIES]
        if unknown:
            return _error(400, f'"expand" must be one of {sorted(EXPAND_PROPERTIES)}')
        flags = {k: v for k, v in params if k != "expand"}
        blobs = flags.get("blobs") == "true"
        props = self._properties(model, blobs=blobs)
        if flags.get("securityStatus") == "true":
            props["securityRepoStatus"] = {"scansDone": True, "filesWithIssues": []}
        if expand:
            payload = self._pick(props, ("_id", "id", *expand))
        else:
            ordered = [k for k in _INFO_ORDER if k in props]
            others = [k for k in props if k not in _INFO_ORDER and k not in _EXPAND_ONLY]
            payload = self._pick(props, (*ordered, *others))
        return _json_reply(200, payload)

    @staticmethod
    def _tree(model: _Model, revision: str, path: str, params: list[tuple[str, str]]) -> _Reply:
        """``/api/models/{id}/tree/{rev}[/{path}]``, as ``list_repo_tree`` (and so
        ``snapshot_download``) reads it: files and folders under ``path``, every level with
        ``recursive=true``; one page."""
        if revision not in ("main", model.sha):
            return _error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        recursive = dict(params).get("recursive", "").lower() == "true"
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        if prefix and not any(name.startswith(prefix) for name in model.files):
            return _error(404, f"{path} does not exist on {revision}", "EntryNotFound")
        entries: dict[str, dict[str, Any]] = {}
        for name in sorted(model.files):
            if not name.startswith(prefix):
                continue
            parts = name[len(prefix) :].split("/")
            for depth in range(1, len(parts)):
                folder = prefix + "/".join(parts[:depth])
                if recursive or depth == 1:
                    oid = hashlib.sha1(f"tree:{model.sha}:{folder}".encode()).hexdigest()
                    entries.setdefault(
                        folder, {"type": "directory", "oid": oid, "size": 0, "path": folder}
                    )
            if recursive or len(parts) == 1:
                data = model.files[name]
                entries[name] = {
                    "type": "file",
                    "oid": _git_blob_sha1(data),
                    "size": len(data),
                    "path": name,
                }
        return _json_reply(200, list(entries.values()))

    @staticmethod
    def _pick(props: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in keys:
            if key in props and key not in out:
                out[key] = copy.deepcopy(props[key])
        return out

    def _effective_base_models(self, model: _Model) -> dict[str, Any] | None:
        if model.base_models is not None:
            return model.base_models
        card = model.card_data or {}
        ids = _as_str_list(card.get("base_model"))
        if not ids:
            return None
        relation = card.get("base_model_relation")
        if relation not in _BASE_MODEL_RELATIONS:
            if len(ids) > 1:
                relation = "merge"
            elif "adapter_config.json" in model.files:
                relation = "adapter"
            elif any(name.endswith(".gguf") for name in model.files):
                relation = "quantized"
            else:
                relation = "finetune"
        return {"relation": relation, "models": [{"id": i} for i in ids]}

    def _computed_tags(self, model: _Model) -> list[str]:
        card = model.card_data or {}
        tags: list[str] = []
        if model.tags is not None:
            tags.extend(model.tags)
        else:
            tags.extend(_as_str_list(card.get("tags")))
            for key in ("library_name", "pipeline_tag"):
                tags.extend(_as_str_list(card.get(key)))
            tags.extend(_as_str_list(card.get("language")))
            tags.extend(f"dataset:{d}" for d in _as_str_list(card.get("datasets")))
        base = self._effective_base_models(model)
        if base is not None:
            relation = base.get("relation")
            for entry in base.get("models") or []:
                base_id = entry.get("id") if isinstance(entry, dict) else None
                if isinstance(base_id, str):
                    tags.append(f"base_model:{base_id}")
                    if isinstance(relation, str):
                        tags.append(f"base_model:{relation}:{base_id}")
        tags.extend(f"license:{lic}" for lic in _as_str_list(card.get("license")))
        tags.append("region:us")
        return list(dict.fromkeys(tags))

    def _children_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for other in self._models.values():
            base = self._effective_base_models(other) or {}
            for entry in base.get("models") or []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    counts[entry["id"]] = counts.get(entry["id"], 0) + 1
        return counts

    def _properties(
        self,
        model: _Model,
        *,
        blobs: bool = False,
        children_counts: Mapping[str, int] | None = None,
    ) -> dict[str, Any]:
        """Every property the fake can answer for ``model`` (absent keys are not available)."""
        if children_counts is None:
            children_counts = self._children_counts()
        card = model.card_data
        siblings: list[dict[str, Any]] = []
        for name in sorted(model.files):
            sibling: dict[str, Any] = {"rfilename": name}
            if blobs:
                data = model.files[name]
                sibling.update({"blobId": _git_blob_sha1(data), "size": len(data)})
            siblings.append(sibling)
        props: dict[str, Any] = {
            "_id": model.object_id,
            "id": model.repo_id,
            "private": model.private,
        }
        if card is not None:
            for key in ("pipeline_tag", "library_name"):
                if isinstance(card.get(key), str):
                    props[key] = card[key]
        props.update(
            {
                "tags": self._computed_tags(model),
                "downloads": model.downloads,
                "likes": 0,
                "modelId": model.repo_id,
            }
        )
        if "/" in model.repo_id:
            props["author"] = model.repo_id.split("/", 1)[0]
        props.update(
            {
                "sha": model.sha,
                "lastModified": DEFAULT_LAST_MODIFIED,
                "gated": model.gated,
                "disabled": model.disabled,
            }
        )
        if model.config is not None:
            props["config"] = model.config
        if card is not None:
            props["cardData"] = card
        props.update(
            {
                "siblings": siblings,
                "spaces": [],
                "createdAt": DEFAULT_CREATED_AT,
                "usedStorage": sum(len(data) for data in model.files.values()),
                "downloadsAllTime": model.downloads,
                "childrenModelCount": children_counts.get(model.repo_id, 0),
                "trendingScore": 0,
            }
        )
        if model.gguf is not None:
            props["gguf"] = model.gguf
        base = self._effective_base_models(model)
        if base is not None:
            props["baseModels"] = base
        props.update(model.extra)
        return props

    # -- /api/models -----------------------------------------------------------------------

    def _list_models(self, params: list[tuple[str, str]], token: str | None) -> _Reply:
        single: dict[str, str] = {}
        filters: list[str] = []
        expand: list[str] = []
        for key, value in params:
            if key == "filter":
                filters.append(value)
            elif key in ("expand", "expand[]"):
                expand.append(value)
            else:
                single[key] = value
        unknown = [v for v in expand if v not in EXPAND_PROPERTIES]
        if unknown:
            return _error(400, f'"expand" must be one of {sorted(EXPAND_PROPERTIES)}')
        sort = single.get("sort")
        if sort is not None and sort not in _SORT_KEYS:
            return _error(400, f'"sort" must be one of {sorted(_SORT_KEYS)}')
        try:
            limit = int(single["limit"]) if "limit" in single else None
            offset = self._decode_cursor(single["cursor"]) if "cursor" in single else 0
        except ValueError:
            return _error(400, "Invalid limit or cursor")

        rows: list[dict[str, Any]] = []
        children_counts = self._children_counts()
        for model in self._models.values():
            if model.disabled or not self._visible(model, token):
                continue
            props = self._properties(model, children_counts=children_counts)
            names = set(props["tags"]) | {props.get("pipeline_tag"), props.get("library_name")}
            if not all(f in names for f in filters):
                continue
            author = single.get("author")
            if author and model.repo_id.split("/", 1)[0].lower() != author.lower():
                continue
            search = single.get("search")
            if search and search.lower() not in model.repo_id.lower():
                continue
            pipeline = single.get("pipeline_tag")
            if pipeline and props.get("pipeline_tag") != pipeline:
                continue
            gated = single.get("gated")
            if gated in ("true", "false") and (model.gated is not False) != (gated == "true"):
                continue
            rows.append(props)
        if sort is not None:
            rows.sort(key=lambda p: p.get(sort) or 0, reverse=True)

        size = max(1, self.page_size if limit is None else min(limit, self.page_size))
        page = rows[offset : offset + size]
        if expand:
            keys: tuple[str, ...] = ("_id", "id", *expand)
        elif single.get("full") == "true" or single.get("cardData") == "true":
            keys = tuple(k for k in _FULL_LIST_ORDER if k != "cardData" and k != "config")
            if single.get("config") == "true":
                keys += ("config",)
            if single.get("cardData") == "true":
                keys += ("cardData",)
        else:
            keys = _LIST_ORDER + (("config",) if single.get("config") == "true" else ())
        payload = [self._pick(props, keys) for props in page]

        headers: list[tuple[str, str]] = []
        if offset + size < len(rows):
            kept = [(k, v) for k, v in params if k != "cursor"]
            kept.append(("cursor", self._encode_cursor(offset + size)))
            next_url = f"{self.url}/api/models?{urlencode(kept)}"
            headers.append(("Link", f'<{next_url}>; rel="next"'))
        return _json_reply(200, payload, headers)

    @staticmethod
    def _encode_cursor(offset: int) -> str:
        return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")

    @staticmethod
    def _decode_cursor(cursor: str) -> int:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            offset = json.loads(raw)["o"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(cursor) from exc
        if not isinstance(offset, int) or offset < 0:
            raise ValueError(cursor)
        return offset

    # -- /{repo_id}/resolve/{revision}/{filename} -------------------------------------------

    def _resolve(self, path: str, query: str, headers: dict[str, str], token: str | None) -> _Reply:
        index = path.find("/resolve/")
        repo_raw = path[1:index]
        if repo_raw.startswith(("datasets/", "spaces/")):
            return _error(401 if token is None else 404, "Repository not found", "RepoNotFound")
        repo_id = unquote(repo_raw)
        rev_raw, _, file_raw = path[index + len("/resolve/") :].partition("/")
        final = self._final_id(repo_id)
        if final != repo_id:
            location = f"/{final}/resolve/{rev_raw}/{file_raw}" + (f"?{query}" if query else "")
            return _json_reply(307, {"error": "Repository moved"}, [("Location", location)])
        checked = self._check_repo(repo_id, token)
        if isinstance(checked, _Reply):
            return checked
        model = checked
        if model.gated is not False and (token is None or token not in self.accepted_tokens):
            if token is None:
                message = (
                    f"Access to model {repo_id} is restricted. You must have access to it and be "
                    "authenticated to access it. Please log in."
                )
                return _error(401, message, "GatedRepo")
            message = (
                f"Access to model {repo_id} is restricted and you are not in the authorized "
                f"list. Visit https://huggingface.co/{repo_id} to ask for access."
            )
            return _error(403, message, "GatedRepo")
        revision = unquote(rev_raw)
        if revision not in ("main", model.sha):
            return _error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        filename = unquote(file_raw)
        data = model.files.get(filename)
        if data is None:
            return _error(404, "Entry not found", "EntryNotFound", commit=model.sha)
        return self._file_reply(model, data, headers.get("range"))

    @staticmethod
    def _file_reply(model: _Model, data: bytes, range_header: str | None) -> _Reply:
        try:
            data.decode("utf-8")
            content_type = "text/plain; charset=utf-8"
        except UnicodeDecodeError:
            content_type = "application/octet-stream"
        headers = [
            ("Content-Type", content_type),
            ("ETag", f'"{_git_blob_sha1(data)}"'),
            ("X-Repo-Commit", model.sha),
            ("Accept-Ranges", "bytes"),
        ]
        total = len(data)
        if not range_header:
            return _Reply(200, data, headers)
        match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", range_header)
        if match is None or match.group(1) == match.group(2) == "":
            return _Reply(200, data, headers)
        first_s, last_s = match.groups()
        if first_s == "":
            first, last = max(0, total - int(last_s)), total - 1
        else:
            first = int(first_s)
            last = min(int(last_s), total - 1) if last_s else total - 1
        if first >= total or first > last:
            headers.append(("Content-Range", f"bytes */{total}"))
            return _Reply(416, b"", headers)
        headers.append(("Content-Range", f"bytes {first}-{last}/{total}"))
        return _Reply(206, data[first : last + 1], headers)


def start_hub(*, page_size: int = 1000, delay: float = 0.0) -> FakeHub:
    """Start a fake Hub on 127.0.0.1 (random port); call ``.stop()`` when done."""
    return FakeHub(page_size=page_size, delay=delay)


def resolve_path(repo_id: str, revision: str, filename: str) -> str:
    """The ``/resolve/`` path the client requests for a file (handy for ``fail``/``stall``)."""
    return f"/{repo_id}/resolve/{quote(revision, safe='')}/{quote(filename)}"
