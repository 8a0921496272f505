#!/usr/bin/env python3
"""Keyboard-layout and transliteration normalizer for Russian chat text: the reference of
src/text/layout_normalizer.cpp and the builder of its table file (docs/normalizer.md).

Russian customers type Latin three ways: English, transliteration ("internet ne rabotaet") and Russian typed with the
QWERTY layout switched on ("gjkexbncz kb gjrf jnrk.xbnm" = «получится ли пока отключить»). The normalizer rewrites a
run of Latin words into Cyrillic when a unigram language model finds Cyrillic the more plausible reading, and leaves
English alone. The language model is a SentencePiece-Unigram vocabulary's pieces made of one script's lower-case
letters, with their log-probabilities (XLM-R's, via multilingual-e5-small): nothing in it is about one data set.

  build:      layout_normalizer.py build --tokenizer models/base/multilingual-e5-small/tokenizer.json --out FILE
  normalize:  layout_normalizer.py normalize --table FILE [--explain] < texts.txt     (one text a line)
  goldens:    layout_normalizer.py goldens --table FILE --texts IN.txt --out OUT.jsonl

This module states the algorithm once, in the order the C++ port follows it step by step; the ctest
text.layout_normalizer_goldens compares the two on tests/fixtures/text/layout_normalizer/.
"""
import argparse
import itertools
import json
import re
import sys

FILE_TYPE = "ru_layout_translit"
QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
JCUKEN = "йцукенгшщзхъфывапролджэячсмитьбюё"
QWERTY_SHIFT = 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
JCUKEN_SHIFT = JCUKEN.upper()

# Cyrillic letter -> Latin spellings seen in Russian chat transliteration (first = most common).
TRANSLIT = {
    "а": ["a"], "б": ["b"], "в": ["v", "w"], "г": ["g"], "д": ["d"], "е": ["e", "ye", "je"], "ё": ["e", "yo", "jo"],
    "ж": ["zh", "j", "g"], "з": ["z"], "и": ["i"], "й": ["y", "j", "i"], "к": ["k", "c"], "л": ["l"], "м": ["m"],
    "н": ["n"], "о": ["o"], "п": ["p"], "р": ["r"], "с": ["s"], "т": ["t"], "у": ["u"], "ф": ["f"],
    "х": ["h", "kh", "x"], "ц": ["c", "ts", "tz"], "ч": ["ch"], "ш": ["sh"], "щ": ["sch", "shch", "sh"],
    "ъ": ["", "'"], "ы": ["y", "i"], "ь": ["", "'"], "э": ["e"], "ю": ["yu", "ju", "iu"], "я": ["ya", "ja", "ia"],
}
SPACE_PIECE = "\u2581"

# Characters, as the C++ port classifies them (ASCII rules only, so both sides agree on every code point).
LAYOUT_KEYS = set("[];',.`{}:\"<>~")
POST_CHARS = set("!?)(-")


def is_latin(c):
    return "a" <= c <= "z" or "A" <= c <= "Z"


def is_cyrillic(c):
    return "\u0400" <= c <= "\u04ff"


def is_word(c):
    return is_latin(c) or "0" <= c <= "9" or c == "_" or ord(c) >= 0x80


def ascii_lower(text):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def cyrillic_lower(text):
    """А..Я -> а..я, Ё -> ё, ASCII upper -> lower; other characters unchanged."""
    out = []
    for c in text:
        if "\u0410" <= c <= "\u042f":
            out.append(chr(ord(c) + 32))
        elif c == "\u0401":
            out.append("\u0451")
        else:
            out.append(ascii_lower(c))
    return "".join(out)


def build(tokenizer_path, out_path, margin_layout=0.0, margin_translit=-3.0, max_spellings=16, max_piece_chars=24):
    tokenizer = json.load(open(tokenizer_path, encoding="utf-8"))
    model = tokenizer["model"]
    if model.get("type") != "Unigram":
        sys.exit(f"{tokenizer_path}: a Unigram tokenizer.json is needed, got model type {model.get('type')}")
    latin, cyrillic = [], []
    lowest = min(score for _, score in model["vocab"])
    for piece, score in model["vocab"]:
        body = piece[1:] if piece.startswith(SPACE_PIECE) else piece
        if body and re.fullmatch("[a-z]+", body):
            latin.append([piece, score])
        elif body and re.fullmatch("[а-яё]+", body):
            cyrillic.append([piece, score])
    table = {
        "type": FILE_TYPE, "version": 1,
        "source": "pieces and log-probabilities of the SentencePiece-Unigram vocabulary in " + tokenizer_path +
                  " (XLM-R's, MIT, via multilingual-e5-small; docs/normalizer.md)",
        "layout": dict(zip(QWERTY + QWERTY_SHIFT, JCUKEN + JCUKEN_SHIFT)),
        "translit": TRANSLIT, "max_spellings": max_spellings, "max_piece_chars": max_piece_chars,
        "margin_layout": margin_layout, "margin_translit": margin_translit,
        "lm": {"unk_score": lowest - 10.0, "latin": latin, "cyrillic": cyrillic},
    }
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(table, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    print(f"{out_path}: {len(latin)} Latin and {len(cyrillic)} Cyrillic pieces", file=sys.stderr)


class Normalizer:
    def __init__(self, table_path):
        table = json.load(open(table_path, encoding="utf-8"))
        if table.get("type") != FILE_TYPE or table.get("version") != 1:
            sys.exit(f"{table_path}: not a {FILE_TYPE} version 1 table")
        self.layout = table["layout"]
        self.translit = table["translit"]
        self.max_piece = table["max_piece_chars"]
        self.margin_layout = table["margin_layout"]
        self.margin_translit = table["margin_translit"]
        self.unk = table["lm"]["unk_score"]
        self.latin = {piece: score for piece, score in table["lm"]["latin"]}
        self.cyrillic = {piece: score for piece, score in table["lm"]["cyrillic"]}
        # Latin spelling of a Cyrillic piece -> (score, piece); the highest score wins, the first piece on ties.
        self.index = {}
        for piece, score in table["lm"]["cyrillic"]:
            lead = SPACE_PIECE if piece.startswith(SPACE_PIECE) else ""
            options = [self.translit[c] for c in piece[len(lead):]]
            count = 1
            for option in options:
                count *= len(option)
            spellings = (itertools.product(*options) if count <= table["max_spellings"]
                         else [tuple(option[0] for option in options)])
            for spelling in spellings:
                key = lead + "".join(spelling)
                if key == lead:
                    continue
                if key not in self.index or self.index[key][0] < score:
                    self.index[key] = (score, piece)

    def viterbi(self, word, table, outputs):
        """The best segmentation of '▁' + word into pieces of `table` (piece -> score, or -> (score, output) when
        `outputs`); a character no piece covers costs unk. Returns (score, the outputs joined without '▁')."""
        s = SPACE_PIECE + word
        n = len(s)
        best = [None] * (n + 1)
        back = [None] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] is None:
                continue
            for j in range(i + 1, min(n, i + self.max_piece) + 1):
                entry = table.get(s[i:j])
                if entry is None:
                    continue
                score, out = entry if outputs else (entry, s[i:j])
                if best[j] is None or best[i] + score > best[j]:
                    best[j] = best[i] + score
                    back[j] = (i, out)
            if best[i + 1] is None or best[i] + self.unk > best[i + 1]:
                best[i + 1] = best[i] + self.unk
                back[i + 1] = (i, s[i])
        pieces = []
        j = n
        while j > 0:
            i, out = back[j]
            pieces.append(out)
            j = i
        return best[n], "".join(reversed(pieces)).replace(SPACE_PIECE, "")

    @staticmethod
    def split_token(token):
        """(pre, core, post): pre = leading characters that are neither word characters nor layout keys; post =
        trailing characters of !?)(- after it; core = the rest."""
        a = 0
        while a < len(token) and not is_word(token[a]) and token[a] not in LAYOUT_KEYS:
            a += 1
        b = len(token)
        while b > a and token[b - 1] in POST_CHARS:
            b -= 1
        return token[:a], token[a:b], token[b:]

    def layout_reading(self, core):
        mapped = cyrillic_lower("".join(self.layout.get(c, c) for c in core))
        return self.viterbi(mapped, self.cyrillic, False)[0], mapped

    def token_readings(self, token):
        """(keep, layout, translit) scores and the layout and translit readings of one Latin token."""
        pre, core, post = self.split_token(token)
        low = ascii_lower(core)
        keep = sum(self.viterbi(w, self.latin, False)[0] for w in re.findall("[a-z]+", low))
        layout_score, layout_text = self.layout_reading(core)
        tail = re.search("[,.]+$", core)
        if tail and tail.start() > 0:
            score, text = self.layout_reading(core[:tail.start()])
            if score > layout_score:
                layout_score, layout_text = score, text + tail.group(0)
        translit_score = 0.0
        out = []
        for part in re.split("([a-z']+)", low):
            if part and re.fullmatch("[a-z']+", part):
                score, text = self.viterbi(part, self.index, True)
                translit_score += score
                out.append(text)
            else:
                out.append(part)
        return keep, layout_score, translit_score, pre + layout_text + post, pre + "".join(out) + post

    @staticmethod
    def runs(tokens):
        """Runs of Latin tokens (an ASCII letter, no Cyrillic letter): a token of ASCII punctuation only (or an
        empty one) is skipped; any other token ends the run."""
        runs, current = [], []
        for i, token in enumerate(tokens):
            if any(is_latin(c) for c in token) and not any(is_cyrillic(c) for c in token):
                current.append(i)
            elif all(ord(c) < 0x80 and not c.isalnum() and c != "_" for c in token):
                continue
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        return runs

    def normalize(self, text, explain=False):
        tokens = text.split(" ")
        decisions = []
        for run in self.runs(tokens):
            keep = layout = translit = 0.0
            readings = {}
            for i in run:
                k, lay, tra, lay_text, tra_text = self.token_readings(tokens[i])
                keep += k
                layout += lay
                translit += tra
                readings[i] = (lay_text, tra_text)
            n = len(run)
            choice, value = "keep", 0.0
            if layout - keep >= self.margin_layout * n and (layout - keep) / n - self.margin_layout > value:
                choice, value = "layout", (layout - keep) / n - self.margin_layout
            if translit - keep >= self.margin_translit * n and (translit - keep) / n - self.margin_translit > value:
                choice, value = "translit", (translit - keep) / n - self.margin_translit
            if choice != "keep":
                for i in run:
                    tokens[i] = readings[i][0 if choice == "layout" else 1]
            decisions.append({"tokens": n, "choice": choice, "keep": keep, "layout": layout, "translit": translit})
        out = " ".join(tokens)
        return (out, decisions) if explain else out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--tokenizer", required=True)
    b.add_argument("--out", required=True)
    n = sub.add_parser("normalize")
    n.add_argument("--table", required=True)
    n.add_argument("--explain", action="store_true")
    g = sub.add_parser("goldens")
    g.add_argument("--table", required=True)
    g.add_argument("--texts", required=True)
    g.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "build":
        build(args.tokenizer, args.out)
    elif args.command == "normalize":
        normalizer = Normalizer(args.table)
        for line in sys.stdin:
            text = line.rstrip("\n")
            print(json.dumps(normalizer.normalize(text, explain=True), ensure_ascii=False) if args.explain
                  else normalizer.normalize(text))
    else:
        normalizer = Normalizer(args.table)
        with open(args.texts, encoding="utf-8") as texts, open(args.out, "w", encoding="utf-8") as out:
            for line in texts:
                text = line.rstrip("\n")
                out.write(json.dumps({"text": text, "normalized": normalizer.normalize(text)}, ensure_ascii=False))
                out.write("\n")


if __name__ == "__main__":
    main()
