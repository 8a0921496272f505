#!/usr/bin/env python3
"""The seed article's Listing 1 for any checkpoint: torch.onnx.export of transformers'
AutoModelForSequenceClassification, opset 14, batch and sequence axes dynamic. This is the graph the ONNX Runtime
peers start from (the transformer optimizer's fusions match torch.onnx.export's patterns) and that OpenVINO
converts. Runs in the project's .venv (Debian's torch 1.13.1).

Usage: export_onnx.py CHECKPOINT_DIR OUT.onnx
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    checkpoint, out = Path(sys.argv[1]), Path(sys.argv[2])
    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    with_types = model.config.model_type != "distilbert"
    sample = tokenizer(["как бы мне оператора услышать?", "ok"], padding=True, return_tensors="pt",
                       return_token_type_ids=with_types)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["logits"] = {0: "batch"}
    out.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model, tuple(sample[n] for n in names), str(out), input_names=names,
                          output_names=["logits"], dynamic_axes=axes, opset_version=14, do_constant_folding=True)
    print(f"{out}: torch.onnx.export opset 14, inputs {', '.join(names)}")


if __name__ == "__main__":
    main()
