"""Suspected base models a card does not declare, from the model's other clues (pure, no I/O).

A card's `base_model` is the only lineage the Hub records, and it is optional: an `mit` card can
sit on Llama weights (deepseek-ai/DeepSeek-R1-Distill-Llama-8B says so only in its README). This
module reads the other clues and names each suspected base with its exact evidence.

Signals, each kept as `kind: evidence`:

* a Hub model id (`org/name`): in `adapter_config.json` (`base_model_name_or_path`), in GGUF
  metadata (`general.base_model.N.repo_url`), or in the card prose after a lineage phrase;
* a family name, with or without a version ("Llama3.1", "Llama-3.2", "gemma-2", "Distill-Llama"):
  in the model's name, in GGUF `general.name` / `general.basename` / `general.base_model.N.name`,
  or in the card prose after a lineage phrase;
* lineage phrases in the prose: "fine-tuned from", "distilled from", "based on", "derived from",
  "trained on top of", "built with", "quantized version of", "merge of", "base model:"...;
* architecture: `config.json` `model_type` / `architectures`, GGUF `architecture`.

Rules:

1. Architecture alone never raises a suspect (Mistral and Qwen2 architectures carry Apache-2.0
   models, Llama's carries TinyLlama and OpenLLaMA): it only corroborates a suspect of its family.
2. A family name raises a suspect only for families whose every release carries a non-permissive
   licence (`RESTRICTED`: Llama, Gemma). Mixed families (Qwen, Mistral, DeepSeek, Phi, Falcon...)
   raise nothing by name; a Hub id raises a suspect whatever its family, and the caller looks it
   up (one `model_info`) for that model's own declared licences.
3. Prose counts only after a lineage phrase, within the same clause, in a sentence about this
   model (a sentence whose subject names a sibling, "DeepSeek-R1-Distill-Llama-70B is derived
   from...", is about that sibling), neither negated ("is not based on") nor "from scratch"; a
   family next to "architecture" / "tokenizer" / "chat template" is a claim about form, not
   lineage. "Outperforms Llama 3.1" has no lineage phrase: a comparison is not a signal.
4. A family with a version maps to the catalogue licence of that family and version (Llama 3.1 →
   `llama-3.1`, through each licence's `family` and `version`); without one, or with one the
   catalogue lacks, to every licence of the family ("a Llama licence, version unknown"). Gemma's
   generations are all under the Gemma Terms, whose versions are dates: Gemma maps to the family.
5. The family's own publisher (meta-llama, google) may relicense its earlier versions: its
   models raise no family suspect (a Hub id they name is still looked up).
6. A suspect none of whose licences already applies (declared, or inherited through the declared
   lineage) is a review finding `suspected-undeclared-base` naming every signal; a suspicion never
   denies on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from licensecmp.catalogue import Catalogue
from licensecmp.model import Finding, ModelFacts, Severity

CODE = "suspected-undeclared-base"
UNREADABLE_CODE = "suspected-base-unreadable"
MAX_PROSE = 200_000
"""Characters of a README searched; cards are a few kB, a hostile one may not be."""
_MAX_EVIDENCE = 120


@dataclass(frozen=True, slots=True)
class Signal:
    """One clue, with the exact text it rests on."""

    kind: str
    """`name`, `card prose`, `adapter_config.json`, `gguf` or `config.json`."""
    evidence: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.evidence}"


@dataclass(frozen=True, slots=True)
class Suspect:
    """A base model the clues point to, and the catalogue licences it would bring."""

    base: str
    """"Llama 3.1", "Llama, version unknown", or a Hub id."""
    licenses: tuple[str, ...]
    """Catalogue ids; for a family without a known version, each licence of the family."""
    signals: tuple[Signal, ...]
    hub_id: str | None = None
    """Named exactly: the caller looks it up and sets `licenses` from its card."""
    exact: bool = True
    """False when `licenses` are the alternatives of an unknown version."""


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    catalogue_family: str
    pattern: re.Pattern[str]
    architecture: re.Pattern[str]
    versioned: bool
    """Model versions are licence versions (Llama 3.1 → Llama 3.1 licence)."""
    owners: frozenset[str]
    """The family's publishers, who may release a version under another of their licences
    (Llama 3.2 Vision "is built on top of Llama 3.1" and is under Llama 3.2's)."""


# A version right after the family word, unless it is a size ("Llama-8B", "gemma-2b").
_VERSION = r"(?:[-_ ]?(?P<version>{v})(?![0-9]*(?:\.[0-9]+)?[bmk](?![a-z])|[0-9]))?(?![a-z])"
RESTRICTED: tuple[Family, ...] = (
    Family(
        "Llama",
        "llama",
        re.compile(
            r"(?<![a-z0-9])(?:meta[-_ ]?|code[-_ ]?)?llama"
            + _VERSION.format(v=r"[1-4](?:\.[0-9])?"),
            re.I,
        ),
        re.compile(r"^m?llama[0-9]*(?:for|$)", re.I),
        versioned=True,
        owners=frozenset({"meta-llama", "facebook"}),
    ),
    Family(
        "Gemma",
        "gemma",
        re.compile(
            r"(?<![a-z0-9])(?:(?:code|pali|recurrent|shield|med|data)[-_ ]?)?gemma"
            + _VERSION.format(v=r"[1-3](?:\.[0-9])?n?"),
            re.I,
        ),
        re.compile(r"^(?:pali)?gemma[0-9]*(?:n|_text)?(?:for|$)", re.I),
        versioned=False,
        owners=frozenset({"google"}),
    ),
)
# Look-alikes that are not the family: Apache-2.0 reproductions and tools.
_LOOKALIKES = re.compile(
    r"(?<![a-z0-9])(?:open[-_ ]?llama|tiny[-_ ]?llama)[\w.-]*|llama[-_. ]?(?:cpp|index|file)\b",
    re.I,
)

_PHRASE = re.compile(
    r"\b(?:"
    r"(?:fine|instruction)[- ]?tun(?:ed|ing) (?:from|of|on top of|upon)"
    r"|fine[- ]?tunes? of"
    r"|distill(?:ed|ation) (?:from|of)"
    r"|(?:we|i) (?:have )?(?:further )?(?:fine[- ]?tuned|distilled|quanti[sz]ed|trained|merged)"
    r"|derived from|derivative of"
    r"|based (?:up)?on"
    r"|built (?:up)?on(?: top of)?|built with"
    r"|(?:trained|pre-?trained|further trained) on top of"
    r"|continu(?:ed|ally) pre-?trained (?:from|on)|continued pre-?training of"
    r"|initiali[sz]ed (?:from|with)"
    r"|quanti[sz](?:ed|ation|ations) (?:version )?(?:from|of)"
    r"|(?:gguf|gptq|awq|exl2|mlx) (?:quants?|quantizations?|version|conversion|format) of"
    r"|converted from"
    r"|merge of|merged (?:from|with)"
    r"|(?:lora|qlora|peft|adapter)s? (?:for|of|on top of|on)"
    r"|(?:base|original|parent|source) models?\s*(?::|=|is\b|was\b)"
    r"|(?:version|variant) of"
    r")\s*",
    re.I,
)
# Where a clause after a lineage phrase ends: what follows is no longer the base.
_CLAUSE_END = re.compile(
    r"[;!?]|\.(?:\s|$)|:\s|,\s*(?:it|we|this|which|and it|but)\b"
    r"|\b(?:which|that|who|while|whereas|but|using|via|on|with|for|in|by|outperform\w*|compared"
    r"|than|vs|versus"
    r"|and (?:is|was|are|has|have|it|we))\b",
    re.I,
)
_NEGATED = re.compile(r"(?:\b(?:not|never|no longer)|n't)\s+(?:\w+\s+)?$", re.I)
_SCRATCH = re.compile(r"\bfrom scratch\b", re.I)
_FORM_ONLY = re.compile(r"architecture|\barch\b|tokeni[sz]er|chat template|prompt format", re.I)
_HUB_URL = re.compile(
    r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/"
    r"(?!datasets/|spaces/|docs/|blog/|papers/|collections/)([\w.-]+/[\w.-]+)",
    re.I,
)
_BARE_ID = re.compile(r"(?<![\w./:@-])([A-Za-z0-9][\w.-]{0,94}/[A-Za-z0-9][\w.-]{0,94})(?![\w/-])")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,94}/[A-Za-z0-9][\w.-]{0,94}$")
_MODEL_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.]*(?:[-_][A-Za-z0-9.]+)+")
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^<>]{0,300}>")
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\(([^)\s]{0,500})\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BLOCK_START = re.compile(r"^(?:[|#>*+-]|\d+[.)]\s)")
_QUANT_SUFFIX = re.compile(
    r"[-_.](?:gguf|gptq|awq|exl2|mlx|bnb|int[48]|[0-9]+bit|q[0-9]\w*).*$", re.I
)
_GGUF_BASE_URL = re.compile(r"^general\.base_model\.\d+\.repo_url$")
_GGUF_NAMES = re.compile(r"^general\.(?:name|basename|base_model\.\d+\.name)$")


def suspects(
    facts: ModelFacts,
    catalogue: Catalogue,
    *,
    prose: str | None = None,
    adapter_config: str | None = None,
) -> tuple[Suspect, ...]:
    """Every base the clues point to; which of them matter is `findings`' business."""
    families: list[tuple[Family, str | None, Signal]] = []
    hub_ids: list[tuple[str, Signal]] = []
    name = facts.id.rsplit("/", 1)[-1]
    families += _family_mentions(name, None)
    for key, value in facts.gguf:
        signal = Signal("gguf", f"{key} = {_quote(value)}")
        if _GGUF_BASE_URL.match(key):
            found = _HUB_URL.search(value)
            if found:
                hub_ids.append((_clean_id(found.group(1)), signal))
        elif _GGUF_NAMES.match(key):
            families += _family_mentions(value, signal)
    if adapter_config is not None:
        base = _adapter_base(adapter_config)
        if base:
            signal = Signal("adapter_config.json", f"base_model_name_or_path = {_clip(base)}")
            if _is_hub_id(base):
                hub_ids.append((base, signal))
            else:  # a local path: its last part may still name the family
                families += _family_mentions(base.rstrip("/").rsplit("/", 1)[-1], signal)
    if prose:
        for clause, found_ids, rest in _lineage_clauses(prose, name):
            signal = Signal("card prose", _quote(clause))
            hub_ids += [(i, signal) for i in found_ids]
            if not _FORM_ONLY.search(rest):
                families += _family_mentions(rest, signal)
    shapes = _architecture_signals(facts)
    own = {facts.id.lower(), (facts.requested_id or "").lower()}
    out: list[Suspect] = []
    for hub_id, signals in _grouped(hub_ids).items():
        if hub_id.lower() in own:
            continue
        kin = {f.name for f, _, _ in _family_mentions(hub_id.rsplit("/", 1)[-1], None)}
        extra = tuple(s for fam, s in shapes if fam.name in kin)
        out.append(Suspect(hub_id, (), (*signals, *extra), hub_id=hub_id))
    org = facts.id.split("/", 1)[0].lower() if "/" in facts.id else ""
    out += _family_suspects([m for m in families if org not in m[0].owners], shapes, catalogue)
    return tuple(out)


def findings(
    model: str,
    found: Iterable[Suspect],
    applied: Iterable[str],
    declared: str | None,
) -> list[Finding]:
    """A review finding for each suspect none of whose licences already applies."""
    out = []
    for suspect in differing(found, applied):
        if not suspect.licenses:
            terms = "whose licence is not in the catalogue"
        elif suspect.exact:
            terms = f"under {', '.join(suspect.licenses)}"
        else:
            terms = f"under one of {', '.join(suspect.licenses)}"
        out.append(
            Finding(
                Severity.REVIEW,
                CODE,
                f"{model} declares {declared or 'no licence'} and does not name "
                f"{suspect.base} as its base, but {len(suspect.signals)} signal(s) point to "
                f"it ({terms}): " + "; ".join(map(str, suspect.signals)),
                license=suspect.licenses[0] if suspect.exact and suspect.licenses else None,
                model=model,
                signals=tuple(map(str, suspect.signals)),
            )
        )
    return out


def differing(found: Iterable[Suspect], applied: Iterable[str]) -> list[Suspect]:
    """The suspects none of whose licences already applies (declared or inherited).

    A family named alongside a Hub id that brings the same licence ("[Llama-3.2-1B](…/meta-llama/
    Llama-3.2-1B)") is one base, not two: its signals join the Hub id's.
    """
    done = set(applied)
    out: list[Suspect] = []
    for suspect in sorted(found, key=lambda s: s.hub_id is None):  # Hub ids first
        if set(suspect.licenses) & done:
            continue
        same = next(
            (
                i
                for i, n in enumerate(out)
                if suspect.hub_id is None
                and n.hub_id is not None
                and set(suspect.licenses) & set(n.licenses)
            ),
            None,
        )
        if same is None:
            out.append(suspect)
        else:
            signals = tuple(_unique([*out[same].signals, *suspect.signals]))
            out[same] = replace(out[same], signals=signals)
    return out


def unreadable(model: str, suspect: Suspect, reason: str) -> Finding:
    """A named base that cannot be looked up: its licence is unknown, so review."""
    return Finding(
        Severity.REVIEW,
        UNREADABLE_CODE,
        f"{model} may derive from {suspect.base}, which could not be read: {reason}; signals: "
        + "; ".join(map(str, suspect.signals)),
        model=model,
        signals=tuple(map(str, suspect.signals)),
    )


def with_licenses(suspect: Suspect, licenses: Iterable[str]) -> Suspect:
    """A looked-up Hub id's own declared licences."""
    return replace(suspect, licenses=tuple(licenses))


# -- families ---------------------------------------------------------------------------------


def _family_mentions(text: str, signal: Signal | None) -> list[tuple[Family, str | None, Signal]]:
    """Each restricted family named in `text`; `signal` None: the model's name is `text`."""
    text = _LOOKALIKES.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for family in RESTRICTED:
        for match in family.pattern.finditer(text):
            version = match.group("version")
            clue = signal or Signal("name", _quote(_around(text, match)))
            out.append((family, _normal_version(version), clue))
    return out


def _normal_version(version: str | None) -> str | None:
    if version is None:
        return None
    version = version.lower().rstrip("n")
    return version.removesuffix(".0")


def _architecture_signals(facts: ModelFacts) -> list[tuple[Family, Signal]]:
    shapes = [("config.json", "model_type", facts.model_type)]
    shapes += [("config.json", "architectures", a) for a in facts.architectures]
    shapes += [("gguf", k, v) for k, v in facts.gguf if k == "architecture"]
    out = []
    for kind, key, value in shapes:
        for family in RESTRICTED:
            if value and family.architecture.match(value):
                out.append((family, Signal(kind, f"{key} = {_quote(value)}")))
    return out


def _family_suspects(
    mentions: list[tuple[Family, str | None, Signal]],
    shapes: list[tuple[Family, Signal]],
    catalogue: Catalogue,
) -> list[Suspect]:
    out = []
    for family in RESTRICTED:
        mine = [(v, s) for f, v, s in mentions if f is family]
        if not mine:
            continue  # architecture alone never raises a suspect
        loose = [s for v, s in mine if v is None]
        corroborating = [s for f, s in shapes if f is family]
        versions: list[str | None] = list(dict.fromkeys(v for v, _ in mine if v is not None))
        members = sorted(
            (lic for lic in catalogue.identities() if lic.family == family.catalogue_family),
            key=lambda lic: lic.release_date,
        )
        for version in versions or [None]:
            exact = [
                lic.id for lic in members if family.versioned and lic.version == (version or "")
            ]
            signals = [s for v, s in mine if v == version and v is not None] + loose
            if exact:
                base, licenses = f"{family.name} {version}", tuple(exact)
            else:
                licenses = tuple(lic.id for lic in members)
                if version is None:
                    base = f"a {family.name} model of unknown version"
                elif family.versioned:
                    base = (
                        f"{family.name} {version} (not in the catalogue: a {family.name} licence)"
                    )
                else:
                    base = f"{family.name} {version} (a {family.name} licence)"
            out.append(
                Suspect(
                    base, licenses, tuple(_unique([*signals, *corroborating])), exact=bool(exact)
                )
            )
    return out


# -- prose ------------------------------------------------------------------------------------


def _lineage_clauses(prose: str, own_name: str) -> list[tuple[str, list[str], str]]:
    """(phrase and its object, Hub ids named in it, object with the Hub ids blanked)."""
    out = []
    for sentence in _sentences(_plain(prose[:MAX_PROSE])):
        if _SCRATCH.search(sentence):
            continue
        for phrase in _PHRASE.finditer(sentence):
            subject = sentence[: phrase.start()]
            if _NEGATED.search(subject) or _about_sibling(subject, own_name):
                continue
            rest = sentence[phrase.end() :]
            end = _CLAUSE_END.search(rest)
            rest = rest[: end.start() if end else len(rest)][:200]
            ids = [_clean_id(m.group(1)) for m in _HUB_URL.finditer(rest)]
            blanked = _HUB_URL.sub(" ", rest)
            ids += [
                _clean_id(m.group(1))
                for m in _BARE_ID.finditer(blanked)
                if _looks_like_model(m.group(1))
            ]
            blanked = _BARE_ID.sub(
                lambda m: " " if _looks_like_model(m.group(1)) else m.group(0), blanked
            )
            out.append((sentence[phrase.start() : phrase.end()] + rest.strip(), ids, blanked))
    return out


def _plain(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        text = text[end + 4 :] if end != -1 else text
    text = _FENCE.sub("\n", text)
    text = _COMMENT.sub(" ", text)
    text = _LINK.sub(r"\1 (\2)", text)
    return _TAG.sub(" ", text)


def _sentences(text: str) -> list[str]:
    """Markdown blocks (paragraphs, list items, table rows, headings) cut into sentences."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or _BLOCK_START.match(line):
            blocks.append([])
        if line:
            blocks[-1].append(line.lstrip("|#>*+- "))
            if line.startswith(("|", "#")):
                blocks.append([])
    out = []
    for block in blocks:
        joined = " ".join(block)
        out += [s for s in _SENTENCE_END.split(joined) if s]
    return out


def _about_sibling(subject: str, own_name: str) -> bool:
    """The subject names another model of the same line ("…-Llama-70B is derived from")."""
    own = own_name.lower()
    stem = _QUANT_SUFFIX.sub("", own)
    first = re.split(r"[-_]", stem, maxsplit=1)[0]
    for token in _MODEL_TOKEN.findall(subject):
        t = token.lower().rstrip(".")
        if t in (own, stem) or own.startswith(t) or t.startswith(stem):
            return False
    return any(
        (t := token.lower().rstrip(".")).split("-")[0].split("_")[0] == first
        and t not in (own, stem)
        for token in _MODEL_TOKEN.findall(subject)
    )


def _looks_like_model(candidate: str) -> bool:
    org, _, name = candidate.partition("/")
    return len(org) > 1 and len(name) > 1 and bool(re.search(r"[-_.0-9A-Z]", name))


# -- small helpers ----------------------------------------------------------------------------


def _adapter_base(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    value = data.get("base_model_name_or_path") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def hub_id_in(value: str) -> str | None:
    """The Hub model id a metadata field names: a Hub URL's id, or a bare `org/name`."""
    found = _HUB_URL.search(value)
    if found:
        return _clean_id(found.group(1))
    value = value.strip()
    return value if _is_hub_id(value) else None


def _is_hub_id(value: str) -> bool:
    return bool(_HUB_ID.match(value)) and ".." not in value and "--" not in value


def _clean_id(value: str) -> str:
    return value.rstrip(".-_")


def _grouped(items: list[tuple[str, Signal]]) -> dict[str, list[Signal]]:
    out: dict[str, list[Signal]] = {}
    spelled: dict[str, str] = {}
    for hub_id, signal in items:
        key = spelled.setdefault(hub_id.lower(), hub_id)
        if signal not in out.setdefault(key, []):
            out[key].append(signal)
    return out


def _unique(signals: Iterable[Signal]) -> list[Signal]:
    return list(dict.fromkeys(signals))


def _around(name: str, match: re.Match[str]) -> str:
    """The family word with the name part before it: "Distill-Llama", "Llama-3.1"."""
    start = match.start()
    before = re.search(r"[A-Za-z0-9.]+[-_ ]$", name[:start])
    return name[before.start() if before else start : match.end()]


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 1] + "…"


def _quote(text: str) -> str:
    return f'"{_clip(text)}"'


__all__ = [
    "CODE",
    "RESTRICTED",
    "Family",
    "Signal",
    "Suspect",
    "findings",
    "hub_id_in",
    "suspects",
    "unreadable",
    "with_licenses",
]
