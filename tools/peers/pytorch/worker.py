#!/usr/bin/env python3
"""PyTorch (the project's .venv: Debian's torch 1.13.1, transformers) as a study worker, on the Hugging Face
checkpoint behind the model directory:
  pytorch-fp32   AutoModelForSequenceClassification, eval, torch.inference_mode: the seed article's Listing 3
                 (end-to-end calls tokenize with transformers' AutoTokenizer, as the listing does)
  pytorch-int8   the same model through torch.quantization.quantize_dynamic({nn.Linear}, qint8): PyTorch's own
                 dynamic INT8
torch.set_num_threads(the study's threads).
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from runner_protocol import Skip, checkpoint_of, claim_stdout, serve  # noqa: E402

PROTOCOL = claim_stdout()
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402

RUNTIMES = ("pytorch-fp32", "pytorch-int8")


class TorchRunner:
    def __init__(self, runtime, model_dir: Path, threads: int):
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime {runtime!r}, expected one of {', '.join(RUNTIMES)}")
        checkpoint = checkpoint_of(model_dir)
        if checkpoint is None:
            raise Skip(f"no Hugging Face checkpoint for {model_dir} (tools/peers/prepare_peers.sh --checkpoint DIR)")
        torch.set_num_threads(threads)
        model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
        if runtime == "pytorch-int8":
            model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model
        self.with_types = model.config.model_type != "distilbert"
        self.tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
        self.configuration = (f"torch {torch.__version__} (quantized engine {torch.backends.quantized.engine}), "
                              f"transformers eager, inference_mode, threads {threads}"
                              + (", quantize_dynamic(nn.Linear, qint8)" if runtime == "pytorch-int8" else ""))

    def prepare(self, cell, timing):
        self.cell = cell
        self.end_to_end = timing == "end-to-end"
        self.staged = {"input_ids": torch.from_numpy(cell.input_ids),
                       "attention_mask": torch.from_numpy(cell.attention_mask)}
        if self.with_types:
            self.staged["token_type_ids"] = torch.from_numpy(cell.token_type_ids)

    def call(self):  # Listing 3
        inputs = self.staged
        if self.end_to_end:
            inputs = self.tokenizer(self.cell.texts, padding=self.cell.padding, truncation=True,
                                    max_length=self.cell.max_length, return_tensors="pt",
                                    return_token_type_ids=self.with_types)
        with torch.inference_mode():
            return self.model(**inputs).logits


if __name__ == "__main__":
    serve(TorchRunner, PROTOCOL)
