#!/usr/bin/env python3
"""POST /predict (text-embeddings-inference's classification route) and the observability counters, on
`fastintent serve` with a model directory (the committed tiny BERT fixture in CI).

Answers and error bodies are validated against TEI's published schema (tests/serve/tei_schema/, a committed excerpt
with its source); scores are checked against /v1/classify and `fastintent predict --raw-scores` (softmax of the
logits over the model's temperature), text pairs against Hugging Face tokenizers + onnxruntime on the same
directory; truncate true/false/absent, truncation_direction Left, the error matrix; the per-label prediction,
fallback and truncation counters move by what was answered; X-Request-Id is kept, echoed, generated and logged;
huggingface_hub's TEI-style text-classification call works unchanged; POST /models/{model}/predict reaches a named
model; the opt-in fallback sample file gets masked lines, as many as the counter says, and its rate limit refuses.
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys

import jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_integration_test as support  # noqa: E402  (Server, request, check and its failure list)

check = support.check
TEXTS = support.TEXTS
LONG_TEXT = "a " * 1000
TEI = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tei_schema",
                                  "tei_predict_openapi.json"), encoding="utf-8"))


def tei_valid(instance, schema_name):
    """Validates against one of TEI's schemas; returns the error message or None."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": TEI["components"]}
    try:
        jsonschema.Draft7Validator(schema).validate(instance)
        return None
    except jsonschema.ValidationError as error:
        return error.message


def predict(port, payload, headers=None, raw=None):
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    status, response_headers, data = support.request(port, "POST", "/predict",
                                                     raw if raw is not None else json.dumps(payload), all_headers)
    return status, response_headers, json.loads(data) if data else None


def metric(text, name, **labels):
    """The value of one sample in a Prometheus text exposition, 0 when absent."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(name + "{"):
            series, value = line.rsplit(" ", 1)
            inside = series[len(name) + 1:-1]
            if ",".join(sorted(inside.split(","))) == wanted:
                return float(value)
    return 0.0


def metrics(port):
    return support.request(port, "GET", "/metrics")[2].decode()


def shapes_and_scores(port, labels, temperature, cli_logits):
    status, headers, body = predict(port, {"inputs": TEXTS[0]})
    check(status == 200, f"/predict one string: {status} {body}")
    check(tei_valid(body, "PredictResponse") is None, f"one string: TEI PredictResponse: {tei_valid(body, 'PredictResponse')}")
    check(isinstance(body, list) and all(isinstance(entry, dict) for entry in body), "one string: a flat list")
    check(sorted(entry["label"] for entry in body) == sorted(labels), "one string: every label once")
    check(all(body[i]["score"] >= body[i + 1]["score"] for i in range(len(body) - 1)), "sorted by score")
    check(abs(sum(entry["score"] for entry in body) - 1) < 1e-4, "probabilities sum to 1")
    check("x-model-version" in headers and "total;dur=" in headers.get("server-timing", ""), "timing headers")
    _, _, classify = support.classify(port, {"text": TEXTS[0]})
    check(body[0]["label"] == classify["results"][0]["label"]
          and abs(body[0]["score"] - classify["results"][0]["score"]) < 1e-6,
          f"top-1 equals /v1/classify: {body[0]} vs {classify['results'][0]}")

    status, _, raw = predict(port, {"inputs": TEXTS[0], "raw_scores": True})
    check(status == 200 and tei_valid(raw, "PredictResponse") is None, f"raw_scores: {status}")
    logits = {entry["label"]: entry["score"] for entry in raw}
    probabilities = {entry["label"]: entry["score"] for entry in body}
    top = max(logits.values())
    exp = {label: math.exp((value - top) / temperature) for label, value in logits.items()}
    total = sum(exp.values())
    worst = max(abs(exp[label] / total - probabilities[label]) for label in labels)
    check(worst < 1e-5, f"softmax(raw logits / temperature {temperature}) equals the scores (max diff {worst:g})")
    check(max(abs(logits[label] - cli_logits[label]) for label in labels) < 1e-4,
          "raw_scores equal `fastintent predict --raw-scores` logits")
    check(all(raw[i]["score"] >= raw[i + 1]["score"] for i in range(len(raw) - 1)), "raw scores sorted")

    status, _, batch = predict(port, {"inputs": TEXTS[:5]})
    check(status == 200 and tei_valid(batch, "PredictResponse") is None, f"batch of 5 strings: {status}")
    check(isinstance(batch, list) and len(batch) == 5 and all(isinstance(item, list) for item in batch),
          "batch: a list of lists")
    nested_request = {"inputs": [[text] for text in TEXTS[:5]]}
    check(tei_valid(nested_request, "PredictRequest") is None, "TEI's batch form is a valid TEI request")
    status, _, nested = predict(port, nested_request)
    check(status == 200 and nested == batch, "batch as one-text lists answers as the flat list")
    for text, result in zip(TEXTS[:5], batch):
        alone = predict(port, {"inputs": text})[2]
        check(alone[0]["label"] == result[0]["label"] and abs(alone[0]["score"] - result[0]["score"]) < 1e-5,
              f"'{text}' alone equals in a batch")
    status, _, one = predict(port, {"inputs": [TEXTS[0]]})
    check(status == 200 and len(one) == 1 and isinstance(one[0], list), "a one-text list is a batch of one")
    check(predict(port, {"inputs": TEXTS[0], "unknown_field": 1})[0] == 200, "unknown fields ignored, as TEI does")


def truncation(port):
    before = metrics(port)
    status, _, body = predict(port, {"inputs": LONG_TEXT, "truncate": True})
    check(status == 200 and tei_valid(body, "PredictResponse") is None, f"truncate true: {status}")
    status, _, body = predict(port, {"inputs": LONG_TEXT})
    check(status == 200, f"truncate absent follows --long-text (truncate): {status}")
    status, _, body = predict(port, {"inputs": LONG_TEXT, "truncate": None})
    check(status == 200, f"truncate null follows --long-text: {status}")
    after = metrics(port)
    moved = metric(after, "fastintent_truncated_texts_total", model="bert") - metric(
        before, "fastintent_truncated_texts_total", model="bert")
    check(moved == 3, f"truncation counter moved by 3: {moved}")
    status, _, body = predict(port, {"inputs": LONG_TEXT, "truncate": False})
    check(status == 413 and body.get("error_type") == "Validation" and "tokens" in body.get("error", ""),
          f"truncate false, text over the limit: 413 Validation ({status} {body})")
    check(tei_valid(body, "ErrorResponse") is None, "truncate false: TEI ErrorResponse")
    status, _, body = predict(port, {"inputs": TEXTS[0], "truncate": False, "truncation_direction": "Left"})
    check(status == 200, f"Left with a text that fits: {status}")
    status, _, body = predict(port, {"inputs": LONG_TEXT, "truncate": True, "truncation_direction": "Left"})
    check(status == 422 and "Left" in body.get("error", "") and tei_valid(body, "ErrorResponse") is None,
          f"Left on a text that would be cut: 422 ({status} {body})")
    status, _, body = predict(port, {"inputs": LONG_TEXT, "truncate": True, "truncation_direction": "Right"})
    check(status == 200, f"Right truncation: {status}")


def reference_pair_logits(model_dir, first, second):
    """Hugging Face tokenizers' pair encoding and onnxruntime on the model directory: the reference for pairs."""
    import numpy
    import onnxruntime
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    encoding = tokenizer.encode(first, second)
    session = onnxruntime.InferenceSession(os.path.join(model_dir, "model.onnx"), providers=["CPUExecutionProvider"])
    arrays = {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask, "token_type_ids": encoding.type_ids}
    feeds = {i.name: numpy.array([arrays[i.name]], dtype=numpy.int64) for i in session.get_inputs()}
    return [float(x) for x in session.run(None, feeds)[0][0]], set(encoding.type_ids)


def pairs(port, model_dir, labels, id2label):
    first, second = "мой баланс", "почему списали деньги дважды"
    request = {"inputs": [first, second], "raw_scores": True}
    check(tei_valid(request, "PredictRequest") is None, "a pair is a valid TEI request")
    status, _, body = predict(port, request)
    check(status == 200 and tei_valid(body, "PredictResponse") is None, f"a pair: {status} {body}")
    if status != 200:
        return
    reference, type_ids = reference_pair_logits(model_dir, first, second)
    check(type_ids == {0, 1}, f"the reference encodes a pair with two token types: {type_ids}")
    got = {entry["label"]: entry["score"] for entry in body}
    worst = max(abs(got[id2label[i]] - value) for i, value in enumerate(reference))
    check(worst < 1e-4, f"pair logits equal HF tokenizers + onnxruntime (max diff {worst:g})")
    alone = {entry["label"]: entry["score"] for entry in predict(port, {"inputs": first, "raw_scores": True})[2]}
    check(any(abs(alone[label] - got[label]) > 1e-3 for label in labels), "a pair is not its first text alone")
    status, _, batch = predict(port, {"inputs": [[first, second], [first]], "raw_scores": True})
    check(status == 200 and len(batch) == 2, f"a batch mixing a pair and a text: {status}")
    if status == 200:
        in_batch = {entry["label"]: entry["score"] for entry in batch[0]}
        check(max(abs(in_batch[label] - got[label]) for label in labels) < 1e-4, "a pair in a batch equals it alone")
        single = {entry["label"]: entry["score"] for entry in batch[1]}
        check(max(abs(single[label] - alone[label]) for label in labels) < 1e-4, "the text beside it is unchanged")
    status, _, body = predict(port, {"inputs": [LONG_TEXT, LONG_TEXT], "truncate": False})
    check(status == 413, f"a pair over the limit with truncate false: {status}")
    status, _, body = predict(port, {"inputs": [LONG_TEXT, "b"], "truncate": True})
    check(status == 200, f"a pair over the limit is cut with truncate true: {status}")


def errors(port):
    cases = [
        ("a blank second text", {"inputs": ["first text", " "]}, 422),
        ("empty batch", {"inputs": []}, 413),
        ("too many texts", {"inputs": ["hello"] * 65}, 413),
        ("blank text", {"inputs": "   "}, 422),
        ("missing inputs", {"raw_scores": True}, 400),
        ("number input", {"inputs": 5}, 400),
        ("raw_scores not a boolean", {"inputs": "hi", "raw_scores": "yes"}, 400),
        ("truncate not a boolean", {"inputs": "hi", "truncate": 1}, 400),
        ("unknown direction", {"inputs": "hi", "truncation_direction": "Middle"}, 400),
        ("a list of three items in a batch", {"inputs": [["a", "b", "c"]]}, 400),
    ]
    for name, payload, expected in cases:
        status, _, body = predict(port, payload)
        problem = tei_valid(body, "ErrorResponse")
        check(status == expected and problem is None, f"{name}: {status} {body}, expected {expected} ({problem})")
    status, _, body = predict(port, None, raw="{not json")
    check(status == 400 and tei_valid(body, "ErrorResponse") is None, f"malformed JSON: {status} {body}")
    status, _, body = predict(port, None, headers={"Content-Type": "text/plain"}, raw="{}")
    check(status == 415 and tei_valid(body, "ErrorResponse") is None, f"wrong content type: {status} {body}")
    status, _, _ = support.request(port, "GET", "/predict")
    check(status == 405, f"GET /predict: {status}")


def counters(port, labels):
    text = metrics(port)
    check(all(f'fastintent_predictions_total{{label="{label}",model="bert"}}' in text
              or f'fastintent_predictions_total{{model="bert",label="{label}"}}' in text for label in labels),
          "every label's prediction counter exists")
    check("fastintent_fallback_texts_total" in text, "fallback counter exists")
    _, _, classified = support.classify(port, {"texts": TEXTS})
    expected_labels = {}
    expected_fallbacks = 0
    for result in classified["results"]:
        expected_labels[result["label"]] = expected_labels.get(result["label"], 0) + 1
        expected_fallbacks += result["fallback"]
    before = metrics(port)
    check(predict(port, {"inputs": TEXTS})[0] == 200, "a batch for the counters")
    check(support.classify(port, {"texts": TEXTS})[0] == 200, "the same batch on /v1/classify")
    after = metrics(port)
    for label in labels:
        moved = metric(after, "fastintent_predictions_total", model="bert", label=label) - metric(
            before, "fastintent_predictions_total", model="bert", label=label)
        check(moved == 2 * expected_labels.get(label, 0), f"predictions of {label} moved by {moved}")
    moved = metric(after, "fastintent_fallback_texts_total", model="bert") - metric(
        before, "fastintent_fallback_texts_total", model="bert")
    check(expected_fallbacks > 0, "--fallback-threshold 0.99 hands some texts over")
    check(moved == 2 * expected_fallbacks, f"fallback counter moved by {moved}, expected {2 * expected_fallbacks}")
    check(metric(after, "fastintent_http_requests_total", endpoint="/predict", status="200") > 0,
          "requests counted under endpoint /predict")


def model_route(port, labels):
    """POST /models/{model}/predict: TEI's route on a named model (the server serves the fixture twice)."""
    status, _, body = predict(port, {"inputs": TEXTS[0]})
    before = metrics(port)
    status, _, second = support.request(port, "POST", "/models/second/predict", json.dumps({"inputs": TEXTS[0]}),
                                        {"Content-Type": "application/json"})
    second = json.loads(second)
    check(status == 200 and tei_valid(second, "PredictResponse") is None, f"/models/second/predict: {status} {second}")
    check([entry["label"] for entry in second] == [entry["label"] for entry in body]
          and all(abs(a["score"] - b["score"]) < 1e-6 for a, b in zip(second, body)),
          "the same model directory answers the same on both routes")
    after = metrics(port)
    moved = sum(metric(after, "fastintent_predictions_total", model="second", label=label)
                - metric(before, "fastintent_predictions_total", model="second", label=label) for label in labels)
    check(moved == 1, f"counted under model second: moved by {moved}")
    check(metric(after, "fastintent_http_requests_total", endpoint="/models/{model}/predict", status="200") >= 1,
          "requests counted under endpoint /models/{model}/predict")
    status, _, data = support.request(port, "POST", "/models/nope/predict", json.dumps({"inputs": "hi"}),
                                      {"Content-Type": "application/json"})
    answer = json.loads(data)
    check(status == 404 and tei_valid(answer, "ErrorResponse") is None and "second" in answer.get("error", ""),
          f"an unknown model: {status} {answer}")
    status, _, _ = support.request(port, "GET", "/models/second/predict")
    check(status == 405, f"GET /models/second/predict: {status}")
    status, _, _ = support.request(port, "POST", "/models/second/other", json.dumps({"inputs": "hi"}),
                                   {"Content-Type": "application/json"})
    check(status == 404, f"another path under /models: {status}")
    from huggingface_hub import InferenceClient

    answer = InferenceClient(model=f"http://127.0.0.1:{port}/models/second/predict", timeout=30).text_classification(
        TEXTS[0])
    got = answer if isinstance(answer, list) else [answer]
    check(len(got) > 0 and got[0].label == body[0]["label"], f"huggingface_hub on the model route: {got[:2]}")


def first_fallback_sampled(port, sample_path):
    """Run first, while the sample's bucket holds its one token: a handed-off text is written, masked."""
    text = "позвоните мне на +7 912 345-67-89 или ivan.petrov@example.com"
    _, _, classified = support.classify(port, {"text": text})
    check(classified["results"][0]["fallback"], f"the sample text is handed over at --fallback-threshold 0.99: "
                                                f"{classified['results'][0]}")
    lines = [json.loads(line) for line in open(sample_path, encoding="utf-8")]
    check(len(lines) == 1, f"one sample line after one handed-off text: {lines}")
    if lines:
        line = lines[0]
        check(line["text"] == "позвоните мне на <number> или <email>" and line["masked"] is True,
              f"phone and e-mail masked: {line['text']}")
        check(line["model"] == "bert" and line["endpoint"] == "/v1/classify"
              and line["label"] == classified["results"][0]["label"]
              and abs(line["score"] - classified["results"][0]["score"]) < 1e-6 and len(line["top"]) >= 1,
              f"the sample line says what was answered: {line}")


def fallback_sample_totals(port, sample_path):
    """After everything else: the file holds what the counter says was written; the rest was rate-limited."""
    text = metrics(port)
    lines = [json.loads(line) for line in open(sample_path, encoding="utf-8")]
    written = sum(metric(text, "fastintent_fallback_samples_total", model=model, outcome="written")
                  for model in ("bert", "second"))
    limited = sum(metric(text, "fastintent_fallback_samples_total", model=model, outcome="rate_limited")
                  for model in ("bert", "second"))
    handed = sum(metric(text, "fastintent_fallback_texts_total", model=model) for model in ("bert", "second"))
    check(len(lines) == written, f"sample lines {len(lines)} == written counter {written}")
    check(written + limited == handed, f"written {written} + rate-limited {limited} == handed over {handed}")
    check(limited > 0, "the rate limit refused some (6 a minute, bursts of one)")


def request_ids(port, log_path):
    status, headers, _ = predict(port, {"inputs": TEXTS[1]}, headers={"X-Request-Id": "tei-test-42"})
    check(status == 200 and headers.get("x-request-id") == "tei-test-42", f"client's id echoed: {headers}")
    status, headers, _ = predict(port, {"inputs": LONG_TEXT, "truncate": False}, headers={"X-Request-Id": "tei-err-7"})
    check(status == 413 and headers.get("x-request-id") == "tei-err-7", "client's id echoed on an error")
    status, headers, _ = predict(port, {"inputs": TEXTS[1]})
    check(re.fullmatch(r"[0-9a-f]{16}", headers.get("x-request-id", "")) is not None,
          f"an id is generated: {headers.get('x-request-id')}")
    status, headers, _ = predict(port, {"inputs": TEXTS[1]}, headers={"X-Request-Id": "has spaces in it"})
    check(re.fullmatch(r"[0-9a-f]{16}", headers.get("x-request-id", "")) is not None,
          f"an unusable id is replaced: {headers.get('x-request-id')}")
    logged = {}
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("request_id") in ("tei-test-42", "tei-err-7"):
                logged[record["request_id"]] = record
    check(logged.get("tei-test-42", {}).get("path") == "/predict" and logged.get("tei-err-7", {}).get("status") == 413,
          f"request lines logged with the client's id: {logged}")


def tei_client(port, labels):
    """huggingface_hub's text_classification call, pointed at /predict as at a TEI endpoint."""
    from huggingface_hub import InferenceClient

    client = InferenceClient(model=f"http://127.0.0.1:{port}/predict", timeout=30)
    answer = client.text_classification(TEXTS[2])
    expected = predict(port, {"inputs": TEXTS[2]})[2]
    got = answer if isinstance(answer, list) else [answer]
    check(len(got) > 0 and got[0].label == expected[0]["label"] and abs(got[0].score - expected[0]["score"]) < 1e-6,
          f"huggingface_hub text_classification: {got[:2]} vs {expected[:2]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fastintent", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work_dir, ignore_errors=True)
    os.makedirs(args.work_dir)
    top = subprocess.run([args.fastintent, "predict", "--model", args.model_dir, "--raw-scores", "--top-k", "1000",
                          TEXTS[0]], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    cli_logits = {entry["label"]: entry["logit"] for entry in json.loads(top)["top"]}
    log_path = os.path.join(args.work_dir, "server.log")
    sample_path = os.path.join(args.work_dir, "fallback.jsonl")
    server = support.Server([args.fastintent, "serve", "--port", "{PORT}", "--model", "bert=" + args.model_dir,
                             "--model", "second=" + args.model_dir, "--log-requests", "--fallback-threshold", "0.99",
                             "--fallback-sample", sample_path, "--fallback-sample-per-minute", "6"], log_path)
    try:
        first_fallback_sampled(server.port, sample_path)
        model = json.loads(support.request(server.port, "GET", "/v1/models")[2])["models"][0]
        labels = model["labels"]
        shapes_and_scores(server.port, labels, model["temperature"], cli_logits)
        truncation(server.port)
        errors(server.port)
        id2label = json.load(open(os.path.join(args.model_dir, "config.json"), encoding="utf-8"))["id2label"]
        pairs(server.port, args.model_dir, labels, {int(k): v for k, v in id2label.items()})
        counters(server.port, labels)
        tei_client(server.port, labels)
        request_ids(server.port, log_path)
        model_route(server.port, labels)
        fallback_sample_totals(server.port, sample_path)
    finally:
        server.stop()
    if support.failures:
        print(f"{len(support.failures)} checks failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
