"""The one text preparation fastText gets, in training and in prediction alike: lower case, punctuation split
off as its own tokens, whitespace collapsed (fastText reads whitespace-separated tokens, one example per line)."""
import re

_PUNCTUATION = re.compile(r"([^\w\s])")
_SPACES = re.compile(r"\s+")


def prepare(text: str) -> str:
    return _SPACES.sub(" ", _PUNCTUATION.sub(r" \1 ", text.lower())).strip()
