#!/usr/bin/env python3
"""Writes tiny Hugging Face checkpoints, saved by transformers itself, for the C++ checkpoint/export tests.

OUT/bert/        BertForSequenceClassification (random init, fixed seed) + tokenizer files of all-MiniLM-L6-v2
OUT/distilbert/  DistilBertForSequenceClassification, same tokenizer
OUT/bert_mean/   a BERT classifier with fastintent's mean pooling (no pooler weights) and an input prefix
OUT/encoder/     BertModel (a bare encoder, sentence-transformers layout: keys without "bert.")
OUT/bert_f16.safetensors, OUT/bert_bf16.safetensors  the bert weights stored as F16 / BF16
OUT/expected.json  per checkpoint: config fields and, per tensor, shape, sum and first values as float32
                   (for the half files: the values after torch's own conversion back to float32)

Usage: make_checkpoint_fixtures.py --out DIR [--tokenizer DIR]
"""
import argparse
import json
import os
import shutil

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from transformers import (BertConfig, BertForSequenceClassification, BertModel,  # noqa: E402
                          DistilBertConfig, DistilBertForSequenceClassification)

TOKENIZER_FILES = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]
LABELS = ["balance", "tariff", "operator", "roaming", "internet"]


def describe(state_dict):
    tensors = {}
    for name, tensor in state_dict.items():
        values = tensor.detach().to(torch.float32).reshape(-1)
        tensors[name] = {"shape": list(tensor.shape), "sum": float(values.double().sum()),
                         "head": [float(v) for v in values[:4]]}
    return tensors


def copy_tokenizer(tokenizer_dir, out_dir):
    for name in TOKENIZER_FILES:
        source = os.path.join(tokenizer_dir, name)
        if os.path.exists(source):
            shutil.copyfile(source, os.path.join(out_dir, name))


def perturb(model, seed):
    """Random init leaves biases 0 and LayerNorms at 1/0; give every parameter distinct values so that
    a weight read into the wrong place shows up in the parity tests."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _, parameter in sorted(model.named_parameters()):
            parameter.add_(0.05 * torch.randn(parameter.shape, generator=generator))
        # Logits of a few units, like a trained head, so an absolute tolerance of 1e-4 is a strict bound.
        for name, parameter in model.named_parameters():
            if name.startswith("classifier.") or name.startswith("pre_classifier."):
                parameter.mul_(20.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tokenizer", default=os.path.join(os.path.dirname(__file__), "..", "..", "assets",
                                                            "tokenizers", "all-MiniLM-L6-v2"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(1234)
    vocab_size = sum(1 for _ in open(os.path.join(args.tokenizer, "vocab.txt"), encoding="utf-8"))
    id2label = dict(enumerate(LABELS))
    label2id = {name: i for i, name in id2label.items()}
    expected = {}

    bert_config = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                             intermediate_size=64, max_position_embeddings=128, type_vocab_size=2,
                             layer_norm_eps=1e-12, id2label=id2label, label2id=label2id)
    bert = BertForSequenceClassification(bert_config).eval()
    perturb(bert, 1)
    bert_dir = os.path.join(args.out, "bert")
    bert.save_pretrained(bert_dir, safe_serialization=True)
    copy_tokenizer(args.tokenizer, bert_dir)
    expected["bert"] = {"hidden_size": 32, "num_layers": 2, "num_heads": 4, "intermediate_size": 64,
                        "vocab_size": vocab_size, "max_position_embeddings": 128, "type_vocab_size": 2,
                        "labels": LABELS, "tensors": describe(bert.state_dict())}

    distil_config = DistilBertConfig(vocab_size=vocab_size, dim=32, n_layers=2, n_heads=4, hidden_dim=64,
                                     max_position_embeddings=128, id2label=id2label, label2id=label2id)
    distil = DistilBertForSequenceClassification(distil_config).eval()
    perturb(distil, 2)
    distil_dir = os.path.join(args.out, "distilbert")
    distil.save_pretrained(distil_dir, safe_serialization=True)
    copy_tokenizer(args.tokenizer, distil_dir)
    expected["distilbert"] = {"hidden_size": 32, "num_layers": 2, "num_heads": 4, "intermediate_size": 64,
                              "vocab_size": vocab_size, "max_position_embeddings": 128, "type_vocab_size": 0,
                              "labels": LABELS, "tensors": describe(distil.state_dict())}

    # Mean pooling: config.json says so (fastintent_pooling) and the checkpoint has no pooler, as a classifier
    # fine-tuned from e5 or a sentence-transformers encoder; every text gets a prefix, as e5 expects.
    mean_config = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                             intermediate_size=64, max_position_embeddings=128, type_vocab_size=2,
                             layer_norm_eps=1e-12, id2label=id2label, label2id=label2id,
                             fastintent_pooling="mean", fastintent_input_prefix="query: ")
    mean_model = BertForSequenceClassification(mean_config).eval()
    perturb(mean_model, 4)
    mean_dir = os.path.join(args.out, "bert_mean")
    mean_state = {k: v.detach().contiguous() for k, v in mean_model.state_dict().items() if ".pooler." not in k}
    mean_model.save_pretrained(mean_dir, safe_serialization=True)
    save_file(mean_state, os.path.join(mean_dir, "model.safetensors"), metadata={"format": "pt"})
    copy_tokenizer(args.tokenizer, mean_dir)

    encoder_config = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                intermediate_size=48, max_position_embeddings=64)
    encoder = BertModel(encoder_config).eval()
    perturb(encoder, 3)
    encoder_dir = os.path.join(args.out, "encoder")
    encoder.save_pretrained(encoder_dir, safe_serialization=True)
    copy_tokenizer(args.tokenizer, encoder_dir)
    expected["encoder"] = {"hidden_size": 32, "num_layers": 1, "num_heads": 2, "intermediate_size": 48,
                           "vocab_size": vocab_size, "max_position_embeddings": 64, "type_vocab_size": 2,
                           "tensors": describe(encoder.state_dict())}

    for dtype, name in [(torch.float16, "bert_f16"), (torch.bfloat16, "bert_bf16")]:
        state = {k: v.detach().to(dtype).contiguous() for k, v in bert.state_dict().items()}
        save_file(state, os.path.join(args.out, name + ".safetensors"), metadata={"format": "pt"})
        expected[name] = {"tensors": describe(state)}

    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as out:
        json.dump(expected, out, indent=1)


if __name__ == "__main__":
    main()
