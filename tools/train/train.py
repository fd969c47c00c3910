#!/usr/bin/python3
"""Trains the tiny LLaVA-OneVision on exported synthetic Video-MME data and writes a checkpoint directory.

    nice -n 10 /usr/bin/python3 tools/train/train.py --init BASE_DIR --train EXPORT_DIR --heldout EXPORT_DIR \
        --out CHECKPOINT_DIR [--scenes SCENES_JSON] [--drill-steps 1000] [--steps 2200] [--lr 2e-3] [--seed 7]

Starts from the config and weights of a checkpoint of the `tiny-random` shape (`./vlflow training-base`), so the
architecture is the Java one. Two phases:

1. `--drill-steps` steps of text-only `lookup` drills (video slots cut out): the multiple-choice prompt with the
   answer stated, answered with the letter -- where the model learns to tie an answer to its option letter;
2. the rest with video: each step takes a few videos; per video the prefix (chat header + video) is computed once
   and, after it, the tails of one letter variant and one drill per question plus its sentence example, each
   attending to the prefix and itself (the engine's fork-the-cache computation; same logits as separate sequences).

With `--scenes` (the synthetic set's ground truth) the video tokens also get dense auxiliary targets: the colour of
the shape in each pooled cell, predicted from the video rows, and its direction of motion, predicted from the
decoder's residual stream after `--aux-layer` (aux_targets.py; the two small heads are not saved).

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
import shlex
import shutil
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import answers  # noqa: E402
import aux_targets  # noqa: E402
import export_data  # noqa: E402
import llava_tiny  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--init", required=True, help="checkpoint directory of the tiny-random shape (config, weights)")
    p.add_argument("--train", required=True, help="export directory to train on")
    p.add_argument("--heldout", required=True, help="export directory to report accuracy on")
    p.add_argument("--out", required=True, help="checkpoint directory to write")
    p.add_argument("--steps", type=int, default=2000, help="all steps, drills included")
    p.add_argument("--drill-steps", type=int, default=1000,
                   help="first train this many steps on text-only lookup drills (video cut out)")
    p.add_argument("--drills-per-step", type=int, default=48)
    p.add_argument("--videos-per-step", type=int, default=6)
    p.add_argument("--letters-per-question", type=int, default=1,
                   help="letter variants (re-ordered options) of each question per video visit")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=60)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--no-visual-rescale", action="store_true",
                   help="keep the init's projector scale (tiny-random's video rows are ~15x the norm of its token "
                        "embeddings; by default linear_2 is scaled so both start at the same mean norm)")
    p.add_argument("--scenes", help="the synthetic set's scenes.json: adds dense auxiliary targets for the video "
                   "tokens (colour per cell from the video rows, motion per cell from the decoder; aux_targets.py)")
    p.add_argument("--aux-weight", type=float, default=0.5)
    p.add_argument("--aux-layer", type=int, default=1, help="decoder layer whose output predicts motion")
    p.add_argument("--task-weight", action="append", default=[], metavar="TASK=W",
                   help="weight of one task type's examples in the answer loss, e.g. 'Spatial Perception=2' "
                        "(repeatable; default 1)")
    p.add_argument("--bind-layer", type=int, default=None,
                   help="decoder layer whose output at a direction question's colour word predicts that shape's "
                        "direction (needs --scenes)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 is fastest on a shared 2-core machine (2 threads spin-wait: 3-7x slower)")
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--eval-videos", type=int, default=60, help="held-out videos scored during training (0 = all)")
    p.add_argument("--sentence-checks", type=int, default=60, help="held-out sentences decoded at the end")
    p.add_argument("--dtype", choices=["F32", "BF16"], default="F32", help="stored weight type")
    p.add_argument("--max-minutes", type=float, default=0, help="stop early after this long (0 = no limit)")
    return p.parse_args(argv)


def lr_at(step, args):
    """Linear warmup, then cosine decay to 5% over all steps."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup))
    return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


class Curriculum:
    """What to train on, from one export: text-only drills, then video visits in shuffled epochs."""

    def __init__(self, export, rng, args):
        self.export, self.rng, self.args = export, rng, args
        self.videos = []   # per video: (lists of letter/lookup variants per question, sentence examples)
        for video, ids in sorted(export_data.by_video(export).items()):
            letters, sentences = {}, []
            for i in ids:
                s = export.samples[i]
                if s["kind"] == "sentence":
                    sentences.append(i)
                else:
                    letters.setdefault((s["kind"], s["question_id"]), []).append(i)
            self.videos.append((list(letters.values()), sentences))
        lookups = [i for i, s in enumerate(export.samples) if s["kind"] == "lookup"]
        # drills of the first 40 videos are kept apart to measure how well the binding is learned
        self.drill_check = [i for i in lookups if export.samples[i]["variant"] == 0
                            and export.samples[i]["video"] < 40][:60]
        self.drill_pool = [i for i in lookups if export.samples[i]["video"] >= 40]
        self.order = []

    def drills(self):
        """Sample ids of one drill step."""
        return [self.drill_pool[self.rng.randrange(len(self.drill_pool))] for _ in range(self.args.drills_per_step)]

    def visits(self):
        """One row of examples per video of one step: random letter variants (and drills) per question, sentences."""
        k = self.args.videos_per_step
        if len(self.order) < k:
            self.order = list(range(len(self.videos)))
            self.rng.shuffle(self.order)
        chosen = self.order[-k:]
        del self.order[-k:]
        rows = []
        for v in chosen:
            letters, sentences = self.videos[v]
            picked = [i for variants in letters
                      for i in self.rng.sample(variants, min(self.args.letters_per_question, len(variants)))]
            picked += sentences
            self.rng.shuffle(picked)
            rows.append(picked)
        return rows


@torch.no_grad()
def match_visual_norm(model, export, videos=8):
    """Scales the projector's last linear so the mean norm of video rows equals that of the token embeddings."""
    rows = model.video_embeddings(export.video_pixels(list(range(min(videos, len(export.videos))))))
    factor = float(model.model.language_model.embed_tokens.weight.norm(dim=-1).mean() / rows.norm(dim=-1).mean())
    model.model.multi_modal_projector.linear_2.weight.mul_(factor)
    model.model.multi_modal_projector.linear_2.bias.mul_(factor)
    return factor


def answer_loss(model, hidden, label_pos, labels, weights, first_pos, first_label, examples):
    """Mean over examples of each example's mean answer-token loss, and (for the log) the loss of the first answer
    tokens (the letter, or a sentence's first word)."""
    head = model.head_weight().t()
    losses = F.cross_entropy(hidden[label_pos] @ head, labels, reduction="none")
    first = F.cross_entropy(hidden[first_pos] @ head, labels[first_label])
    return (losses * weights).sum() / examples, first.detach()


def drill_loss(model, export, sample_ids):
    ids, label_pos, labels, weights, first_pos, first_label = export_data.text_only_batch(export, sample_ids)
    hidden = model.text_hidden(ids).reshape(-1, model.config.text.hidden_size)
    return answer_loss(model, hidden, label_pos, labels, weights, first_pos, first_label, len(sample_ids))


def task_weights(args):
    """--task-weight TASK=W options as a dict."""
    out = {}
    for item in args.task_weight:
        task, _, weight = item.rpartition("=")
        out[task.strip()] = float(weight)
    return out


def weighted_labels(export, b, weights):
    """b.label_weight scaled by each example's task weight (labels are in b.examples order)."""
    if not weights:
        return b.label_weight
    scale = []
    for i in b.examples:
        s = export.samples[i]
        scale += [weights.get(s["task_type"], 1.0)] * len(s["target_ids"])
    return b.label_weight * torch.tensor(scale)


def video_loss(model, export, rows, aux=None, args=None):
    b = export_data.PrefixBatch(export, rows)
    if args is not None:
        b.label_weight = weighted_labels(export, b, task_weights(args))
    if aux is None:
        hidden = model.prefixed_hidden(b.prefix_ids, b.pixels, b.tails)
        return answer_loss(model, hidden, b.label_pos, b.labels, b.label_weight, b.first_pos, b.first_label,
                           len(b.examples))
    captured = model.prefixed_hidden(b.prefix_ids, b.pixels, b.tails, capture=args.aux_layer,
                                     capture_all=args.bind_layer)
    hidden, (inputs, residual, *every_row) = captured
    loss, first = answer_loss(model, hidden, b.label_pos, b.labels, b.label_weight, b.first_pos, b.first_label,
                              len(b.examples))
    frames = slice(b.video_start, b.video_start + export.frames * export.meta["tokens_per_frame"])
    loss = loss + args.aux_weight * aux.loss(b.videos, inputs[:, frames], residual[:, frames])
    if every_row:
        loss = loss + args.aux_weight * aux.binding_loss(every_row[0], b.tail_spans)
    return loss, first


def eval_samples(export):
    """The held-out letter examples `eval videomme` asks by default: official wording, the file's option order."""
    return [i for i, s in enumerate(export.samples)
            if s["kind"] == "letter" and s["variant"] == 0 and s.get("form", "official") == "official"]


@torch.no_grad()
def greedy(model, export, sample, stop_ids, max_new=16):
    """Greedy answer ids of one exported prompt (full recompute per token, as the evaluation generates)."""
    return llava_tiny.greedy(model, sample["input_ids"], export.video_pixels([sample["video"]]), stop_ids, max_new)


@torch.no_grad()
def letter_accuracy(model, export, sample_ids, decoder):
    """What `eval videomme` scores: greedy answer (at most 16 tokens), official letter extraction == the answer,
    per task type."""
    by_type = {}
    for i in sample_ids:
        s = export.samples[i]
        letter = answers.extract(decoder.text(greedy(model, export, s, decoder.stop_ids)))
        ok, n = by_type.get(s["task_type"], (0, 0))
        by_type[s["task_type"]] = (ok + (letter == s["answer"]), n + 1)
    return by_type


@torch.no_grad()
def greedy_exact_match(model, export, sample_ids):
    """Greedy decoding (full recompute per token) reproduces the whole target sentence, per task type."""
    by_type = {}
    for i in sample_ids:
        s = export.samples[i]
        target = s["target_ids"]
        # up to the target's last token (its end); a run of len(target) + 4 tokens without it never matches
        out = llava_tiny.greedy(model, s["input_ids"], export.video_pixels([s["video"]]), {target[-1]},
                                len(target) + 4)
        ok, n = by_type.get(s["task_type"], (0, 0))
        by_type[s["task_type"]] = (ok + (out + [target[-1]] == target), n + 1)
    return by_type


def summarize(by_type):
    ok = sum(v[0] for v in by_type.values())
    n = sum(v[1] for v in by_type.values())
    parts = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_type.items()))
    return (ok / n if n else 0.0), f"{ok}/{n} ({parts})"


def portable(arg):
    """A command-line argument as it goes into training.json: paths below the working directory made relative, so
    the file names no folder of the machine that trained."""
    if os.path.isabs(arg):
        rel = os.path.relpath(arg)
        if not rel.startswith(".."):
            return rel
    return arg


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


def make_optimizer(model, args, aux=None):
    """AdamW; no weight decay on embeddings, norms and biases."""
    def decays(name, p):
        return p.dim() >= 2 and "embed" not in name
    params = list(model.named_parameters())
    if aux is not None:
        params += [(f"aux.{i}", p) for i, p in enumerate(aux.parameters())]
    return torch.optim.AdamW([{"params": [p for n, p in params if decays(n, p)], "weight_decay": args.weight_decay},
                              {"params": [p for n, p in params if not decays(n, p)], "weight_decay": 0.0}],
                             lr=args.lr, betas=(0.9, 0.98))


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)   # denormal floats slow the CPU kernels down several-fold
    model = llava_tiny.LlavaTiny(llava_tiny.LlavaConfig.read(args.init))
    model.load_checkpoint_weights(args.init)
    train = Curriculum(export_data.Export(args.train), random.Random(args.seed), args)
    heldout = export_data.Export(args.heldout)
    decoder = answers.Decoder(args.init)
    if not args.no_visual_rescale:
        factor = match_visual_norm(model, train.export)
        print(f"projector linear_2 scaled by {factor:.4f} so video rows match the token embeddings' norm", flush=True)
    scored = eval_samples(heldout)
    keep = sorted({heldout.samples[i]["video"] for i in scored})[:args.eval_videos or None]
    quick = [i for i in scored if heldout.samples[i]["video"] in set(keep)]
    sentences = [i for i, s in enumerate(heldout.samples) if s["kind"] == "sentence"]
    print(f"train: {sum(p.numel() for p in model.parameters())} parameters; {len(train.videos)} training videos, "
          f"{len(train.export.samples)} examples; held out {len(scored)} letter questions, {len(sentences)} "
          f"sentences", flush=True)

    aux = None
    if args.scenes:
        colours = {tid: c for tid, text in decoder.tokens.items() for c in aux_targets.COLOURS
                   if text == "\u0120" + c}
        aux = aux_targets.AuxTargets(train.export, args.scenes, model.config.text.hidden_size, colours)
    optimizer = make_optimizer(model, args, aux)
    start, history, running, running_first, step = time.perf_counter(), [], None, None, 0
    for step in range(args.steps):
        drilling = step < args.drill_steps
        model.train()
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, args)
        if drilling:
            loss, first_loss = drill_loss(model, train.export, train.drills())
        else:
            loss, first_loss = video_loss(model, train.export, train.visits(), aux, args)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], 1.0)
        optimizer.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        running_first = first_loss.item() if running_first is None else 0.95 * running_first + 0.05 * first_loss.item()
        minutes = (time.perf_counter() - start) / 60
        if step % 25 == 0:
            print(f"{'drill' if drilling else 'video'} step {step:5d}  loss {running:.4f} (first answer token "
                  f"{running_first:.3f})  lr {lr_at(step, args):.2e}  {minutes:.1f} min", flush=True)
        if (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            model.eval()
            entry = {"step": step + 1, "minutes": round(minutes, 2), "loss": round(running, 4)}
            entry["lookup_drill_accuracy"] = round(summarize(letter_accuracy(
                model, train.export, train.drill_check, decoder))[0], 4) if train.drill_check else None
            if not drilling:
                acc, text = summarize(letter_accuracy(model, heldout, quick, decoder))
                entry["heldout_letter_accuracy"] = round(acc, 4)
                print(f"eval step {step + 1}: held-out letter accuracy {acc:.3f} = {text}", flush=True)
            print(f"eval step {step + 1}: lookup drills {entry['lookup_drill_accuracy']}", flush=True)
            history.append(entry)
        if args.max_minutes and minutes > args.max_minutes:
            print(f"stopping after {minutes:.1f} min (--max-minutes)", flush=True)
            break
    train_minutes = (time.perf_counter() - start) / 60

    model.eval()
    letter_acc, letter_text = summarize(letter_accuracy(model, heldout, scored, decoder))
    sentence_acc, sentence_text = summarize(greedy_exact_match(model, heldout, sentences[:args.sentence_checks]))
    print(f"final: held-out letter accuracy {letter_acc:.3f} = {letter_text}", flush=True)
    print(f"final: held-out sentence exact match {sentence_acc:.3f} = {sentence_text}", flush=True)
    report = {
        "command": "tools/train/train.py " + " ".join(shlex.quote(portable(a))
                                                      for a in (sys.argv[1:] if argv is None else argv)),
        "seed": args.seed, "steps_run": step + 1, "drill_steps": args.drill_steps,
        "videos_per_step": args.videos_per_step, "lr": args.lr, "threads": args.threads,
        "train_minutes": round(train_minutes, 2), "final_loss": running,
        "train_export": train.export.meta, "heldout_export": heldout.meta,
        "heldout_letter_accuracy": letter_acc, "heldout_letter_detail": letter_text,
        "heldout_sentence_exact_match": sentence_acc, "heldout_sentence_detail": sentence_text,
        "history": history, "torch": torch.__version__,
    }
    write_checkpoint(model, args, report)
    print(f"wrote {args.out} after {train_minutes:.1f} min of training", flush=True)


if __name__ == "__main__":
    main()
