#!/usr/bin/python3
"""Trains the tiny LLaVA-OneVision on exported synthetic Video-MME data and writes a checkpoint directory.

    nice -n 10 /usr/bin/python3 tools/train/train.py --init TINY_RANDOM_DIR --train EXPORT_DIR [EXPORT_DIR ...] \
        --heldout EXPORT_DIR --out CHECKPOINT_DIR [--steps 1500] [--videos-per-step 6] [--lr 2e-3] [--seed 7]

Starts from the weights and config of a `tiny-random` checkpoint (so the architecture is the Java one). Each step
takes a few videos; per video it packs the prefix (chat header + video) once and, after it, one example per
question and answer kind (a letter example drawn from the question's exported variants, and its sentence example),
each attending to the prefix and itself -- the same computation as separate sequences, at a fraction of the cost.
AdamW on the answer tokens only, every example weighted equally. Reports held-out accuracy per task type (the
letter examples worded as `eval videomme` asks them) and writes a standard checkpoint: the init directory's files
(config, tokenizer, processor, chat template) with model.safetensors replaced, plus training.json saying how it
was made.
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_data  # noqa: E402
import llava_tiny  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--init", required=True, help="tiny-random checkpoint directory (config and initial weights)")
    p.add_argument("--train", required=True, nargs="+", help="export directories to train on")
    p.add_argument("--heldout", required=True, help="export directory to report accuracy on")
    p.add_argument("--out", required=True, help="checkpoint directory to write")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--videos-per-step", type=int, default=6)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=60)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 is fastest on a shared 2-core machine (2 threads spin-wait: 3-7x slower)")
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--eval-videos", type=int, default=0, help="held-out videos scored during training (0 = all)")
    p.add_argument("--sentence-checks", type=int, default=60, help="held-out sentences decoded at the end")
    p.add_argument("--dtype", choices=["F32", "BF16"], default="F32", help="stored weight type")
    p.add_argument("--max-minutes", type=float, default=0, help="stop early after this long (0 = no limit)")
    return p.parse_args(argv)


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup))
    return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


class Curriculum:
    """Per video of one export: each question's letter variants and sentence examples."""

    def __init__(self, export):
        self.export = export
        self.videos = []
        for video, ids in sorted(export_data.by_video(export).items()):
            letters, sentences = {}, []
            for i in ids:
                s = export.samples[i]
                if s["kind"] == "letter":
                    letters.setdefault(s["question_id"], []).append(i)
                else:
                    sentences.append(i)
            self.videos.append((list(letters.values()), sentences))

    def row(self, video_index, rng):
        """The examples of one visit of a video: one random letter variant per question, every sentence."""
        letters, sentences = self.videos[video_index]
        picked = [variants[rng.randrange(len(variants))] for variants in letters] + sentences
        rng.shuffle(picked)
        return picked


def packed_loss(model, packed):
    hidden = model.prefixed_hidden(packed.prefix_ids, packed.pixels, packed.tails)
    picked = hidden[packed.label_pos]                                            # [M, H]
    logits = picked @ model.head_weight().t()                                    # [M, vocab]
    losses = F.cross_entropy(logits, packed.labels, reduction="none")
    return (losses * packed.label_weight).sum() / len(packed.examples)


def eval_samples(export):
    """The held-out letter examples `eval videomme` asks by default: official wording, the file's option order."""
    return [i for i, s in enumerate(export.samples)
            if s["kind"] == "letter" and s["variant"] == 0 and s.get("form", "official") == "official"]


@torch.no_grad()
def first_token_accuracy(model, export, sample_ids, videos_per_batch=8):
    """Greedy first answer token == the target's first token (the letter), per task type, packed per video."""
    by_type = {}
    groups = list(export_data.by_video(export, sample_ids).values())
    for start in range(0, len(groups), videos_per_batch):
        packed = export_data.PrefixBatch(export, groups[start:start + videos_per_batch])
        hidden = model.prefixed_hidden(packed.prefix_ids, packed.pixels, packed.tails)
        logits = hidden[packed.first_pos] @ model.head_weight().t()
        for i, p in zip(packed.examples, logits.argmax(dim=-1).tolist()):
            s = export.samples[i]
            ok, n = by_type.get(s["task_type"], (0, 0))
            by_type[s["task_type"]] = (ok + (p == s["target_ids"][0]), n + 1)
    return by_type


@torch.no_grad()
def greedy_exact_match(model, export, sample_ids):
    """Greedy decoding (full recompute per token) reproduces the whole target sentence, per task type."""
    by_type = {}
    for i in sample_ids:
        s = export.samples[i]
        prompt, target = s["input_ids"], s["target_ids"]
        pixels = export.video_pixels([s["video"]])
        out = []
        while len(out) < len(target) + 4:
            hidden, _ = model.hidden_states(torch.tensor([prompt + out]), pixels)
            nxt = int((hidden[0, -1] @ model.head_weight().t()).argmax())
            out.append(nxt)
            if nxt == target[-1]:
                break
        ok, n = by_type.get(s["task_type"], (0, 0))
        by_type[s["task_type"]] = (ok + (out == target), n + 1)
    return by_type


def summarize(by_type):
    ok = sum(v[0] for v in by_type.values())
    n = sum(v[1] for v in by_type.values())
    parts = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_type.items()))
    return (ok / n if n else 0.0), f"{ok}/{n} ({parts})"


def write_checkpoint(model, args, report):
    os.makedirs(args.out, exist_ok=True)
    for name in sorted(os.listdir(args.init)):
        src = os.path.join(args.init, name)
        if name in ("model.safetensors", "model.safetensors.index.json", "training.json") or name.startswith("model-"):
            continue
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(args.out, name), dirs_exist_ok=True)
        else:
            shutil.copyfile(src, os.path.join(args.out, name))
    model.save_weights(os.path.join(args.out, "model.safetensors"), args.dtype)
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)   # denormal floats slow the CPU kernels down several-fold
    rng = random.Random(args.seed)
    model = llava_tiny.LlavaTiny(llava_tiny.LlavaConfig.read(args.init))
    model.load_checkpoint_weights(args.init)
    curricula = [Curriculum(export_data.Export(d)) for d in args.train]
    heldout = export_data.Export(args.heldout)
    scored = eval_samples(heldout)
    if args.eval_videos:
        keep = set(sorted({heldout.samples[i]["video"] for i in scored})[:args.eval_videos])
        quick = [i for i in scored if heldout.samples[i]["video"] in keep]
    else:
        quick = scored
    sentences = [i for i, s in enumerate(heldout.samples) if s["kind"] == "sentence"]
    params = sum(p.numel() for p in model.parameters())
    train_videos = sum(len(c.videos) for c in curricula)
    print(f"train: {params} parameters; {train_videos} training videos, "
          f"{sum(len(c.export.samples) for c in curricula)} examples; held out {len(scored)} letter questions, "
          f"{len(sentences)} sentences", flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embedding" not in n and "embed" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embedding" not in n and "embed" not in n)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                                   {"params": rest, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98))
    visits = [(c, v) for c in curricula for v in range(len(c.videos))]
    order = []
    start = time.perf_counter()
    history = []
    running = None
    step = 0
    for step in range(args.steps):
        model.train()
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, args)
        # one export per step keeps the pixel shapes equal; exports are drawn in proportion to their videos
        if len(order) < args.videos_per_step:
            order = visits[:]
            rng.shuffle(order)
        curriculum = order[-1][0]
        chosen = [v for c, v in order[-args.videos_per_step:] if c is curriculum]
        del order[-args.videos_per_step:]
        packed = export_data.PrefixBatch(curriculum.export, [curriculum.row(v, rng) for v in chosen])
        loss = packed_loss(model, packed)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        elapsed = time.perf_counter() - start
        if step % 25 == 0:
            print(f"step {step:5d}  loss {running:.4f}  lr {lr_at(step, args):.2e}  {elapsed / 60:.1f} min "
                  f"({len(chosen)} videos, {packed.tokens} tokens)", flush=True)
        if (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            model.eval()
            acc, text = summarize(first_token_accuracy(model, heldout, quick))
            history.append({"step": step + 1, "minutes": round(elapsed / 60, 2), "loss": round(running, 4),
                            "heldout_letter_accuracy": round(acc, 4)})
            print(f"eval step {step + 1}: held-out letter accuracy {acc:.3f} = {text}", flush=True)
        if args.max_minutes and elapsed > args.max_minutes * 60:
            print(f"stopping after {elapsed / 60:.1f} min (--max-minutes)", flush=True)
            break
    train_minutes = (time.perf_counter() - start) / 60
    model.eval()
    letter_acc, letter_text = summarize(first_token_accuracy(model, heldout, scored))
    sentence_acc, sentence_text = summarize(greedy_exact_match(model, heldout, sentences[:args.sentence_checks]))
    print(f"final: held-out letter accuracy {letter_acc:.3f} = {letter_text}", flush=True)
    print(f"final: held-out sentence exact match {sentence_acc:.3f} = {sentence_text}", flush=True)
    report = {
        "command": "tools/train/train.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "seed": args.seed, "steps_run": step + 1, "videos_per_step": args.videos_per_step, "lr": args.lr,
        "threads": args.threads, "train_minutes": round(train_minutes, 2), "final_loss": running,
        "train_exports": [c.export.meta for c in curricula], "heldout_export": heldout.meta,
        "heldout_letter_accuracy": letter_acc, "heldout_letter_detail": letter_text,
        "heldout_sentence_exact_match": sentence_acc, "heldout_sentence_detail": sentence_text,
        "history": history, "torch": torch.__version__,
    }
    write_checkpoint(model, args, report)
    print(f"wrote {args.out} after {train_minutes:.1f} min of training", flush=True)


if __name__ == "__main__":
    main()
