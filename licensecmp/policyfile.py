"""Read, check and write policy files: every mistake refused with its place and a suggestion.

The JSON Schema checks the shape; this module checks what a schema cannot: that licence ids
name catalogue licences (resolved as ids are everywhere else), that clause names and values
are those of the clause vocabulary (`licensecmp.clauses`), and that country and currency codes are
ISO codes (pycountry, imported here only, so start-up stays lean).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from licensecmp import schema, yamlsource
from licensecmp.catalogue import Catalogue
from licensecmp.clauses import SPECS
from licensecmp.errors import PolicyError
from licensecmp.model import Money, Policy, Problem, Use, Verdict
from licensecmp.problems import json_path, located, schema_problems

EU = "EU"
"""Accepted in regions_served for every member state (the evaluation expands it)."""
_NOT_ISO = {"UK": "GB", "EL": "GR"}
"""Codes the EU and UK government use that ISO 3166-1 reserves but does not assign."""
_SUFFIX = re.compile(r"[-_ .]*(licen[cs]e|agreement|terms)$", re.IGNORECASE)
"""Words people add to an id ('qwen-licence'): without them the id may resolve."""
_CUTOFF, _MARGIN = 0.5, 0.08
"""Suggest spellings more than half alike, and nearly as alike as the closest one."""
_UNKNOWN_KEY = re.compile(r"unknown key '([^']*)'")
_LICENSE_LISTS = ("allow_licenses", "deny_licenses")
_CLAUSE_RULES = ("deny_clause_values", "review_clause_values")
STARTER = "starter-policy.yaml"


def load(path: Path, catalogue: Catalogue) -> Policy:
    """The policy in `path`, licence ids resolved in `catalogue`; raises PolicyError listing
    every problem as `file:line:col: message [json path]`."""
    display = str(path)
    parsed, _ = yamlsource.read(path, display)
    problems = list(parsed.problems)
    if not problems and not isinstance(parsed.data, dict):
        problems = [
            Problem(display, "top level must be a mapping (organisation:, uses:, ...)", 1, 1)
        ]
    if not problems:
        problems = check(parsed.data, parsed.root, display, catalogue)
    if problems:
        raise PolicyError("invalid policy:\n" + "\n".join(map(str, problems)))
    return from_data(parsed.data, catalogue, default_name=path.stem)


def check(data: Mapping[str, Any], root: Any, display: str, catalogue: Catalogue) -> list[Problem]:
    """Every problem in a parsed policy, schema and meaning alike, in file order."""
    validator = schema.validator(schema.POLICY_SCHEMA)
    found = [_plainer(p, data) for p in schema_problems(validator.iter_errors(data), root, display)]
    found += _meaning(data, root, display, catalogue)
    unique = {(p.line or 0, p.column or 0, p.message, p.json_path): p for p in found}
    return [unique[key] for key in sorted(unique, key=lambda k: (k[0], k[1]))]


def _plainer(problem: Problem, data: Mapping[str, Any]) -> Problem:
    """Schema messages said in the policy's own terms, with a suggestion for a mistyped key."""
    path, message = problem.json_path or "$", problem.message
    if path == "$.uses" and data.get("uses") == []:
        message = "name at least one use; list every use you intend (an empty list would skip "
        message += "every use-based term)"
    elif path.startswith("$.exchange_rates.") and "minimum" in message:
        code = path.removeprefix("$.exchange_rates.")
        rate = message.split(" is ", 1)[0]
        message = f"{rate} is not a rate: give how many units of annual_revenue.currency 1 {code}"
        message += " is worth (a positive number)"
    elif key := _UNKNOWN_KEY.fullmatch(message):
        node = schema.load(schema.POLICY_SCHEMA)
        for step in path.removeprefix("$").split(".")[1:]:
            node = node.get("properties", {}).get(step, {})
        message += _did_you_mean(key[1], list(node.get("properties", {})))
    return Problem(problem.file, message, problem.line, problem.column, problem.json_path)


def _meaning(
    data: Mapping[str, Any], root: Any, display: str, catalogue: Catalogue
) -> Iterator[Problem]:
    def at(path: Sequence[str | int], message: str) -> Problem:
        return located(display, root, path, message)

    def at_key(path: Sequence[str | int], key: str, message: str) -> Problem:
        where = yamlsource.locate_key(root, path, key) or yamlsource.locate(root, path)
        line, col = where or (None, None)
        return Problem(display, message, line, col, json_path([*path, key]))

    org = data.get("organisation")
    org = org if isinstance(org, dict) else {}
    domicile = org.get("domicile")
    if isinstance(domicile, str):
        if domicile == EU:
            yield at(
                ["organisation", "domicile"],
                "domicile is one country: name the member state (EU is accepted in regions_served)",
            )
        elif problem := _country_problem(domicile, null_ok=True):
            yield at(["organisation", "domicile"], problem)
    regions = org.get("regions_served")
    for i, code in enumerate(regions if isinstance(regions, list) else ()):
        if isinstance(code, str) and code != EU and (problem := _country_problem(code)):
            yield at(["organisation", "regions_served", i], problem)

    users = org.get("monthly_active_users")
    product = org.get("largest_product_monthly_active_users")
    if isinstance(users, int) and isinstance(product, int) and product > users:
        yield at(
            ["organisation", "largest_product_monthly_active_users"],
            f"{product:,} users of one product exceed the organisation's monthly_active_users "
            f"({users:,}), which counts every product",
        )

    revenue = org.get("annual_revenue")
    currency = revenue.get("currency") if isinstance(revenue, dict) else None
    if isinstance(currency, str) and (problem := _currency_problem(currency)):
        yield at(["organisation", "annual_revenue", "currency"], problem)
    rates = data.get("exchange_rates")
    if isinstance(rates, dict):
        if rates and not isinstance(currency, str):
            yield at(
                ["exchange_rates"],
                "exchange_rates convert into annual_revenue.currency: state annual_revenue, "
                "or remove the rates",
            )
        for code, rate in rates.items():
            if not isinstance(code, str):
                message = f"{code!r} is not a currency code (quote the key if YAML misread it)"
                yield at_key(["exchange_rates"], str(code), message)
            elif problem := _currency_problem(code):
                yield at_key(["exchange_rates"], code, problem)
            elif isinstance(rate, float) and not math.isfinite(rate):
                yield at(["exchange_rates", code], f"{rate} is not a rate: give a finite number")
            elif code == currency and rate != 1:
                yield at(
                    ["exchange_rates", code],
                    f"1 {code} is 1 {code}: drop this rate, it is the revenue's own currency",
                )

    rules = data.get("rules")
    rules = rules if isinstance(rules, dict) else {}
    for field in _LICENSE_LISTS:
        names = rules.get(field)
        for i, name in enumerate(names if isinstance(names, list) else ()):
            if isinstance(name, str) and not license_ids(name, catalogue):
                yield at(["rules", field, i], _unknown_license(name, catalogue))
    overlap = _resolved(rules.get("allow_licenses"), catalogue) & _resolved(
        rules.get("deny_licenses"), catalogue
    )
    if overlap:
        yield at(
            ["rules", "deny_licenses"],
            f"{', '.join(sorted(overlap))} both allowed and denied: keep each licence on one list",
        )
    vocabulary = clause_vocabulary()
    for field in _CLAUSE_RULES:
        table = rules.get(field)
        for clause, values in table.items() if isinstance(table, dict) else ():
            if clause not in vocabulary:
                yield at_key(
                    ["rules", field],
                    str(clause),
                    f"unknown clause {clause!r}{_did_you_mean(str(clause), list(vocabulary))}",
                )
                continue
            allowed = vocabulary[clause]
            for i, value in enumerate(values if isinstance(values, list) else ()):
                if isinstance(value, str) and value not in allowed:
                    yield at(
                        ["rules", field, clause, i],
                        f"{value!r} is not a value of {clause}"
                        f"{_did_you_mean(value, allowed)} (one of: {', '.join(allowed)})",
                    )


def _country_problem(code: str, null_ok: bool = False) -> str | None:
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    if found is not None and found.alpha_2 == code:  # get() ignores case; evaluation does not
        return None
    message = f"{code!r} is not an ISO 3166-1 alpha-2 country code"
    hint = _NOT_ISO.get(code.upper())
    if hint is None and code.upper() != "ZZ":
        try:
            hint = pycountry.countries.lookup(code).alpha_2
        except LookupError:
            hint = None
    if hint:
        return f"{message}; did you mean {hint!r}?"
    if code.upper() == "ZZ":
        message += " (ZZ stands for 'unknown')"
        return message + ("; write null when the country is unknown" if null_ok else "")
    withdrawn = pycountry.historic_countries.get(alpha_2=code.upper())
    if withdrawn is not None:
        return f"{message}: {code.upper()} ({withdrawn.name}) was withdrawn"
    return message


def _currency_problem(code: str) -> str | None:
    import pycountry

    found = pycountry.currencies.get(alpha_3=code)
    if found is not None and found.alpha_3 == code:
        return None
    message = f"{code!r} is not an ISO 4217 currency code"
    try:
        return f"{message}; did you mean {pycountry.currencies.lookup(code).alpha_3!r}?"
    except LookupError:
        return message


def license_ids(name: str, catalogue: Catalogue) -> frozenset[str]:
    """The catalogue ids `name` names, as ids resolve everywhere else; a Hub id shared by
    several versions, or a family name, names every version. Empty when it names none."""
    found = catalogue.resolve(name)
    if found is not None:
        return frozenset({found.license.id, *found.ambiguous_with})
    return frozenset(lic.id for lic in catalogue.identities() if lic.family == name.lower())


def _resolved(names: object, catalogue: Catalogue) -> frozenset[str]:
    if not isinstance(names, list):
        return frozenset()
    return frozenset(i for n in names if isinstance(n, str) for i in license_ids(n, catalogue))


def license_suggestion(name: str, catalogue: Catalogue, cutoff: float = _CUTOFF) -> str:
    """ "; did you mean …?" naming the spellings closest to `name` (one per licence they name),
    or "": its id without a trailing 'licence' when that resolves, else the best matches of
    every spelling an id may take (catalogue, Hub and SPDX ids, card names, families, names)."""
    bare = _SUFFIX.sub("", name)
    if bare and bare != name and license_ids(bare, catalogue):
        return _alternatives([bare])
    spellings: dict[str, str] = {}
    for lic in catalogue.identities():
        for spelling in (lic.id, *lic.hub_license_ids, *lic.hub_license_names, lic.spdx_id):
            spellings.setdefault(spelling.lower(), spelling)
        spellings.setdefault(lic.family, lic.family)
        spellings.setdefault(lic.name.lower(), lic.id)  # a full name suggests its id
    scored = sorted(
        ((difflib.SequenceMatcher(None, name.lower(), key).ratio(), key) for key in spellings),
        key=lambda pair: (-pair[0], pair[1]),
    )
    best = scored[0][0] if scored else 0.0
    picked: list[str] = []
    seen: set[frozenset[str]] = set()
    for score, key in scored:
        if score <= cutoff or score < best - _MARGIN or len(picked) == 3:
            break
        target = license_ids(spellings[key], catalogue)
        if target not in seen:
            seen.add(target)
            picked.append(spellings[key])
    return _alternatives(picked)


def _unknown_license(name: str, catalogue: Catalogue) -> str:
    hint = license_suggestion(name, catalogue)
    return f"unknown licence {name!r}" + (hint or " (see `licensecmp list`)")


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    return _alternatives(difflib.get_close_matches(word, choices, n=2, cutoff=0.6))


def _alternatives(words: Sequence[str]) -> str:
    if not words:
        return ""
    return "; did you mean " + " or ".join(repr(w) for w in words) + "?"


@cache
def clause_vocabulary() -> dict[str, tuple[str, ...]]:
    """Clause name -> the values it may take, from the vocabulary (the one source)."""
    return {name: tuple(v.name for v in spec.values) for name, spec in SPECS.items()}


def from_data(
    data: Mapping[str, Any], catalogue: Catalogue, default_name: str = "policy"
) -> Policy:
    """The Policy a checked policy file states (call `check` first)."""
    org = data.get("organisation") or {}
    rules = data.get("rules") or {}
    revenue = org.get("annual_revenue")
    return Policy(
        name=data.get("name", default_name),
        organisation=org.get("name"),
        monthly_active_users=org.get("monthly_active_users"),
        product_monthly_active_users=org.get("largest_product_monthly_active_users"),
        annual_revenue=Money(revenue["amount"], revenue["currency"]) if revenue else None,
        exchange_rates={code: float(rate) for code, rate in data.get("exchange_rates", {}).items()},
        domicile=org.get("domicile"),
        regions_served=tuple(org.get("regions_served", ())),
        uses=frozenset(Use(u) for u in data.get("uses", ())),
        allow_licenses=_resolved(rules.get("allow_licenses", []), catalogue),
        deny_licenses=_resolved(rules.get("deny_licenses", []), catalogue),
        deny_clause_values=_values(rules.get("deny_clause_values", {})),
        review_clause_values=_values(rules.get("review_clause_values", {})),
        unknown_license=Verdict(rules.get("unknown_license", "review")),
        gated=Verdict(rules.get("gated", "allow")),
        dropped_base_terms=Verdict(rules.get("dropped_base_terms", "review")),
    )


def _values(raw: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    return {clause: frozenset(values) for clause, values in raw.items()}


def to_data(policy: Policy) -> dict[str, Any]:
    """The policy as a policy file states it, every field written out (licence ids resolved):
    loading it back gives the same policy."""
    revenue = policy.annual_revenue
    return {
        "name": policy.name,
        "organisation": {
            "name": policy.organisation,
            "monthly_active_users": policy.monthly_active_users,
            "largest_product_monthly_active_users": policy.product_monthly_active_users,
            "annual_revenue": (
                {"amount": revenue.amount, "currency": revenue.currency} if revenue else None
            ),
            "domicile": policy.domicile,
            "regions_served": list(policy.regions_served),
        },
        "exchange_rates": dict(sorted(policy.exchange_rates.items())),
        "uses": [use.value for use in Use if use in policy.uses],
        "rules": {
            "allow_licenses": sorted(policy.allow_licenses),
            "deny_licenses": sorted(policy.deny_licenses),
            "deny_clause_values": _ordered(policy.deny_clause_values),
            "review_clause_values": _ordered(policy.review_clause_values),
            "unknown_license": policy.unknown_license.value,
            "gated": policy.gated.value,
            "dropped_base_terms": policy.dropped_base_terms.value,
        },
    }


def _ordered(table: Mapping[str, frozenset[str]]) -> dict[str, list[str]]:
    """In vocabulary order, so the same policy always prints the same way."""
    vocabulary = clause_vocabulary()
    order = [*vocabulary, *sorted(set(table) - set(vocabulary))]
    return {
        clause: sorted(table[clause], key=lambda v: (_index(vocabulary.get(clause, ()), v), v))
        for clause in order
        if clause in table
    }


def _index(values: Sequence[str], value: str) -> int:
    return values.index(value) if value in values else len(values)


def starter() -> str:
    """The commented starter policy `licensecmp policy init` writes."""
    return (files("licensecmp") / "data" / STARTER).read_text(encoding="utf-8")
