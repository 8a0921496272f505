"""Shared fixtures of the Python package tests (tests/python/run_package_tests.sh sets the environment).

FASTINTENT_CLI          the fastintent executable of the same tree (the CLI the package must agree with)
FASTINTENT_NGRAM_MODEL  an n-gram model directory made by `fastintent train --arch ngram` on telecom-ru
The package under test is the installed wheel, never python/ of the source tree.
"""
import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BERT_FIXTURE = REPO / "tests" / "fixtures" / "runtime" / "bert"
TOKENIZERS = REPO / "assets" / "tokenizers"
CORPUS = REPO / "tests" / "text" / "corpus"
TELECOM = REPO / "data" / "telecom-ru"


def _required_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run the tests through tests/python/run_package_tests.sh")
    return value


@pytest.fixture(scope="session", autouse=True)
def installed_package():
    import fastintent
    source = REPO / "python"
    assert not pathlib.Path(fastintent.__file__).resolve().is_relative_to(source), \
        f"imported {fastintent.__file__}: the tests must run against the installed wheel"


@pytest.fixture(scope="session")
def cli():
    return _required_env("FASTINTENT_CLI")


@pytest.fixture(scope="session")
def ngram_dir():
    return _required_env("FASTINTENT_NGRAM_MODEL")


@pytest.fixture(scope="session")
def reference():
    with open(REPO / "tests" / "fixtures" / "runtime" / "reference.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def telecom_texts():
    """The texts of data/telecom-ru/test.csv (1,356 Russian customer phrases)."""
    import csv
    with open(TELECOM / "test.csv", encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)]


def read_corpus_lines(name):
    """A corpus file's lines as the references read them: bytes split on \\n, decoded with errors='replace'."""
    data = (CORPUS / name).read_bytes().split(b"\n")
    if data and data[-1] == b"":
        data.pop()
    return [line.decode("utf-8", errors="replace") for line in data]


def run_cli_predict(cli, model_dir, texts, *flags):
    """`fastintent predict` over stdin, one JSON object per text."""
    for text in texts:
        assert "\n" not in text and "\r" not in text, "stdin carries one text per line"
    stdin = "".join(text + "\n" for text in texts)
    result = subprocess.run([cli, "predict", "--model", str(model_dir), *flags], input=stdin.encode("utf-8"),
                            capture_output=True, check=True)
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(texts)
    return [json.loads(line) for line in lines]
