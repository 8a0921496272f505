// Parity with the reference tokenizers: every corpus line must give the ids, type ids, attention mask (and,
// where the golden has them, byte offsets) that tools/tokenizer/make_goldens.py recorded from Hugging Face
// `tokenizers` / transformers. Also runs every case from 4 threads at once against the same Tokenizer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fastintent/common/error.h"
#include "fastintent/text/tokenizer.h"

namespace fs = std::filesystem;
using fastintent::text::EncodeOptions;
using fastintent::text::Encoding;
using fastintent::text::PaddingStrategy;
using fastintent::text::Tokenizer;

namespace {

fs::path GoldenDir() {
  const char* dir = std::getenv("FASTINTENT_TOKENIZER_GOLDENS");
  return dir ? fs::path(dir) : fs::path("goldens");
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < data.size()) {
    const std::size_t end = data.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(data.substr(start));
      break;
    }
    lines.push_back(data.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Raw lines; for a .jsonl corpus each line is a JSON string (texts that hold newlines).
std::vector<std::string> ReadCorpus(const fs::path& path) {
  std::vector<std::string> lines = ReadLines(path);
  if (path.extension() == ".jsonl") {
    for (std::string& line : lines) line = nlohmann::json::parse(line).get<std::string>();
  }
  return lines;
}

struct Case {
  std::string name;
  fs::path tokenizer;
  std::string setting;
  bool pair = false;
  std::vector<std::string> texts;
  std::vector<nlohmann::json> expected;
};

// Why the goldens were not made (their manifest says so), or empty.
std::string SkipReason() {
  std::ifstream in(GoldenDir() / "manifest.json");
  if (!in) return {};
  const nlohmann::json manifest = nlohmann::json::parse(in);
  return manifest.value("skipped", std::string());
}

std::vector<Case> LoadCases() {
  std::ifstream in(GoldenDir() / "manifest.json");
  if (!in) return {};
  const nlohmann::json manifest = nlohmann::json::parse(in);
  std::vector<Case> cases;
  for (const auto& c : manifest.at("cases")) {
    Case item;
    item.name = c.at("golden").get<std::string>();
    item.tokenizer = c.at("tokenizer").get<std::string>();
    item.setting = c.at("setting").get<std::string>();
    item.pair = c.at("pair").get<bool>();
    item.texts = ReadCorpus(c.at("corpus").get<std::string>());
    for (const std::string& line : ReadLines(GoldenDir() / item.name))
      item.expected.push_back(nlohmann::json::parse(line));
    cases.push_back(std::move(item));
  }
  return cases;
}

EncodeOptions OptionsFor(const std::string& setting) {
  EncodeOptions options;
  if (setting == "none" || setting == "nospecial") {
    options.truncation = false;
    options.padding = PaddingStrategy::kNone;
    options.add_special_tokens = setting == "none";
  } else if (setting == "max32") {
    options.truncation = true;
    options.max_length = 32;
    options.padding = PaddingStrategy::kNone;
  }  // "saved": defaults, i.e. what the tokenizer file says
  options.with_offsets = true;
  return options;
}

std::string Show(const std::vector<std::int64_t>& v) { return nlohmann::json(v).dump(); }

// Returns the number of mismatching texts; describes the first few in `report`.
std::size_t RunCase(const Tokenizer& tokenizer, const Case& c, std::string* report) {
  const EncodeOptions options = OptionsFor(c.setting);
  std::size_t bad = 0;
  const std::size_t n = c.expected.size();
  for (std::size_t i = 0; i < n; ++i) {
    const nlohmann::json& want = c.expected[i];
    Encoding e;
    bool threw = false;
    try {
      e = c.pair ? tokenizer.EncodePair(c.texts[2 * i], c.texts[2 * i + 1], options)
                 : tokenizer.Encode(c.texts[i], options);
    } catch (const fastintent::Error& error) {
      threw = true;
      e.tokens = {error.what()};
    }
    if (threw || want.contains("error")) {
      if (threw != want.contains("error")) {
        ++bad;
        if (report != nullptr && bad <= 5) {
          *report += "  text " + std::to_string(i + 1) + ": " + (threw ? "threw " + e.tokens[0] : "did not throw") +
                     "; expected " + want.dump() + "\n";
        }
      }
      continue;
    }
    bool ok = e.ids == want.at("ids").get<std::vector<std::int64_t>>() &&
              e.type_ids == want.at("type_ids").get<std::vector<std::int64_t>>() &&
              e.attention_mask == want.at("mask").get<std::vector<std::int64_t>>();
    if (ok && want.contains("offsets")) {
      ok = e.offsets == want.at("offsets").get<std::vector<std::pair<std::size_t, std::size_t>>>();
    }
    if (!ok) {
      ++bad;
      if (report != nullptr && bad <= 5) {
        *report += "  line " + std::to_string(c.pair ? 2 * i + 1 : i + 1) + ": got " + Show(e.ids) + " offsets " +
                   nlohmann::json(e.offsets).dump() + "\n    expected " + want.dump() + "\n";
      }
    }
  }
  return bad;
}

class ParityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cases_ = new std::vector<Case>(LoadCases()); }
  static void TearDownTestSuite() {
    delete cases_;
    cases_ = nullptr;
  }
  static std::vector<Case>* cases_;
};
std::vector<Case>* ParityTest::cases_ = nullptr;

TEST_F(ParityTest, EveryCorpusLineMatchesTheReference) {
  if (const std::string reason = SkipReason(); !reason.empty()) GTEST_SKIP() << reason;
  ASSERT_FALSE(cases_->empty()) << "no goldens in " << GoldenDir()
                                << " (make them with tools/tokenizer/make_goldens.py)";
  std::map<std::string, Tokenizer> tokenizers;
  std::size_t total = 0;
  std::size_t total_bad = 0;
  for (const Case& c : *cases_) {
    auto it = tokenizers.find(c.tokenizer.string());
    if (it == tokenizers.end()) it = tokenizers.emplace(c.tokenizer.string(), Tokenizer::Load(c.tokenizer)).first;
    std::string report;
    const std::size_t bad = RunCase(it->second, c, &report);
    total += c.expected.size();
    total_bad += bad;
    std::printf("parity %-52s %6zu / %6zu identical\n", c.name.c_str(), c.expected.size() - bad, c.expected.size());
    EXPECT_EQ(bad, 0u) << c.name << ": " << bad << " of " << c.expected.size() << " texts differ\n" << report;
  }
  std::printf("parity total: %zu / %zu texts identical\n", total - total_bad, total);
}

TEST_F(ParityTest, FourThreadsAtOnceGiveTheSameIds) {
  if (const std::string reason = SkipReason(); !reason.empty()) GTEST_SKIP() << reason;
  ASSERT_FALSE(cases_->empty()) << "no goldens in " << GoldenDir();
  std::map<std::string, Tokenizer> tokenizers;
  for (const Case& c : *cases_) {
    if (!tokenizers.contains(c.tokenizer.string()))
      tokenizers.emplace(c.tokenizer.string(), Tokenizer::Load(c.tokenizer));
  }
  std::vector<std::size_t> bad(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the cases in a different order, so different tokenizers run concurrently too.
      for (std::size_t k = 0; k < cases_->size(); ++k) {
        const Case& c = (*cases_)[(k + t * 7) % cases_->size()];
        bad[t] += RunCase(tokenizers.at(c.tokenizer.string()), c, nullptr);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t t = 0; t < 4; ++t) EXPECT_EQ(bad[t], 0u) << "thread " << t;
}

}  // namespace
