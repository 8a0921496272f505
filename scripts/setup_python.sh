#!/usr/bin/env bash
# The Python reference tools live in .venv, made on Debian's /usr/bin/python3 with
# --system-site-packages so that Debian's python3-torch 1.13.1 (CPU) is used instead of PyPI's CUDA build.
# Tooling only: goldens, fixtures, peer stacks, API checks. Idempotent (a stamp records the requirements).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.fastintent-requirements"
want="$(cat "$root/tools/requirements.txt" "$root/tools/constraints.txt" | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "python tools: up to date in $venv"
  exit 0
fi
[[ -x "$venv/bin/python" ]] || /usr/bin/python3 -m venv --system-site-packages "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$root/tools/requirements.txt" -c "$root/tools/constraints.txt"
"$venv/bin/python" -c "import torch, tokenizers, transformers, onnxruntime; print('python tools: torch', torch.__version__, 'tokenizers', tokenizers.__version__, 'transformers', transformers.__version__, 'onnxruntime', onnxruntime.__version__)"
echo "$want" > "$stamp"
