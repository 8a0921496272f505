#!/usr/bin/env python3
"""Probes the reference tokenizers' character handling for every Unicode scalar value.

Writes lines in the format of tests/text/unicode_table_dump.cpp:
    <cp hex> <flavor hf|slow> <clean C|W|-> <punct P|-> <cjk J|-> <nfd> <strip> <lower> <nfkd> <ccc S|-> <mark M|->
    <word W|-> <grapheme E|->
  hf   = Hugging Face `tokenizers` (Rust): BertNormalizer steps one at a time, BertPreTokenizer, NFD normalizer;
         for the Unigram-family normalizers also NFKD, whether the character (its NFD's first character) is a
         non-starter that canonical ordering moves in front of U+0345 (combining class 1..239), and whether
         StripAccents removes it (a combining mark); and whether it is a word character for single_word added
         tokens (Rust regex \w: a single_word token right after it does not match); whether it continues an
         extended grapheme cluster after "q" (a Precompiled charsmap mapping "q" replaces the whole cluster).
  slow = transformers' Python BertTokenizer (BasicTokenizer helpers, CPython unicodedata); "=" in the last five.

Modes:
  probe_unicode.py reference OUT            write the reference table
  probe_unicode.py compare REF OURS         print differences, exit 1 if any
  probe_unicode.py generate REF BASE CPP    write src/text/unicode_overrides.cpp from the differences between
                                            the reference and our table built without overrides (BASE)
"""
import sys


def hexs(s):
    return "+".join("%X" % ord(c) for c in s) if s else "_"


def reference(out_path):
    from tokenizers import normalizers, pre_tokenizers
    from transformers.models.bert.tokenization_bert import (BasicTokenizer, _is_control, _is_punctuation,
                                                           _is_whitespace)

    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False,
                                       lowercase=False)
    cjk = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False,
                                     lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True,
                                       lowercase=False)
    lower = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False,
                                       lowercase=True)
    nfd = normalizers.NFD()
    nfkd = normalizers.NFKD()
    strip_marks = normalizers.StripAccents()
    from tokenizers import AddedToken, Tokenizer, models
    words = Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    words.add_tokens([AddedToken("Z", single_word=True)])
    import charsmap
    cluster = normalizers.Precompiled(charsmap.build({"q": "Q"}))
    pre = pre_tokenizers.BertPreTokenizer()
    basic = BasicTokenizer(do_lower_case=False)
    with open(out_path, "w", encoding="ascii") as out:
        for cp in range(0x110000):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = chr(cp)
            # hf
            r = clean.normalize_str("a" + c + "b")
            cl = "C" if r == "ab" else ("W" if r == "a b" else "-")
            pieces = pre.pre_tokenize_str("a" + c + "b")
            pu = "P" if len(pieces) == 3 else "-"
            cj = "J" if cjk.normalize_str(c) == " " + c + " " else "-"
            moved = nfd.normalize_str("\u0345" + c) != "\u0345" + nfd.normalize_str(c)
            mark = strip_marks.normalize_str("a" + c + "b") == "ab"
            word = 1 not in words.encode(c + "Z").ids
            extends = cluster.normalize_str("q" + c) == "Q"
            out.write("%X hf %s %s %s %s %s %s %s %s %s %s %s\n" % (
                cp, cl, pu, cj, hexs(nfd.normalize_str(c)), hexs(strip.normalize_str(c)), hexs(lower.normalize_str(c)),
                hexs(nfkd.normalize_str(c)), "S" if moved else "-", "M" if mark else "-", "W" if word else "-",
                "E" if extends else "-"))
            # slow
            cl = "C" if (cp == 0 or cp == 0xFFFD or _is_control(c)) else ("W" if _is_whitespace(c) else "-")
            pu = "P" if _is_punctuation(c) else "-"
            cj = "J" if basic._is_chinese_char(cp) else "-"
            import unicodedata
            out.write("%X slow %s %s %s %s %s %s = = = = =\n" % (cp, cl, pu, cj, hexs(unicodedata.normalize("NFD", c)),
                                                             hexs(basic._run_strip_accents(c)), hexs(c.lower())))


def load(path):
    table = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            table[(int(parts[0], 16), parts[1])] = parts[2:]
    return table


FIELDS = ["clean", "punct", "cjk", "nfd", "strip", "lower", "nfkd", "ccc", "mark", "word", "grapheme"]


def compare(ref_path, ours_path):
    ref, ours = load(ref_path), load(ours_path)
    bad = 0
    for key in sorted(ref):
        if ref[key] != ours.get(key):
            bad += 1
            if bad <= 40:
                diffs = [f"{FIELDS[i]} ref={a} ours={b}" for i, (a, b) in enumerate(zip(ref[key], ours.get(key, ["?"] * len(FIELDS))))
                         if a != b]
                print("U+%04X %s: %s" % (key[0], key[1], "; ".join(diffs)))
    print(f"{len(ref) - bad} of {len(ref)} (code point, flavor) rows identical, {bad} differ")
    return 1 if bad else 0


def ranges(cps):
    out = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def generate(ref_path, base_path, cpp_path):
    ref, base = load(ref_path), load(base_path)
    tables = {}
    for flavor in ("hf", "slow"):
        control, punct, mn, lower, nfd = set(), set(), set(), {}, {}
        ccc_zero, nfkd, marks, words, extend = set(), {}, set(), set(), set()
        for (cp, fl), r in ref.items():
            if fl != flavor:
                continue
            b = base[(cp, fl)]
            if r[0] != b[0]:
                if "W" in (r[0], b[0]):
                    sys.exit(f"U+{cp:04X} {flavor}: whitespace differs (ref {r[0]}, ours {b[0]}); fix the code, not a table")
                control.add(cp)
            if r[1] != b[1]:
                punct.add(cp)
            if r[2] != b[2]:
                sys.exit(f"U+{cp:04X} {flavor}: CJK range differs; fix IsCjk")
            if r[3] != b[3]:
                nfd[cp] = r[3]
            # A character that does not decompose (per the reference) is a nonspacing mark iff stripping drops it.
            if r[3] == "%X" % cp:
                ours_mn = b[4] == "_" and b[3] == "%X" % cp
                if (r[4] == "_") != ours_mn:
                    mn.add(cp)
            if r[5] != b[5]:
                lower[cp] = r[5]
            if r[6] != b[6]:
                nfkd[cp] = r[6]
            if r[7] != b[7]:
                if r[7] == "S":
                    sys.exit(f"U+{cp:04X}: the reference reorders it, utf8proc's combining class 0 does not; fix the code")
                ccc_zero.add(cp)
            if r[8] != b[8]:
                marks.add(cp)
            if r[9] != b[9]:
                words.add(cp)
            if r[10] != b[10]:
                extend.add(cp)
        tables[flavor] = (ranges(control), ranges(punct), ranges(mn), lower, nfd, ranges(ccc_zero), nfkd, ranges(marks),
                          ranges(words), ranges(extend))

    def range_array(name, rs):
        body = ",\n".join("    {0x%X, 0x%X}" % (lo, hi) for lo, hi in rs)
        return f"constexpr CodeRange {name}[] = {{\n{body}\n}};\n" if rs else f"constexpr std::span<const CodeRange> {name};\n"

    def map_array(name, m):
        rows = []
        for cp in sorted(m):
            to = [] if m[cp] == "_" else [int(x, 16) for x in m[cp].split("+")]
            if len(to) > 3:
                sys.exit(f"U+{cp:04X}: mapping longer than 3 code points")
            rows.append("    {0x%X, {%s}}" % (cp, ", ".join("0x%X" % t for t in to + [0])))
        return (f"constexpr CodeMapping {name}[] = {{\n" + ",\n".join(rows) + "\n};\n") if rows else \
            f"constexpr std::span<const CodeMapping> {name};\n"

    parts = ["// Generated by tools/tokenizer/probe_unicode.py (tokenizers 0.20.3, transformers 4.46.3 on CPython",
             "// 3.11 vs utf8proc); do not edit by hand. See docs/tokenizer.md#unicode.",
             "// One table entry per line, as generated:",
             "// clang-format off",
             '#include "unicode_overrides.h"', "", "namespace fastintent::text::detail {", "namespace {", ""]
    for flavor, prefix in (("hf", "kHf"), ("slow", "kSlow")):
        control, punct, mn, lower, nfd, ccc_zero, nfkd, marks, words, extend = tables[flavor]
        parts.append(range_array(prefix + "ControlFlip", control))
        parts.append(range_array(prefix + "PunctuationFlip", punct))
        parts.append(range_array(prefix + "NonspacingMarkFlip", mn))
        parts.append(map_array(prefix + "Lowercase", lower))
        parts.append(map_array(prefix + "Decomposition", nfd))
        parts.append(range_array(prefix + "CombiningClassZero", ccc_zero))
        parts.append(map_array(prefix + "CompatDecomposition", nfkd))
        parts.append(range_array(prefix + "CombiningMarkFlip", marks))
        parts.append(range_array(prefix + "RegexWordFlip", words))
        parts.append(range_array(prefix + "GraphemeExtendFlip", extend))
    parts += ["}  // namespace", ""]
    for fn, prefix in (("HfTokenizersOverrides", "kHf"), ("TransformersSlowOverrides", "kSlow")):
        parts += [f"const FlavorOverrides& {fn}() {{",
                  f"  static const FlavorOverrides overrides{{{prefix}ControlFlip, {prefix}PunctuationFlip, "
                  f"{prefix}NonspacingMarkFlip, {prefix}Lowercase, {prefix}Decomposition, {prefix}CombiningClassZero, "
                  f"{prefix}CompatDecomposition, {prefix}CombiningMarkFlip, {prefix}RegexWordFlip, "
                  f"{prefix}GraphemeExtendFlip}};",
                  "  return overrides;", "}", ""]
    parts += ["}  // namespace fastintent::text::detail", ""]
    with open(cpp_path, "w", encoding="ascii") as f:
        f.write("\n".join(parts))
    for flavor in ("hf", "slow"):
        c, p, m, lo, nf, cz, nk, mk, wd, ge = tables[flavor]
        print(f"{flavor}: control {len(c)} ranges, punctuation {len(p)}, Mn {len(m)}, lowercase {len(lo)} maps, "
              f"NFD {len(nf)} maps, combining class 0 {len(cz)} ranges, NFKD {len(nk)} maps, marks {len(mk)} ranges, "
              f"regex word {len(wd)} ranges, grapheme extend {len(ge)} ranges")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "reference" and len(sys.argv) == 3:
        reference(sys.argv[2])
    elif mode == "compare" and len(sys.argv) == 4:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    elif mode == "generate" and len(sys.argv) == 5:
        generate(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
