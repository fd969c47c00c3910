#!/usr/bin/env python3
"""Golden outputs of PIL's BICUBIC resize for PilBicubicTest (run once with Pillow; outputs are committed).

The source image is defined by a formula that PilBicubicTest repeats in Java, so only PIL's outputs are stored:
raw packed RGB bytes, one file per target size, named WxH.rgb. Made with Pillow 9.4.0 (Debian python3-pil).
"""
import os
import PIL
from PIL import Image

W, H = 64, 48


def pixel(x, y):
    # Smooth gradients, a hard-edged block and a fine checkerboard: exercises both overshoot and aliasing.
    r = (x * 255) // (W - 1)
    g = (y * 255) // (H - 1)
    b = 255 if 20 <= x < 40 and 12 <= y < 30 else ((x // 2 + y // 2) % 2) * 200
    return r, g, b


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    image = Image.new("RGB", (W, H))
    image.putdata([pixel(x, y) for y in range(H) for x in range(W)])
    for w, h in [(40, 30), (100, 80), (37, 61), (64, 48)]:
        out = image.resize((w, h), Image.BICUBIC)
        with open(os.path.join(here, f"{w}x{h}.rgb"), "wb") as f:
            f.write(out.tobytes())
    print("Pillow", PIL.__version__)


if __name__ == "__main__":
    main()
