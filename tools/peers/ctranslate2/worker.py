#!/usr/bin/env python3
"""CTranslate2 (var/peers/ctranslate2) as a study worker: ctranslate2.Encoder on the CPU, one replica, the study's
intra-op threads, token ids in (forward_batch), then the classification head in numpy (the converter does not
carry it; see prepare.py):
  ctranslate2-fp32   compute_type float32
  ctranslate2-int8   compute_type int8 (weights quantized to int8 at load; CTranslate2's INT8 GEMM on this CPU)
Model from tools/peers/prepare_peers.sh.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from runner_protocol import StagedInputs, claim_stdout, require, serve  # noqa: E402

PROTOCOL = claim_stdout()
import ctranslate2  # noqa: E402
import numpy as np  # noqa: E402
from peer_tokenizer import PeerTokenizer  # noqa: E402

COMPUTE = {"ctranslate2-fp32": "float32", "ctranslate2-int8": "int8"}


class Ct2Runner(StagedInputs):
    def __init__(self, runtime, model_dir: Path, threads: int):
        if runtime not in COMPUTE:
            raise ValueError(f"runtime {runtime!r}, expected one of {', '.join(COMPUTE)}")
        path = require(model_dir / "peers" / "ctranslate2" / "model.bin", "tools/peers/prepare_peers.sh").parent
        self.encoder = ctranslate2.Encoder(str(path), device="cpu", compute_type=COMPUTE[runtime],
                                           inter_threads=1, intra_threads=threads)
        head = np.load(path / "head.npz")
        self.pre = (head["pre_classifier_weight"].T.copy(), head["pre_classifier_bias"]) \
            if "pre_classifier_weight" in head else None
        self.classifier = (head["classifier_weight"].T.copy(), head["classifier_bias"])
        self.tokenizer = PeerTokenizer(model_dir)
        self.configuration = (f"CTranslate2 {ctranslate2.__version__} CPU, compute_type {COMPUTE[runtime]} "
                              f"(effective {self.encoder.compute_type}), intra threads {threads}, inter threads 1; "
                              f"classification head in numpy")

    def _stage(self, ids, mask, types):
        # CTranslate2 takes ragged id lists and masks by length itself, so it cannot be told to pad. Under
        # max_length padding the pad positions are passed as tokens, so it computes as many positions as the
        # other runtimes (the logits then differ; this row is for time only). Under longest they are dropped.
        lengths = mask.sum(axis=1) if self.cell.padding == "longest" else [ids.shape[1]] * ids.shape[0]
        return ([row[:n].tolist() for row, n in zip(ids, lengths)],
                [row[:n].tolist() for row, n in zip(types, lengths)])

    def call(self):
        ids, types = self.inputs()
        output = self.encoder.forward_batch(ids, token_type_ids=types if self.pre is None else None)
        if self.pre is None:  # BERT: the converter's pooler (dense + tanh on [CLS]), then the classifier
            pooled = np.asarray(output.pooler_output)
        else:  # DistilBERT: [CLS] of the last layer, pre_classifier + ReLU
            pooled = np.maximum(np.asarray(output.last_hidden_state)[:, 0] @ self.pre[0] + self.pre[1], 0)
        return pooled @ self.classifier[0] + self.classifier[1]


if __name__ == "__main__":
    serve(Ct2Runner, PROTOCOL)
