"""fastintent: the C++ intent classifier and its Hugging Face-exact tokenizer, from Python.

    import fastintent
    classifier = fastintent.Classifier("models/telecom-ru")
    classifier.predict(["хочу сменить тариф"], top_k=3)

Everything runs in C++ (fastintent._core) with the GIL released; see docs/python.md.
"""
from ._core import Classifier, Encoding, ModelInfo, Prediction, Tokenizer, __version__

__all__ = ["Classifier", "Encoding", "ModelInfo", "Prediction", "Tokenizer", "__version__"]
