// The report writers on a study of fake runtimes: CSV with the machine lines and one row per result, JSON with
// samples and ratios to the baseline, well-formed SVG per group, markdown with every group and the article's
// ratios beside its figures.
#include "fastintent/bench/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fastintent/bench/presets.h"

namespace fastintent::bench {
namespace {

// "fastintent-int8" takes half the time of everything else; time grows with batch x sequence.
class FakeRunner final : public Runner {
 public:
  explicit FakeRunner(std::string runtime) : runtime_(std::move(runtime)) {}
  void Prepare(const CellInput& input, Timing) override { work_ = static_cast<double>(input.batch * input.sequence); }
  std::vector<double> TimeCalls(std::size_t calls) override {
    std::vector<double> ms;
    for (std::size_t i = 0; i < calls; ++i)
      ms.push_back(work_ * (runtime_ == "fastintent-int8" ? 0.001 : 0.002) * (1.0 + 0.01 * static_cast<double>(i)));
    return ms;
  }
  std::vector<std::vector<float>> Logits() override { return {{1.0f}}; }
  std::string Configuration() const override { return runtime_ + ", 1 thread"; }

 private:
  std::string runtime_;
  double work_ = 0;
};

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("fastintent_bench_report_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    StudyConfig config;
    config.models_dir = FASTINTENT_BENCH_FIXTURES;
    ArticleFigures figures;
    figures.models = {"bert", "distilbert"};
    figures.sweep_model = "bert";
    figures.max_length = 16;
    figures.batch_sizes = {1, 2};
    figures.lengths = {4, 8};
    config.cells = ArticleFigureCells(figures);
    config.runtimes = {"fastintent-fp32", "fastintent-int8", "pytorch-fp32"};
    config.rounds = 2;
    config.warmup = 0;
    config.min_calls = config.max_calls = 3;
    config.long_text = "one two three four five six seven eight nine ten eleven";
    config.progress = false;
    study_ = RunStudy(
        config, [](const RunnerSpec& spec, std::string&) { return std::make_unique<FakeRunner>(spec.runtime); },
        MakeGflopCounter(config.models_dir));
    context_.command = "fastintent bench study --preset article-figures";
    context_.peak_fp32_gflops = 100.0;
    context_.article = ArticleRatios{};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
  StudyResult study_;
  ReportContext context_;
};

TEST_F(ReportTest, WritesEveryFileAtomically) {
  const auto files = WriteStudyReport(study_, context_, dir_);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"figure4.svg", "figure5.svg", "figure6.svg", "report.md", "results.csv",
                                             "results.json"}));
}

TEST_F(ReportTest, CsvNamesTheMachineAndHasARowPerResult) {
  std::filesystem::create_directories(dir_);
  WriteCsv(study_, context_, dir_ / "results.csv");
  std::istringstream in(Read(dir_ / "results.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GT(lines.size(), 6u);
  EXPECT_EQ(lines[0].rfind("# command: fastintent bench study", 0), 0u);
  EXPECT_EQ(lines[1].rfind("# machine: ", 0), 0u);
  EXPECT_EQ(lines[2].rfind("# simd: ", 0), 0u);
  EXPECT_EQ(lines[3].rfind("# load average before: ", 0), 0u);
  EXPECT_EQ(lines[5], kCsvHeader);
  EXPECT_EQ(lines.size() - 6, study_.results.size());
  const auto columns = std::count(lines[5].begin(), lines[5].end(), ',');
  for (std::size_t i = 6; i < lines.size(); ++i) EXPECT_EQ(std::count(lines[i].begin(), lines[i].end(), ','), columns);
}

TEST_F(ReportTest, JsonHasSamplesAndRatiosOfMedians) {
  std::filesystem::create_directories(dir_);
  WriteJson(study_, context_, dir_ / "results.json");
  const auto json = nlohmann::json::parse(Read(dir_ / "results.json"));
  EXPECT_EQ(json.at("results").size(), study_.results.size());
  EXPECT_EQ(json.at("baseline"), "fastintent-fp32");
  EXPECT_FALSE(json.at("machine").at("cpu").get<std::string>().empty());
  bool found = false;
  for (const auto& r : json.at("results")) {
    EXPECT_EQ(r.at("samples_ms").size(), 6u);  // 2 rounds x 3 calls
    EXPECT_EQ(r.at("round_medians_ms").size(), 2u);
    if (r.at("runtime") == "fastintent-int8") {
      found = true;
      EXPECT_NEAR(r.at("time_vs_baseline").at("median_ratio").get<double>(), 0.5, 1e-9);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ReportTest, SvgChartsAreWellFormedAndShowEveryRuntime) {
  std::filesystem::create_directories(dir_);
  const auto files = WriteSvgCharts(study_, dir_);
  ASSERT_EQ(files.size(), 3u);
  for (const auto& f : files) {
    const std::string svg = Read(f);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << f;
    EXPECT_NE(svg.find("</svg>"), std::string::npos) << f;
    EXPECT_EQ(svg.find("nan"), std::string::npos) << f;
    EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>')) << f;
    for (const char* runtime : {"fastintent-fp32", "fastintent-int8", "pytorch-fp32"})
      EXPECT_NE(svg.find(runtime), std::string::npos) << f << " lacks " << runtime;
    EXPECT_NE(svg.find("load average"), std::string::npos) << f;
  }
}

TEST_F(ReportTest, MarkdownHasEveryGroupTheRuntimesAndTheArticleRatios) {
  std::filesystem::create_directories(dir_);
  WriteMarkdown(study_, context_, dir_ / "report.md");
  const std::string md = Read(dir_ / "report.md");
  for (const char* needle : {"## figure4", "## figure5", "## figure6", "## Runtimes", "fastintent-int8, 1 thread",
                             "| scope | comparison | ours | article |", "1.4–1.5x", "figure5.svg",
                             "- SIMD: ", "- load average", "INT8 over fp32, fastintent's export and quantizer"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle;
  }
  EXPECT_NE(md.find("| 0.50 (0.50–0.50) |"), std::string::npos);  // int8 / fp32, with its per-round range
}

}  // namespace
}  // namespace fastintent::bench
