"""fastintent.Tokenizer against Hugging Face `tokenizers` (the reference, never ourselves) on the parity corpus
(tests/text/corpus): ids, type ids, attention mask, tokens and character offsets, for single texts and pairs,
with no truncation, truncation to 32 and the settings saved in tokenizer.json."""
import pytest

import fastintent
from conftest import TOKENIZERS, read_corpus_lines

tokenizers = pytest.importorskip("tokenizers")

NAMES = ["rubert-tiny2", "all-MiniLM-L6-v2"]
SINGLE_FILES = ["ru_phrases.txt", "banking77.txt", "edge_cases.txt", "random_unicode.txt", "invalid_utf8.txt",
                "long.txt"]
SETTINGS = ["none", "max32", "saved"]


def reference_tokenizer(name, setting):
    """HF tokenizers set up as tools/tokenizer/make_goldens.py sets it up for the C++ parity test."""
    tok = tokenizers.Tokenizer.from_file(str(TOKENIZERS / name / "tokenizer.json"))
    if setting == "none":
        tok.no_truncation()
        tok.no_padding()
    elif setting == "max32":
        tok.enable_truncation(32)
        tok.no_padding()
    return tok


def our_options(setting):
    return {"none": {"truncation": False, "padding": False},
            "max32": {"max_length": 32, "padding": False},
            "saved": {}}[setting]


def both(name, setting):
    """Our tokenizer, the reference and our encode options for one tokenizer and setting."""
    return fastintent.Tokenizer(TOKENIZERS / name), reference_tokenizer(name, setting), our_options(setting)


def fields(encoding):
    return (encoding.ids, encoding.type_ids, encoding.attention_mask, encoding.tokens,
            [tuple(o) for o in encoding.offsets])


def compare(label, pairs_of_encodings):
    mismatches = []
    count = 0
    for key, ours, theirs in pairs_of_encodings:
        count += 1
        if fields(ours) != fields(theirs):
            mismatches.append((key, fields(ours), fields(theirs)))
    assert not mismatches, f"{label}: {len(mismatches)} of {count} differ; first: {mismatches[0]}"
    return count


@pytest.fixture(scope="module")
def corpus():
    return {name: read_corpus_lines(name) for name in SINGLE_FILES + ["pairs.txt"]}


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("name", NAMES)
def test_single_texts_equal_hf(name, setting, corpus):
    ours, theirs, options = both(name, setting)
    assert fastintent.Tokenizer.from_file(TOKENIZERS / name).vocab_size == ours.vocab_size
    total = 0
    for file in SINGLE_FILES:
        texts = corpus[file]
        total += compare(f"{name}/{setting}/{file}",
                         ((text, ours.encode(text, **options), theirs.encode(text)) for text in texts))
    assert total > 25000


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("name", NAMES)
def test_pairs_equal_hf(name, setting, corpus):
    ours, theirs, options = both(name, setting)
    lines = corpus["pairs.txt"]
    pairs = list(zip(lines[0::2], lines[1::2]))
    assert len(pairs) == 1504
    compare(f"{name}/{setting}/pairs",
            ((pair, ours.encode(pair[0], pair[1], **options), theirs.encode(pair[0], pair[1])) for pair in pairs))


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("name", NAMES)
def test_encode_batch_equals_hf(name, setting, corpus):
    """A batch pads to its longest text where the saved padding says so (rubert-tiny2), or to 128 (MiniLM)."""
    ours, theirs, options = both(name, setting)
    texts = corpus["ru_phrases.txt"][:2000] + corpus["long.txt"]
    for start in range(0, len(texts), 97):
        chunk = texts[start:start + 97]
        compare(f"{name}/{setting}/batch@{start}",
                zip(range(len(chunk)), ours.encode_batch(chunk, **options), theirs.encode_batch(chunk)))
    chunk = texts[:300]
    compare(f"{name}/{setting}/batch on 2 threads",
            zip(range(len(chunk)), ours.encode_batch(chunk, threads=2, **options), theirs.encode_batch(chunk)))


@pytest.mark.parametrize("name", NAMES)
def test_options_equal_hf(name):
    ours = fastintent.Tokenizer(TOKENIZERS / name)
    text = "Хочу сменить тариф на «Безлимит», а интернет не работает!"
    theirs = reference_tokenizer(name, "none")
    compare("no special tokens", [(text, ours.encode(text, add_special_tokens=False, truncation=False, padding=False),
                                   theirs.encode(text, add_special_tokens=False))])
    theirs.enable_padding(length=40, pad_id=ours.pad_id, pad_token=ours.id_to_token(ours.pad_id))
    compare("pad to max_length 40", [(text, ours.encode(text, max_length=40, truncation=False, padding="max_length"),
                                      theirs.encode(text))])
    theirs = reference_tokenizer(name, "none")
    theirs.enable_padding(pad_to_multiple_of=8, pad_id=ours.pad_id, pad_token=ours.id_to_token(ours.pad_id))
    compare("pad to a multiple of 8", [(text, ours.encode(text, truncation=False, padding=True, pad_to_multiple_of=8),
                                        theirs.encode(text))])


@pytest.mark.parametrize("name", NAMES)
def test_vocabulary_lookups_equal_hf(name):
    ours = fastintent.Tokenizer(TOKENIZERS / name)
    theirs = reference_tokenizer(name, "saved")
    assert ours.vocab_size == theirs.get_vocab_size(with_added_tokens=True)
    for token in ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "тариф", "##ть", "hello", "no-such-token-here"]:
        assert ours.token_to_id(token) == theirs.token_to_id(token), token
    for token_id in [0, 1, 2, 100, 1000, ours.vocab_size - 1]:
        assert ours.id_to_token(token_id) == theirs.id_to_token(token_id), token_id
    assert ours.id_to_token(ours.vocab_size + 10) is None and ours.id_to_token(-1) is None


def test_saved_settings_and_repr():
    minilm = fastintent.Tokenizer(TOKENIZERS / "all-MiniLM-L6-v2")
    assert minilm.saved_max_length == 128
    encoding = minilm.encode("hello world")
    assert len(encoding) == 128 and encoding.attention_mask.count(1) == 4  # saved padding to 128
    assert repr(encoding).startswith("Encoding(num_tokens=128, ids=[101, 7592, 2088, 102, 0, 0, 0, 0, ...]")
    assert encoding.truncated is False
    assert minilm.encode("word " * 200).truncated is True
    assert repr(minilm).startswith("Tokenizer(vocab_size=")
