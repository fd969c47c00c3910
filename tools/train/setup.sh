#!/usr/bin/env bash
# Installs what the training tool needs for /usr/bin/python3, from Debian's packages only:
#   python3-torch (PyTorch 1.13, CPU), python3-numpy, and libopenblas0-pthread (without it Debian's torch falls
#   back to the reference BLAS, ~20x slower). Does nothing when all three are present.
set -euo pipefail
packages=(python3-torch python3-numpy libopenblas0-pthread)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
/usr/bin/python3 - <<'PY'
import time, torch
torch.set_num_threads(2)
a = torch.randn(512, 2048); b = torch.randn(2048, 2048)
a @ b
t = time.perf_counter(); a @ b; dt = time.perf_counter() - t
gflops = 2 * 512 * 2048 * 2048 / dt / 1e9
print(f"setup: torch {torch.__version__}, 512x2048x2048 matmul {gflops:.0f} GFLOP/s on 2 threads")
if gflops < 15:  # reference BLAS gives ~6; OpenBLAS ~114 on an idle machine
    print("setup: WARNING: slow BLAS; check `update-alternatives --display libblas.so.3-x86_64-linux-gnu`")
PY
