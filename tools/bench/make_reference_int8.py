#!/usr/bin/env python3
"""The reference INT8 row: onnxruntime's quantize_dynamic with QUInt8 weights, exactly the seed article's
Listing 2. The article quantized a plain torch.onnx.export graph (standard ONNX ops; ONNX Runtime fuses it at
load), so prepare_models.sh gives this script our `fastintent export --plain` graph of the same checkpoint.

Usage: make_reference_int8.py SOURCE.onnx TARGET.onnx
"""
import pathlib
import sys

from onnxruntime.quantization import QuantType, quantize_dynamic


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    if not source.is_file():
        print(f"make_reference_int8: error: {source} does not exist (run `fastintent export --plain` first)",
              file=sys.stderr)
        sys.exit(1)
    quantize_dynamic(str(source), str(target), weight_type=QuantType.QUInt8)
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
