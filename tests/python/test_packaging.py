"""The installed wheel is self-contained: the module loads the ONNX Runtime and utf8proc libraries shipped beside it
(never another copy on the system), and carries type stubs."""
import pathlib
import subprocess
import sys

import fastintent
from conftest import BERT_FIXTURE

PACKAGE = pathlib.Path(fastintent.__file__).resolve().parent


def test_the_module_loads_the_libraries_shipped_beside_it():
    code = (
        "import fastintent\n"
        f"fastintent.Classifier({str(BERT_FIXTURE)!r}).predict('hi')\n"  # ONNX Runtime is loaded and running
        "print(open('/proc/self/maps').read())\n")
    maps = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {fields[5] for fields in (line.split() for line in maps.splitlines()) if len(fields) >= 6}
    for name in ("libonnxruntime.so.1", "libutf8proc.so.2"):
        paths = {pathlib.Path(p).resolve() for p in loaded if pathlib.Path(p).name.startswith(name)}
        assert paths == {PACKAGE / name}, f"{name} loaded from {paths}, expected only {PACKAGE / name}"


def test_type_stubs_are_installed():
    stub = (PACKAGE / "_core.pyi").read_text(encoding="utf-8")
    assert (PACKAGE / "py.typed").exists()
    for line in ("class Tokenizer:", "class Classifier:",
                 "def predict(self, texts: str | Iterable[str], top_k: int = 1) -> list[Prediction]:"):
        assert line in stub


def test_version_is_the_projects():
    cmake = (pathlib.Path(__file__).resolve().parents[2] / "CMakeLists.txt").read_text(encoding="utf-8")
    assert f"project(fastintent VERSION {fastintent.__version__} " in cmake
