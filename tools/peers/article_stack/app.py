"""The seed article's serving stack, as the article describes it, for side-by-side load tests against
`fastintent serve`: Python, FastAPI on uvicorn, a Hugging Face (fast, `tokenizers`-backed) tokenizer, and an
onnxruntime InferenceSession created as in Listing 4 (ORT_ENABLE_ALL, intra_op_num_threads=1), called as in
Listing 5 (tokenize inside the request with padding="max_length", truncation). Same model directory and the same
request/response JSON as fastintent's POST /v1/classify {"text": ...} / {"texts": [...]}.

Environment: PEER_MODEL_DIR (required), PEER_QUANTIZED=1 (model_quantized.onnx), PEER_MAX_LENGTH (default 128),
PEER_PADDING=max_length|longest (default max_length, the article's).
Run: uvicorn --app-dir tools/peers/article_stack app:app --host 127.0.0.1 --port 8091
"""
import json
import os
import pathlib
from typing import List, Optional

import numpy as np
import onnxruntime
from fastapi import FastAPI, HTTPException
from onnxruntime import InferenceSession, SessionOptions
from pydantic import BaseModel
from transformers import AutoTokenizer

MODEL_DIR = pathlib.Path(os.environ["PEER_MODEL_DIR"])
QUANTIZED = os.environ.get("PEER_QUANTIZED", "0") == "1"
MAX_LENGTH = int(os.environ.get("PEER_MAX_LENGTH", "128"))
PADDING = os.environ.get("PEER_PADDING", "max_length")
if PADDING not in ("max_length", "longest"):
    raise SystemExit(f"PEER_PADDING: got '{PADDING}', expected 'max_length' or 'longest'")


def create_onnx_session(model_path: str, provider: str = "CPUExecutionProvider") -> InferenceSession:
    """Listing 4."""
    options = SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    session = InferenceSession(model_path, options, providers=[provider])
    session.disable_fallback()
    return session


config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
LABELS = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
MODEL_NAME = MODEL_DIR.name
tokenizer = AutoTokenizer.from_pretrained(str(MODEL_DIR))
session = create_onnx_session(str(MODEL_DIR / ("model_quantized.onnx" if QUANTIZED else "model.onnx")))
INPUT_NAMES = [i.name for i in session.get_inputs()]
app = FastAPI(title="article_stack peer")


class ClassifyRequest(BaseModel):
    text: Optional[str] = None
    texts: Optional[List[str]] = None
    top_k: int = 1


def onnx_inference(texts: List[str]) -> np.ndarray:
    """Listing 5, fed every input the exported graph declares."""
    inputs = tokenizer(texts, padding=PADDING, truncation=True, max_length=MAX_LENGTH, return_tensors="np")
    feed = {name: inputs[name].astype(np.int64) for name in INPUT_NAMES}
    return session.run(output_names=None, input_feed=feed)[0]


@app.get("/health")
def health():
    return {"status": "ok"}


# `async def`: requests run one at a time on the event loop. With a plain `def` FastAPI runs them on a thread
# pool, and a Hugging Face fast tokenizer called with padding/truncation from several threads at once fails
# with "RuntimeError: Already borrowed" (seen here as 500s at concurrency 16).
@app.post("/v1/classify")
async def classify(request: ClassifyRequest):
    if (request.text is None) == (request.texts is None):
        raise HTTPException(status_code=422, detail="exactly one of 'text' or 'texts'")
    texts = [request.text] if request.text is not None else request.texts
    logits = onnx_inference(texts)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    results = []
    for row, text in zip(probabilities, texts):
        order = np.argsort(-row)[: max(1, request.top_k)]
        top = [{"label": LABELS[i], "score": float(row[i])} for i in order]
        truncated = len(tokenizer(text, truncation=False)["input_ids"]) > MAX_LENGTH
        results.append({"label": top[0]["label"], "score": top[0]["score"], "top": top, "fallback": False,
                        "truncated": truncated})
    return {"model": MODEL_NAME, "results": results}
