"""Turning generated ids into the letter the evaluation scores: byte-level BPE decoding of the checkpoint's
tokenizer.json, and Video-MME's official extraction rule (the Java AnswerExtractor)."""
import json
import os
import re

REMOVED = ["The best answer is", "The correct answer is", "The answer is", "The answer",
           "The best option isThe correct option is", "Best answer:Best option:"]


def _byte_decoder():
    """GPT-2's byte <-> printable-character table, inverted."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


class Decoder:
    """Ids -> text, special tokens left out; and the ids that end generation."""

    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "tokenizer.json")) as f:
            tok = json.load(f)
        self.tokens = {i: t for t, i in tok["model"]["vocab"].items()}
        self.special = {a["id"] for a in tok["added_tokens"]}
        self.bytes = _byte_decoder()
        with open(os.path.join(model_dir, "generation_config.json")) as f:
            eos = json.load(f).get("eos_token_id", [])
        self.stop_ids = set(eos if isinstance(eos, list) else [eos])

    def text(self, ids):
        raw = bytes(self.bytes[ch] for i in ids if i not in self.special and i in self.tokens for ch in self.tokens[i])
        return raw.decode("utf-8", errors="replace")


def extract(response):
    """The official rule: strip, drop the phrases, no letter among > 10 words -> '', else the first capital A-D."""
    s = response.strip()
    for phrase in REMOVED:
        s = s.replace(phrase, "")
    m = re.search("[ABCD]", s)
    if len(s.split()) > 10 and m is None:
        return ""
    return m.group(0) if m else ""
