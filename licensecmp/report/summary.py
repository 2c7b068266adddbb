"""The answer first: what a licence lets an organisation do, in lines a manager reads in thirty
seconds, built from the structured clause values only (pure).

Every licence reads the same way because no line is written per licence: each comes from a
clause value and its structured parameters, and names the clause it rests on so a report can
link it to the clause and its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from licensecmp.clauses import param_label, withholds_rights
from licensecmp.model import Clause, License, Rating


@dataclass(frozen=True, slots=True)
class Line:
    """One answer: the words, the clause behind them (an anchor), a detail in the text's terms,
    and the sections of the evidence."""

    text: str
    clause: str
    detail: str = ""
    sections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    license: License
    answer: str
    """Yes / Yes, up to … / No / Not stated: may the organisation use it commercially?"""
    rating: Rating
    commercial: tuple[Line, ...]
    must: tuple[Line, ...]
    may_not: tuple[Line, ...]
    terms: tuple[Line, ...]
    """Who can change the terms, which law, what ends the licence."""

    @property
    def lines(self) -> tuple[Line, ...]:
        return (*self.commercial, *self.must, *self.may_not, *self.terms)


def summarise(lic: License) -> Summary:
    answer, rating, commercial = _commercial(lic)
    return Summary(
        lic, answer, rating, commercial, tuple(_must(lic)), tuple(_may_not(lic)), tuple(_terms(lic))
    )


def amount(n: int) -> str:
    """700000000 → "700 million"; numbers that are not whole millions keep every digit."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if n >= size and n % (size // 10) == 0:
            whole, tenth = divmod(n, size)
            return f"{whole}{'.' + str(tenth // (size // 10)) if tenth else ''} {word}"
    return f"{n:,}"


def users(clause: Clause, lic: License) -> str:
    """A user threshold as a reader states it: "700 million monthly active users on 2024-07-23"
    when the text counts them once, on the version's release date."""
    on = f" on {lic.release_date}" if clause.text("measured_on") == "release_date" else ""
    per = " in one product" if clause.params.get("per_product") is True else ""
    return f"{amount(clause.number('monthly_active_users'))} monthly active users{per}{on}"


def revenue(clause: Clause, lic: License) -> str:
    """A revenue threshold: "USD 1 million of annual revenue"."""
    period = clause.text("period").lower()
    per = (
        " of annual revenue"
        if period.startswith(("annual", "yearly", "per year"))
        else " of monthly revenue"
        if period.startswith("monthly")
        else " of revenue"
    )
    return f"{clause.text('currency')} {amount(clause.number('amount'))}{per}"


def regions(clause: Clause) -> str:
    """Where a regional carve-out reaches and which models: "the European Union (multimodal
    models only; by the licensee's domicile)"."""
    names = ", ".join(clause.items("regions"))
    how = [
        param_label(clause.name, key, clause.text(key))
        for key in ("model_scope", "basis")
        if clause.text(key)
    ]
    return names + (f" ({'; '.join(how)})" if how else "")


def _line(clause: Clause, text: str, detail: str = "") -> Line:
    return Line(text, clause.name, detail, tuple(dict.fromkeys(e.section for e in clause.evidence)))


def _commercial(lic: License) -> tuple[str, Rating, tuple[Line, ...]]:
    c = lic.clauses
    use = c["commercial_use"]
    if use.value == "prohibited":
        line = _line(use, "Only non-commercial, research or evaluation use is licensed.")
        return "No", Rating.RESTRICTIVE, (line,)
    if use.value == "not_addressed":
        line = _line(use, "The text does not say whether commercial use is allowed.")
        return "Not stated", Rating.NOT_ADDRESSED, (line,)
    ups: list[str] = []
    duties: list[str] = []
    lines: list[Line] = []
    for name, words in (("user_threshold", users), ("revenue_threshold", revenue)):
        clause = c[name]
        if clause.value != "applies":
            continue
        effect = clause.text("effect")
        (ups if withholds_rights(effect) else duties).append(words(clause, lic))
        lines.append(
            _line(
                clause,
                f"Above {words(clause, lic)}: {param_label(name, 'effect', effect)}.",
                clause.text("consequence"),
            )
        )
    geo = c["geographic_restriction"]
    outside = ""
    if geo.value == "applies" and geo.text("model_scope") != "multimodal":
        outside = ", ".join(geo.items("regions"))
    answer = "Yes"
    if ups:
        answer += ", up to " + " and ".join(ups)
    if outside:
        answer += f", outside {outside}"
    if duties and not ups:
        answer += ", with an added duty above " + " or ".join(duties)
    rating = (
        Rating.PERMISSIVE if answer == "Yes" and use.value == "permitted" else Rating.CONDITIONAL
    )
    if not lines:
        lines.append(
            _line(
                use,
                "Allowed on the same terms as any other use."
                if use.value == "permitted"
                else "Allowed, with a condition of its own.",
                use.text("condition"),
            )
        )
    return answer, rating, tuple(lines)


def _must(lic: License) -> list[Line]:
    c = lic.clauses
    out: list[Line] = []
    credit = c["attribution"]
    if credit.value == "required":
        text = credit.text("text")
        above = [
            words(c[name], lic)
            for name, words in (("user_threshold", users), ("revenue_threshold", revenue))
            if c[name].value == "applies"
            and not withholds_rights(c[name].text("effect"))
            and text
            and text in c[name].text("consequence")
        ]
        due = f" Only above {' or '.join(above)}." if above else ""
        out.append(
            _line(
                credit,
                (
                    f"Give the credit “{text}”."
                    if text
                    else "Keep the credits and notices it requires."
                )
                + due,
                credit.text("where"),
            )
        )
    if c["license_copy_on_redistribution"].value == "required":
        out.append(
            _line(
                c["license_copy_on_redistribution"], "Ship a copy of the licence with every copy."
            )
        )
    naming = c["derivative_naming"]
    if naming.value == "required":
        out.append(_line(naming, "Follow the naming rule for derivatives.", naming.text("rule")))
    policy = c["use_policy"]
    if policy.value == "incorporated":
        changeable = (
            " (the licensor may change it)" if policy.params.get("licensor_may_change") else ""
        )
        out.append(_line(policy, f"Follow the use policy{changeable}.", policy.text("url")))
    if c["restrictions_flow_down"].value == "required":
        out.append(
            _line(
                c["restrictions_flow_down"],
                "Pass the use restrictions on to everyone who receives the model or a derivative.",
            )
        )
    if c["share_alike"].value == "required":
        out.append(_line(c["share_alike"], "Release derivatives under the same licence."))
    outputs = c["outputs_to_train_other_models"]
    if outputs.value == "conditional":
        out.append(
            _line(
                outputs,
                "Meet the condition on models trained with its outputs.",
                outputs.text("condition"),
            )
        )
    return out


def _may_not(lic: License) -> list[Line]:
    c = lic.clauses
    out: list[Line] = []
    if c["commercial_use"].value == "prohibited":
        out.append(_line(c["commercial_use"], "Use it commercially."))
    if c["modification"].value == "prohibited":
        out.append(_line(c["modification"], "Make derivatives."))
    if c["redistribution"].value == "prohibited":
        out.append(_line(c["redistribution"], "Give copies to others."))
    restricted = c["use_restrictions"]
    if restricted.value == "restricted":
        cats = restricted.items("categories")
        out.append(
            _line(
                restricted,
                f"Use it for the {len(cats)} restricted use{'s' if len(cats) != 1 else ''}: "
                f"{', '.join(cats)}.",
            )
        )
    geo = c["geographic_restriction"]
    if geo.value == "applies":
        out.append(_line(geo, f"Use it in: {regions(geo)}.", geo.text("binds")))
    outputs = c["outputs_to_train_other_models"]
    if outputs.value == "prohibited":
        out.append(_line(outputs, "Use its outputs to train other models."))
    marks = c["trademark_use"]
    if marks.value in ("limited", "not_granted"):
        out.append(
            _line(
                marks,
                "Use the licensor's marks"
                + (" beyond the use the licence prescribes." if marks.value == "limited" else "."),
            )
        )
    return out


def _terms(lic: License) -> list[Line]:
    c = lic.clauses
    licensor = lic.licensor.split(" (")[0]
    update = c["licensor_may_update_terms"]
    change = {
        "yes": f"{licensor} may change the "
        + (
            "terms that bind you, the use policy included."
            if c["use_policy"].value == "incorporated"
            and c["use_policy"].params.get("licensor_may_change")
            else "terms that bind you."
        ),
        "no": "No one: you keep the terms you received (no update right).",
        "not_addressed": "The text does not say whether the terms may change.",
    }[update.value]
    out = [_line(update, change)]
    law = c["governing_law"]
    if law.value == "specified":
        venue = law.text("venue")
        out.append(
            _line(
                law,
                f"Governing law: {law.text('jurisdiction')}.",
                f"Courts: {venue}" if venue else "",
            )
        )
    else:
        out.append(_line(law, "The licence names no governing law."))
    litigation = c["termination_on_litigation"]
    if litigation.value == "applies":
        out.append(
            _line(
                litigation,
                "Suing over the model ends your licence.",
                litigation.text("trigger"),
            )
        )
    return out
