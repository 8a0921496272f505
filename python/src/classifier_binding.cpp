// fastintent.Classifier, Prediction and ModelInfo: runtime::Classifier (an ONNX model directory or the n-gram
// baseline, picked from config.json as `fastintent predict` does). Loading, tokenization and inference run with
// the GIL released, so Python threads that share one Classifier run in parallel.
#include <Python.h>
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "bindings.h"
#include "fastintent/runtime/classifier.h"
#include "text_arguments.h"

namespace fastintent::python {
namespace {

using namespace nb::literals;

struct PyClassifier {
  std::shared_ptr<const runtime::Classifier> classifier;
};

std::size_t Positive(long long value, const char* argument) {
  if (value < 1) {
    throw nb::value_error((std::string(argument) + ": got " + std::to_string(value) + ", expected 1 or more").c_str());
  }
  return static_cast<std::size_t>(value);
}

void Init(PyClassifier* self, const std::filesystem::path& model_dir, bool quantized, int threads,
          std::optional<long long> max_length, long long batch_size, std::optional<std::filesystem::path> model_file) {
  runtime::ClassifierOptions options;
  options.quantized = quantized;
  options.intra_op_threads = threads;  // negative: the engine refuses it with its message
  if (max_length) {
    if (*max_length < 0) {
      throw nb::value_error(
          ("max_length: got " + std::to_string(*max_length) + ", expected a token count or None").c_str());
    }
    options.max_length = static_cast<std::size_t>(*max_length);
  }
  options.max_batch_size = Positive(batch_size, "batch_size");
  options.model_file = std::move(model_file);
  std::shared_ptr<const runtime::Classifier> classifier;
  {
    nb::gil_scoped_release release;
    classifier = runtime::Classifier::Load(model_dir, options);
  }
  new (self) PyClassifier{std::move(classifier)};
}

// A list with one Prediction per text, in input order (a lone str gives a list of one, as transformers'
// text-classification pipeline does).
std::vector<runtime::Prediction> Predict(const PyClassifier& self, nb::handle texts, long long top_k) {
  const std::size_t k = Positive(top_k, "top_k");
  const TextBatch batch = ReadTexts(texts, "texts");
  nb::gil_scoped_release release;
  return self.classifier->Classify(batch.utf8, k);
}

bool NumpyAvailable() {
  try {
    nb::module_::import_("numpy");
    return true;
  } catch (nb::python_error& error) {
    if (error.matches(PyExc_ImportError)) return false;
    throw;
  }
}

// Raw scores [texts][labels]: a float32 numpy array when numpy imports, else a list of lists of float.
nb::object Logits(const PyClassifier& self, nb::handle texts) {
  const TextBatch batch = ReadTexts(texts, "texts");
  std::vector<std::vector<float>> rows;
  {
    nb::gil_scoped_release release;
    rows = self.classifier->Logits(batch.utf8);
  }
  if (!NumpyAvailable()) return nb::cast(rows);
  const std::size_t columns = self.classifier->info().labels.size();
  auto data = std::make_unique<float[]>(std::max<std::size_t>(1, rows.size() * columns));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != columns) {
      throw std::runtime_error("logits: row " + std::to_string(i) + " has " + std::to_string(rows[i].size()) +
                               " scores, expected " + std::to_string(columns) + " (one per label)");
    }
    std::copy(rows[i].begin(), rows[i].end(), data.get() + i * columns);
  }
  float* raw = data.release();
  nb::capsule owner(raw, [](void* p) noexcept { delete[] static_cast<float*>(p); });
  return nb::cast(nb::ndarray<nb::numpy, float, nb::ndim<2>>(raw, {rows.size(), columns}, owner));
}

std::string FormatScore(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", score);
  return buffer;
}

std::string PyRepr(const std::string& value) { return nb::cast<std::string>(nb::repr(nb::str(value.c_str()))); }

nb::typed<nb::list, std::tuple<std::string, float>> TopList(const runtime::Prediction& prediction) {
  nb::typed<nb::list, std::tuple<std::string, float>> out;
  for (const auto& entry : prediction.top) out.append(nb::make_tuple(entry.label, entry.score));
  return out;
}

nb::typed<nb::list, std::tuple<std::string, float>> LabelsList(const runtime::Prediction& prediction) {
  nb::typed<nb::list, std::tuple<std::string, float>> out;
  for (const auto& entry : prediction.labels) out.append(nb::make_tuple(entry.label, entry.score));
  return out;
}

nb::list LabelScoreDicts(const std::vector<runtime::LabelScore>& entries) {
  nb::list out;
  for (const auto& entry : entries) {
    nb::dict item;
    item["label"] = entry.label;
    item["score"] = entry.score;
    out.append(item);
  }
  return out;
}

// The shape of `fastintent predict`'s JSON lines (without the text): label, score, top [{label, score}], fallback,
// truncated, and labels [{label, score}] when the model is multi-label (`multi_label`).
nb::typed<nb::dict, std::string, nb::object> PredictionDict(const runtime::Prediction& prediction, bool multi_label) {
  nb::typed<nb::dict, std::string, nb::object> out;
  out["label"] = prediction.label;
  out["score"] = prediction.score;
  out["top"] = LabelScoreDicts(prediction.top);
  if (multi_label) out["labels"] = LabelScoreDicts(prediction.labels);
  out["fallback"] = prediction.fallback;
  out["truncated"] = prediction.truncated;
  return out;
}

}  // namespace

void BindClassifier(nb::module_& module) {
  nb::class_<runtime::Prediction>(module, "Prediction", "The result for one text.")
      .def_ro("label", &runtime::Prediction::label, "The top label.")
      .def_ro("score", &runtime::Prediction::score,
              "Its probability: softmax (sigmoid for a multi-label model) of the logits over the model's temperature.")
      .def_prop_ro("top", &TopList, "The top_k (label, score) pairs, best first.")
      .def_prop_ro("labels", &LabelsList,
                   "Multi-label models: every (label, score) over its threshold, best first; else empty.")
      .def_ro("fallback", &runtime::Prediction::fallback,
              "The model's hand-off policy sends this text to an operator (threshold or top-2 margin).")
      .def_ro("truncated", &runtime::Prediction::truncated, "Whether the text was cut to max_length tokens.")
      .def("to_dict", &PredictionDict, "multi_label"_a = false,
           "{'label', 'score', 'top': [{'label', 'score'}], 'fallback', 'truncated'} (and 'labels' with "
           "multi_label=True), as the CLI prints.")
      .def("__repr__", [](const runtime::Prediction& self) {
        return "Prediction(label=" + PyRepr(self.label) + ", score=" + FormatScore(self.score) +
               ", truncated=" + (self.truncated ? "True" : "False") + ")";
      });

  nb::class_<runtime::ModelInfo>(module, "ModelInfo", "What was loaded.")
      .def_ro("name", &runtime::ModelInfo::name)
      .def_ro("labels", &runtime::ModelInfo::labels, "Label names; index = class id.")
      .def_ro("max_length", &runtime::ModelInfo::max_length, "Token limit, special tokens included; 0 = none.")
      .def_ro("quantized", &runtime::ModelInfo::quantized)
      .def_ro("version", &runtime::ModelInfo::version, "Content hash of the model files (12 hex digits).")
      .def_ro("model_file", &runtime::ModelInfo::model_file)
      .def_ro("fallback_threshold", &runtime::ModelInfo::fallback_threshold,
              "The hand-off threshold (config.json's fallback_threshold), or None.")
      .def_ro("fallback_margin", &runtime::ModelInfo::fallback_margin,
              "config.json's fastintent_fallback_margin: top two scores closer than it hand over; or None.")
      .def_ro("temperature", &runtime::ModelInfo::temperature,
              "The fitted temperature the scores use (config.json's fastintent_temperature), or None.")
      .def_ro("multi_label", &runtime::ModelInfo::multi_label,
              "config.json's problem_type is multi_label_classification: a sigmoid per label.")
      .def_ro("text_normalizer", &runtime::ModelInfo::text_normalizer,
              "The model directory has text_normalizer.json: wrong-layout / transliterated Russian is read as "
              "Cyrillic before the model (docs/normalizer.md).")
      .def_ro("input_names", &runtime::ModelInfo::input_names)
      .def_ro("output_name", &runtime::ModelInfo::output_name)
      .def_ro("input_prefix", &runtime::ModelInfo::input_prefix,
              "config.json's fastintent_input_prefix, put before every text by predict and logits (\"\" = none).")
      .def("__repr__", [](const runtime::ModelInfo& self) {
        return "ModelInfo(name=" + PyRepr(self.name) + ", labels=" + std::to_string(self.labels.size()) +
               ", max_length=" + std::to_string(self.max_length) +
               ", quantized=" + (self.quantized ? "True" : "False") + ", version=" + PyRepr(self.version) + ")";
      });

  nb::class_<PyClassifier>(module, "Classifier",
                           "An intent classifier over a model directory: ONNX (model.onnx, or model_quantized.onnx "
                           "with quantized=True) or the n-gram baseline. threads: ONNX Runtime threads per call "
                           "(0 = all cores). Thread-safe: share one Classifier between threads; calls release the GIL.")
      .def("__init__", &Init, "model_dir"_a, "quantized"_a = false, "threads"_a = 1,
           nb::arg("max_length").none() = nb::none(), nb::kw_only(), "batch_size"_a = 32,
           nb::arg("model_file").none() = nb::none())
      .def("predict", &Predict,
           nb::sig("def predict(self, texts: str | typing.Iterable[str], top_k: int = 1) -> list[Prediction]"),
           "texts"_a, "top_k"_a = 1, "Classify a text or a list of texts; returns one Prediction per text, in order.")
      .def("logits", &Logits,
           nb::sig("def logits(self, texts: str | typing.Iterable[str]) -> numpy.typing.NDArray[numpy.float32] | "
                   "list[list[float]]"),
           "texts"_a,
           "Raw scores [texts][labels] (log-probabilities for the n-gram model): a float32 numpy array when numpy "
           "is installed, else a list of lists.")
      .def_prop_ro(
          "info", [](const PyClassifier& self) -> const runtime::ModelInfo& { return self.classifier->info(); },
          nb::rv_policy::reference_internal)
      .def("__repr__", [](const PyClassifier& self) {
        const runtime::ModelInfo& info = self.classifier->info();
        return "Classifier(name=" + PyRepr(info.name) + ", labels=" + std::to_string(info.labels.size()) +
               ", quantized=" + (info.quantized ? "True" : "False") + ")";
      });
}

}  // namespace fastintent::python
