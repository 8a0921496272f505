#!/usr/bin/env python3
"""Research probe (issue 12): can a pretrained encoder's knowledge reach a sub-0.1 ms model as *static* token vectors?

Model2Vec-style: every vocabulary piece of --base gets one vector — the mean of its contextual output vectors over
the corpus (--train texts and --unlabeled lines) where it occurs, else its output alone between [CLS] and [SEP].
A text is then the L2-normalised mean of its pieces' vectors: no encoder at run time. The probe fits scikit-learn's
logistic regression (C 10) on those vectors alone and beside TF-IDF (char_wb 1-5 and word 1-2 grams, sublinear tf)
and prints test accuracy and F1 macro. Not a test and not on any product path; the measured figures are in
docs/quality.md ("Static token vectors"). About 35 minutes on 2 cores for e5-small pruned to 143k pieces.

Usage: .venv/bin/python tools/train/static_vectors_probe.py --base runs/e5-ru --train data/telecom-ru/train.csv \
           --test data/telecom-ru/test.csv --unlabeled runs/unlabeled.txt
"""
import argparse
import csv

import numpy as np
import torch
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModel, AutoTokenizer


def read(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def l2(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--unlabeled")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tok = AutoTokenizer.from_pretrained(args.base)
    model = AutoModel.from_pretrained(args.base).eval()
    train_x, train_y = read(args.train)
    test_x, test_y = read(args.test)
    corpus = list(train_x)
    if args.unlabeled:
        corpus += [line.strip() for line in open(args.unlabeled, encoding="utf-8") if line.strip()]
    vocab, hidden = model.config.vocab_size, model.config.hidden_size

    sums, counts = np.zeros((vocab, hidden)), np.zeros(vocab)
    with torch.no_grad():
        for i in range(0, len(corpus), 64):
            batch = tok(corpus[i:i + 64], padding=True, truncation=True, max_length=64, return_tensors="pt")
            out = model(**batch).last_hidden_state.numpy()
            ids, real = batch["input_ids"].numpy(), batch["attention_mask"].numpy().astype(bool)
            np.add.at(sums, ids[real], out[real])
            np.add.at(counts, ids[real], 1)
        alone = np.zeros((vocab, hidden), np.float32)
        for i in range(0, vocab, 2048):
            ids = torch.arange(i, min(vocab, i + 2048))
            x = torch.stack([torch.full_like(ids, tok.cls_token_id), ids, torch.full_like(ids, tok.sep_token_id)], 1)
            alone[i:i + len(ids)] = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state.mean(1).numpy()
    contextual = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], alone).astype(np.float32)

    def embed(texts, table, special):
        return l2(np.stack([table[tok(t, add_special_tokens=special)["input_ids"]].mean(0) for t in texts]))

    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    tfidf_train = hstack([char.fit_transform(train_x), word.fit_transform(train_x)]).tocsr()
    tfidf_test = hstack([char.transform(test_x), word.transform(test_x)]).tocsr()

    def report(name, features_train, features_test):
        predicted = LogisticRegression(C=10, max_iter=3000).fit(features_train, train_y).predict(features_test)
        print(f"{name:44s} accuracy {accuracy_score(test_y, predicted):.4f} "
              f"F1 macro {f1_score(test_y, predicted, average='macro'):.4f}", flush=True)

    report("tf-idf", tfidf_train, tfidf_test)
    for table_name, table in (("alone", alone), ("contextual", contextual)):
        for special in (False, True):
            e_train, e_test = embed(train_x, table, special), embed(test_x, table, special)
            label = f"{table_name} vectors{' with [CLS]/[SEP]' if special else ''}"
            report(label, e_train, e_test)
            for weight in (1.0, 2.0):
                report(f"{label} x{weight:g} + tf-idf", hstack([csr_matrix(weight * e_train), tfidf_train]).tocsr(),
                       hstack([csr_matrix(weight * e_test), tfidf_test]).tocsr())


if __name__ == "__main__":
    main()
