#!/usr/bin/env python3
"""Writes the synthetic Russian telecom intent data set data/telecom-ru/{train,test}.csv (text,category).

Hand-written phrase templates (tools/data/telecom_ru/train_templates.txt and test_templates.txt: two separate
sets, the test set written as new phrasings, not paraphrases of training lines) are expanded with inline
alternatives, slots, optional openers/closers and customer-style noise: typos (neighbouring keys, dropped,
doubled and swapped letters), missing punctuation, ё→е, transliteration to Latin, text typed in the wrong
keyboard layout, mixed and upper case, colloquial short forms. Seeded: the same seed writes the same files.

Template file syntax (UTF-8):
  # comment
  [$slot]            values of the slot {slot}, one per line
  [@open] / [@close] optional openers / closers of a phrase (greetings, "спасибо"...)
  [intent NAME]      templates of intent NAME, one per line
In a template, (a|b|) picks one alternative (an empty one makes the part optional) and {slot} a slot value.

Usage: make_telecom_ru.py [--seed 7] [--out data/telecom-ru] [--check]
  --check regenerates into a temporary directory and fails if the committed files differ.
"""
import argparse
import collections
import csv
import io
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Target training examples per intent: a natural imbalance (outages and tariffs dominate a telecom
# chat, a home phone or cameras are rare). The test split gets about a quarter of that, at least 16.
TRAIN_COUNTS = {
    "internet_down": 620, "change_tariff": 420, "slow_internet": 380, "balance": 360, "payment": 330,
    "router_setup": 280, "tv_not_working": 260, "other": 260, "new_connection": 240, "call_operator": 230,
    "order_status": 220, "promised_payment": 200, "billing_dispute": 190, "connect_tv": 180,
    "technician_visit": 170, "terminate_contract": 160, "complaint": 160, "password_reset": 150,
    "mobile_sim": 140, "change_contract": 120, "promotions": 120, "moving_house": 110,
    "equipment_purchase_return": 110, "suspend_service": 100, "smart_home_video": 75, "home_phone": 70,
}
TEST_SHARE = 0.24
# English/translit templates are drawn less often than Russian ones: a few Latin-script requests, not a tenth.
LATIN_SKIP = 0.6
MIN_TEST = 16

# ЙЦУКЕН neighbours on the same row, for "fat finger" typos.
KEY_ROWS = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]
NEIGHBOURS = {}
for row in KEY_ROWS:
    for i, ch in enumerate(row):
        NEIGHBOURS[ch] = (row[i - 1] if i > 0 else "") + (row[i + 1] if i + 1 < len(row) else "")

# Russian letter → Latin, as people write in translit chats.
TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}
# The same keys on a QWERTY layout (text typed with the wrong layout switched on).
LAYOUT_RU = "йцукенгшщзхъфывапролджэячсмитьбю"
LAYOUT_EN = "qwertyuiop[]asdfghjkl;'zxcvbnm,."
WRONG_LAYOUT = dict(zip(LAYOUT_RU, LAYOUT_EN))

# Colloquial short forms customers type.
COLLOQUIAL = [
    (r"\bинтернет\b", "инет"), (r"\bинтернета\b", "инета"), (r"\bсейчас\b", "щас"), (r"\bчто\b", "че"),
    (r"\bпожалуйста\b", "пжлст"), (r"\bспасибо\b", "спс"), (r"\bкомпьютер\b", "комп"), (r"\bтелевизор\b", "телик"),
    (r"\bвообще\b", "ваще"), (r"\bтолько\b", "тока"), (r"\bсегодня\b", "седня"), (r"\bчеловек\b", "чел"),
    (r"\bнормально\b", "норм"), (r"\bроутер\b", "роутор"), (r"\bпривет\b", "прив"),
]


def parse_templates(path):
    """Returns (slots, openers, closers, intents) from a template file; errors name the file and line."""
    slots, openers, closers = {}, [], []
    intents = collections.OrderedDict()
    target = None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            header = re.fullmatch(r"\[(\$\w+|@open|@close|intent \w+)\]", line)
            if header:
                name = header.group(1)
                if name.startswith("$"):
                    target = slots.setdefault(name[1:], [])
                elif name == "@open":
                    target = openers
                elif name == "@close":
                    target = closers
                else:
                    intent = name.split()[1]
                    if intent not in TRAIN_COUNTS:
                        sys.exit(f"{path}:{number}: unknown intent {intent!r}")
                    target = intents.setdefault(intent, [])
                continue
            if line.startswith("["):
                sys.exit(f"{path}:{number}: bad section header {line!r}")
            if target is None:
                sys.exit(f"{path}:{number}: a line before any section")
            target.append(line)
    for intent, templates in intents.items():
        for template in templates:
            for slot in re.findall(r"\{(\w+)\}", template):
                if slot not in slots:
                    sys.exit(f"{path}: intent {intent}: template {template!r} uses unknown slot {{{slot}}}")
    missing = set(TRAIN_COUNTS) - set(intents)
    if missing:
        sys.exit(f"{path}: no templates for intents {sorted(missing)}")
    return slots, openers, closers, intents


def expand(template, slots, rng):
    text = template
    while True:  # innermost alternatives first, so (a|(b|c)) nests
        match = re.search(r"\(([^()]*)\)", text)
        if not match:
            break
        text = text[:match.start()] + rng.choice(match.group(1).split("|")) + text[match.end():]
    text = re.sub(r"\{(\w+)\}", lambda m: expand(rng.choice(slots[m.group(1)]), slots, rng), text)
    return re.sub(r"\s+", " ", text).strip()


def typo(text, rng):
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters)
    kind = rng.random()
    if kind < 0.3 and text[i].lower() in NEIGHBOURS and NEIGHBOURS[text[i].lower()]:
        return text[:i] + rng.choice(NEIGHBOURS[text[i].lower()]) + text[i + 1:]
    if kind < 0.55:
        return text[:i] + text[i + 1:]
    if kind < 0.75:
        return text[:i] + text[i] + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text


def transliterate(text):
    out = []
    for ch in text:
        low = ch.lower()
        if low in TRANSLIT:
            latin = TRANSLIT[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


def wrong_layout(text):
    return "".join(WRONG_LAYOUT.get(ch, ch) for ch in text.lower())


def add_noise(text, rng):
    """Customer-style noise; each kind with its own probability, most phrases keep some of it."""
    if rng.random() < 0.25:
        for pattern, short in COLLOQUIAL:
            if rng.random() < 0.7:
                text = re.sub(pattern, short, text)
    if rng.random() < 0.6:
        text = text.replace("ё", "е").replace("Ё", "Е")
    for _ in range(rng.choices([0, 1, 2], weights=[65, 28, 7])[0]):
        text = typo(text, rng)
    if rng.random() < 0.4:
        text = re.sub(r"[,.!?;:]", "", text)
    elif rng.random() < 0.1:
        text = text.rstrip(".!?") + rng.choice(["!!!", "??", "?!", "))", " (", "...", "!!"])
    style = rng.random()
    if style < 0.03:
        text = transliterate(text)
    elif style < 0.045:
        text = wrong_layout(text)
    elif style < 0.09:
        text = text.upper()
    elif style < 0.55:
        text = text[:1].upper() + text[1:]
    elif style < 0.6:
        words = text.split(" ")
        k = rng.randrange(len(words))
        words[k] = words[k].upper()
        text = " ".join(words)
    return re.sub(r"\s+", " ", text).strip()


def generate(template_file, counts, seed, forbidden=frozenset(), strict=True):
    """Phrases per intent; a phrase whose lowercase form is in `forbidden` is not used. strict: fail when an
    intent's templates cannot give `counts` distinct phrases (else return what they gave)."""
    slots, openers, closers, intents = parse_templates(template_file)
    rng = random.Random(seed)
    rows = []
    for intent, templates in intents.items():
        wanted = counts[intent]
        seen = set()
        order = []
        attempts = 0
        while len(seen) < wanted and attempts < wanted * 60:
            attempts += 1
            if not order:  # every template is used before any repeats
                order = templates[:]
                rng.shuffle(order)
            template = order.pop()
            latin = not re.search("[а-яё]", template, re.IGNORECASE)
            if latin and rng.random() < LATIN_SKIP:
                continue
            text = expand(template, slots, rng)
            # Openers and closers are Russian chat phrases: not for greetings/thanks themselves, nor for
            # the English/translit templates.
            framed = intent != "other" and not latin
            if framed and openers and rng.random() < 0.22:
                text = expand(rng.choice(openers), slots, rng) + " " + text
            if framed and closers and rng.random() < 0.12:
                text = text + " " + expand(rng.choice(closers), slots, rng)
            text = add_noise(text, rng)
            if len(text) < 2 or text in seen or text.lower() in forbidden:
                continue
            seen.add(text)
            rows.append((text, intent))
        if strict and len(seen) < wanted:
            sys.exit(f"{template_file}: intent {intent}: only {len(seen)} distinct phrases, wanted {wanted}; "
                     "add templates or lower the count")
    rng.shuffle(rows)
    return rows, intents


def normalized(template):
    return re.sub(r"\s+", " ", template.lower()).strip()


def write_csv(path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "category"])
    writer.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buffer.getvalue())
    return buffer.getvalue()


def build(seed):
    test_counts = {k: max(MIN_TEST, round(v * TEST_SHARE)) for k, v in TRAIN_COUNTS.items()}
    train, train_templates = generate(os.path.join(HERE, "telecom_ru", "train_templates.txt"), TRAIN_COUNTS, seed)
    train_texts = {t.lower() for t, _ in train}
    test, test_templates = generate(os.path.join(HERE, "telecom_ru", "test_templates.txt"), test_counts, seed + 1,
                                    train_texts)
    # The two template sets are disjoint, and so are the generated texts (compared case-insensitively).
    shared_templates = ({normalized(t) for ts in train_templates.values() for t in ts} &
                        {normalized(t) for ts in test_templates.values() for t in ts})
    if shared_templates:
        sys.exit(f"templates present in both train and test files: {sorted(shared_templates)[:5]}")
    overlap = [t for t, _ in test if t.lower() in train_texts]
    if overlap:
        sys.exit(f"{len(overlap)} test phrases also occur in train, e.g. {overlap[:3]}")
    return train, test


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=os.path.join(REPO, "data", "telecom-ru"))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--unlabeled", metavar="FILE",
                        help="instead: write unlabelled in-domain phrases (one a line) generated from the TRAINING "
                             "templates only, with another seed, none equal to a training or test phrase (for distill)")
    parser.add_argument("--unlabeled-factor", type=float, default=4.0,
                        help="phrases per intent, as a multiple of its training count (fewer if its templates "
                             "run out of distinct phrases)")
    args = parser.parse_args()
    if args.unlabeled:
        train, test = build(args.seed)
        counts = {k: round(v * args.unlabeled_factor) for k, v in TRAIN_COUNTS.items()}
        rows, _ = generate(os.path.join(HERE, "telecom_ru", "train_templates.txt"), counts, args.seed + 1000,
                           {t.lower() for t, _ in train + test}, strict=False)
        with open(args.unlabeled, "w", encoding="utf-8") as f:
            f.writelines(text.replace("\n", " ") + "\n" for text, _ in rows)
        print(f"{len(rows)} unlabelled phrases from the training templates -> {args.unlabeled}")
        return
    train, test = build(args.seed)
    if args.check:
        for name, rows in (("train.csv", train), ("test.csv", test)):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["text", "category"])
            writer.writerows(rows)
            with open(os.path.join(args.out, name), encoding="utf-8", newline="") as f:
                if f.read() != buffer.getvalue():
                    sys.exit(f"{args.out}/{name} differs from what make_telecom_ru.py --seed {args.seed} writes")
        print("telecom-ru: committed files match the generator")
        return
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "train.csv"), train)
    write_csv(os.path.join(args.out, "test.csv"), test)
    counts = collections.Counter(c for _, c in train)
    test_counts = collections.Counter(c for _, c in test)
    print(f"train {len(train)} rows, test {len(test)} rows, {len(counts)} intents, "
          f"largest/smallest (train) {max(counts.values()) / min(counts.values()):.1f}x")
    for intent in sorted(counts, key=lambda k: -counts[k]):
        print(f"  {intent:28s} {counts[intent]:5d} {test_counts[intent]:5d}")


if __name__ == "__main__":
    main()
