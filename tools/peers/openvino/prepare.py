#!/usr/bin/env python3
"""Makes the OpenVINO peer's models from peers/torch_export.onnx, as OpenVINO's documentation advises:
  peers/openvino/fp32.xml   ov.convert_model(the ONNX graph), saved uncompressed (fp32 weights)
  peers/openvino/int8.xml   nncf.quantize(that model, a calibration split, model_type=TRANSFORMER): post-training
                            INT8 of the MatMuls with the transformer-aware ignored scopes
The calibration split: up to --subset texts of a labelled CSV (default data/telecom-ru/train.csv; never a test
split), tokenized one text at a time by the model directory's tokenizer. Runs in var/peers/openvino.

Usage: prepare.py MODEL_DIR [--calibration FILE.csv] [--subset 300]
"""
import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nncf  # noqa: E402
import openvino as ov  # noqa: E402
from peer_tokenizer import PeerTokenizer  # noqa: E402


def main():
    repo = Path(__file__).resolve().parents[3]
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model_dir", type=Path)
    p.add_argument("--calibration", type=Path, default=repo / "data" / "telecom-ru" / "train.csv")
    p.add_argument("--subset", type=int, default=300)
    args = p.parse_args()
    source = args.model_dir / "peers" / "torch_export.onnx"
    if not source.is_file():
        sys.exit(f"openvino/prepare.py: no {source} (run tools/peers/pytorch/export_onnx.py first)")
    out = args.model_dir / "peers" / "openvino"
    out.mkdir(parents=True, exist_ok=True)
    model = ov.convert_model(str(source))
    ov.save_model(model, str(out / "fp32.xml"), compress_to_fp16=False)

    with args.calibration.open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)][: args.subset]
    tokenizer = PeerTokenizer(args.model_dir)
    names = [i.get_any_name() for i in model.inputs]

    def transform(text):
        ids, mask, types = tokenizer([text], "longest", 128)
        arrays = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return {name: arrays[name] for name in names}

    quantized = nncf.quantize(model, nncf.Dataset(texts, transform), model_type=nncf.ModelType.TRANSFORMER,
                              subset_size=len(texts))
    ov.save_model(quantized, str(out / "int8.xml"), compress_to_fp16=False)
    print(f"{out}: fp32.xml, int8.xml (NNCF, {len(texts)} calibration texts from {args.calibration})")


if __name__ == "__main__":
    main()
