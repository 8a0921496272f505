#!/usr/bin/env python3
"""The reference INT8 model: ONNX Runtime Python's quantize_dynamic on the same fp32 model, with QUInt8
weights as the seed article used (per tensor unless --per-channel). Writes OUT (e.g.
MODEL_DIR/model_quantized_reference.onnx) for side-by-side speed and accuracy comparisons with ours.

Usage: reference_quantize.py MODEL.onnx OUT.onnx [--per-channel] [--weight-type u8|s8]
"""
import argparse

import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--per-channel", action="store_true")
    parser.add_argument("--weight-type", choices=["u8", "s8"], default="u8")
    args = parser.parse_args()
    quantize_dynamic(args.model, args.out, per_channel=args.per_channel,
                     weight_type=QuantType.QUInt8 if args.weight_type == "u8" else QuantType.QInt8,
                     # onnx's shape inference has no types for com.microsoft ops (fused graphs)
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


if __name__ == "__main__":
    main()
