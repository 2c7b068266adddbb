"""GGUF metadata: our bounded header reader against the `gguf` package's GGUFReader (anchor).

Writes, with the `gguf` package's own writer, a GGUF file shaped like a real Llama 3.1 8B
quantisation's header: a 128,256-token vocabulary (tokens, scores, token types), 280,000
merges, 292 tensor infos, the usual `general.*` fields; the tensors themselves are tiny, since
neither reader touches them. Then reads its text metadata side by side, in one run, and prints
seconds, peak Python memory (tracemalloc) and the ratios; then both readers on a hostile file
(a string length of 2**62), where ours names the place and the anchor raises numpy's error.

    .venv/bin/python bench/gguf_header.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import struct
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def write_llama_like(path: Path) -> None:
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("Acme Llama 3.1 8B Instruct")
    writer.add_license("llama3.1")
    writer.add_base_model_count(1)
    writer.add_base_model_name(0, "Llama 3.1 8B")
    writer.add_base_model_repo_url(0, "https://huggingface.co/meta-llama/Llama-3.1-8B")
    writer.add_context_length(131072)
    writer.add_block_count(32)
    writer.add_tokenizer_model("gpt2")
    vocab = 128_256
    writer.add_token_list([f"tok{i:06d}" for i in range(vocab)])
    writer.add_token_scores([0.0] * vocab)
    writer.add_token_types([1] * vocab)
    writer.add_token_merges([f"t{i} m{i}" for i in range(280_000)])
    for i in range(292):
        writer.add_tensor(f"blk.{i // 9}.t{i}", np.zeros((4,), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def ours(path: Path) -> Any:
    from licensecmp import ggufmeta

    return dict(ggufmeta.read(path).fields)


def anchor(path: Path) -> Any:
    import gguf

    reader = gguf.GGUFReader(str(path))
    out = {}
    for key, field in reader.fields.items():
        if key.startswith("general.") and field.types and field.types[0] == 8:
            out[key] = bytes(field.parts[field.data[0]]).decode("utf-8", "replace")
    return out


def measure(read: Callable[[Path], Any], path: Path, repeat: int) -> tuple[float, int, Any]:
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = read(path)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    read(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import gguf  # noqa: F401 - imported once before timing, as both readers' modules are

    from licensecmp import ggufmeta  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "llama-like.gguf"
        write_llama_like(path)
        print(f"file: {path.stat().st_size / 1e6:.1f} MB (header and tiny tensors)")
        ours_s, ours_mem, ours_fields = measure(ours, path, args.repeat)
        anchor_s, anchor_mem, anchor_fields = measure(anchor, path, args.repeat)
        same = {k: v for k, v in ours_fields.items() if k.startswith("general.")} == anchor_fields
        print(f"{'reader':<28}{'seconds':>10}{'peak MB':>10}")
        print(f"{'gguf.GGUFReader (anchor)':<28}{anchor_s:>10.3f}{anchor_mem / 1e6:>10.1f}")
        print(f"{'licensecmp.ggufmeta':<28}{ours_s:>10.3f}{ours_mem / 1e6:>10.1f}")
        print(
            f"ratio (anchor / ours): time {anchor_s / ours_s:.1f}x, "
            f"memory {anchor_mem / max(ours_mem, 1):.1f}x; same general.* fields: {same}"
        )
        hostile = Path(tmp) / "hostile.gguf"
        name = b"general.name"
        hostile.write_bytes(
            b"GGUF"
            + struct.pack("<IQQ", 3, 0, 1)
            + struct.pack("<Q", len(name))
            + name
            + struct.pack("<IQ", 8, 2**62)
        )
        for label, read in (("anchor", anchor), ("ours", ours)):
            try:
                read(hostile)
                print(f"hostile, {label}: read without error")
            except Exception as exc:
                print(f"hostile, {label}: {type(exc).__name__}: {exc}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
