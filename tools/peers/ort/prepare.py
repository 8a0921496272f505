#!/usr/bin/env python3
"""Makes the ONNX Runtime peers' files from peers/torch_export.onnx (tools/peers/pytorch/export_onnx.py), as ONNX
Runtime's documentation advises for BERT on CPU:
  peers/ort/optimized.onnx        onnxruntime.transformers.optimizer.optimize_model(model_type="bert"): fused
                                  EmbedLayerNormalization, Attention, SkipLayerNormalization, BiasGelu
  peers/ort/optimized_qint8.onnx  quantize_dynamic(optimized, weight_type=QInt8, per_channel=True)
  peers/ort/article_quint8.onnx   quantize_dynamic(torch_export, weight_type=QUInt8): the seed article's Listing 2
Prints the fused operator counts, so a fusion that did not match is visible. Runs in var/peers/ort.

Usage: prepare.py MODEL_DIR
"""
import collections
import json
import sys
from pathlib import Path

import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.optimizer import optimize_model


def op_counts(path):
    return collections.Counter(node.op_type for node in onnx.load(str(path)).graph.node)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    model_dir = Path(sys.argv[1])
    source = model_dir / "peers" / "torch_export.onnx"
    if not source.is_file():
        sys.exit(f"ort/prepare.py: no {source} (run tools/peers/pytorch/export_onnx.py first)")
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    heads = config.get("num_attention_heads", config.get("n_heads"))
    hidden = config.get("hidden_size", config.get("dim"))
    out = model_dir / "peers" / "ort"
    out.mkdir(parents=True, exist_ok=True)
    # opt_level 0: the optimizer's own fusion passes only. Level 1 first runs an ONNX Runtime session to
    # pre-optimize, which in 1.30 imports torch (not in this venv); the session that serves the file applies
    # ORT_ENABLE_ALL at load anyway.
    optimized = optimize_model(str(source), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=0)
    optimized.save_model_to_file(str(out / "optimized.onnx"))
    # The contrib ops leave some outputs untyped for ONNX shape inference; the quantizer asks to be told they are
    # float (its own error message says so).
    quantize_dynamic(str(out / "optimized.onnx"), str(out / "optimized_qint8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    quantize_dynamic(str(source), str(out / "article_quint8.onnx"), weight_type=QuantType.QUInt8)
    for name in ("optimized.onnx", "optimized_qint8.onnx", "article_quint8.onnx"):
        counts = op_counts(out / name)
        interesting = {k: v for k, v in sorted(counts.items()) if k in (
            "Attention", "QAttention", "EmbedLayerNormalization", "SkipLayerNormalization", "BiasGelu", "FastGelu",
            "Gelu", "MatMul", "MatMulInteger", "DynamicQuantizeMatMul", "DynamicQuantizeLinear", "Softmax")}
        print(f"{out / name}: {interesting}")


if __name__ == "__main__":
    main()
