"""Which catalogue licence, and which version, a licence text is (pure: no I/O).

Texts are compared as sets of word 5-gram shingles, each hashed to a stable 32-bit int. Five
words are short enough that one changed number ("700 million" to "900 million") leaves a mark,
and long enough that unrelated licences sharing stock phrases stay far apart. Long texts keep
only the shingles whose hash is 0 mod `modulus` (the same ones on both sides, so set ratios stay
unbiased estimates) so that the bundled fingerprints stay small.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from licensecmp.textnorm import fingerprint, normalise, strip_front_matter

SHINGLE_WORDS = 5
MAX_BYTES = 1024 * 1024
"""Largest text identified (a licence with its notices is well under 200 KiB): the time and
memory of identification grow with the text, so a 20 MB file is refused, not read."""
# A long text keeps about this many shingles: Llama 3.2 and 3.3 differ in ~8% of theirs, which
# leaves dozens of differing samples; short texts (MIT, Kimi's MIT) keep every shingle.
SAMPLE_TARGET = 512
# Jaccard from which a text is named as a catalogue licence, perhaps edited. Measured on the
# ScanCode texts: licences that are not derived from one another stay below 0.32 (X11 vs MIT
# 0.30, Llama 1 vs FLUX.1 0.31); an edited copy or a derived licence scores 0.63 and more.
THRESHOLD = 0.5
# Share of a licence's shingles that a longer text must hold to be said to contain it, when the
# text as a whole is too different (a LICENSE file with third-party notices appended).
CONTAINMENT = 0.9
# 1.0 is reserved for exact matches: a text whose sampled shingles all agree but whose sha256
# differs was edited where the sample does not look.
_BELOW_EXACT = 0.9999
MAIN_DOCUMENT = "license"

# Every pattern below runs in time linear in the text (a hostile 1 MiB text included): no
# run can span a line break where the pattern is tried at every line, and no run can pass over
# the character that starts the next attempt ("[" for a link, "<" for an autolink, "(" for a
# link's address), so attempts never rescan each other's text.
_COPYRIGHT = re.compile(
    r"^[ \t#*>/;_-]*(?:copyright\b[ \t*_]*(?:\(c\)|©|\d{4}|\[)|©[ \t]*\d{4}|\(c\)[ \t]*\d{4}"
    r"|spdx-license-identifier:).{0,200}$",
    re.IGNORECASE | re.MULTILINE,
)
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([ \t]*<?([^()\s<>]*)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_RULE = re.compile(r"^[ \t]*(?:[-=*_][ \t]*){3,}$", re.MULTILINE)
_TITLE = re.compile(r"\A\s*([^\n]*\blicen[cs]e\b[^\n]*)\n", re.IGNORECASE)
_TITLE_WORDS = 12
_WORD = re.compile(r"\w+(?:[.']\w+)*")
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What identification keeps of one catalogue document: never the text itself."""

    license_id: str
    document_id: str
    sha256: str  # textnorm.fingerprint of the text: equals documents[].sha256 in the catalogue
    canonical_sha256: str  # `canonical_digest` of the text
    modulus: int  # shingles kept: those whose hash is 0 mod this (1 keeps all)
    hashes: frozenset[int]


@dataclass(frozen=True, slots=True)
class Identification:
    """The best catalogue match for a text, or `license=None` when nothing is close enough.

    `similarity` is the Jaccard index of the two shingle sets, 1.0 only when `exact`; `coverage`
    the share of the licence's shingles found in the text, high even when the text carries
    extra matter. With no match both describe the nearest document. `ambiguous_with` names
    other licences whose document matched as well (one text can serve several licences).
    """

    license: str | None
    document: str | None = None
    exact: bool = False
    similarity: float = 0.0
    coverage: float = 0.0
    ambiguous_with: tuple[str, ...] = ()


def clean(text: str) -> str:
    """The text without what varies between copies of one licence, lines kept.

    Drops ScanCode front matter, copyright and SPDX lines, markdown rules and link syntax
    (keeping the link text, or the address when the text is empty).
    """
    text = strip_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _MD_LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _COPYRIGHT.sub("", text)
    return _RULE.sub("", text)


def canonical(text: str) -> str:
    """`clean` text without a leading title line naming a licence ("MIT License").

    Only for the exact comparison: a copy that adds or drops the title keeps the same terms.
    """
    text = clean(text)
    title = _TITLE.match(text)
    if title and len(title.group(1).split()) <= _TITLE_WORDS:
        return text[title.end() :]
    return text


def canonical_digest(text: str) -> str:
    """sha256 of the canonical text's casefolded words and punctuation, spacing ignored.

    Equal for copies that differ only in case, layout, markdown, quote style, copyright lines
    or a title line; any changed, added or dropped word or punctuation mark changes it.
    """
    tokens = _TOKEN.findall(normalise(canonical(text)).casefold())
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()


def words(text: str) -> list[str]:
    """The casefolded words of a cleaned text; numbers such as 3.1 stay one word, and
    hyphenated words split so that a line broken at a hyphen reads the same."""
    return _WORD.findall(normalise(clean(text)).casefold())


def shingle_hash(shingle: str) -> int:
    """A 32-bit hash, stable across processes and platforms (unlike the built-in hash())."""
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=4).digest(), "big")


def shingles(text: str) -> frozenset[int]:
    """Hashes of every run of SHINGLE_WORDS words (of the whole text when it is shorter)."""
    w = words(text)
    if len(w) < SHINGLE_WORDS:
        return frozenset({shingle_hash(" ".join(w))}) if w else frozenset()
    return frozenset(
        shingle_hash(" ".join(w[i : i + SHINGLE_WORDS])) for i in range(len(w) - SHINGLE_WORDS + 1)
    )


def sample(hashes: Iterable[int], modulus: int) -> frozenset[int]:
    return frozenset(h for h in hashes if h % modulus == 0)


def modulus_for(count: int) -> int:
    """The sampling modulus that keeps about SAMPLE_TARGET of `count` shingles."""
    return max(1, count // SAMPLE_TARGET)


def make_fingerprint(license_id: str, document_id: str, text: str) -> Fingerprint:
    """The fingerprint of one catalogue document from its raw text (front matter allowed)."""
    hashes = shingles(text)
    modulus = modulus_for(len(hashes))
    return Fingerprint(
        license_id=license_id,
        document_id=document_id,
        sha256=fingerprint(strip_front_matter(text)),
        canonical_sha256=canonical_digest(text),
        modulus=modulus,
        hashes=sample(hashes, modulus),
    )


def identify(text: str, fingerprints: Sequence[Fingerprint]) -> Identification:
    """Name the catalogue licence `text` is, or was edited from, or None.

    Main texts (document `license`) are searched first, then incorporated documents such as
    acceptable use policies (then `document` names which). In each: an exact copy wins (the
    same textnorm sha256, or the same `canonical_digest`); else the best Jaccard at or above
    THRESHOLD; else a document the text contains (coverage at or above CONTAINMENT), the best
    Jaccard breaking ties.
    """
    sizes: dict[str, int] = {}
    for fp in fingerprints:
        sizes[fp.license_id] = sizes.get(fp.license_id, 0) + 1
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digests = (fingerprint(strip_front_matter(text)), canonical_digest(text))
    query = shingles(text)
    main = [fp for fp in fingerprints if fp.document_id == MAIN_DOCUMENT]
    found = _match(digests, query, main, sizes)
    if found.license is None:
        other = [fp for fp in fingerprints if fp.document_id != MAIN_DOCUMENT]
        incorporated = _match(digests, query, other, sizes)
        if incorporated.license is not None:
            return incorporated
    return found


def as_record(file: str, result: Identification) -> dict[str, object]:
    """The JSON object the CLI prints for one file (similarities rounded to 4 places)."""
    return {
        "file": file,
        "license": result.license,
        "document": result.document,
        "exact": result.exact,
        "similarity": round(result.similarity, 4),
        "coverage": round(result.coverage, 4),
        "ambiguous_with": list(result.ambiguous_with),
    }


def _match(
    digests: tuple[str, str],
    query: frozenset[int],
    pool: Sequence[Fingerprint],
    sizes: dict[str, int],
) -> Identification:
    sha, canon = digests
    exact = [fp for fp in pool if fp.sha256 == sha or fp.canonical_sha256 == canon]
    if exact:
        return _pick(exact, sizes, exact=True, similarity=1.0, coverage=1.0)
    scored = [(*_scores(query, fp), fp) for fp in pool]
    if not scored:
        return Identification(None)
    best_j = max(s[0] for s in scored)
    best_c = max(s[1] for s in scored)
    if best_j >= THRESHOLD:
        tied = [s for s in scored if s[0] == best_j]
    elif best_c >= CONTAINMENT:
        covering = [s for s in scored if s[1] == best_c]
        tied = [s for s in covering if s[0] == max(c[0] for c in covering)]
    else:
        return Identification(None, similarity=best_j, coverage=best_c)
    similarity, coverage, _ = tied[0]
    return _pick(
        [s[2] for s in tied],
        sizes,
        exact=False,
        similarity=min(similarity, _BELOW_EXACT),
        coverage=coverage,
    )


def _scores(query: frozenset[int], fp: Fingerprint) -> tuple[float, float]:
    """(Jaccard, coverage of the document), on the fingerprint's sample of the query."""
    q = query if fp.modulus == 1 else sample(query, fp.modulus)
    shared = len(q & fp.hashes)
    union = len(q | fp.hashes)
    return (shared / union if union else 0.0, shared / len(fp.hashes) if fp.hashes else 0.0)


def _pick(
    tied: list[Fingerprint],
    sizes: dict[str, int],
    *,
    exact: bool,
    similarity: float,
    coverage: float,
) -> Identification:
    """One of equally good matches: the licence of which the text is the whole.

    gpt-oss ships the Apache-2.0 text beside a usage policy, so a bare Apache text is named
    apache-2.0 (the licence with fewer documents), gpt-oss is `ambiguous_with`; then ids decide.
    """
    ranked = sorted(tied, key=lambda fp: (sizes[fp.license_id], fp.license_id, fp.document_id))
    first = ranked[0]
    others = dict.fromkeys(fp.license_id for fp in ranked[1:] if fp.license_id != first.license_id)
    return Identification(
        license=first.license_id,
        document=first.document_id,
        exact=exact,
        similarity=similarity,
        coverage=coverage,
        ambiguous_with=tuple(others),
    )
