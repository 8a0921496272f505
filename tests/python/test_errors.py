"""Errors reach Python as exceptions carrying the engine's message (InvalidInput -> ValueError, IoError -> OSError),
and no input crashes the interpreter."""
import json
import random
import shutil

import pytest

import fastintent
from conftest import BERT_FIXTURE, TOKENIZERS


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(BERT_FIXTURE, target)
    return target


def test_missing_model_directory_is_an_oserror(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(OSError, match="no-such-model"):
        fastintent.Classifier(missing)


def test_missing_quantized_model_is_an_oserror(model_copy):
    (model_copy / "model_quantized.onnx").unlink()
    with pytest.raises(OSError, match=r"model_quantized\.onnx: missing; quantize the model first"):
        fastintent.Classifier(model_copy, quantized=True)


def test_broken_config_is_a_valueerror(model_copy):
    (model_copy / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="config.json"):
        fastintent.Classifier(model_copy)


def test_labels_that_do_not_match_the_graph_are_a_valueerror(model_copy):
    config = json.loads((model_copy / "config.json").read_text(encoding="utf-8"))
    config["id2label"] = {"0": "a", "1": "b"}
    config.pop("label2id", None)
    (model_copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match="2"):
        fastintent.Classifier(model_copy)


def test_corrupt_onnx_file_is_a_valueerror(model_copy):
    (model_copy / "model.onnx").write_bytes(b"\x08\x07garbage" * 100)
    with pytest.raises(ValueError, match="model.onnx"):
        fastintent.Classifier(model_copy)


@pytest.mark.parametrize("kwargs, message", [
    ({"max_length": 1}, r"max_length: got 1, expected 2\.\.128 \(max_position_embeddings of .*config\.json\)"),
    ({"max_length": 100000}, r"max_length: got 100000"),
    ({"max_length": -3}, r"max_length: got -3"),
    ({"threads": -1}, r"intra_op_threads -1"),
    ({"batch_size": 0}, r"batch_size: got 0, expected 1 or more"),
])
def test_bad_options_are_valueerrors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fastintent.Classifier(BERT_FIXTURE, **kwargs)


def test_bad_predict_arguments():
    classifier = fastintent.Classifier(BERT_FIXTURE)
    with pytest.raises(ValueError, match="top_k: got 0, expected 1 or more"):
        classifier.predict("hi", top_k=0)
    with pytest.raises(TypeError, match=r"texts\[1\]: got int, expected str"):
        classifier.predict(["hi", 5])
    with pytest.raises(TypeError, match="got bytes, expected str or a list of str"):
        classifier.predict(b"hi")
    with pytest.raises(TypeError):
        classifier.predict(None)
    with pytest.raises(TypeError):
        classifier.logits(42)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate cannot be UTF-8; a ValueError, as str.encode() says
        classifier.predict("bad \ud800 text")
    assert issubclass(UnicodeEncodeError, ValueError)
    # a generator and a tuple are accepted as lists of texts
    assert len(classifier.predict(t for t in ["a", "b"])) == 2
    assert len(classifier.predict(("a", "b", "c"))) == 3


def test_tokenizer_errors(tmp_path):
    with pytest.raises(OSError, match="does not exist"):
        fastintent.Tokenizer(tmp_path / "nothing")
    with pytest.raises(OSError, match="neither tokenizer.json nor vocab.txt"):
        fastintent.Tokenizer(tmp_path)
    broken = tmp_path / "tokenizer.json"
    broken.write_text('{"model": {"type": "BPE"}}', encoding="utf-8")
    with pytest.raises(ValueError, match="tokenizer.json"):
        fastintent.Tokenizer.from_file(broken)
    tok = fastintent.Tokenizer(TOKENIZERS / "rubert-tiny2")
    with pytest.raises(ValueError, match="max_length 1 is too small"):
        tok.encode("привет", max_length=1)
    with pytest.raises(ValueError, match="max_length: got -1"):
        tok.encode("привет", max_length=-1)
    with pytest.raises(ValueError, match="truncation: got 'only_first'"):
        tok.encode("привет", truncation="only_first")
    with pytest.raises(ValueError, match="padding: got 'sideways'"):
        tok.encode("привет", padding="sideways")
    with pytest.raises(TypeError, match="padding: got int"):
        tok.encode("привет", padding=3)
    with pytest.raises(TypeError, match=r"encode a pair with encode\(text, pair\)"):
        tok.encode_batch([("question", "context")])
    with pytest.raises(TypeError, match="text: got bytes"):
        tok.encode(b"bytes")
    with pytest.raises(UnicodeEncodeError):
        tok.encode("\udcff")
    with pytest.raises(ValueError, match="threads: got -2"):
        tok.encode_batch(["a"], threads=-2)


def random_code_point(rng):
    while True:
        code = rng.randrange(0x20, 0x2FFFF)
        if not 0xD800 <= code <= 0xDFFF:  # surrogates are not text (see the UnicodeEncodeError tests)
            return chr(code)


def random_text(rng):
    pieces = [
        lambda: "".join(random_code_point(rng) for _ in range(rng.randrange(0, 40))),
        lambda: "".join(chr(rng.randrange(0, 0x80)) for _ in range(rng.randrange(0, 40))),  # control characters, NUL
        lambda: "[CLS] [SEP] [PAD] [UNK] [MASK]",
        lambda: "\u0301\u0308" * rng.randrange(0, 20),  # lone combining marks
        lambda: "хочу сменить тариф " * rng.randrange(0, 60),
        lambda: "\ufeff\u200b\u2028\u00a0",
        lambda: "a" * rng.randrange(90, 300),  # one over-long word
    ]
    return "".join(rng.choice(pieces)() for _ in range(rng.randrange(0, 5)))


def test_random_input_never_crashes(ngram_dir):
    """Every text is accepted; only impossible options raise, and only as ValueError."""
    rng = random.Random(20261207)
    tokenizers = [fastintent.Tokenizer(TOKENIZERS / name) for name in ("rubert-tiny2", "all-MiniLM-L6-v2")]
    classifiers = [fastintent.Classifier(BERT_FIXTURE), fastintent.Classifier(ngram_dir)]
    texts = [random_text(rng) for _ in range(400)] + ["", " ", "\x00", "x" * 100000]
    for text in texts:
        tok = rng.choice(tokenizers)
        options = {"max_length": rng.choice([None, 0, 1, 2, 3, 16, 600]),
                   "truncation": rng.choice([None, True, False]),
                   "padding": rng.choice([None, True, False, "max_length"]),
                   "add_special_tokens": rng.choice([True, False]),
                   "pad_to_multiple_of": rng.choice([None, 0, 8])}
        pair = rng.choice([None, random_text(rng)])
        try:
            encoding = tok.encode(text, pair, **options)
        except ValueError:
            continue
        n = len(encoding)
        assert len(encoding.ids) == len(encoding.tokens) == len(encoding.offsets) == len(encoding.type_ids) == n
        assert all(0 <= b <= e <= max(len(text), len(pair or "")) for b, e in encoding.offsets)
    for classifier in classifiers:
        predictions = classifier.predict(texts, top_k=2)
        assert len(predictions) == len(texts)
        assert all(0.0 <= p.score <= 1.0 for p in predictions)
