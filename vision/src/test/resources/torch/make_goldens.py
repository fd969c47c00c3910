#!/usr/bin/env python3
"""Goldens of PyTorch's antialiased bicubic resize for AntialiasedResizeTest (run once; outputs are committed).

torch.nn.functional.interpolate(x, size, mode="bicubic", antialias=True, align_corners=False) on float32 -- the
_upsample_bicubic2d_aa kernel that torchvision's resize(..., BICUBIC, antialias=True) runs; on float, as torchvision
runs it for uint8 tensors where it has no native uint8 kernel (GPU): clamp to [0, 255], round half to even, uint8.
The source images are defined by formulas that AntialiasedResizeTest repeats in Java, so only outputs are stored:
raw packed RGB bytes [h, w, 3], named {image}-{W}x{H}-{w}x{h}.rgb. Made with Debian's python3-torch 1.13.1 (which reports 1.13.0a0; its
uint8 kernel came later, in PyTorch 2.x, so the uint8 path is checked in Java against the fixed-point rule).
"""
import os

import torch
import torch.nn.functional as F


def pattern(x, y, w, h):
    """PreprocessorTest.testImage: gradients, a hard-edged block and a fine checkerboard."""
    r = (x * 255) // (w - 1)
    g = (y * 255) // (h - 1)
    b = 255 if 20 <= x < 40 and 12 <= y < 30 else ((x // 2 + y // 2) % 2) * 200
    return r, g, b


def scene(x, y, w, h):
    """AntialiasedResizeTest.scene: a synthetic-set-like frame, grey with a red disc and a blue square."""
    if (x - 40) ** 2 + (y - 50) ** 2 < 18 ** 2:
        return 220, 30, 30
    if 70 <= x < 100 and 20 <= y < 44:
        return 20, 40, 230
    return 128, 128, 128


CASES = [("pattern", pattern, 64, 48, 40, 30), ("pattern", pattern, 64, 48, 37, 61),
         ("pattern", pattern, 64, 48, 100, 80), ("scene", scene, 128, 128, 112, 112)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, fn, w, h, ow, oh in CASES:
        x = torch.tensor([[fn(i, j, w, h) for i in range(w)] for j in range(h)], dtype=torch.float32)  # [h, w, 3]
        x = x.permute(2, 0, 1).unsqueeze(0)
        y = F.interpolate(x, size=(oh, ow), mode="bicubic", antialias=True, align_corners=False)
        y = y.clamp(0, 255).round().to(torch.uint8)[0].permute(1, 2, 0).contiguous()
        with open(os.path.join(here, f"{name}-{w}x{h}-{ow}x{oh}.rgb"), "wb") as f:
            f.write(y.numpy().tobytes())
    print("torch", torch.__version__)


if __name__ == "__main__":
    main()
