#!/usr/bin/env python3
"""Makes the CTranslate2 peer's model from the Hugging Face checkpoint, with CTranslate2's Transformers converter:
  peers/ctranslate2/            the converted encoder (BertModel: layers + pooler; DistilBertModel: layers), float32
                                weights; the worker picks float32 or int8 compute at load, as CTranslate2 allows
  peers/ctranslate2/head.npz    the classification head the converter does not carry (BERT: classifier; DistilBERT:
                                pre_classifier + classifier), applied in numpy on the pooled output (a [hidden x
                                labels] product, microseconds)
Runs in var/peers/ctranslate2 (Debian's torch reads the checkpoint).

Usage: prepare.py MODEL_DIR
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import numpy as np  # noqa: E402
from ctranslate2.converters import TransformersConverter  # noqa: E402
from runner_protocol import checkpoint_of  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402


class Converter(TransformersConverter):
    """CTranslate2 4.8 passes `dtype=` to from_pretrained, the name transformers >= 4.56 uses; the transformers that
    runs on Debian's torch 1.13 calls it `torch_dtype`."""

    def load_model(self, model_class, model_name_or_path, **kwargs):
        if "dtype" in kwargs:
            kwargs["torch_dtype"] = kwargs.pop("dtype")
        return model_class.from_pretrained(model_name_or_path, **kwargs)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    model_dir = Path(sys.argv[1])
    checkpoint = checkpoint_of(model_dir)
    if checkpoint is None:
        sys.exit(f"ctranslate2/prepare.py: no checkpoint for {model_dir} (prepare_peers.sh --checkpoint DIR)")
    out = model_dir / "peers" / "ctranslate2"
    Converter(str(checkpoint)).convert(str(out), force=True)
    weights = load_file(str(checkpoint / "model.safetensors"))
    head = {name.replace(".", "_"): weights[name] for name in (
        "classifier.weight", "classifier.bias", "pre_classifier.weight", "pre_classifier.bias") if name in weights}
    if "classifier_weight" not in head:
        sys.exit(f"ctranslate2/prepare.py: {checkpoint} has no classifier.weight (not a sequence classifier)")
    np.savez(out / "head.npz", **head)
    print(f"{out}: converted encoder + head ({', '.join(head)})")


if __name__ == "__main__":
    main()
