#!/usr/bin/env python3
"""Checks an exported model with the Python reference tools: onnx.checker (full_check, with shape inference)
and an ONNX Runtime Python session that loads it and runs one padded batch of 2 x 5 tokens.
Exit 0 when both pass, 1 with the reason otherwise.

Usage: check_onnx_model.py MODEL.onnx
"""
import sys

import numpy as np
import onnx
import onnxruntime


def main():
    path = sys.argv[1]
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # noqa: BLE001 - report any checker failure
        print(f"{path}: onnx.checker: {error}", file=sys.stderr)
        return 1
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    ids = np.array([[101, 2023, 2003, 102, 0], [101, 7592, 2088, 999, 102]], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64), "token_type_ids": np.zeros_like(ids)}
    names = [i.name for i in session.get_inputs()]
    (logits,) = session.run(["logits"], {name: feeds[name] for name in names})
    if logits.shape[0] != 2 or not np.isfinite(logits).all():
        print(f"{path}: onnxruntime: got logits of shape {logits.shape} with non-finite values", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
