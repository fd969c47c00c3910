#!/usr/bin/python3
"""How concentrated a model's attention on the video is, per decoder layer (the figure that predicts how much
ZipVL-style token sparsification can save), computed in PyTorch as a cross-check of the Java engine's figure.

    /usr/bin/python3 tools/train/attention_stats.py --model CKPT --export EXPORT [--samples 0,1,2] [--tau 0.975]
        [--queries 64]

For each sample (an exported prompt: chat header, video slots, question): run the whole prompt, take the attention
probabilities of its last `queries` rows in each layer, sum them over heads and rows (ZipVL's received mass a_j),
keep the video-token columns, and report the fraction of video tokens whose largest masses add up to `tau` of the
video tokens' total mass. 1.0 = attention spread evenly over the whole video; small = a few tokens hold it.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_data  # noqa: E402
import llava_tiny  # noqa: E402


def needed_fraction(mass, tau):
    """Smallest share of entries whose largest values reach tau of the total."""
    ordered = mass.sort(descending=True).values
    cumulative = ordered.cumsum(0)
    k = int((cumulative < tau * cumulative[-1]).sum()) + 1
    return min(k, len(mass)) / len(mass)


@torch.no_grad()
def layer_fractions(model, export, sample, tau, queries):
    s = export.samples[sample]
    ids = torch.tensor([s["input_ids"]])
    _, probs = model.hidden_states(ids, export.video_pixels([s["video"]]), keep_probs=True)
    video = ids[0] == export.meta["video_token_id"]
    out = []
    for p in probs:                                                    # [1, heads, L, L]
        mass = p[0, :, -queries:, :].sum(dim=(0, 1))                   # [L]
        out.append(needed_fraction(mass[video], tau))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--export", required=True)
    p.add_argument("--samples", default="0")
    p.add_argument("--tau", type=float, default=0.975)
    p.add_argument("--queries", type=int, default=64)
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    model = llava_tiny.load(args.model)
    export = export_data.Export(args.export)
    rows = []
    for i in (int(x) for x in args.samples.split(",")):
        rows.append(layer_fractions(model, export, i, args.tau, args.queries))
    layers = len(rows[0])
    print(f"{args.model}: fraction of video tokens holding {args.tau:g} of the attention mass of the last "
          f"{args.queries} prompt rows ({export.frames} frames, {len(rows)} prompts)")
    for layer in range(layers):
        values = [r[layer] for r in rows]
        print(f"  layer {layer}: mean {sum(values) / len(values):.3f}  "
              f"(per prompt {', '.join(f'{v:.3f}' for v in values)})")


if __name__ == "__main__":
    main()
