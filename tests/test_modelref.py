"""How a model named by a user is read (pure, no Hub): ids stay ids, Hub addresses become the
id and revision they show, anything else is refused before any request."""

from __future__ import annotations

import pytest

from licensecmp.errors import UsageError
from licensecmp.modelref import ModelRef, parse

HOW = "name a model as OWNER/NAME or by its Hub address (https://huggingface.co/OWNER/NAME)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acme/model", ModelRef("acme/model")),
        ("  acme/model  ", ModelRef("acme/model")),
        ("gpt2", ModelRef("gpt2")),
        ("acme/model-v1.5", ModelRef("acme/model-v1.5")),
        ("acme.ai/model", ModelRef("acme.ai/model")),  # one slash: an id, not a domain
        ("https://huggingface.co/acme/model", ModelRef("acme/model")),
        ("https://huggingface.co/acme/model/", ModelRef("acme/model")),
        ("HTTPS://HuggingFace.co/acme/model", ModelRef("acme/model")),
        ("http://huggingface.co/acme/model", ModelRef("acme/model")),
        ("huggingface.co/acme/model", ModelRef("acme/model")),
        ("www.huggingface.co/acme/model", ModelRef("acme/model")),
        ("https://www.huggingface.co/acme/model", ModelRef("acme/model")),
        ("hf.co/acme/model", ModelRef("acme/model")),
        ("https://hf.co/acme/model?library=transformers#usage", ModelRef("acme/model")),
        ("https://huggingface.co/acme/model/tree/v1.0", ModelRef("acme/model", "v1.0")),
        ("https://huggingface.co/acme/model/blob/main/README.md", ModelRef("acme/model", "main")),
        ("https://huggingface.co/acme/model/resolve/abc/LICENSE", ModelRef("acme/model", "abc")),
        ("https://huggingface.co/acme/model/raw/abc/LICENSE", ModelRef("acme/model", "abc")),
        ("https://huggingface.co/acme/model/commit/abc", ModelRef("acme/model", "abc")),
        ("https://huggingface.co/acme/model/commits/dev", ModelRef("acme/model", "dev")),
        (
            "https://huggingface.co/acme/model/tree/refs%2Fpr%2F1",
            ModelRef("acme/model", "refs/pr/1"),
        ),
        ("https://huggingface.co/gpt2", ModelRef("gpt2")),
        ("hf.co/gpt2/tree/main", ModelRef("gpt2", "main")),
        ("https://huggingface.co/my%20org/model", ModelRef("my org/model")),
        ("https://user:secret@huggingface.co/acme/model", ModelRef("acme/model")),
    ],
)
def test_ids_and_hub_addresses(text: str, expected: ModelRef) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "endpoint", "expected"),
    [
        ("http://127.0.0.1:8080/acme/model", "http://127.0.0.1:8080", ModelRef("acme/model")),
        (
            "http://127.0.0.1:8080/acme/model/tree/v2",
            "http://127.0.0.1:8080/",
            ModelRef("acme/model", "v2"),
        ),
        ("https://hub.corp/hf/acme/model", "https://hub.corp/hf", ModelRef("acme/model")),
        ("https://hub.corp/hf/acme/model/", "https://hub.corp/hf/", ModelRef("acme/model")),
        ("https://huggingface.co/acme/model", "https://hub.corp", ModelRef("acme/model")),
        ("https://hub.corp/XX/acme/model", "https://hub.corp/XX", ModelRef("acme/model")),
    ],
)
def test_addresses_on_the_configured_endpoint(text: str, endpoint: str, expected: ModelRef) -> None:
    assert parse(text, endpoint) == expected


NOT_A_PAGE = "not the address of a model, of /tree/REV or of /blob/REV/FILE"


@pytest.mark.parametrize(
    ("text", "endpoint", "why"),
    [
        ("ftp://huggingface.co/acme/model", None, "not an http(s) address"),
        ("https://example.com/acme/model", None, "not a Hugging Face Hub address"),
        ("example.com/acme/model", None, "not a Hugging Face Hub address"),
        ("www.example.com", None, "not a Hugging Face Hub address"),
        ("https://huggingface.co", None, "an address that names no model"),
        ("hf.co/", None, "an address that names no model"),
        (
            "https://huggingface.co/datasets/acme/d",
            None,
            "the address of a dataset, not of a model",
        ),
        ("https://huggingface.co/spaces/acme/app", None, "the address of a Space, not of a model"),
        ("hf.co/collections/acme/c", None, "the address of a collection, not of a model"),
        ("https://huggingface.co/models", None, "the address of the model listing, not of a model"),
        ("hf.co/api/models/acme/m", None, "the address of an API address, not of a model"),
        ("https://huggingface.co/acme/model/discussions/3", None, NOT_A_PAGE),
        ("https://huggingface.co/acme/model/tree", None, NOT_A_PAGE),
        ("https://hub.corp/other/acme/model", "https://hub.corp/hf", NOT_A_PAGE),
        ("https://hub.corp/hf", "https://hub.corp/hf", "an address that names no model"),
        ("https://hub.corp/hfx/acme/model", "https://hub.corp/hf", NOT_A_PAGE),
    ],
)
def test_other_addresses_are_refused_in_one_line(text: str, endpoint: str | None, why: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse(text, endpoint) if endpoint else parse(text)
    assert str(raised.value) == f"{text!r} is {why}: {HOW}"


def test_a_refused_address_never_shows_its_credentials() -> None:
    with pytest.raises(UsageError) as raised:
        parse("https://user:s3cret@example.com/acme/model")
    assert str(raised.value) == (
        f"'https://example.com/acme/model' is not a Hugging Face Hub address: {HOW}"
    )
