"""Suspected undeclared base models: a labelled set measured for precision and recall, then the
whole `check` against the fake Hub (real client, real HTTP)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from licensecmp import resolution, signals
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.model import ModelFacts
from licensecmp.service import open_catalogue
from tests.hubserver import FakeHub, resolve_path, start_hub

# The licence part of deepseek-ai/DeepSeek-R1's README, which every R1 distill repeats: each
# model's card names its siblings' bases too.
DEEPSEEK_README = """---
license: mit
library_name: transformers
---
# DeepSeek-R1

## 7. License
This code repository and the model weights are licensed under the [MIT License](LICENSE).
DeepSeek-R1 series support commercial use, allow for any modifications and derivative works,
including, but not limited to, distillation for training other LLMs. Please note that:
- DeepSeek-R1-Distill-Qwen-1.5B, DeepSeek-R1-Distill-Qwen-7B, DeepSeek-R1-Distill-Qwen-14B and
DeepSeek-R1-Distill-Qwen-32B are derived from [Qwen-2.5 series](https://github.com/QwenLM/Qwen2.5),
which are originally licensed under [Apache 2.0 License](https://huggingface.co/Qwen/Qwen2.5-1.5B/blob/main/LICENSE),
and now finetuned with 800k samples curated with DeepSeek-R1.
- DeepSeek-R1-Distill-Llama-8B is derived from Llama3.1-8B-Base and is originally licensed under
[llama3.1 license](https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/LICENSE).
- DeepSeek-R1-Distill-Llama-70B is derived from Llama3.3-70B-Instruct and is originally licensed
under [llama3.3 license](https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/LICENSE).
"""
DISTILL_8B = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
LLAMA = "meta-llama/Llama-3.1-8B"
LLAMA_INSTRUCT = "meta-llama/Llama-3.1-8B-Instruct"
MISTRAL = "mistralai/Mistral-7B-v0.1"
QWEN_7B = "Qwen/Qwen2.5-7B"
QWEN_72B = "Qwen/Qwen2.5-72B-Instruct"
# What the Hub's cards of the Hub ids named below declare (looked up by `check`; the lookup
# itself is tested against the fake Hub further down).
HUB_LICENSES: dict[str, tuple[str, ...]] = {
    LLAMA: ("llama-3.1",),
    LLAMA_INSTRUCT: ("llama-3.1",),
    "meta-llama/Llama-3.2-1B": ("llama-3.2",),
    MISTRAL: ("apache-2.0",),
    QWEN_7B: ("apache-2.0",),
    QWEN_72B: ("qwen",),
    "microsoft/phi-4": ("mit",),
}
LLAMA_ANY = "a Llama model of unknown version"


@dataclass(frozen=True)
class Case:
    """One labelled model: its clues, and the bases a careful reviewer would flag."""

    model: str
    license: str | None
    expect: frozenset[str]
    model_type: str | None = None
    architectures: tuple[str, ...] = ()
    gguf: dict[str, str] = field(default_factory=dict)
    prose: str | None = None
    adapter: dict[str, Any] | None = None


def case(model: str, license: str | None, *expect: str, **clues: Any) -> Case:
    return Case(model, license, frozenset(expect), **clues)


CASES: list[Case] = [
    # -- undeclared bases a reviewer must see ---------------------------------------------
    case(DISTILL_8B, "mit", "Llama 3.1", model_type="llama", prose=DEEPSEEK_README),
    case(
        "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
        "mit",
        "Llama 3.3",
        model_type="llama",
        prose=DEEPSEEK_README,
    ),
    case(
        "acme/Llama-3.1-8B-SFT-chat",
        "apache-2.0",
        "Llama 3.1",
        model_type="llama",
        prose="This model is a fine-tuned version of Llama 3.1 8B on our chat data.",
    ),
    case(
        "acme/support-bot-8b",
        "apache-2.0",
        LLAMA_INSTRUCT,
        model_type="llama",
        prose=f"support-bot-8b was fine-tuned from {LLAMA_INSTRUCT} with LoRA on tickets.",
    ),
    case(
        "someone/Llama-3.2-3B-Instruct-GGUF",
        "apache-2.0",
        "Llama 3.2",
        gguf={"architecture": "llama", "general.basename": "Llama-3.2"},
        prose="Quantized with llama.cpp release b4000. Use the Q4_K_M file for most uses.",
    ),
    case(
        "acme/support-q4-gguf",
        "mit",
        LLAMA_INSTRUCT,
        gguf={
            "architecture": "llama",
            "general.base_model.0.repo_url": f"https://huggingface.co/{LLAMA_INSTRUCT}",
        },
    ),
    case(
        "acme/lora-sql",
        "apache-2.0",
        LLAMA,
        adapter={"base_model_name_or_path": LLAMA, "peft_type": "LORA", "r": 16},
    ),
    case(
        "acme/lora-local",
        "apache-2.0",
        "Llama 3",
        adapter={"base_model_name_or_path": "/home/u/models/Meta-Llama-3-8B-Instruct/"},
    ),
    case(
        "acme/Llama-Chat-Pro",
        "mit",
        LLAMA_ANY,
        model_type="llama",
        architectures=("LlamaForCausalLM",),
    ),
    case("acme/helper-8b", "mit", LLAMA_ANY, prose="## Attribution\n\nBuilt with Llama\n"),
    case("acme/alpaca-7b-native", "mit", LLAMA_ANY, prose="A model fine-tuned from LLaMA-7B."),
    case(
        "acme/Llama-3.1-8B-ru",
        "llama3",
        "Llama 3.1",
        prose="Llama 3.1 8B, further trained on Russian text.",
    ),
    case(
        "acme/ner-model",
        "apache-2.0",
        "meta-llama/Llama-3.2-1B",
        prose="Original model: [Llama-3.2-1B](https://huggingface.co/meta-llama/Llama-3.2-1B)",
    ),
    case(
        "acme/gemma-2-9b-it-sft",
        "apache-2.0",
        "Gemma 2 (a Gemma licence)",
        model_type="gemma2",
    ),
    case(
        "acme/qwen-big-tune",
        "mit",
        QWEN_72B,
        model_type="qwen2",
        prose=f"We fine-tuned {QWEN_72B} on legal documents; it is released under MIT.",
    ),
    case(
        "acme/no-card-licence",
        None,
        LLAMA,
        prose=f"Trained on top of {LLAMA} for 2 epochs.",
    ),
    # -- false-positive guards: these stay allow -------------------------------------------
    case(
        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
        "mit",
        model_type="qwen2",
        prose=DEEPSEEK_README,
    ),
    case(
        "acme/mistral-7b-support",
        "apache-2.0",
        model_type="mistral",
        prose="Fine-tuned from Mistral-7B-v0.1 on support tickets.",
    ),
    case(
        "acme/mistral-7b-named",
        "apache-2.0",
        model_type="mistral",
        prose=f"This model is fine-tuned from {MISTRAL} using DPO.",
    ),
    case(
        "acme/mistral-sft",
        "apache-2.0",
        model_type="mistral",
        prose=f"This model is a fine-tuned version of [{MISTRAL}](https://huggingface.co/{MISTRAL})"
        " on the [HuggingFaceH4/ultrachat_200k](https://huggingface.co/datasets/HuggingFaceH4/"
        "ultrachat_200k) dataset.",
    ),
    case(
        "acme/qwen2.5-7b-math",
        "apache-2.0",
        model_type="qwen2",
        prose="Our model is based on Qwen2.5-7B and trained on math problems.",
    ),
    case(
        "acme/qwen2.5-7b-named",
        "apache-2.0",
        model_type="qwen2",
        prose=f"Base model: https://huggingface.co/{QWEN_7B}",
    ),
    case(
        "acme/small-7b",
        "apache-2.0",
        model_type="mistral",
        prose="Our model outperforms Llama 3.1 8B and Gemma 2 9B on MMLU and GSM8K.",
    ),
    case(
        "acme/from-scratch-1b",
        "apache-2.0",
        model_type="llama",
        architectures=("LlamaForCausalLM",),
        prose="A 1B model trained from scratch on 2T tokens.",
    ),
    case("acme/bare-arch-1b", "apache-2.0", model_type="llama", gguf={"architecture": "llama"}),
    case(
        "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
        "apache-2.0",
        model_type="llama",
        prose="The TinyLlama project aims to pretrain a 1.1B Llama model on 3 trillion tokens. "
        "We adopted exactly the same architecture and tokenizer as Llama 2.",
    ),
    case(
        "openlm-research/open_llama_7b",
        "apache-2.0",
        model_type="llama",
        prose="OpenLLaMA: an open reproduction of LLaMA, trained on the RedPajama dataset.",
    ),
    case(
        "acme/arch-2b",
        "apache-2.0",
        model_type="llama",
        prose="Our model is based on the Llama 2 architecture with grouped-query attention.",
    ),
    case(
        "acme/indie-7b",
        "apache-2.0",
        model_type="llama",
        prose="This model is not based on Llama: it was pretrained on our own corpus.",
    ),
    case(
        "acme/eval-model",
        "mit",
        model_type="mistral",
        prose="Compare with:\n\n```python\nref = AutoModel.from_pretrained('meta-llama/"
        "Llama-3.1-8B')  # fine-tuned from Llama 3.1 baseline\n```\n",
    ),
    case("acme/gemma-2-9b-tuned", "gemma", model_type="gemma2"),
    case(
        "meta-llama/Llama-3.2-11B-Vision",
        "llama3.2",
        model_type="mllama",
        prose="Llama 3.2-Vision is built on top of Llama 3.1 text-only model.",
    ),
    case(
        "acme/Llama-3.2-11B-Vision-tune",
        "llama3.2",
        "Llama 3.1",
        model_type="mllama",
        prose="acme/Llama-3.2-11B-Vision-tune is built on top of Llama 3.1 text-only model.",
    ),
    case("acme/Llama-3.1-8B-tuned", "llama3.1", model_type="llama"),
    case(
        "acme/phi-4-sft",
        "mit",
        model_type="phi3",
        prose="phi-4-sft is fine-tuned from microsoft/phi-4 on instruction data.",
    ),
    case(
        "acme/mixtral-merge",
        "apache-2.0",
        model_type="mixtral",
        prose="A merge of Mixtral-8x7B and Mistral-7B made with mergekit.",
    ),
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


def flagged(item: Case, catalogue: Catalogue) -> tuple[set[str], list[signals.Suspect]]:
    """What `check` would flag for `item`: suspects, Hub ids looked up, minus what applies."""
    facts = ModelFacts(
        id=item.model,
        sha="0" * 40,
        card_licenses=(item.license,) if item.license else (),
        model_type=item.model_type,
        architectures=item.architectures,
        gguf=tuple(sorted(item.gguf.items())),
    )
    adapter = json.dumps(item.adapter) if item.adapter is not None else None
    found = signals.suspects(facts, catalogue, prose=item.prose, adapter_config=adapter)
    looked_up = [signals.with_licenses(s, HUB_LICENSES[s.hub_id]) if s.hub_id else s for s in found]
    applied = resolution.from_card(facts, catalogue).licenses
    kept = signals.differing(looked_up, applied)
    return {s.base for s in kept}, kept


def test_labelled_set_precision_and_recall(catalogue: Catalogue) -> None:
    assert len(CASES) >= 25
    assert len({c.model for c in CASES}) == len(CASES)
    tp = fp = fn = tn = 0
    wrong = []
    for item in CASES:
        got, _ = flagged(item, catalogue)
        if got != item.expect:
            wrong.append(f"{item.model}: expected {sorted(item.expect)}, got {sorted(got)}")
        if item.expect and got == item.expect:
            tp += 1
        elif got and not item.expect:
            fp += 1
        elif item.expect and not got:
            fn += 1
        elif not item.expect and not got:
            tn += 1
        else:  # flagged, but not the right base: both a false positive and a miss
            fp += 1
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"\nsuspected-undeclared-base on {len(CASES)} labelled models "
        f"({tp + fn} with an undeclared base, {tn + fp} without): "
        f"precision {precision:.2f} ({tp}/{tp + fp}), recall {recall:.2f} ({tp}/{tp + fn})"
    )
    assert wrong == []
    assert (precision, recall) == (1.0, 1.0)


def test_deepseek_distill_names_every_signal(catalogue: Catalogue) -> None:
    (item,) = [c for c in CASES if c.model == DISTILL_8B]
    _, (suspect,) = flagged(item, catalogue)
    assert suspect.licenses == ("llama-3.1",)
    assert [str(s) for s in suspect.signals] == [
        'card prose: "derived from Llama3.1-8B-Base"',
        'name: "Distill-Llama"',
        'config.json: model_type = "llama"',
    ]
    (finding,) = signals.findings(DISTILL_8B, [suspect], ["mit"], "mit")
    assert finding.severity.value == "review"
    assert finding.code == "suspected-undeclared-base"
    assert finding.license == "llama-3.1"
    assert finding.message == (
        f"{DISTILL_8B} declares mit and does not name Llama 3.1 as its base, but 3 signal(s) "
        'point to it (under llama-3.1): card prose: "derived from Llama3.1-8B-Base"; '
        'name: "Distill-Llama"; config.json: model_type = "llama"'
    )


def test_architecture_only_corroborates(catalogue: Catalogue) -> None:
    """`model_type: llama` joins a Llama suspect's signals but never raises one alone."""
    bare = ModelFacts(
        id="acme/x", sha=None, model_type="llama", architectures=("LlamaForCausalLM",)
    )
    assert signals.suspects(bare, catalogue) == ()
    named = ModelFacts(id="acme/Llama-x", sha=None, model_type="llama")
    (suspect,) = signals.suspects(named, catalogue)
    assert [str(s) for s in suspect.signals] == [
        'name: "Llama"',
        'config.json: model_type = "llama"',
    ]
    assert suspect.exact is False
    assert suspect.licenses == (
        "llama-2",
        "llama-3",
        "llama-3.1",
        "llama-3.2",
        "llama-3.3",
        "llama-4",
    )


def test_unknown_version_says_so(catalogue: Catalogue) -> None:
    facts = ModelFacts(id="acme/Llama-Chat-Pro", sha=None)
    (finding,) = signals.findings(
        facts.id, signals.suspects(facts, catalogue), ["apache-2.0"], "apache-2.0"
    )
    assert finding.license is None
    assert finding.message == (
        "acme/Llama-Chat-Pro declares apache-2.0 and does not name a Llama model of unknown "
        "version as its base, but 1 signal(s) point to it (under one of llama-2, llama-3, "
        'llama-3.1, llama-3.2, llama-3.3, llama-4): name: "Llama"'
    )


def test_hostile_prose_stays_bounded(catalogue: Catalogue) -> None:
    """A huge or garbled card is read up to a bound and yields text evidence only."""
    facts = ModelFacts(id="acme/x", sha=None)
    prose = "fine-tuned from " + "x" * 1_000_000 + " Llama 3.1"
    assert signals.suspects(facts, catalogue, prose=prose) == ()
    junk = signals.suspects(facts, catalogue, adapter_config="{not json", prose="\x00" * 100)
    assert junk == ()
    long_name = "based on Llama-3.1-" + "z" * 500
    (suspect,) = signals.suspects(facts, catalogue, prose=long_name)
    assert all(len(s.evidence) <= 122 for s in suspect.signals)


# -- `check` against the fake Hub ----------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub()
    server.add_model(LLAMA, card_data={"license": "llama3.1"}, gated="manual")
    server.add_model(MISTRAL, card_data={"license": "apache-2.0"}, gated="auto")
    server.add_model(
        DISTILL_8B,
        card_data={"license": "mit", "library_name": "transformers"},
        config={"architectures": ["LlamaForCausalLM"], "model_type": "llama"},
        files={"README.md": DEEPSEEK_README.encode(), "config.json": b"{}"},
    )
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


def check(*args: str) -> Result:
    result = CliRunner().invoke(main, ["check", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def one(result: Result) -> dict[str, Any]:
    (line,) = result.stdout.splitlines()
    doc: dict[str, Any] = json.loads(line)
    return doc


def suspected(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["code"] == "suspected-undeclared-base"]


DISTILL_SIGNALS = [
    'card prose: "derived from Llama3.1-8B-Base"',
    'name: "Distill-Llama"',
    'config.json: model_type = "llama"',
    'config.json: architectures = "LlamaForCausalLM"',
]


def test_deepseek_distill_is_reviewed_as_a_suspected_llama(hub: FakeHub) -> None:
    result = check("--format", "json", DISTILL_8B)
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = one(result)
    assert doc["verdict"] == "review"
    assert doc["licenses"] == ["mit"]
    (found,) = suspected(doc)
    assert found["severity"] == "review"
    assert found["license"] == "llama-3.1"
    assert found["model"] == DISTILL_8B
    assert found["signals"] == DISTILL_SIGNALS
    assert found["message"] == (
        f"{DISTILL_8B} declares mit and does not name Llama 3.1 as its base, but 4 signal(s) "
        "point to it (under llama-3.1): " + "; ".join(DISTILL_SIGNALS)
    )
    # One metadata request, asking for config and gguf; the README pinned to the commit.
    (info,) = [r.path for r in hub.requests if r.path.startswith("/api/models/")]
    assert "expand=config" in info and "expand=gguf" in info
    sha = doc["revision"]
    assert [r.path for r in hub.requests if "/resolve/" in r.path] == [
        resolve_path(DISTILL_8B, sha, "README.md")
    ]
    assert check("--fail-on", "review", DISTILL_8B).exit_code == 1
    text = check(DISTILL_8B)
    assert text.exit_code == 0
    assert text.stdout.startswith(f"{DISTILL_8B}: ◐ Review\n")
    assert "does not name Llama 3.1 as its base" in " ".join(text.stdout.split())


def test_apache_fine_tune_of_mistral_stays_allow(hub: FakeHub) -> None:
    readme = f"# support-7b\n\nThis model is fine-tuned from {MISTRAL} on support tickets.\n"
    hub.add_model(
        "acme/support-7b",
        card_data={"license": "apache-2.0"},
        config={"architectures": ["MistralForCausalLM"], "model_type": "mistral"},
        files={"README.md": readme.encode()},
    )
    result = check("--format", "json", "acme/support-7b")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["verdict"] == "allow"
    assert suspected(doc) == []
    assert doc["licenses"] == ["apache-2.0"]
    assert hub.count(f"/api/models/{MISTRAL}?") == 1  # the named Hub id, looked up once


def test_adapter_config_names_the_base(hub: FakeHub) -> None:
    adapter = json.dumps({"base_model_name_or_path": LLAMA, "peft_type": "LORA"})
    sha = hub.add_model(
        "acme/lora-sql",
        card_data={"license": "apache-2.0"},
        files={"adapter_config.json": adapter.encode(), "adapter_model.safetensors": b"\0"},
    )
    doc = one(check("--format", "json", "acme/lora-sql"))
    assert doc["verdict"] == "review"
    (found,) = suspected(doc)
    assert found["signals"] == [f"adapter_config.json: base_model_name_or_path = {LLAMA}"]
    assert found["license"] == "llama-3.1"
    assert sorted(r.path for r in hub.requests if "/resolve/" in r.path) == [
        resolve_path("acme/lora-sql", sha, "README.md"),
        resolve_path("acme/lora-sql", sha, "adapter_config.json"),
    ]


def test_declared_base_is_not_read_again(hub: FakeHub) -> None:
    """A card that declares its base: no README read, the base's licence already applies."""
    hub.add_model(
        "acme/Llama-3.1-tune",
        card_data={"license": "llama3.1", "base_model": LLAMA},
        config={"model_type": "llama"},
    )
    doc = one(check("--format", "json", "acme/Llama-3.1-tune"))
    assert suspected(doc) == []
    assert [r.path for r in hub.requests if "/resolve/" in r.path] == []


def test_gguf_quantisation_of_llama(hub: FakeHub) -> None:
    hub.add_model(
        "someone/Llama-3.2-3B-Instruct-GGUF",
        card_data={"license": "apache-2.0"},
        gguf={"total": 3212749888, "architecture": "llama", "general.basename": "Llama-3.2"},
        files={"Llama-3.2-3B-Instruct-Q4_K_M.gguf": b"GGUF"},
    )
    doc = one(check("--format", "json", "someone/Llama-3.2-3B-Instruct-GGUF"))
    assert doc["verdict"] == "review"
    (found,) = suspected(doc)
    assert found["license"] == "llama-3.2"
    assert found["signals"] == [
        'name: "Llama-3.2"',
        'gguf: general.basename = "Llama-3.2"',
        'gguf: architecture = "llama"',
    ]


def test_named_base_that_is_missing_asks_for_review(hub: FakeHub) -> None:
    hub.add_model(
        "acme/orphan",
        card_data={"license": "mit"},
        files={"README.md": b"# orphan\n\nFine-tuned from acme/vanished-7B.\n"},
    )
    doc = one(check("--format", "json", "acme/orphan"))
    assert doc["verdict"] == "review"
    (found,) = [f for f in doc["findings"] if f["code"] == "suspected-base-unreadable"]
    assert found["message"] == (
        "acme/orphan may derive from acme/vanished-7B, which could not be read: model not "
        "found (or private: to read it, set HF_TOKEN or run `hf auth login`); signals: card "
        'prose: "Fine-tuned from acme/vanished-7B"'
    )


def test_unreadable_readme_leaves_the_model_undecided(hub: FakeHub) -> None:
    """A 503 on the card's prose is not an answer: exit 3, never allow."""
    hub.add_model("acme/flaky-card", card_data={"license": "mit"})
    hub.fail("/acme/flaky-card/resolve/", 503, times=None)
    result = check("--format", "json", "--timeout", "1", "acme/flaky-card")
    assert result.exit_code == 3
    doc = one(result)
    assert doc["verdict"] is None
    assert doc["error"] == "Hub error 503"


def test_snapshot_replays_the_same_answer(hub: FakeHub, tmp_path: Path) -> None:
    snap = tmp_path / "snap.json"
    made = CliRunner().invoke(main, ["snapshot", DISTILL_8B, "-o", str(snap)])
    assert made.exit_code == 0, made.output
    saved = json.loads(snap.read_text(encoding="utf-8"))
    assert saved["models"][DISTILL_8B]["model_type"] == "llama"
    assert saved["models"][DISTILL_8B]["architectures"] == ["LlamaForCausalLM"]
    assert "README.md" in next(iter(saved["files"][DISTILL_8B].values()))
    hub.requests.reset()
    offline = one(check("--format", "json", "--snapshot", str(snap), DISTILL_8B))
    assert hub.requests.snapshot() == []
    assert offline["verdict"] == "review"
    (found,) = suspected(offline)
    assert found["signals"] == DISTILL_SIGNALS


def test_hostile_metadata_is_dropped_not_trusted(hub: FakeHub) -> None:
    """Config and GGUF fields of the wrong shape are ignored; the check still decides."""
    hub.add_model(
        "acme/odd",
        card_data={"license": "mit", "base_model": MISTRAL},
        config={"model_type": ["llama"], "architectures": "LlamaForCausalLM"},
        gguf={"architecture": 5, "general.name": {"nested": "Llama-3.1"}, "x": "Llama-3.1"},
    )
    result = check("--format", "json", "acme/odd")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["verdict"] == "allow"
    assert suspected(doc) == []


def test_old_snapshot_without_the_readme_is_a_note(hub: FakeHub, tmp_path: Path) -> None:
    """A snapshot taken before prose was read: no network, the prose unread is said."""
    snap = tmp_path / "snap.json"
    made = CliRunner().invoke(main, ["snapshot", DISTILL_8B, "-o", str(snap)])
    assert made.exit_code == 0, made.output
    saved = json.loads(snap.read_text(encoding="utf-8"))
    del saved["files"][DISTILL_8B]
    snap.write_text(json.dumps(saved), encoding="utf-8")
    offline = one(check("--format", "json", "--snapshot", str(snap), DISTILL_8B))
    (note,) = [f for f in offline["findings"] if f["code"] == "signals-unread"]
    assert note["severity"] == "info"
    assert note["message"].startswith(
        "README.md was not searched for undeclared base models: it could not be read: "
        f"README.md not in snapshot {snap}"
    )
    # The name and config still point at Llama, without a version.
    (found,) = suspected(offline)
    assert found["signals"] == [
        'name: "Distill-Llama"',
        'config.json: model_type = "llama"',
        'config.json: architectures = "LlamaForCausalLM"',
    ]
