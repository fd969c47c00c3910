#!/usr/bin/python3
"""Checks that the PyTorch model and the Java engine compute the same logits on the same inputs.

    ./vlflow engine-logits --export EXPORT --model CKPT --samples 0,1,2,3 --out LOGITS_DIR
    /usr/bin/python3 tools/train/check_parity.py --model CKPT --export EXPORT --logits LOGITS_DIR [--tolerance 1e-3]

For each dumped sample the Java side wrote the logits of every row of `input_ids + target_ids[:-1]` (exported
pixels -> vision tower -> projector -> pooling -> newline -> decoder, one block). This runs the PyTorch model
(tools/train/llava_tiny.py) on the same ids and pixels, prints the largest absolute logit difference per sample and
overall, and also compares PyTorch's greedy answer with the answer the engine generated through a VlSession (the
evaluation's path). Exits 1 when the difference exceeds the tolerance or the greedy answers differ.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_data  # noqa: E402
import llava_tiny  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--export", required=True)
    p.add_argument("--logits", required=True, help="directory written by `vlflow engine-logits`")
    p.add_argument("--tolerance", type=float, default=1e-3)
    p.add_argument("--max-new-tokens", type=int, default=16)
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    model = llava_tiny.load(args.model)
    export = export_data.Export(args.export)
    with open(os.path.join(args.logits, "logits.json")) as f:
        meta = json.load(f)
    java_all = np.fromfile(os.path.join(args.logits, "logits.f32"), dtype="<f4")
    vocab = meta["vocab"]
    with open(os.path.join(args.model, "generation_config.json")) as f:
        eos = json.load(f).get("eos_token_id", [])
    stop_ids = set(eos if isinstance(eos, list) else [eos])
    worst = 0.0
    answers_agree = True
    for entry in meta["samples"]:
        s = export.samples[entry["sample"]]
        ids = s["input_ids"] + s["target_ids"][:-1]
        if ids != entry["ids"]:
            raise SystemExit(f"sample {entry['sample']}: the dump's ids are not the export's")
        rows = entry["rows"]
        java = torch.from_numpy(java_all[entry["offset"]:entry["offset"] + rows * vocab].reshape(rows, vocab).copy())
        pixels = export.video_pixels([s["video"]])
        with torch.no_grad():
            torch_logits = model.logits(torch.tensor([ids]), pixels)[0]
        diff = (torch_logits - java).abs()
        max_diff = float(diff.max())
        scale = float(java.abs().max())
        worst = max(worst, max_diff)
        answer = llava_tiny.greedy(model, s["input_ids"], pixels, stop_ids, args.max_new_tokens)
        same = answer == entry["session_answer_ids"]
        answers_agree &= same
        print(f"sample {entry['sample']:5d} ({s['kind']}, {rows} rows): max |torch - java| = {max_diff:.3e} "
              f"(logits up to {scale:.2f}); greedy answer {'matches' if same else 'DIFFERS'}: "
              f"torch {answer} java {entry['session_answer_ids']} {entry['session_answer_text']!r}")
    ok = worst <= args.tolerance and answers_agree
    print(f"parity: max |logit difference| {worst:.3e} over {len(meta['samples'])} samples "
          f"(tolerance {args.tolerance:g}); greedy answers {'agree' if answers_agree else 'DISAGREE'} -> "
          f"{'OK' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
