"""Reads and writes safetensors files by hand (no `safetensors` package is available from Debian).

Layout of a file:

    [u64 little-endian N][N bytes of JSON header, space padded][raw tensor data]

The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the start
of the data block) plus an optional "__metadata__" map of strings. Data is little-endian, row-major. The writer
stores tensors in name order and pads the header with spaces so the data block starts 8-byte aligned, like the Java
SafetensorsWriter, so the same weights give byte-identical files.
"""
import json
import struct

import numpy as np
import torch

_NUMPY = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "I64": np.dtype("<i8"), "I32": np.dtype("<i4")}
DTYPES = ("F32", "F16", "BF16")


def read_header(path):
    """Returns (header dict without __metadata__, metadata dict, byte offset of the data block)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    return header, metadata, 8 + n


def _to_tensor(raw, dtype, shape):
    if dtype == "BF16":
        # bf16 = the high 16 bits of an f32
        half = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        array = half.view("<f4")
    elif dtype in _NUMPY:
        array = np.frombuffer(raw, dtype=_NUMPY[dtype])
    else:
        raise ValueError(f"unsupported safetensors dtype {dtype}")
    return torch.from_numpy(array.astype(array.dtype.newbyteorder("="), copy=True).reshape(shape))


def load(path):
    """All tensors of a file as a dict name -> torch tensor (F16/BF16 widened to float32)."""
    header, _, data_start = read_header(path)
    out = {}
    with open(path, "rb") as f:
        for name, info in header.items():
            begin, end = info["data_offsets"]
            f.seek(data_start + begin)
            raw = f.read(end - begin)
            if len(raw) != end - begin:
                raise ValueError(f"{path}: tensor {name} is truncated")
            t = _to_tensor(raw, info["dtype"], info["shape"])
            out[name] = t.float() if info["dtype"] in ("F16", "BF16") else t
    return out


def _bf16_bytes(array):
    """Round-to-nearest-even float32 -> bfloat16, as torch does, NaN kept quiet."""
    bits = array.astype("<f4").view("<u4").astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2")
    nan = np.isnan(array)
    rounded[nan] = 0x7FC0
    return rounded.tobytes()


def save(tensors, path, dtype="F32", metadata=None):
    metadata = {"format": "pt"} if metadata is None else metadata
    """Writes name -> tensor (any float tensor) as `dtype` (F32, F16 or BF16), names sorted, 8-byte aligned."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}")
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        array = tensors[name].detach().to(torch.float32).contiguous().cpu().numpy()
        if dtype == "F32":
            blob = array.astype("<f4").tobytes()
        elif dtype == "F16":
            blob = array.astype("<f2").tobytes()
        else:
            blob = _bf16_bytes(array)
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}, **header}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-(8 + len(text))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
