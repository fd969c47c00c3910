"""Dense auxiliary targets for the video tokens, from the synthetic set's ground truth (`scenes.json`).

The questions give one supervised token per question; learning to see colour, count and motion from that alone is
slow. The synthetic generator knows where every shape is in every frame, so each video token (frame f, pooled cell
r, c) gets two labels, computed from the shapes' boxes at the sampled frame's time:

    colour[f, r, c]     0 = background, 1.. = colour of the shape covering most of the cell (`COLOURS` order)
    direction[f, r, c]  0 = background, 1.. = that shape's direction of motion (`DIRECTIONS` order)

With `--bind-layer` a third label ties a question to the video: in a direction question ("In which direction does
the red square move?") the row of the colour word, after that decoder layer, is trained to predict the direction of
the shape of that colour. Without it the model saw motion (every one-shape scene right) but often read the motion
of the wrong shape when several move.

The trainer adds small linear heads (not saved: the checkpoint stays a plain LLaVA-OneVision) that predict colour
from the video rows the decoder receives, and direction from the decoder's residual stream after an intermediate
layer (where later layers, and so the answer, can still read it). A cell counts as covered by a shape when the
shape's box covers at least `MIN_COVER` of it.
"""
import json

import torch

COLOURS = ["red", "green", "blue", "yellow"]
DIRECTIONS = ["left", "right", "up", "down"]
MIN_COVER = 0.15


def load_scenes(path):
    with open(path) as f:
        return {s["video_id"]: s for s in json.load(f)}


def cell_labels(scene, frame_indices, fps, side):
    """colour, direction LongTensors [frames * side * side] for one video, cells row-major per frame."""
    width, height = scene["width"], scene["height"]
    cw, ch = width / side, height / side
    colour = torch.zeros(len(frame_indices), side, side, dtype=torch.long)
    direction = torch.zeros_like(colour)
    for f, index in enumerate(frame_indices):
        t = index / fps
        best = torch.zeros(side, side)
        for shape in scene["shapes"]:
            if t < shape["appear_s"]:
                continue
            dt = t - shape["appear_s"]
            x0 = shape["x"] + shape["vx"] * dt
            y0 = shape["y"] + shape["vy"] * dt
            x1, y1 = x0 + shape["size"], y0 + shape["size"]
            for r in range(side):
                oy = max(0.0, min(y1, (r + 1) * ch) - max(y0, r * ch))
                for c in range(side):
                    ox = max(0.0, min(x1, (c + 1) * cw) - max(x0, c * cw))
                    cover = ox * oy / (cw * ch)
                    if cover >= MIN_COVER and cover > best[r, c]:
                        best[r, c] = cover
                        colour[f, r, c] = COLOURS.index(shape["colour"]) + 1
                        direction[f, r, c] = DIRECTIONS.index(shape["direction"]) + 1
    return colour.reshape(-1), direction.reshape(-1)


class AuxTargets:
    """Labels of every video of an export, and the two heads that predict them."""

    def __init__(self, export, scenes_path, hidden, colour_token_ids=None):
        scenes = load_scenes(scenes_path)
        self.export = export
        self.colour_token_ids = colour_token_ids or {}     # token id -> colour name
        self.scene_directions = {}                          # (video row, colour) -> direction index + 1
        for v in export.videos:
            for shape in scenes[v["video_id"]]["shapes"]:
                self.scene_directions[(v["index"], shape["colour"])] = DIRECTIONS.index(shape["direction"]) + 1
        side = int(round(export.meta["tokens_per_frame"] ** 0.5))
        self.colour, self.direction = [], []
        for v in export.videos:
            c, d = cell_labels(scenes[v["video_id"]], v["frames"], v["fps"], side)
            self.colour.append(c)
            self.direction.append(d)
        self.colour_head = torch.nn.Linear(hidden, len(COLOURS) + 1)
        self.direction_head = torch.nn.Linear(hidden, len(DIRECTIONS) + 1)
        self.binding_head = torch.nn.Linear(hidden, len(DIRECTIONS) + 1)

    def parameters(self):
        return (list(self.colour_head.parameters()) + list(self.direction_head.parameters())
                + list(self.binding_head.parameters()))

    def binding_rows(self, tail_spans):
        """(flat rows, labels) of the colour words of a batch's direction questions (first colour word of the tail:
        the question's; subtitled prompts are left out, their subtitles name colours before the question)."""
        rows, labels = [], []
        for i, start, seq in tail_spans:
            s = self.export.samples[i]
            if s["task_type"] != "Spatial Perception" or "subtitles" in s.get("form", ""):
                continue
            for j, t in enumerate(seq):
                if t in self.colour_token_ids:
                    rows.append(start + j)
                    labels.append(self.scene_directions[(s["video"], self.colour_token_ids[t])])
                    break
        return torch.tensor(rows, dtype=torch.long), torch.tensor(labels, dtype=torch.long)

    def binding_loss(self, residual, tail_spans):
        """residual [N, H] after the binding layer, every row of the batch."""
        rows, labels = self.binding_rows(tail_spans)
        if len(rows) == 0:
            return residual.sum() * 0
        return torch.nn.functional.cross_entropy(self.binding_head(residual[rows]), labels)

    def loss(self, videos, video_rows, residual):
        """videos [B] export rows; video_rows [B, F*T, H] what the decoder receives at the frame slots; residual
        [B, F*T, H] the decoder's residual stream there after the chosen layer."""
        colour = torch.stack([self.colour[v] for v in videos]).reshape(-1)
        direction = torch.stack([self.direction[v] for v in videos]).reshape(-1)
        h = video_rows.shape[-1]
        return (torch.nn.functional.cross_entropy(self.colour_head(video_rows.reshape(-1, h)), colour)
                + torch.nn.functional.cross_entropy(self.direction_head(residual.reshape(-1, h)), direction))
