"""The OpenVINO peer's model files and compile settings, shared by the study worker (worker.py) and the profiler
(profile.py) so that both run the same compiled model."""

# runtime name -> the file under the model directory
FILES = {"openvino-fp32": "peers/openvino/fp32.xml", "openvino-int8": "peers/openvino/int8.xml",
         "openvino-ours-fp32": "model.onnx"}


def compile_config(threads: int) -> dict:
    """The precision hint pinned to f32 (on a CPU with AVX-512 BF16 OpenVINO would otherwise run bf16 and the fp32
    row would not be fp32; the INT8 model keeps its non-quantized parts in f32 too), the LATENCY performance hint,
    one stream and the study's thread count."""
    return {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1",
            "INFERENCE_NUM_THREADS": str(threads)}
