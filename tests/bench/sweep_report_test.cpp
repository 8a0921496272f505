// The sweep and the report writers with a fake runtime: cell plan, skipped runtimes, statistics wiring,
// CSV round trip, well-formed JSON and SVG, and the markdown speed-up table.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "fastintent/bench/report.h"
#include "fastintent/bench/sweep.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

// Tokens = words + 2 (CLS/SEP), capped at max_length, padded to max_length under max_length padding.
class FakeRunner final : public Runner {
 public:
  explicit FakeRunner(RunnerSpec spec, std::map<std::string, int>* calls) : spec_(std::move(spec)), calls_(calls) {}
  void TokenizeAndInfer(const std::vector<std::string>& texts) override {
    ++(*calls_)[spec_.runtime];
    // int8 is "faster": sleeps are long enough to be measured but short enough for a unit test.
    std::this_thread::sleep_for(std::chrono::microseconds(spec_.runtime == "ort-fp32" ? 300 : 150) *
                                static_cast<int>(texts.size()));
  }
  void TokenizeOnly(const std::vector<std::string>&) override {}
  std::size_t SequenceLength(const std::vector<std::string>& texts) override {
    if (spec_.padding == Padding::kMaxLength) return spec_.max_length;
    std::istringstream words(texts.front());
    std::size_t n = 2;
    for (std::string w; words >> w;) ++n;
    return std::min(n, spec_.max_length);
  }

 private:
  RunnerSpec spec_;
  std::map<std::string, int>* calls_;
};

SweepConfig SmallConfig() {
  SweepConfig config;
  config.models = {"tiny-a", "tiny-b"};
  config.sweep_model = "tiny-a";
  config.runtimes = {"ort-fp32", "ort-int8", "ort-int8-reference"};
  config.trials = 3;
  config.warmup = 1;
  config.max_length = 16;
  config.batch_sizes = {1, 2};
  config.sequence_lengths = {4, 8};
  config.long_text = "one two three four five six seven eight nine ten eleven";
  config.progress = false;
  return config;
}

struct Harness {
  std::map<std::string, int> calls;
  RunnerFactory Factory() {
    return [this](const RunnerSpec& spec, std::string& reason) -> std::unique_ptr<Runner> {
      if (spec.runtime == "ort-int8-reference") {
        reason = "no reference model";
        return nullptr;
      }
      return std::make_unique<FakeRunner>(spec, &calls);
    };
  }
};

TEST(Sweep, PlansEveryCellAndRecordsSkippedRuntimes) {
  Harness h;
  const SweepResult result = RunSweep(SmallConfig(), h.Factory(), [](const std::string&, std::size_t b, std::size_t l) {
    return static_cast<double>(b * l);
  });
  // Figure 4: 2 models x 2 runtimes x 2 paddings; Figure 5: 2 runtimes x 2 paddings x 2 batches;
  // Figure 6: 2 runtimes x 2 lengths.
  EXPECT_EQ(result.cells.size(), 8u + 8u + 4u);
  EXPECT_FALSE(result.skipped.empty());
  EXPECT_NE(result.skipped.front().find("no reference model"), std::string::npos);
  // warm-up + trials per cell, 10 cells per runtime.
  EXPECT_EQ(h.calls["ort-fp32"], 10 * (1 + 3));
  for (const auto& c : result.cells) {
    EXPECT_EQ(c.total_ms.count, 3u);
    EXPECT_GT(c.total_ms.mean, 0.0);
    EXPECT_DOUBLE_EQ(c.gflop, static_cast<double>(c.batch * c.sequence_length));
    if (c.figure == 6) {
      EXPECT_EQ(c.sequence_length, c.max_length);
    }
    if (c.figure == 4 && c.padding == Padding::kLongest) {
      EXPECT_EQ(c.sequence_length, 7u);  // 5 words + 2
    }
  }
}

TEST(Sweep, RejectsATooShortLongTextAndUnknownFigures) {
  Harness h;
  SweepConfig config = SmallConfig();
  config.figures = {6};
  config.sequence_lengths = {64};
  config.paddings = {Padding::kLongest};
  EXPECT_THROW(RunSweep(config, h.Factory(), nullptr), InvalidInput);
  config.figures = {7};
  EXPECT_THROW(RunSweep(config, h.Factory(), nullptr), InvalidInput);
  config = SmallConfig();
  config.trials = 0;
  EXPECT_THROW(RunSweep(config, h.Factory(), nullptr), InvalidInput);
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("fastintent_bench_report_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Harness h;
    result_ = RunSweep(SmallConfig(), h.Factory(), nullptr);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
  SweepResult result_;
};

TEST_F(ReportTest, CsvRoundTrips) {
  WriteCsv(result_.cells, dir_ / "results.csv");
  const auto back = ReadCsv(dir_ / "results.csv");
  ASSERT_EQ(back.size(), result_.cells.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].model, result_.cells[i].model);
    EXPECT_EQ(back[i].runtime, result_.cells[i].runtime);
    EXPECT_EQ(back[i].padding, result_.cells[i].padding);
    EXPECT_EQ(back[i].batch, result_.cells[i].batch);
    EXPECT_NEAR(back[i].total_ms.mean, result_.cells[i].total_ms.mean, 1e-6);
  }
}

TEST_F(ReportTest, CsvReaderNamesTheBadLineAndColumn) {
  std::ofstream(dir_ / "bad.csv") << kCsvHeader << "\n4,m,pytorch,max_length,one,16,16,3,1,0,1,1,0,0,0\n";
  try {
    ReadCsv(dir_ / "bad.csv");
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("line 2: column 5: got 'one'"), std::string::npos) << e.what();
  }
  std::ofstream(dir_ / "header.csv") << "a,b\n";
  EXPECT_THROW(ReadCsv(dir_ / "header.csv"), InvalidInput);
}

TEST_F(ReportTest, JsonIsValidAndCarriesSpeedups) {
  ReportContext context;
  context.command = "test";
  WriteJson(result_, context, dir_ / "results.json");
  const auto json = nlohmann::json::parse(Read(dir_ / "results.json"));
  EXPECT_EQ(json.at("cells").size(), result_.cells.size());
  bool found = false;
  for (const auto& s : json.at("speedups")) {
    if (s.at("comparison") == "ORT INT8 (ours) over ORT fp32" && s.at("scope") == "Figure 4 tiny-a") {
      found = true;
      EXPECT_GT(s.at("ours").get<double>(), 1.2);  // the fake int8 sleeps half as long
      EXPECT_DOUBLE_EQ(s.at("article_lo").get<double>(), 1.4);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ReportTest, SvgChartsAreWellFormedDocuments) {
  const auto files = WriteSvgCharts(result_, ArticleRatios{}, dir_);
  ASSERT_EQ(files.size(), 4u);
  for (const auto& f : files) {
    const std::string svg = Read(f);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << f;
    EXPECT_NE(svg.find("</svg>"), std::string::npos) << f;
    EXPECT_EQ(svg.find("nan"), std::string::npos) << f;
    // Every opened element is closed (self-closing or paired): count of '<' equals count of '>'.
    EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>')) << f;
  }
}

TEST_F(ReportTest, MarkdownHasEveryFigureAndTheArticleColumn) {
  ReportContext context;
  context.command = "fastintent bench run";
  WriteMarkdown(result_, context, dir_ / "report.md");
  const std::string md = Read(dir_ / "report.md");
  for (const char* needle : {"## Figure 4", "## Figure 5", "## Figure 6", "| scope | comparison | ours | article |",
                             "1.4–1.5x", "## Skipped cells", "figure5.svg"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
}  // namespace fastintent::bench
