"""The seed article's serving stack, for side-by-side load tests against `fastintent serve`: Python, FastAPI on
uvicorn, a Hugging Face fast (`tokenizers`-backed) tokenizer and an onnxruntime InferenceSession. Same model
directory and the same request/response JSON as fastintent's POST /v1/classify {"text": ...} / {"texts": [...]}.

Two ways to run it (PEER_STACK):
  article  as the article describes it: the session made as in Listing 4 (ORT_ENABLE_ALL, intra_op_num_threads=1),
           called as in Listing 5 (transformers' AutoTokenizer inside the request, padding="max_length"), and each
           text tokenized a second time for the response's "truncated" flag. One uvicorn process.
  fair     what a performance-minded Python team deploys (issue 16): each text tokenized once, by the `tokenizers`
           library's Rust tokenizer with truncation and padding set once at start-up (the "truncated" flag read from
           its overflow), PEER_INTRA_OP_THREADS intra-op threads, and as many uvicorn workers (processes) as cores,
           given on the uvicorn command line (`--workers 2`), with uvicorn[standard] (uvloop, httptools).

Environment: PEER_MODEL_DIR (required), PEER_QUANTIZED=1 (model_quantized.onnx), PEER_MAX_LENGTH (default 128),
PEER_PADDING=max_length|longest (default max_length, the article's), PEER_STACK=article|fair (default article),
PEER_INTRA_OP_THREADS (default 1).
Run: uvicorn --app-dir tools/peers/article_stack app:app --host 127.0.0.1 --port 8091 [--workers 2]
"""
import json
import os
import pathlib
from typing import List, Optional, Tuple

import numpy as np
import onnxruntime
from fastapi import FastAPI, HTTPException
from onnxruntime import InferenceSession, SessionOptions
from pydantic import BaseModel

MODEL_DIR = pathlib.Path(os.environ["PEER_MODEL_DIR"])
QUANTIZED = os.environ.get("PEER_QUANTIZED", "0") == "1"
MAX_LENGTH = int(os.environ.get("PEER_MAX_LENGTH", "128"))
PADDING = os.environ.get("PEER_PADDING", "max_length")
STACK = os.environ.get("PEER_STACK", "article")
INTRA_OP_THREADS = int(os.environ.get("PEER_INTRA_OP_THREADS", "1"))
if PADDING not in ("max_length", "longest"):
    raise SystemExit(f"PEER_PADDING: got '{PADDING}', expected 'max_length' or 'longest'")
if STACK not in ("article", "fair"):
    raise SystemExit(f"PEER_STACK: got '{STACK}', expected 'article' or 'fair'")
if INTRA_OP_THREADS < 1:
    raise SystemExit(f"PEER_INTRA_OP_THREADS: got {INTRA_OP_THREADS}, expected 1 or more")


def create_onnx_session(model_path: str, threads: int, provider: str = "CPUExecutionProvider") -> InferenceSession:
    """Listing 4 (the article fixes threads at 1)."""
    options = SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    session = InferenceSession(model_path, options, providers=[provider])
    session.disable_fallback()
    return session


class ArticleTokenizer:
    """Listing 5: transformers' tokenizer inside the request, and once more per text for the truncation flag."""

    def __init__(self):
        from transformers import AutoTokenizer
        self.tokenizer = AutoTokenizer.from_pretrained(str(MODEL_DIR))

    def __call__(self, texts: List[str]) -> Tuple[dict, List[bool]]:
        inputs = self.tokenizer(texts, padding=PADDING, truncation=True, max_length=MAX_LENGTH, return_tensors="np")
        truncated = [len(self.tokenizer(text, truncation=False)["input_ids"]) > MAX_LENGTH for text in texts]
        return dict(inputs), truncated


class OnceTokenizer:
    """One pass of the Rust tokenizer per text; truncation and padding configured once."""

    def __init__(self):
        from tokenizers import Tokenizer
        self.tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_LENGTH)
        pad_token = json.loads((MODEL_DIR / "special_tokens_map.json").read_text(encoding="utf-8")).get("pad_token",
                                                                                                      "[PAD]")
        if isinstance(pad_token, dict):
            pad_token = pad_token["content"]
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad_token), pad_token=pad_token,
                                      length=MAX_LENGTH if PADDING == "max_length" else None)

    def __call__(self, texts: List[str]) -> Tuple[dict, List[bool]]:
        encodings = self.tokenizer.encode_batch(texts)
        inputs = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        return inputs, [len(e.overflowing) > 0 for e in encodings]


config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
LABELS = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
MODEL_NAME = MODEL_DIR.name
tokenize = ArticleTokenizer() if STACK == "article" else OnceTokenizer()
session = create_onnx_session(str(MODEL_DIR / ("model_quantized.onnx" if QUANTIZED else "model.onnx")),
                              INTRA_OP_THREADS)
INPUT_NAMES = [i.name for i in session.get_inputs()]
app = FastAPI(title=f"{STACK} stack peer")


class ClassifyRequest(BaseModel):
    text: Optional[str] = None
    texts: Optional[List[str]] = None
    top_k: int = 1


@app.get("/health")
def health():
    return {"status": "ok", "stack": STACK, "padding": PADDING, "quantized": QUANTIZED,
            "intra_op_threads": INTRA_OP_THREADS}


# `async def`: requests run one at a time on each worker's event loop. With a plain `def` FastAPI runs them on a
# thread pool, and a Hugging Face fast tokenizer called with padding/truncation from several threads at once fails
# with "RuntimeError: Already borrowed" (seen here as 500s at concurrency 16). More cores means more workers.
@app.post("/v1/classify")
async def classify(request: ClassifyRequest):
    if (request.text is None) == (request.texts is None):
        raise HTTPException(status_code=422, detail="exactly one of 'text' or 'texts'")
    texts = [request.text] if request.text is not None else request.texts
    if not texts:
        raise HTTPException(status_code=422, detail="'texts' is empty")
    inputs, truncated = tokenize(texts)
    feed = {name: inputs[name].astype(np.int64, copy=False) for name in INPUT_NAMES}
    logits = session.run(output_names=None, input_feed=feed)[0]
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    results = []
    for row, was_truncated in zip(probabilities, truncated):
        order = np.argsort(-row)[: max(1, request.top_k)]
        top = [{"label": LABELS[i], "score": float(row[i])} for i in order]
        results.append({"label": top[0]["label"], "score": top[0]["score"], "top": top, "fallback": False,
                        "truncated": was_truncated})
    return {"model": MODEL_NAME, "results": results}
