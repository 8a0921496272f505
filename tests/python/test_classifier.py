"""fastintent.Classifier against `fastintent predict` (the CLI, same engine, same model files) and against
transformers' logits for the BERT fixture (tests/fixtures/runtime/reference.json)."""
import math
import re
import subprocess
import sys

import pytest

import fastintent
from conftest import BERT_FIXTURE, run_cli_predict


def cli_records(cli_output):
    """The CLI's JSON lines without the echoed text: the shape of Prediction.to_dict()."""
    return [{key: value for key, value in record.items() if key != "text"} for record in cli_output]


@pytest.mark.parametrize("quantized", [False, True], ids=["fp32", "int8"])
def test_bert_fixture_predictions_equal_the_cli(cli, reference, quantized):
    texts = reference["texts"]
    flags = ["--top-k", "3"] + (["--quantized"] if quantized else [])
    expected = cli_records(run_cli_predict(cli, BERT_FIXTURE, texts, *flags))
    classifier = fastintent.Classifier(BERT_FIXTURE, quantized=quantized)
    got = [prediction.to_dict() for prediction in classifier.predict(texts, top_k=3)]
    assert got == expected  # labels, float32 scores bit for bit, top-3, truncation flags
    assert any(record["truncated"] for record in expected), "the fixture texts include ones over 128 tokens"


def test_bert_fixture_with_max_length_equals_the_cli(cli, reference):
    texts = reference["texts"]
    expected = cli_records(run_cli_predict(cli, BERT_FIXTURE, texts, "--top-k", "2", "--max-length", "8",
                                           "--batch-size", "7"))
    classifier = fastintent.Classifier(BERT_FIXTURE, max_length=8, batch_size=7)
    assert [p.to_dict() for p in classifier.predict(texts, top_k=2)] == expected
    assert classifier.info.max_length == 8


def test_ngram_predictions_equal_the_cli(cli, ngram_dir, telecom_texts):
    texts = [t for t in telecom_texts if "\n" not in t and "\r" not in t]
    assert len(texts) > 1000
    expected = cli_records(run_cli_predict(cli, ngram_dir, texts, "--top-k", "3"))
    classifier = fastintent.Classifier(ngram_dir)
    assert [p.to_dict() for p in classifier.predict(texts, top_k=3)] == expected
    assert classifier.info.max_length == 0  # reads the whole text


def test_bert_logits_match_transformers(reference):
    classifier = fastintent.Classifier(BERT_FIXTURE)
    logits = classifier.logits(reference["texts"])
    expected = reference["models"]["bert"]["logits"]
    assert len(logits) == len(expected)
    worst = max(abs(float(a) - b) for row, want in zip(logits, expected) for a, b in zip(row, want))
    assert worst <= 1e-4  # docs/runtime.md: 2.86e-06 measured for the C++ engine


def test_logits_are_the_scores_before_softmax(reference):
    classifier = fastintent.Classifier(BERT_FIXTURE)
    texts = reference["texts"][:20]
    for row, prediction in zip(classifier.logits(texts), classifier.predict(texts)):
        row = [float(x) for x in row]
        top = max(row)
        total = sum(math.exp(x - top) for x in row)
        assert abs(math.exp(max(row) - top) / total - prediction.score) < 1e-6
        assert classifier.info.labels[row.index(top)] == prediction.label


def test_logits_is_a_float32_numpy_array_when_numpy_is_there(reference):
    numpy = pytest.importorskip("numpy")
    classifier = fastintent.Classifier(BERT_FIXTURE)
    logits = classifier.logits(reference["texts"][:5])
    assert isinstance(logits, numpy.ndarray)
    assert logits.dtype == numpy.float32 and logits.shape == (5, len(classifier.info.labels))
    assert classifier.logits([]).shape == (0, len(classifier.info.labels))


def test_logits_are_lists_without_numpy():
    code = (
        "import sys; sys.modules['numpy'] = None\n"  # makes `import numpy` fail
        "import fastintent\n"
        f"c = fastintent.Classifier({str(BERT_FIXTURE)!r})\n"
        "rows = c.logits(['баланс', 'hi'])\n"
        "assert type(rows) is list and len(rows) == 2 and all(type(r) is list for r in rows), rows\n"
        "assert all(len(r) == len(c.info.labels) and all(type(x) is float for x in r) for r in rows)\n"
        "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_single_text_gives_a_list_of_one(reference):
    classifier = fastintent.Classifier(BERT_FIXTURE)
    one = classifier.predict("тариф?", top_k=2)
    assert isinstance(one, list) and len(one) == 1
    assert one[0].to_dict() == classifier.predict(["тариф?"], top_k=2)[0].to_dict()
    assert classifier.predict([]) == []
    assert len(classifier.logits("тариф?")) == 1


def test_a_text_alone_equals_the_text_inside_a_batch(reference):
    classifier = fastintent.Classifier(BERT_FIXTURE)
    texts = reference["texts"]
    batch = classifier.predict(texts, top_k=3)
    for text, in_batch in zip(texts, batch):
        alone = classifier.predict(text, top_k=3)[0]
        assert alone.label == in_batch.label
        assert abs(alone.score - in_batch.score) <= 1e-5


def test_prediction_fields(reference):
    classifier = fastintent.Classifier(BERT_FIXTURE)
    prediction = classifier.predict("как бы мне оператора услышать?", top_k=3)[0]
    assert isinstance(prediction.label, str) and prediction.label in classifier.info.labels
    assert 0.0 < prediction.score <= 1.0
    assert len(prediction.top) == 3 and prediction.top[0] == (prediction.label, prediction.score)
    assert all(a[1] >= b[1] for a, b in zip(prediction.top, prediction.top[1:]))
    assert prediction.truncated is False
    assert re.fullmatch(r"Prediction\(label='\w+', score=0\.\d{4}, truncated=False\)", repr(prediction))
    assert len(classifier.predict("hi", top_k=1000)[0].top) == len(classifier.info.labels)


def test_info_describes_the_loaded_model(reference, ngram_dir):
    info = fastintent.Classifier(BERT_FIXTURE).info
    assert info.name == "bert"
    assert info.labels == reference["labels"]
    assert info.max_length == reference["max_length"] == 128
    assert info.quantized is False
    assert re.fullmatch(r"[0-9a-f]{12}", info.version)
    assert info.model_file.name == "model.onnx"
    assert info.fallback_threshold is None
    assert "input_ids" in info.input_names and info.output_name == "logits"
    assert info.input_prefix == ""
    quantized = fastintent.Classifier(BERT_FIXTURE, quantized=True).info
    assert quantized.quantized is True and quantized.model_file.name == "model_quantized.onnx"
    assert quantized.version != info.version
    seed = fastintent.Classifier(BERT_FIXTURE, model_file="model_seed.onnx").info
    assert seed.input_names == ["input_ids"] and seed.output_name == "output"
    ngram = fastintent.Classifier(ngram_dir).info
    assert ngram.max_length == 0 and len(ngram.labels) == 26


def test_info_outlives_the_classifier():
    info = fastintent.Classifier(BERT_FIXTURE).info  # the Classifier object is gone after this line
    assert len(info.labels) == 26 and info.name == "bert"


def test_pathlike_model_dir_and_threads(reference):
    classifier = fastintent.Classifier(BERT_FIXTURE, threads=2)  # a pathlib.Path
    same = fastintent.Classifier(str(BERT_FIXTURE), threads=0)  # a str; 0 = ONNX Runtime's default
    texts = reference["texts"][:10]
    assert [p.label for p in classifier.predict(texts)] == [p.label for p in same.predict(texts)]


def test_scores_follow_the_model_directory(cli, tmp_path):
    """A multi-label copy of the fixture (Optimum's problem_type) and a calibrated one with a hand-off margin: the
    package gives what the CLI gives, and the scores are what config.json says."""
    import json
    import shutil

    texts = ["как бы мне оператора услышать?", "What is my balance?"]
    plain = fastintent.Classifier(BERT_FIXTURE)
    logits = plain.logits(texts)
    copies = {"multi": {"problem_type": "multi_label_classification"},
              "calibrated": {"fastintent_temperature": 2.5, "fastintent_fallback_margin": 1.0}}
    for name, keys in copies.items():
        directory = tmp_path / name
        shutil.copytree(BERT_FIXTURE, directory)
        config = json.loads((directory / "config.json").read_text())
        config.update(keys)
        (directory / "config.json").write_text(json.dumps(config))
        classifier = fastintent.Classifier(directory)
        multi = name == "multi"
        expected = cli_records(run_cli_predict(cli, directory, texts, "--top-k", "3"))
        got = [p.to_dict(multi_label=multi) for p in classifier.predict(texts, top_k=3)]
        assert got == expected
        info = classifier.info
        assert info.multi_label is multi
        for row, prediction in zip(logits, classifier.predict(texts, top_k=100)):
            labels = info.labels
            if multi:
                sigmoid = {labels[i]: 1 / (1 + math.exp(-float(z))) for i, z in enumerate(row)}
                assert all(abs(score - sigmoid[label]) < 1e-5 for label, score in prediction.top)
                assert prediction.labels == [(label, score) for label, score in prediction.top if score >= 0.5]
                assert prediction.fallback is (not prediction.labels)
            else:
                assert info.temperature == 2.5 and info.fallback_margin == 1.0
                total = sum(math.exp(float(z) / 2.5) for z in row)
                warm = {labels[i]: math.exp(float(z) / 2.5) / total for i, z in enumerate(row)}
                assert all(abs(score - warm[label]) < 1e-5 for label, score in prediction.top)
                assert prediction.fallback is True and prediction.labels == []
