// The study with fake runtimes on the committed tiny fixture models: presets, interleaved rounds with a rotating
// order, calls per visit, skipped runtimes, inputs cut from the long text; and the runner protocol's worker side.
#include "fastintent/bench/study.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "fastintent/bench/presets.h"
#include "fastintent/bench/worker.h"
#include "fastintent/common/error.h"

namespace fastintent::bench {
namespace {

// Every Prepare and timed call goes into one log, so the tests can read the order the study ran things in.
struct Log {
  std::vector<std::string> visits;  // "runtime|cell" at each Prepare
  std::map<std::string, std::size_t> calls;
};

class FakeRunner final : public Runner {
 public:
  FakeRunner(std::string runtime, Log* log, double ms) : runtime_(std::move(runtime)), log_(log), ms_(ms) {}
  void Prepare(const CellInput& input, Timing) override {
    input_ = input;
    log_->visits.push_back(runtime_ + "|" + std::to_string(input.batch) + "x" + std::to_string(input.sequence));
  }
  std::vector<double> TimeCalls(std::size_t calls) override {
    log_->calls[runtime_] += calls;
    // Time proportional to the work, no sleeping: the fake reports its "duration" itself.
    return std::vector<double>(calls, ms_ * static_cast<double>(input_.batch * input_.sequence));
  }
  std::vector<std::vector<float>> Logits() override { return {{1.0f}}; }
  std::string Configuration() const override { return runtime_ + " (fake)"; }

 private:
  std::string runtime_;
  Log* log_;
  double ms_;
  CellInput input_;
};

RunnerFactory FakeFactory(Log* log) {
  return [log](const RunnerSpec& spec, std::string& reason) -> std::unique_ptr<Runner> {
    if (spec.runtime == "missing") {
      reason = "no converted model";
      return nullptr;
    }
    return std::make_unique<FakeRunner>(spec.runtime, log, spec.runtime == "fast" ? 0.001 : 0.002);
  };
}

StudyConfig SmallStudy() {
  StudyConfig config;
  config.models_dir = FASTINTENT_BENCH_FIXTURES;
  GridAxes axes;
  axes.models = {"bert"};
  axes.batches = {1, 4};
  axes.inputs = {0, 8};
  axes.paddings = {Padding::kLongest, Padding::kMaxLength};
  axes.max_length = 16;
  config.cells = GridCells(axes);
  config.runtimes = {"slow", "fast", "missing"};
  config.rounds = 3;
  config.warmup = 1;
  config.round_ms = 1.0;
  config.min_calls = 2;
  config.max_calls = 50;
  config.long_text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
  config.progress = false;
  return config;
}

TEST(Presets, GridMakesEveryCombinationAndCutInputsOnce) {
  GridAxes axes;
  axes.models = {"a", "b"};
  axes.batches = {1, 32};
  axes.inputs = {0, 64};
  axes.paddings = {Padding::kMaxLength, Padding::kLongest};
  const auto cells = GridCells(axes);
  // phrase: 2 paddings; 64 tokens: one cell (padding cannot change a text cut at exactly 64 tokens).
  EXPECT_EQ(cells.size(), 2u * 2u * (2u + 1u));
  EXPECT_EQ(cells.front().group, "grid");
  EXPECT_EQ(cells[2].tokens, 64u);
  EXPECT_EQ(cells[2].max_length, 64u);
}

TEST(Presets, ArticleFiguresKeepTheFigureNames) {
  ArticleFigures preset;
  preset.models = {"m1", "m2", "m3"};
  const auto cells = ArticleFigureCells(preset);
  std::map<std::string, std::size_t> per_group;
  for (const auto& c : cells) ++per_group[c.group];
  EXPECT_EQ(per_group["figure4"], 3u * 2u);  // models x paddings
  EXPECT_EQ(per_group["figure5"], 8u * 2u);  // batch sizes x paddings
  EXPECT_EQ(per_group["figure6"], 6u);       // lengths
  preset.figures = {7};
  EXPECT_THROW(ArticleFigureCells(preset), InvalidInput);
}

TEST(Study, InterleavesRuntimesInRotatingRounds) {
  Log log;
  const StudyConfig config = SmallStudy();
  const StudyResult study = RunStudy(config, FakeFactory(&log), nullptr);
  const std::size_t cells = config.cells.size();  // 2 batches x (2 paddings + 1 cut) = 6
  ASSERT_EQ(cells, 6u);
  // Two runtimes ran, one was skipped with its reason.
  EXPECT_EQ(study.results.size(), cells * 2);
  ASSERT_EQ(study.skipped.size(), 1u);
  EXPECT_NE(study.skipped.front().find("no converted model"), std::string::npos);
  // Each round visits every cell on both runtimes; the first runtime of a cell's visit alternates by round.
  ASSERT_EQ(log.visits.size(), config.rounds * cells * 2);
  for (std::size_t round = 0; round < config.rounds; ++round) {
    const std::string& first = log.visits[round * cells * 2];
    EXPECT_EQ(first.substr(0, first.find('|')), round % 2 == 0 ? "slow" : "fast") << "round " << round;
  }
  for (const auto& r : study.results) {
    EXPECT_EQ(r.round_medians_ms.size(), config.rounds);
    EXPECT_EQ(r.samples_ms.size() % config.rounds, 0u);
    EXPECT_GE(r.samples_ms.size(), config.rounds * config.min_calls);
    EXPECT_LE(r.samples_ms.size(), config.rounds * config.max_calls);
    EXPECT_EQ(r.ms.count, r.samples_ms.size());
  }
  EXPECT_EQ(study.configurations.at("fast").at("bert"), "fast (fake)");
  EXPECT_TRUE(study.machine.load_after.has_value() || !study.machine.load_before.has_value());
}

TEST(Study, CutInputsHaveExactlyTheirTokensAndPaddingIsApplied) {
  Log log;
  const StudyResult study = RunStudy(SmallStudy(), FakeFactory(&log), nullptr);
  for (const auto& r : study.results) {
    if (r.cell.tokens != 0) {
      EXPECT_EQ(r.sequence_length, r.cell.tokens);
    } else if (r.cell.padding == Padding::kMaxLength) {
      EXPECT_EQ(r.sequence_length, 16u);
    } else {
      EXPECT_LT(r.sequence_length, 16u);
    }
  }
}

TEST(Study, RejectsATooShortLongTextAndEmptyConfigs) {
  Log log;
  StudyConfig config = SmallStudy();
  config.long_text = "a";  // 3 tokens with the fixture tokenizer, the cells want 8
  EXPECT_THROW(RunStudy(config, FakeFactory(&log), nullptr), InvalidInput);
  config = SmallStudy();
  config.runtimes.clear();
  EXPECT_THROW(RunStudy(config, FakeFactory(&log), nullptr), InvalidInput);
  config = SmallStudy();
  config.rounds = 0;
  EXPECT_THROW(RunStudy(config, FakeFactory(&log), nullptr), InvalidInput);
}

TEST(Worker, ServesLoadPrepareTimeAndReportsErrorsInBand) {
  Log log;
  std::istringstream in(
      R"({"op": "time", "calls": 1})"
      "\n"
      R"({"op": "load", "runtime": "fast", "model_dir": "m", "threads": 1})"
      "\n"
      R"({"op": "prepare", "timing": "model-only", "texts": ["a b"], "padding": "longest", "max_length": 8,)"
      R"( "batch": 1, "sequence": 4, "input_ids": [1, 2, 3, 4], "attention_mask": [1, 1, 1, 1],)"
      R"( "token_type_ids": [0, 0, 0, 0]})"
      "\n"
      R"({"op": "time", "calls": 3})"
      "\n"
      R"({"op": "load", "runtime": "missing", "model_dir": "m", "threads": 1})"
      "\n"
      R"({"op": "quit"})"
      "\n"
      R"({"op": "time", "calls": 1})"
      "\n");
  std::ostringstream out;
  EXPECT_EQ(ServeRunnerProtocol(in, out, FakeFactory(&log)), 0);
  std::istringstream replies(out.str());
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(replies, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 5u);  // nothing after quit
  EXPECT_FALSE(lines[0]["ok"].get<bool>());
  EXPECT_NE(lines[0]["error"].get<std::string>().find("load"), std::string::npos);
  EXPECT_EQ(lines[1]["configuration"], "fast (fake)");
  EXPECT_TRUE(lines[2]["ok"].get<bool>());
  EXPECT_EQ(lines[3]["ms"].size(), 3u);
  EXPECT_EQ(lines[4]["skip"], "no converted model");
}

}  // namespace
}  // namespace fastintent::bench
