// The real all-MiniLM-L6-v2 encoder with a seeded random head, exported by tools/fixtures/export_minilm.py
// into the build directory (ctest fixture): logits within 1e-4 of transformers'. The directory comes from
// FASTINTENT_RUNTIME_REAL_MODEL (set by tests/runtime/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "fastintent/runtime/classifier.h"
#include "reference_logits.h"

namespace fastintent::runtime {
namespace {

TEST(RealMiniLM, LogitsMatchTransformers) {
  const char* dir = std::getenv("FASTINTENT_RUNTIME_REAL_MODEL");
  ASSERT_NE(dir, nullptr) << "set FASTINTENT_RUNTIME_REAL_MODEL to the directory export_minilm.py wrote";
  const auto reference = testing::ReadReference(std::filesystem::path(dir) / "reference.json");
  const auto& expected = reference.models.at("minilm");
  ClassifierOptions options;
  options.max_length = 128;  // the truncation the reference used
  const auto classifier = Classifier::Load(dir, options);
  ASSERT_EQ(classifier->info().labels.size(), 26u);
  const auto logits = classifier->Logits(reference.texts);
  float worst = 0.0f;
  for (std::size_t i = 0; i < reference.texts.size(); ++i) {
    EXPECT_EQ(classifier->Prepare(reference.texts[i]).ids, expected.ids[i]) << "text " << i;
    worst = std::max(worst, testing::MaxAbsDiff(logits[i], expected.logits[i]));
  }
  std::printf("all-MiniLM-L6-v2: max |logit - transformers| = %.3g over %zu texts\n", worst, reference.texts.size());
  EXPECT_LE(worst, 1e-4f);
}

}  // namespace
}  // namespace fastintent::runtime
