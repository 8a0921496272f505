"""The unlabelled telecom-ru phrases for distillation: generated from the training templates only, so none equals a
committed training or test phrase (case-insensitive), and every intent's templates contribute."""
import csv
import os
import subprocess
import sys
import tempfile

repo = sys.argv[1]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "unlabeled.txt")
    subprocess.run([sys.executable, os.path.join(repo, "tools", "data", "make_telecom_ru.py"), "--unlabeled", out,
                    "--unlabeled-factor", "1"], check=True)
    with open(out, encoding="utf-8") as f:
        phrases = [line.rstrip("\n") for line in f]


def texts(name):
    with open(os.path.join(repo, "data", "telecom-ru", name), encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)]


train, test = texts("train.csv"), texts("test.csv")
lowered = {p.lower() for p in phrases}
assert len(phrases) >= 0.9 * len(train), f"{len(phrases)} phrases for {len(train)} training ones"
assert len(set(phrases)) == len(phrases), "duplicate phrases"
assert all(p.strip() and "\n" not in p for p in phrases), "an empty or multi-line phrase"
shared = lowered & {t.lower() for t in train + test}
assert not shared, f"{len(shared)} phrases equal committed ones, e.g. {sorted(shared)[:3]}"
print(f"{len(phrases)} unlabelled phrases, none equal to the {len(train)} training or {len(test)} test phrases")
