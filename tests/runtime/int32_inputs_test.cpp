// A graph whose text inputs are int32 (made from the BERT fixture by tools/fixtures/make_int32_variant.py into
// the build directory, path in FASTINTENT_RUNTIME_INT32_MODEL) gives the same logits as the int64 original:
// the element type is read from the session and the ids are narrowed for it.
#include <gtest/gtest.h>

#include <cstdlib>

#include "fastintent/runtime/classifier.h"
#include "fixture_paths.h"
#include "reference_logits.h"

namespace fastintent::runtime {
namespace {

TEST(Int32Inputs, SameLogitsAsInt64Graph) {
  const char* file = std::getenv("FASTINTENT_RUNTIME_INT32_MODEL");
  ASSERT_NE(file, nullptr) << "set FASTINTENT_RUNTIME_INT32_MODEL to the file make_int32_variant.py wrote";
  const auto dir = testing::FixtureRoot() / "bert";
  const auto reference = testing::ReadReference(testing::FixtureRoot() / "reference.json");
  ClassifierOptions options;
  options.model_file = file;
  const auto narrow = Classifier::Load(dir, options)->Logits(reference.texts);
  const auto wide = Classifier::Load(dir)->Logits(reference.texts);
  float worst = 0.0f;
  for (std::size_t i = 0; i < reference.texts.size(); ++i) {
    worst = std::max(worst, testing::MaxAbsDiff(narrow[i], wide[i]));
  }
  EXPECT_LE(worst, 1e-5f);
}

}  // namespace
}  // namespace fastintent::runtime
