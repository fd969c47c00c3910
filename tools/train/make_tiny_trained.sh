#!/usr/bin/env bash
# Reproduces models/tiny-trained end to end on CPU: data sets, training base, exports, training, parity check and
# the held-out evaluation through the Java pipeline. Everything goes under WORK (default target/train; ignored by
# git). Run from the repository root:  tools/train/make_tiny_trained.sh [WORK]
# Then copy WORK/tiny-trained/ to models/tiny-trained/ to update the committed checkpoint.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$root/target/train}"
py=/usr/bin/python3
vlflow="$root/vlflow"
mkdir -p "$work"
cd "$root"

"$root/tools/train/setup.sh"
[ -f "$work/ds-train/videomme.json" ] || "$vlflow" make-dataset videomme-synthetic --out "$work/ds-train" --videos 1200 --seed 1
[ -f "$work/ds-held/videomme.json" ] || "$vlflow" make-dataset videomme-synthetic --out "$work/ds-held" --videos 150 --seed 2
[ -f "$work/base/config.json" ] || "$vlflow" training-base --dataset "$work/ds-train" --out "$work/base" --seed 0
[ -f "$work/ex-train/export.json" ] || "$vlflow" export-training-data --dataset "$work/ds-train" --model "$work/base" \
    --frames 8 --out "$work/ex-train" --subtitles --kinds letter,sentence --seed 1
[ -f "$work/ex-held/export.json" ] || "$vlflow" export-training-data --dataset "$work/ds-held" --model "$work/base" \
    --frames 8 --out "$work/ex-held" --subtitles --kinds letter,sentence

# stage 1: colour, count and motion (dense targets from the generator's scenes)
nice -n 10 "$py" tools/train/train.py --init "$work/base" --train "$work/ex-train" --heldout "$work/ex-held" \
    --scenes "$work/ds-train/scenes.json" --out "$work/stage1" --drill-steps 0 --steps 1800 --eval-every 300 --seed 7 \
    | tee "$work/train-stage1.log"
# stage 2: from stage 1, direction questions tied to the named shape (--bind-layer), weighted twice
nice -n 10 "$py" tools/train/train.py --init "$work/stage1" --no-visual-rescale --train "$work/ex-train" \
    --heldout "$work/ex-held" --scenes "$work/ds-train/scenes.json" --bind-layer 2 --aux-weight 1.0 \
    --task-weight 'Spatial Perception=2' --lr 1e-3 --warmup 30 --out "$work/tiny-trained" --drill-steps 0 \
    --steps 1800 --eval-every 600 --seed 9 \
    | tee "$work/train-stage2.log"

"$vlflow" engine-logits --export "$work/ex-held" --model "$work/tiny-trained" --samples 0,1,2,3,4,5 --out "$work/logits"
"$py" tools/train/check_parity.py --model "$work/tiny-trained" --export "$work/ex-held" --logits "$work/logits" \
    | tee "$work/parity.log"
rm -rf "$work/eval-held"
"$vlflow" eval videomme --annotations "$work/ds-held/videomme.json" --videos "$work/ds-held/video" \
    --model "$work/tiny-trained" --frames 8 --out "$work/eval-held" --json | tee "$work/eval.log"
rm -rf "$work/eval-held-ccd"
"$vlflow" eval videomme --annotations "$work/ds-held/videomme.json" --videos "$work/ds-held/video" \
    --model "$work/tiny-trained" --frames 8 --out "$work/eval-held-ccd" --json \
    --task-types "Attribute Perception,Counting Problem,Spatial Perception" | tee "$work/eval-ccd.log"
