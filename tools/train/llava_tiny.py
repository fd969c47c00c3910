"""LLaVA-OneVision at tiny size, in plain PyTorch 1.13, for training the project's own `tiny-trained` checkpoint.

The module tree mirrors Hugging Face's `LlavaOnevisionForConditionalGeneration` (transformers >= 4.52, "current"
tensor layout), so `state_dict()` names are exactly the checkpoint's tensor names:

    model.language_model.{embed_tokens, layers.N.{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm,
                          mlp.{gate,up,down}_proj}, norm}
    model.vision_tower.vision_model.{embeddings.{patch_embedding, position_embedding}, encoder.layers.M.{layer_norm1,
                          self_attn.{q,k,v,out}_proj, layer_norm2, mlp.{fc1,fc2}}, post_layernorm}
    model.multi_modal_projector.{linear_1, linear_2}
    model.image_newline
    lm_head.weight            (only when embeddings are not tied)

Video path (ECOSYSTEM.md 2.2): SigLIP features of the last layer WITHOUT post_layernorm -> projector
(linear_1, exact erf GELU, linear_2) -> 2x2 bilinear pooling (interpolate to ceil(side/2), align_corners=False)
-> frames' tokens in order, then ONE image_newline row per video. Those rows replace, in order, the prompt's
`video_token_id` positions (the prompt holds frames * tokens_per_frame + 1 of them). Decoder: Qwen2 with RMSNorm,
rotate-half RoPE (inv_freq computed in double, cast to float32, like the Java engine), GQA, q/k/v biases, SwiGLU.
"""
import json
import math
import os
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

import safetensors_io


@dataclass(frozen=True)
class TextConfig:
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    rms_norm_eps: float
    rope_theta: float
    tie_word_embeddings: bool

    @property
    def head_dim(self):
        return self.hidden_size // self.num_attention_heads


@dataclass(frozen=True)
class VisionConfig:
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    patch_size: int
    image_size: int
    num_channels: int
    layer_norm_eps: float
    hidden_act: str

    @property
    def patches_per_side(self):
        return self.image_size // self.patch_size

    @property
    def pooled_side(self):
        return (self.patches_per_side + 1) // 2

    @property
    def tokens_per_frame(self):
        return self.pooled_side ** 2


@dataclass(frozen=True)
class LlavaConfig:
    text: TextConfig
    vision: VisionConfig
    video_token_id: int
    image_token_id: int
    projector_hidden_act: str

    @staticmethod
    def read(directory):
        """Parses a checkpoint's config.json with the same defaults as the Java ModelConfigJson."""
        with open(os.path.join(directory, "config.json")) as f:
            root = json.load(f)
        if root.get("model_type") != "llava_onevision":
            raise ValueError(f"{directory}: model_type is {root.get('model_type')!r}, expected 'llava_onevision'")
        t = root["text_config"]
        v = root["vision_config"]
        heads = t.get("num_attention_heads", 32)
        tied = t.get("tie_word_embeddings", root.get("tie_word_embeddings", False))
        text = TextConfig(t.get("vocab_size", 151936), t.get("hidden_size", 4096), t.get("intermediate_size", 22016),
                          t.get("num_hidden_layers", 32), heads, t.get("num_key_value_heads") or heads,
                          float(t.get("rms_norm_eps", 1e-6)), float(t.get("rope_theta", 10000.0)), bool(tied))
        vision = VisionConfig(v.get("hidden_size", 768), v.get("intermediate_size", 3072),
                              v.get("num_hidden_layers", 12), v.get("num_attention_heads", 12),
                              v.get("patch_size", 16), v.get("image_size", 224), v.get("num_channels", 3),
                              float(v.get("layer_norm_eps", 1e-6)), v.get("hidden_act", "gelu_pytorch_tanh"))
        if root.get("projector_hidden_act", "gelu") != "gelu" or vision.hidden_act != "gelu_pytorch_tanh":
            raise ValueError("only projector gelu and vision gelu_pytorch_tanh are implemented")
        return LlavaConfig(text, vision, root.get("video_token_index", 151647), root.get("image_token_index", 151646),
                           root.get("projector_hidden_act", "gelu"))


# ---------------------------------------------------------------- Qwen2 decoder

class RMSNorm(nn.Module):
    def __init__(self, width, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


class Rope(nn.Module):
    """Rotate-half RoPE; cos/sin of angle = float32(pos) * float32(inv_freq), as the Java engine computes them."""

    def __init__(self, head_dim, theta):
        super().__init__()
        inv = [1.0 / math.pow(theta, (2.0 * i) / head_dim) for i in range(head_dim // 2)]
        self.register_buffer("inv_freq", torch.tensor(inv, dtype=torch.float64).float(), persistent=False)

    def forward(self, positions):
        """positions [N] -> cos, sin [N, head_dim]."""
        angle = positions.float()[:, None] * self.inv_freq[None, :]
        angle = torch.cat([angle, angle], dim=-1)
        return angle.cos(), angle.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class CausalPlan:
    """Attention over `batch` independent rows of `length` tokens, laid out flat (token b * length + t), causal."""

    def __init__(self, batch, length):
        self.batch, self.length = batch, length
        self.mask = torch.full((length, length), float("-inf")).triu(1)

    def positions(self):
        return torch.arange(self.length).repeat(self.batch)

    def attend(self, q, k, v, scale, keep_probs):
        """q [N, h, d], k, v [N, h, d] (KV heads already repeated) -> out [N, h * d], probs [B, h, L, L] or None."""
        b, n = self.batch, self.length
        q, k, v = (t.view(b, n, t.shape[1], t.shape[2]).transpose(1, 2) for t in (q, k, v))    # [B, h, L, d]
        probs = (torch.matmul(q * scale, k.transpose(-1, -2)) + self.mask).softmax(dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b * n, -1)
        return out, (probs if keep_probs else None)


class PrefixPlan:
    """Prefix sharing: `batch` prefixes of `prefix` tokens (chat header + video), then groups of tails. Tail e of a
    group continues the prefix of video `videos[e]` at positions prefix.. and attends to that prefix and, causally,
    to itself -- what the engine computes for each question on a fork of the video's cache.

    Flat token layout: [batch * prefix prefix tokens][group 0: count * length tokens][group 1 ...].
    """

    def __init__(self, batch, prefix, groups):
        """groups: list of (videos LongTensor [E], length Lt)."""
        self.batch, self.prefix, self.groups = batch, prefix, groups
        self.prefix_plan = CausalPlan(batch, prefix)
        self.tail_masks = [torch.cat([torch.zeros(n, prefix), torch.full((n, n), float("-inf")).triu(1)], dim=1)
                           for _, n in groups]

    def tokens(self):
        return self.batch * self.prefix + sum(len(v) * n for v, n in self.groups)

    def positions(self):
        parts = [self.prefix_plan.positions()]
        parts += [torch.arange(self.prefix, self.prefix + n).repeat(len(v)) for v, n in self.groups]
        return torch.cat(parts)

    def attend(self, q, k, v, scale, keep_probs):
        cut = self.batch * self.prefix
        out_p, _ = self.prefix_plan.attend(q[:cut], k[:cut], v[:cut], scale, False)
        kp, vp = (t[:cut].view(self.batch, self.prefix, t.shape[1], t.shape[2]).transpose(1, 2) for t in (k, v))
        outs = [out_p]
        at = cut
        for (videos, n), mask in zip(self.groups, self.tail_masks):
            e = len(videos)
            qt, kt, vt = (t[at:at + e * n].view(e, n, t.shape[1], t.shape[2]).transpose(1, 2) for t in (q, k, v))
            keys = torch.cat([kp[videos], kt], dim=2)                                      # [E, h, P + Lt, d]
            values = torch.cat([vp[videos], vt], dim=2)
            probs = (torch.matmul(qt * scale, keys.transpose(-1, -2)) + mask).softmax(dim=-1)
            outs.append(torch.matmul(probs, values).transpose(1, 2).reshape(e * n, -1))
            at += e * n
        return torch.cat(outs), None


class Qwen2Attention(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.q_proj = nn.Linear(c.hidden_size, self.heads * self.head_dim, bias=True)
        self.k_proj = nn.Linear(c.hidden_size, self.kv_heads * self.head_dim, bias=True)
        self.v_proj = nn.Linear(c.hidden_size, self.kv_heads * self.head_dim, bias=True)
        self.o_proj = nn.Linear(self.heads * self.head_dim, c.hidden_size, bias=False)

    def forward(self, x, cos, sin, plan, keep_probs=False):
        """x [N, H] flat tokens; cos, sin [N, d] at each token's position. Returns [N, H] (and probs)."""
        n = x.shape[0]
        q = self.q_proj(x).view(n, self.heads, self.head_dim)
        k = self.k_proj(x).view(n, self.kv_heads, self.head_dim)
        v = self.v_proj(x).view(n, self.kv_heads, self.head_dim)
        cos, sin = cos[:, None, :], sin[:, None, :]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = self.heads // self.kv_heads
        k = k.repeat_interleave(group, dim=1)                                        # head h reads kv head h // group
        v = v.repeat_interleave(group, dim=1)
        out, probs = plan.attend(q, k, v, 1.0 / math.sqrt(self.head_dim), keep_probs)
        return self.o_proj(out), probs


class Qwen2MLP(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.up_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Qwen2Layer(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.self_attn = Qwen2Attention(c)
        self.post_attention_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.mlp = Qwen2MLP(c)

    def forward(self, x, cos, sin, plan, keep_probs=False):
        a, probs = self.self_attn(self.input_layernorm(x), cos, sin, plan, keep_probs)
        h = x + a
        return h + self.mlp(self.post_attention_layernorm(h)), probs


class Qwen2Model(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList([Qwen2Layer(c) for _ in range(c.num_hidden_layers)])
        self.norm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.rope = Rope(c.head_dim, c.rope_theta)

    def forward(self, x, plan, keep_probs=False, capture=None):
        """x [N, H] flat input embeddings laid out as `plan` says -> final-normed hidden [N, H] and per-layer
        attention probabilities when the plan keeps them, or, with `capture` = k, the residual stream after
        layer k instead of the probabilities (with a tuple of layers, a dict layer -> residual)."""
        cos, sin = self.rope(plan.positions())
        all_probs = []
        layers = (capture,) if isinstance(capture, int) else tuple(capture or ())
        captured = {}
        for i, layer in enumerate(self.layers):
            x, probs = layer(x, cos, sin, plan, keep_probs)
            all_probs.append(probs)
            if i in layers:
                captured[i] = x
        if capture is None:
            return self.norm(x), all_probs
        return self.norm(x), (captured[capture] if isinstance(capture, int) else captured)


# ---------------------------------------------------------------- SigLIP vision tower

class SiglipEmbeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.patch_embedding = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size, stride=c.patch_size)
        self.position_embedding = nn.Embedding(c.patches_per_side ** 2, c.hidden_size)

    def forward(self, pixels):
        """pixels [N, 3, S, S] -> [N, patches, Hv], patch index = row * side + column."""
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        return x + self.position_embedding.weight[None]


class SiglipAttention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads, self.head_dim = c.num_attention_heads, c.hidden_size // c.num_attention_heads
        self.q_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.k_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.v_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.out_proj = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x):
        n, p, w = x.shape
        q, k, v = (proj(x).view(n, p, self.heads, self.head_dim).transpose(1, 2)
                   for proj in (self.q_proj, self.k_proj, self.v_proj))
        probs = ((q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim))).softmax(dim=-1)
        return self.out_proj((probs @ v).transpose(1, 2).reshape(n, p, w))


class SiglipMLP(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.fc1 = nn.Linear(c.hidden_size, c.intermediate_size)
        self.fc2 = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class SiglipLayer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.self_attn = SiglipAttention(c)
        self.layer_norm2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = SiglipMLP(c)

    def forward(self, x):
        h = x + self.self_attn(self.layer_norm1(x))
        return h + self.mlp(self.layer_norm2(h))


class SiglipEncoder(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layers = nn.ModuleList([SiglipLayer(c) for _ in range(c.num_hidden_layers)])


class SiglipVisionModel(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.embeddings = SiglipEmbeddings(c)
        self.encoder = SiglipEncoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)   # stored, unused for features

    def forward(self, pixels):
        x = self.embeddings(pixels)
        for layer in self.encoder.layers:
            x = layer(x)
        return x


class SiglipTower(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.vision_model = SiglipVisionModel(c)


class Projector(nn.Module):
    def __init__(self, vision_width, text_width):
        super().__init__()
        self.linear_1 = nn.Linear(vision_width, text_width)
        self.linear_2 = nn.Linear(text_width, text_width)

    def forward(self, x):
        return self.linear_2(F.gelu(self.linear_1(x)))


# ---------------------------------------------------------------- the whole model

class LlavaInner(nn.Module):
    def __init__(self, c: LlavaConfig):
        super().__init__()
        self.language_model = Qwen2Model(c.text)
        self.vision_tower = SiglipTower(c.vision)
        self.multi_modal_projector = Projector(c.vision.hidden_size, c.text.hidden_size)
        self.image_newline = nn.Parameter(torch.zeros(c.text.hidden_size))


class LlavaTiny(nn.Module):
    def __init__(self, config: LlavaConfig):
        super().__init__()
        self.config = config
        self.model = LlavaInner(config)
        if not config.text.tie_word_embeddings:
            self.lm_head = nn.Linear(config.text.hidden_size, config.text.vocab_size, bias=False)

    def head_weight(self):
        if self.config.text.tie_word_embeddings:
            return self.model.language_model.embed_tokens.weight
        return self.lm_head.weight

    def video_embeddings(self, pixels):
        """pixels [B, F, 3, S, S] -> [B, F * tokens_per_frame + 1, H]: frames' pooled tokens, then the newline."""
        b, f = pixels.shape[:2]
        v = self.config.vision
        feats = self.model.vision_tower.vision_model(pixels.flatten(0, 1))          # [B*F, P, Hv]
        x = self.model.multi_modal_projector(feats)                                  # [B*F, P, H]
        side, hidden = v.patches_per_side, x.shape[-1]
        x = x.view(b * f, side, side, hidden).permute(0, 3, 1, 2)                    # [B*F, H, side, side]
        x = F.interpolate(x, size=(v.pooled_side, v.pooled_side), mode="bilinear", align_corners=False)
        x = x.permute(0, 2, 3, 1).reshape(b, f * v.tokens_per_frame, hidden)         # [B, F*T, H]
        newline = self.model.image_newline.view(1, 1, hidden).expand(b, 1, hidden)
        return torch.cat([x, newline], dim=1)

    def input_embeddings(self, input_ids, pixels):
        """input_ids [B, L] with F*T+1 video-token ids per row (right padding allowed); pixels [B, F, 3, S, S]."""
        x = self.model.language_model.embed_tokens(input_ids)                        # [B, L, H]
        video = self.video_embeddings(pixels)                                        # [B, F*T+1, H]
        slots = input_ids == self.config.video_token_id
        counts = slots.sum(dim=1)
        if not bool((counts == video.shape[1]).all()):
            raise ValueError(f"prompts hold {counts.tolist()} video tokens; the video gives {video.shape[1]} rows")
        return x.masked_scatter(slots[..., None], video)

    def hidden_states(self, input_ids, pixels, keep_probs=False):
        """Rows of equal length at positions 0..L-1: final-normed hidden [B, L, H] (and per-layer attention
        probabilities [B, heads, L, L] if asked). Right padding is harmless (causal attention)."""
        b, n = input_ids.shape
        x = self.input_embeddings(input_ids, pixels).reshape(b * n, -1)
        hidden, probs = self.model.language_model(x, CausalPlan(b, n), keep_probs)
        return hidden.view(b, n, -1), probs

    def prefixed_hidden(self, prefix_ids, pixels, tails, capture=None, capture_all=None):
        """Prefix sharing (see PrefixPlan): prefix_ids [B, P] holding the video slots, pixels [B, F, 3, S, S],
        tails = list of (ids [E, Lt], videos [E]). Returns final-normed hidden [N, H] in the plan's flat layout;
        with `capture` = k also (prefix input embeddings [B, P, H], residual after layer k at the prefix [B, P, H]),
        and with `capture_all` = j a third item: the residual after layer j at every row [N, H]."""
        b, p = prefix_ids.shape
        embed = self.model.language_model.embed_tokens
        prefix = self.input_embeddings(prefix_ids, pixels)
        parts = [prefix.reshape(b * p, -1)]
        parts += [embed(ids).reshape(-1, embed.embedding_dim) for ids, _ in tails]
        plan = PrefixPlan(b, p, [(videos, ids.shape[1]) for ids, videos in tails])
        layers = tuple(k for k in (capture, capture_all) if k is not None)
        hidden, captured = self.model.language_model(torch.cat(parts), plan, capture=layers if layers else None)
        if capture is None:
            return hidden
        if capture_all is None:
            return hidden, (prefix, captured[capture][:b * p].view(b, p, -1))
        return hidden, (prefix, captured[capture][:b * p].view(b, p, -1), captured[capture_all])

    def text_hidden(self, input_ids):
        """Rows without video at positions 0..L-1: final-normed hidden [B, L, H]."""
        b, n = input_ids.shape
        x = self.model.language_model.embed_tokens(input_ids).reshape(b * n, -1)
        hidden, _ = self.model.language_model(x, CausalPlan(b, n))
        return hidden.view(b, n, -1)

    def logits(self, input_ids, pixels):
        """[B, L, vocab]."""
        hidden, _ = self.hidden_states(input_ids, pixels)
        return hidden @ self.head_weight().t()

    # ------------------------------------------------------------ checkpoints

    def load_checkpoint_weights(self, directory):
        """Loads model.safetensors of a checkpoint directory (either layout); every parameter must be present."""
        tensors = {}
        for name, t in safetensors_io.load(os.path.join(directory, "model.safetensors")).items():
            tensors[canonical_name(name)] = t.float()
        if self.config.text.tie_word_embeddings:
            tensors.pop("lm_head.weight", None)
        expected = self.state_dict()
        missing = sorted(set(expected) - set(tensors))
        unexpected = sorted(set(tensors) - set(expected))
        if missing or unexpected:
            raise ValueError(f"{directory}: missing tensors {missing[:5]}, unexpected {unexpected[:5]}")
        for name, t in tensors.items():
            if tuple(t.shape) != tuple(expected[name].shape):
                raise ValueError(f"{name}: shape {tuple(t.shape)} in file, {tuple(expected[name].shape)} expected")
        self.load_state_dict(tensors)

    def save_weights(self, path, dtype="F32"):
        safetensors_io.save(self.state_dict(), path, dtype)


_LEGACY = [("language_model.model.", "model.language_model."), ("language_model.lm_head.", "lm_head."),
           ("vision_tower.", "model.vision_tower."), ("multi_modal_projector.", "model.multi_modal_projector.")]


def canonical_name(name):
    """The current-layout name of a tensor stored in either layout (the Java TensorLayout.canonical)."""
    if name == "image_newline":
        return "model.image_newline"
    for legacy, current in _LEGACY:
        if name.startswith(legacy):
            return current + name[len(legacy):]
    return name


def load(directory):
    """The model of a checkpoint directory, weights loaded, in eval mode."""
    model = LlavaTiny(LlavaConfig.read(directory))
    model.load_checkpoint_weights(directory)
    return model.eval()


@torch.no_grad()
def greedy(model, prompt, pixels, stop_ids, max_new=16):
    """Greedy answer ids after `prompt` (full recompute per token, as the evaluation generates): at most `max_new`
    tokens, ending before the first of `stop_ids` (which is not included)."""
    out = []
    while len(out) < max_new:
        hidden, _ = model.hidden_states(torch.tensor([prompt + out]), pixels)
        nxt = int((hidden[0, -1] @ model.head_weight().t()).argmax())
        if nxt in stop_ids:
            break
        out.append(nxt)
    return out
