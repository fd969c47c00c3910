"""Reads what `./vlflow export-training-data` writes, and makes training batches from it.

An export directory (format version 1; written by dev.vlflow.pipeline.training.TrainingDataWriter):

    export.json       {"version": 1, "frames": F, "image_size": S, "channels": 3, "tokens_per_frame": T,
                       "video_token_id": ..., "videos": V, "samples": N, "pixels": "pixels.f32", ...}
    pixels.f32        raw little-endian float32, [V, F, 3, S, S], frames preprocessed by the Java vision module
    videos.jsonl      one line per video, in pixel order: {"index", "video_id", "file", "frames": [frame numbers]}
    samples.jsonl     one line per training example: {"video": index, "video_id", "question_id", "task_type",
                       "kind": "letter" | "sentence" | "lookup",
                       "variant": 0 (the file's option order) | 1.. (re-ordered),
                       "form": "official" | "lmms_eval" | "official_subtitles" | "question" | "lookup", "prompt",
                       "input_ids": [...], "target_ids": [...], "target": "text", "answer": "A"}

`input_ids` is the exact prompt the Java engine sees (chat template, video placeholder expanded to F * T + 1
video-token ids, generation prompt); `target_ids` is the answer to learn, ending with <|im_end|>.
"""
import json
import os

import numpy as np
import torch


class Export:
    def __init__(self, directory):
        self.directory = directory
        with open(os.path.join(directory, "export.json")) as f:
            self.meta = json.load(f)
        if self.meta.get("version") != 1:
            raise ValueError(f"{directory}: export format version {self.meta.get('version')}, expected 1")
        m = self.meta
        self.frames, self.image_size, self.channels = m["frames"], m["image_size"], m["channels"]
        shape = (m["videos"], self.frames, self.channels, self.image_size, self.image_size)
        path = os.path.join(directory, m["pixels"])
        expected = int(np.prod(shape)) * 4
        if os.path.getsize(path) != expected:
            raise ValueError(f"{path}: {os.path.getsize(path)} bytes, expected {expected} for {shape}")
        self.pixels = np.memmap(path, dtype="<f4", mode="r", shape=shape)
        self.videos = _jsonl(os.path.join(directory, "videos.jsonl"))
        self.samples = _jsonl(os.path.join(directory, "samples.jsonl"))
        if len(self.samples) != m["samples"] or len(self.videos) != m["videos"]:
            raise ValueError(f"{directory}: index counts do not match export.json")

    def video_pixels(self, indices):
        """[len(indices), F, 3, S, S] float32 tensor."""
        return torch.from_numpy(np.stack([np.asarray(self.pixels[i]) for i in indices]).astype(np.float32))

    def select(self, kinds=None, task_types=None):
        """Indices of samples of the given kinds / task types (None = all)."""
        return [i for i, s in enumerate(self.samples)
                if (kinds is None or s["kind"] in kinds) and (task_types is None or s["task_type"] in task_types)]


def _jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def training_batch(export, sample_ids, pad_id=0):
    """Teacher-forcing batch: input = prompt + target[:-1], right padded.

    Returns input_ids [B, L], pixels [B, F, 3, S, S], label_pos [M] flat positions (b * L + t) whose next-token
    logits are scored, labels [M].
    """
    rows, positions, labels = [], [], []
    for s in (export.samples[i] for i in sample_ids):
        prompt, target = s["input_ids"], s["target_ids"]
        rows.append(prompt + target[:-1])
        labels.extend(target)
        positions.append(range(len(prompt) - 1, len(prompt) - 1 + len(target)))
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    flat = []
    for b, (r, pos) in enumerate(zip(rows, positions)):
        ids[b, :len(r)] = torch.tensor(r)
        flat.extend(b * width + p for p in pos)
    pixels = export.video_pixels([export.samples[i]["video"] for i in sample_ids])
    return ids, pixels, torch.tensor(flat), torch.tensor(labels)


def video_end(ids, video_token_id):
    """Index after the last video-token slot of a prompt."""
    last = len(ids) - 1 - ids[::-1].index(video_token_id)
    return last + 1


class PrefixBatch:
    """A training batch with prefix sharing (llava_tiny.PrefixPlan): per video its prefix (chat header + video slots)
    once, and the tails (rest of the prompt + answer) of several of its examples, bucketed by length into groups.

    prefix_ids [B, P], pixels [B, F, 3, S, S], tails [(ids [E, Lt], videos [E])]; label_pos [M] flat token indices
    whose next-token logits predict labels [M]; label_weight [M] (1 / target length: every example counts once);
    first_pos [E_total] the flat index predicting each example's first answer token, first_label [E_total] the index
    of that token in labels; examples [E_total] sample ids.
    """

    def __init__(self, export, rows, pad_id=0, spread=1.5):
        """rows: one list of sample ids per video (all about that video)."""
        vid = export.meta["video_token_id"]
        prefixes, videos, tails = [], [], []          # tails: (row, sample id, tail ids, prompt tail length)
        for b, sample_ids in enumerate(rows):
            first = export.samples[sample_ids[0]]
            end = video_end(first["input_ids"], vid)
            prefix = first["input_ids"][:end]
            if prefixes and len(prefix) != len(prefixes[0]):
                raise ValueError("videos of one batch must have prefixes of one length (same frames and header)")
            for i in sample_ids:
                s = export.samples[i]
                if s["video"] != first["video"] or s["input_ids"][:end] != prefix:
                    raise ValueError(f"sample {i} does not share the prefix of sample {sample_ids[0]}")
                tail = s["input_ids"][end:]
                tails.append((b, i, tail + s["target_ids"][:-1], len(tail)))
            prefixes.append(prefix)
            videos.append(first["video"])
        self.prefix_ids = torch.tensor(prefixes)
        self.pixels = export.video_pixels(videos)
        self.videos = videos
        self.video_start = prefixes[0].index(vid)         # first video slot; frames' rows, then the newline
        tails.sort(key=lambda t: len(t[2]))
        groups = []
        for t in tails:
            if groups and len(t[2]) <= spread * len(groups[-1][0][2]):
                groups[-1].append(t)
            else:
                groups.append([t])
        base = len(rows) * len(prefixes[0])
        self.tails, labels, label_pos, weights, first_pos, self.examples = [], [], [], [], [], []
        self.tail_spans = []    # (sample id, flat index of the tail's first row, tail ids incl. the answer)
        first_label = []
        for group in groups:
            width = max(len(t[2]) for t in group)
            ids = torch.full((len(group), width), pad_id, dtype=torch.long)
            for e, (b, i, seq, prompt_len) in enumerate(group):
                ids[e, :len(seq)] = torch.tensor(seq)
                target = export.samples[i]["target_ids"]
                at = base + e * width + prompt_len - 1
                label_pos.extend(range(at, at + len(target)))
                labels.extend(target)
                weights.extend([1.0 / len(target)] * len(target))
                first_pos.append(at)
                first_label.append(len(labels) - len(target))
                self.examples.append(i)
                self.tail_spans.append((i, base + e * width, seq))
            self.tails.append((ids, torch.tensor([t[0] for t in group])))
            base += len(group) * width
        self.tokens = base
        self.label_pos = torch.tensor(label_pos)
        self.labels = torch.tensor(labels)
        self.label_weight = torch.tensor(weights)
        self.first_pos = torch.tensor(first_pos)
        self.first_label = torch.tensor(first_label)


def by_video(export, sample_ids=None):
    """sample ids grouped by video row, in order."""
    groups = {}
    for i in (range(len(export.samples)) if sample_ids is None else sample_ids):
        groups.setdefault(export.samples[i]["video"], []).append(i)
    return groups


def text_only_batch(export, sample_ids, pad_id=0):
    """Examples with their video slots cut out (chat header, then the rest of the prompt and the answer): for
    text-only drills. Relative positions inside the question are those of the full prompt, so what is learned
    transfers (RoPE sees only offsets). Returns ids [B, L], label_pos [M] flat, labels [M], label_weight [M],
    first_pos [B] flat, first_label [B]."""
    vid = export.meta["video_token_id"]
    rows, label_at, labels, weights, first_at, first_label = [], [], [], [], [], []
    for b, i in enumerate(sample_ids):
        s = export.samples[i]
        ids = s["input_ids"]
        start = ids.index(vid)
        end = video_end(ids, vid)
        prompt = ids[:start] + ids[end:]
        target = s["target_ids"]
        rows.append(prompt + target[:-1])
        first_at.append((b, len(prompt) - 1))
        first_label.append(len(labels))
        for j, t in enumerate(target):
            label_at.append((b, len(prompt) - 1 + j))
            labels.append(t)
            weights.append(1.0 / len(target))
    width = max(len(r) for r in rows)
    out = torch.full((len(rows), width), pad_id, dtype=torch.long)
    for b, r in enumerate(rows):
        out[b, :len(r)] = torch.tensor(r)
    flat = lambda pairs: torch.tensor([b * width + t for b, t in pairs])  # noqa: E731
    return out, flat(label_at), torch.tensor(labels), torch.tensor(weights), flat(first_at), torch.tensor(first_label)
