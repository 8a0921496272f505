#!/usr/bin/env python3
"""ONNX Runtime 1.30 through its Python API (var/peers/ort), as a study worker. Runtimes, each on the file named:
  ort-python-fp32            peers/ort/optimized.onnx: Microsoft's transformer optimizer (fused Attention,
                             SkipLayerNormalization, BiasGelu) of the torch.onnx.export graph
  ort-python-int8            peers/ort/optimized_qint8.onnx: that graph through quantize_dynamic, QInt8 weights,
                             per channel (ONNX Runtime's recommended dynamic INT8 for x86 with VNNI)
  ort-python-article-fp32    peers/torch_export.onnx: the seed article's stack (Listings 1, 4, 5)
  ort-python-article-quint8  peers/ort/article_quint8.onnx: the article's Listing 2 (quantize_dynamic, QUInt8)
  ort-python-ours-fp32       model.onnx: fastintent's own export, to compare the engine with the same file
  ort-python-ours-int8       model_quantized.onnx: fastintent's own quantizer's file
Files are made by tools/peers/prepare_peers.sh. Sessions as Listing 4: ORT_ENABLE_ALL, the study's intra-op
threads, one inter-op thread.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from runner_protocol import StagedInputs, claim_stdout, require, serve  # noqa: E402

PROTOCOL = claim_stdout()
import numpy as np  # noqa: E402
import onnxruntime  # noqa: E402
from peer_tokenizer import PeerTokenizer  # noqa: E402

FILES = {
    "ort-python-fp32": "peers/ort/optimized.onnx",
    "ort-python-int8": "peers/ort/optimized_qint8.onnx",
    "ort-python-article-fp32": "peers/torch_export.onnx",
    "ort-python-article-quint8": "peers/ort/article_quint8.onnx",
    "ort-python-ours-fp32": "model.onnx",
    "ort-python-ours-int8": "model_quantized.onnx",
}


class OrtRunner(StagedInputs):
    def __init__(self, runtime, model_dir: Path, threads: int):
        if runtime not in FILES:
            raise ValueError(f"runtime {runtime!r}, expected one of {', '.join(FILES)}")
        file = require(model_dir / FILES[runtime], "tools/peers/prepare_peers.sh")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        self.session = onnxruntime.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])
        self.input_types = [(i.name, np.int32 if i.type == "tensor(int32)" else np.int64)
                            for i in self.session.get_inputs()]
        self.output = self.session.get_outputs()[0].name
        self.tokenizer = PeerTokenizer(model_dir)
        self.configuration = (f"onnxruntime {onnxruntime.__version__} Python, {FILES[runtime]}, ORT_ENABLE_ALL, "
                              f"intra-op threads {threads}, inter-op 1, sequential")

    def _stage(self, ids, mask, types):
        arrays = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return {name: arrays[name].astype(dtype, copy=False) for name, dtype in self.input_types}

    def call(self):
        return self.session.run([self.output], self.inputs())[0]

if __name__ == "__main__":
    serve(OrtRunner, PROTOCOL)
