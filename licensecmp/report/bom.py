"""Render check results as a CycloneDX 1.6 JSON bill of materials (an AI BOM).

The only module that imports cyclonedx (and its packageurl): the library is loaded only when
this format is asked for. One `machine-learning-model` component per result, error results
included; licences as SPDX ids or `LicenseRef-licensecmp-…`, bases as pedigree ancestors, and
the verdict, findings and obligations as `licensecmp:` properties (names in PROPERTY_NAMES).
The same input and `--date` give the same bytes: the serial number is derived from the content.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict

from cyclonedx.model import Property, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType, Pedigree
from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.spdx import is_supported_id
from packageurl import PackageURL

from licensecmp import __version__, policyfile
from licensecmp.catalogue import Catalogue
from licensecmp.model import CheckResult, Finding, LineageNode, Obligation, Policy
from licensecmp.report import check
from licensecmp.report.meta import Meta

BOM_FORMAT_VERSION = 1
"""Bumped when a `licensecmp:` property changes meaning or disappears; new ones may appear."""

P = "licensecmp:"
PROPERTY_NAMES = {
    # metadata
    f"{P}bom-format-version": "version of this property vocabulary",
    f"{P}policy": "the policy's name",
    f"{P}policy:definition": "the policy as `policy show --format json` prints it (compact)",
    f"{P}catalogue-digest": "digest of the licence catalogue the verdicts rest on",
    # a model (component) and its bases (pedigree ancestors)
    f"{P}verdict": "allow, review or deny; undecided when the model could not be decided",
    f"{P}error": "why the model could not be decided (or a base could not be read)",
    f"{P}requested": "the model id as given to check",
    f"{P}declared-license": "the licence the card declares, as written",
    f"{P}license-expression": "every licence that applies, joined with AND",
    f"{P}gated": "how the model is gated (auto, manual)",
    f"{P}source": "the Hub endpoint, or the snapshot and its date",
    f"{P}relation": "a base: how its child derives from it (finetune, adapter, quantized, merge)",
    f"{P}parent": "a base: the model that names it as a base",
    f"{P}depth": "a base: 1 for a direct base, 2 for its base…",
    f"{P}finding:N": "finding N (1, 2…) as a JSON object, as `check --format json` writes it",
    f"{P}obligation:N": "duty N (1, 2…) as a JSON object, as `check --format json` writes it",
    # a licence
    f"{P}license-id": "the licence's catalogue id (`licensecmp show ID`)",
    f"{P}license-ref": "the LicenseRef naming a licence without an SPDX id in the expression",
}

SERIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:licensecmp:cyclonedx")
_NIL_SERIAL = uuid.UUID(int=0)
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
_NOT_IDSTRING = re.compile(r"[^A-Za-z0-9.-]+")
_PUBLIC_HUB = "https://huggingface.co"


def timestamp(text: str) -> datetime.datetime:
    """`--date` as the BOM's timestamp: an ISO date (midnight UTC) or date and time (UTC when
    no offset is given). Raises ValueError for anything else."""
    moment = datetime.datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def check_result(
    results: Sequence[CheckResult],
    meta: Meta,
    catalogue: Catalogue,
    policy: Policy | None = None,
) -> str:
    """The CycloneDX 1.6 JSON document for these results (the components in the library's
    order, by name); `meta.generated` is its timestamp, now when None."""
    refs = _unique_refs(results)
    components = [_model(r, ref, catalogue) for r, ref in zip(results, refs, strict=True)]
    bom = Bom(components=components, serial_number=_NIL_SERIAL)
    bom.metadata.timestamp = timestamp(meta.generated) if meta.generated else _now()
    bom.metadata.tools.components.add(
        Component(type=ComponentType.APPLICATION, name="licensecmp", version=__version__)
    )
    facts = {
        f"{P}bom-format-version": str(BOM_FORMAT_VERSION),
        f"{P}catalogue-digest": meta.catalogue_digest,
    }
    if policy is not None:
        facts[f"{P}policy"] = policy.name
        facts[f"{P}policy:definition"] = json.dumps(
            policyfile.to_data(policy), ensure_ascii=False, separators=(",", ":")
        )
    bom.metadata.properties = [Property(name=k, value=v) for k, v in facts.items()]
    # The serial number is a digest of the document itself (its timestamp included): the same
    # input gives the same bytes, and a different input or date a different number. The library
    # serialises once (its slow part); the number is set in the parsed document.
    draft = JsonV1Dot6(bom).output_as_string()
    doc = json.loads(draft)
    serial = uuid.uuid5(SERIAL_NAMESPACE, hashlib.sha256(draft.encode()).hexdigest())
    doc["serialNumber"] = serial.urn
    # ASCII, every other character a JSON escape (as the library writes it: ensure_ascii):
    # control, C1 and bidi characters from a card stay inert in any viewer.
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _unique_refs(results: Sequence[CheckResult]) -> list[str]:
    """A bom-ref per result, unique in the document even when a model is checked twice."""
    seen: dict[str, int] = {}
    refs = []
    for r in results:
        base = _purl(r.model, r.revision, r.source) if not r.error else None
        base = base or f"licensecmp:model/{r.requested}"
        seen[base] = seen.get(base, 0) + 1
        refs.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return refs


def _model(result: CheckResult, ref: str, catalogue: Catalogue) -> Component:
    name = result.requested if result.error else result.model
    props: list[tuple[str, str | None]] = [
        ("verdict", "undecided" if result.error else result.verdict.value),
        ("error", result.error),
        ("requested", result.requested),
        ("declared-license", result.declared_license),
        ("license-expression", _expression(result.licenses, result.unknown_licenses, catalogue)),
        ("gated", result.gated),
        ("policy", result.policy),
        ("source", result.source),
    ]
    props += _findings(result.findings)
    props += _obligations(result.obligations)
    bases = [_base(node, result.source, catalogue) for node in result.lineage if node.depth > 0]
    purl = None if result.error else _purl(result.model, result.revision, result.source)
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        bom_ref=ref,
        name=name,
        version=result.revision,
        purl=PackageURL.from_string(purl) if purl else None,
        licenses=list(_licenses(result.licenses, result.unknown_licenses, catalogue)),
        pedigree=Pedigree(ancestors=bases) if bases else None,
        properties=_properties(props),
    )


def _base(node: LineageNode, source: str, catalogue: Catalogue) -> Component:
    """A base model as a pedigree ancestor: no bom-ref, since a base shared by several models
    appears under each of them."""
    props: list[tuple[str, str | None]] = [
        ("relation", node.relation),
        ("parent", node.parent),
        ("depth", str(node.depth)),
        ("declared-license", node.declared_license),
        ("license-expression", _expression(node.licenses, (), catalogue)),
        ("gated", node.gated),
        ("error", node.error),
    ]
    purl = _purl(node.model, node.revision, source, base=True)
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=node.model,
        version=node.revision,
        purl=PackageURL.from_string(purl) if purl else None,
        licenses=list(_licenses(node.licenses, (), catalogue)),
        properties=_properties(props),
    )


def _purl(model: str, revision: str | None, source: str, *, base: bool = False) -> str | None:
    """pkg:huggingface/ORG/NAME@COMMIT for a Hub model; another Hub than huggingface.co is
    named by the `repository_url` qualifier. A model folder is a Hub model only when it has a
    commit (a folder of the Hugging Face cache); a base is always named by its Hub id."""
    endpoint = _endpoint(source)
    from_hub = endpoint is not None or base or (source.startswith("folder") and revision)
    if not from_hub or not _HUB_ID.fullmatch(model):
        return None  # a plain folder on disk, or what is no Hub id: no Hub package
    org, name = model.split("/")
    qualifiers = {}
    if endpoint and endpoint.rstrip("/") != _PUBLIC_HUB:
        qualifiers["repository_url"] = endpoint.rstrip("/")
    version = revision.lower() if revision else None
    return str(PackageURL("huggingface", org, name, version, qualifiers or None).to_string())


def _endpoint(source: str) -> str | None:
    """The Hub a result came from: `hub URL`, or `snapshot FILE (taken … from URL)`."""
    found = re.fullmatch(r"hub (\S+)|snapshot .* from (\S+)\)", source)
    return (found.group(1) or found.group(2)) if found else None


def _ref_of(license_id: str, catalogue: Catalogue) -> str:
    lic = catalogue.get(license_id)
    if lic is not None and is_supported_id(lic.spdx_id):
        return lic.spdx_id
    return f"LicenseRef-licensecmp-{_NOT_IDSTRING.sub('-', license_id).strip('-')}"


def _unknown_ref(name: str) -> str:
    """A LicenseRef for a name the catalogue does not know: the name itself when it is a
    short idstring, else its first letters and a digest (distinct names, distinct refs)."""
    slug = _NOT_IDSTRING.sub("-", name).strip("-")
    if slug != name or len(slug) > 64:
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        slug = f"{slug[:40].strip('-')}-{digest}".lstrip("-")
    return f"LicenseRef-licensecmp-unknown-{slug}"


def _expression(ids: Sequence[str], unknown: Sequence[str], catalogue: Catalogue) -> str | None:
    refs = [_ref_of(i, catalogue) for i in ids] + [_unknown_ref(n) for n in unknown]
    return " AND ".join(dict.fromkeys(refs)) or None


def _licenses(
    ids: Sequence[str], unknown: Sequence[str], catalogue: Catalogue
) -> Iterator[DisjunctiveLicense]:
    """Every licence that applies (concluded by licensecmp, bases' included) with its catalogue
    name and official text; then the names the card declares that the catalogue does not know."""
    for license_id in ids:
        lic = catalogue.get(license_id)
        ref = _ref_of(license_id, catalogue)
        props = [Property(name=f"{P}license-id", value=license_id)]
        url = XsUri(lic.documents[0].url) if lic is not None and lic.documents else None
        if lic is not None and is_supported_id(ref):
            yield DisjunctiveLicense(
                id=ref, url=url, acknowledgement=LicenseAcknowledgement.CONCLUDED, properties=props
            )
            continue
        props.append(Property(name=f"{P}license-ref", value=ref))
        yield DisjunctiveLicense(
            name=lic.name if lic is not None else license_id,
            url=url,
            acknowledgement=LicenseAcknowledgement.CONCLUDED,
            properties=props,
        )
    for name in unknown:
        yield DisjunctiveLicense(
            name=name,
            acknowledgement=LicenseAcknowledgement.DECLARED,
            properties=[Property(name=f"{P}license-ref", value=_unknown_ref(name))],
        )


def _findings(findings: Iterable[Finding]) -> Iterator[tuple[str, str | None]]:
    """One property per finding, its value the finding as `--format json` writes it: one
    property each keeps a BOM of thousands of models quick to build and to read."""
    for n, f in enumerate(findings, 1):
        yield f"finding:{n}", _compact(check.finding_dict(f))


def _obligations(obligations: Iterable[Obligation]) -> Iterator[tuple[str, str | None]]:
    for n, o in enumerate(obligations, 1):
        yield f"obligation:{n}", _compact(asdict(o))


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _properties(pairs: Iterable[tuple[str, str | None]]) -> list[Property]:
    """`licensecmp:`-namespaced properties; empty values are left out, never written blank."""
    return [Property(name=P + name, value=value) for name, value in pairs if value]
