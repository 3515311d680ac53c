#!/usr/bin/env bash
# The whole GPU check, run from the unpacked bundle on a GPU machine without .NET (docs/gpu-runs.md):
#   tar -xJf gpu-bundle.tar.xz && gpu/run.sh
# It finds the CUDA libraries (LD_LIBRARY_PATH, CUDA toolkits, and NVIDIA's Python wheels such as PyTorch's),
# runs the Gpu and Nvrtc tests, then the GPU benchmark beside PyTorch on the same GPU (eager, and with each
# step replayed from a CUDA graph), and writes everything into ONE results file to bring back:
# gpu-results-<host>-<UTC time>.txt in the current folder (or the path given as the first argument).
# Each stage has a time limit, so the whole run ends within 8 minutes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
results=${1:-$PWD/gpu-results-$(hostname)-$(date -u +%Y%m%dT%H%M%SZ).txt}
: > "$results"
section() { printf '\n## %s\n\n' "$1" | tee -a "$results"; }
run() { "$@" 2>&1 | tee -a "$results"; return "${PIPESTATUS[0]}"; }

# NVIDIA's wheels keep the libraries in site-packages/nvidia/cu13/lib (CUDA 13) or nvidia/cublas/lib and
# nvidia/cuda_nvrtc/lib (CUDA 12); the library searches those itself, this makes them visible to every
# tool of the run and records them. The first python3 that imports torch is the one PyTorch runs under.
python=""
for candidate in /usr/bin/python3 "$(command -v python3 2>/dev/null)"; do
  if [ -n "$candidate" ] && "$candidate" -c "import torch" >/dev/null 2>&1; then python=$candidate; break; fi
done
[ -z "$python" ] && python=$(command -v python3 2>/dev/null || true)
wheels=""
if [ -n "$python" ]; then
  wheels=$("$python" - <<'PY' 2>/dev/null
import os, site
roots = []
try:
    import torch
    roots.append(os.path.dirname(os.path.dirname(torch.__file__)))
except Exception:
    pass
try:
    roots += site.getsitepackages() + [site.getusersitepackages()]
except Exception:
    pass
found = []
for root in roots:
    for sub in ("nvidia/cu13/lib", "nvidia/cublas/lib", "nvidia/cuda_nvrtc/lib", "nvidia/cuda_runtime/lib"):
        path = os.path.join(root, sub)
        if os.path.isdir(path) and path not in found:
            found.append(path)
print(":".join(found))
PY
)
fi
[ -n "$wheels" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$wheels"

section "Machine"
run date -u
run uname -srm
run nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
echo "python: ${python:-none}" | tee -a "$results"
[ -n "$python" ] && run "$python" -c "import torch; print('torch', torch.__version__, 'CUDA', torch.version.cuda, 'GPU', torch.cuda.is_available() and torch.cuda.get_device_name(0))"
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}" | tee -a "$results"
echo "bundle: $(cat "$here/COMMIT" 2>/dev/null || echo unknown)" | tee -a "$results"

section "Tests (Gpu and Nvrtc)"
run timeout 200 "$here/Sequential.Net.Cuda.Tests" --filter "TestCategory=Gpu|TestCategory=Nvrtc" --output detailed
echo "exit code: $? (124: stopped at the time limit)" | tee -a "$results"

section "Benchmark (GPU rows: Sequential.Net, PyTorch eager, PyTorch with CUDA graphs)"
run timeout 240 "$here/Benchmark" --gpu-only
echo "exit code: $? (124: stopped at the time limit)" | tee -a "$results"

echo
echo "Results: $results"
