// FeatureSpace against scikit-learn's TfidfVectorizer: same vocabulary sizes; for every probe text the
// same non-zero terms with values equal to 1e-9 (tools/data/reference_ngram.py features).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tfidf.h"

namespace fastintent::ngram::detail {
namespace {

TEST(TfidfParity, MatchesScikitLearn) {
  const char* path = std::getenv("FASTINTENT_NGRAM_FEATURES_REFERENCE");
  ASSERT_NE(path, nullptr) << "FASTINTENT_NGRAM_FEATURES_REFERENCE is not set (run through ctest)";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  const auto reference = nlohmann::json::parse(in);

  const auto space = FeatureSpace::Fit(reference["fit_texts"].get<std::vector<std::string>>(), NgramOptions{});
  EXPECT_EQ(space.word_block().terms.size(), reference["word_features"].get<std::size_t>());
  EXPECT_EQ(space.char_block().terms.size(), reference["char_features"].get<std::size_t>());

  const auto word_count = static_cast<int>(space.word_block().terms.size());
  std::size_t compared = 0;
  for (const auto& probe : reference["probes"]) {
    const auto text = probe["text"].get<std::string>();
    SCOPED_TRACE(text);
    std::map<std::string, double> word, chars;
    for (const auto& e : space.Transform(text)) {
      if (e.index < word_count) {
        word[space.word_block().terms[static_cast<std::size_t>(e.index)]] = e.value;
      } else {
        chars[space.char_block().terms[static_cast<std::size_t>(e.index - word_count)]] = e.value;
      }
    }
    for (const auto& [block, mine] : {std::pair{"word", &word}, std::pair{"char", &chars}}) {
      ASSERT_EQ(mine->size(), probe[block].size()) << block;
      for (const auto& pair : probe[block]) {
        const auto term = pair[0].get<std::string>();
        auto it = mine->find(term);
        ASSERT_NE(it, mine->end()) << block << " term \"" << term << "\" missing";
        EXPECT_NEAR(it->second, pair[1].get<double>(), 1e-9) << block << " \"" << term << "\"";
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 10000u);
}

}  // namespace
}  // namespace fastintent::ngram::detail
