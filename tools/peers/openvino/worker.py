#!/usr/bin/env python3
"""OpenVINO (var/peers/openvino) as a study worker, on the CPU plugin:
  openvino-fp32   peers/openvino/fp32.xml
  openvino-int8   peers/openvino/int8.xml (NNCF post-training INT8)
  openvino-ours-fp32   model.onnx: fastintent's own export read by OpenVINO directly (the same file as our engine)
Compiled with settings.compile_config: f32 precision hint, LATENCY, one stream, the study's thread count. Models
from tools/peers/prepare_peers.sh.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from runner_protocol import StagedInputs, claim_stdout, require, serve  # noqa: E402

PROTOCOL = claim_stdout()
import numpy as np  # noqa: E402
import openvino as ov  # noqa: E402
from peer_tokenizer import PeerTokenizer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from settings import FILES, compile_config  # noqa: E402


class OpenVinoRunner(StagedInputs):
    def __init__(self, runtime, model_dir: Path, threads: int):
        if runtime not in FILES:
            raise ValueError(f"runtime {runtime!r}, expected one of {', '.join(FILES)}")
        file = require(model_dir / FILES[runtime], "tools/peers/prepare_peers.sh")
        core = ov.Core()
        config = compile_config(threads)
        self.compiled = core.compile_model(core.read_model(str(file)), "CPU", config)
        self.request = self.compiled.create_infer_request()
        self.names = [i.get_any_name() for i in self.compiled.inputs]
        self.tokenizer = PeerTokenizer(model_dir)
        self.configuration = f"OpenVINO {ov.__version__} CPU, {FILES[runtime]}, " + ", ".join(
            f"{k}={self.compiled.get_property(k)}" for k in config)

    def _stage(self, ids, mask, types):
        arrays = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return {name: arrays[name] for name in self.names}

    def call(self):
        self.request.infer(self.inputs())
        return np.asarray(self.request.get_output_tensor(0).data)

if __name__ == "__main__":
    serve(OpenVinoRunner, PROTOCOL)
