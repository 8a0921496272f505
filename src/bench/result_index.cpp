#include "result_index.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fastintent::bench::detail {
namespace {

constexpr const char* kRubertBase = "rubert-base-cased";

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

bool IsPyTorch(const std::string& runtime) { return runtime.rfind("pytorch", 0) == 0; }
bool IsInt8(const std::string& runtime) { return runtime.find("int8") != std::string::npos; }

const CellResult* FindCell(const std::vector<CellResult>& cells, int figure, const std::string& model,
                           const std::string& runtime, Padding padding, std::size_t batch, std::size_t max_length) {
  for (const auto& c : cells) {
    if (c.figure == figure && c.model == model && c.runtime == runtime && c.padding == padding && c.batch == batch &&
        c.max_length == max_length) {
      return &c;
    }
  }
  return nullptr;
}

std::vector<std::string> Models(const std::vector<CellResult>& cells, int figure) {
  std::vector<std::string> out;
  for (const auto& c : cells)
    if (c.figure == figure) AddUnique(out, c.model);
  return out;
}

std::vector<std::string> Runtimes(const std::vector<CellResult>& cells, int figure) {
  std::vector<std::string> out;
  for (const auto& c : cells)
    if (c.figure == figure) AddUnique(out, c.runtime);
  return out;
}

std::vector<Speedup> ComputeSpeedups(const std::vector<CellResult>& cells, const ArticleRatios& article) {
  std::vector<Speedup> out;
  auto ratio = [](const CellResult* slow, const CellResult* fast) -> std::optional<double> {
    if (!slow || !fast || fast->total_ms.mean <= 0) return std::nullopt;
    return slow->total_ms.mean / fast->total_ms.mean;
  };

  // Figure 4: per model, batch 1, the article's padding.
  for (const auto& model : Models(cells, 4)) {
    const bool base = model == kRubertBase;
    const std::string scope = "Figure 4 " + model;
    auto cell = [&](const std::string& runtime, Padding padding) {
      for (const auto& c : cells)
        if (c.figure == 4 && c.model == model && c.runtime == runtime && c.padding == padding) return &c;
      return static_cast<const CellResult*>(nullptr);
    };
    const CellResult* fp32 = cell("ort-fp32", Padding::kMaxLength);
    // Our C++ engine and the article's own Python ORT call (Listing 5), each over PyTorch.
    for (const auto& runtime : Runtimes(cells, 4)) {
      if (!IsPyTorch(runtime)) continue;
      for (const std::string ort : {"ort-fp32", "python-ort-fp32"}) {
        if (auto r = ratio(cell(runtime, Padding::kMaxLength), cell(ort, Padding::kMaxLength))) {
          out.push_back({scope, ort + " over " + runtime, *r,
                         base ? article.ort_over_pytorch_rubert_base : article.ort_over_pytorch_small_lo,
                         base ? article.ort_over_pytorch_rubert_base : article.ort_over_pytorch_small_hi});
        }
      }
    }
    if (auto r = ratio(cell("python-ort-fp32", Padding::kMaxLength), fp32)) {
      out.push_back(
          {scope, "ort-fp32 (fastintent C++) over python-ort-fp32 (Listing 5)", *r, std::nullopt, std::nullopt});
    }
    for (const auto& [runtime, label] :
         {std::pair<std::string, std::string>{"ort-int8", "ORT INT8 (ours) over ORT fp32"},
          {"ort-int8-reference", "ORT INT8 (quantize_dynamic) over ORT fp32"}}) {
      if (auto r = ratio(fp32, cell(runtime, Padding::kMaxLength))) {
        out.push_back({scope, label, *r, base ? article.int8_over_fp32_rubert_base : article.int8_over_fp32_small_lo,
                       base ? article.int8_over_fp32_rubert_base : article.int8_over_fp32_small_hi});
      }
    }
    if (auto r = ratio(cell("ort-int8-reference", Padding::kMaxLength), cell("ort-int8", Padding::kMaxLength))) {
      out.push_back({scope, "ORT INT8 (ours) over ORT INT8 (quantize_dynamic)", *r, std::nullopt, std::nullopt});
    }
    for (const auto& runtime : Runtimes(cells, 4)) {
      if (auto r = ratio(cell(runtime, Padding::kMaxLength), cell(runtime, Padding::kLongest))) {
        out.push_back({scope, runtime + ": pad to longest over pad to max_length", *r, std::nullopt, std::nullopt});
      }
    }
  }

  // Figures 5 and 6: INT8 over fp32 summarized by the geometric mean over the sweep, and the range.
  for (int figure : {5, 6}) {
    for (const auto& model : Models(cells, figure)) {
      for (const std::string int8 : {"ort-int8", "ort-int8-reference"}) {
        double log_sum = 0.0, lo = 1e300, hi = 0.0;
        int n = 0;
        for (const auto& c : cells) {
          if (c.figure != figure || c.model != model || c.runtime != "ort-fp32" || c.padding != Padding::kMaxLength)
            continue;
          if (auto r = ratio(&c, FindCell(cells, figure, model, int8, c.padding, c.batch, c.max_length))) {
            log_sum += std::log(*r);
            lo = std::min(lo, *r);
            hi = std::max(hi, *r);
            ++n;
          }
        }
        if (n == 0) continue;
        const std::string over = figure == 5 ? "batch sizes" : "sequence lengths";
        char range[64];
        std::snprintf(range, sizeof range, " (range %.2f-%.2f)", lo, hi);
        std::optional<double> article_value;
        if (figure == 6) article_value = article.int8_over_fp32_by_length;
        out.push_back(
            {"Figure " + std::to_string(figure) + " " + model + ", geometric mean over " + over + range,
             int8 == "ort-int8" ? "ORT INT8 (ours) over ORT fp32" : "ORT INT8 (quantize_dynamic) over ORT fp32",
             std::exp(log_sum / n), article_value, article_value});
      }
    }
  }
  return out;
}

}  // namespace fastintent::bench::detail
