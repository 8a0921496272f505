// An ensemble model directory behind the Classifier interface (runtime/ensemble_classifier.h): its scores are
// the weighted average of its members' scores, mapped by label name; every path (Classify, Prepare +
// ClassifyPrepared, Logits, LogitsPrepared) agrees; and broken ensemble directories are refused with messages
// that name the file and the field. Members are two small n-gram models trained here on different halves of
// the telecom set, and the committed tiny BERT fixture with an n-gram model over its labels.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "fastintent/checkpoint/ensemble_directory.h"
#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "fastintent/ngram/ngram.h"
#include "fastintent/runtime/classifier.h"
#include "fixture_paths.h"
#include "scoring.h"

namespace fastintent::runtime {
namespace {

namespace fs = std::filesystem;
using ScoreByLabel = std::map<std::string, double>;

const std::vector<std::string> kTexts = {"хочу сменить тариф на интернет",
                                         "инет не работает с утра!!!",
                                         "BALANCE kakoi u menya",
                                         "позовите живого оператора",
                                         "спасибо",
                                         "",
                                         "a"};

// One root per process (ctest runs each test as its own process, possibly in parallel), removed at exit.
struct TempRoot {
  fs::path path = fs::temp_directory_path() / ("fastintent_ensemble_test_" + std::to_string(::getpid()));
  ~TempRoot() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

fs::path TempDir(const std::string& name) {
  static const TempRoot root;
  const fs::path dir = root.path / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}

// `per_label` examples of every telecom label, skipping the first `skip` of each: two members that saw
// different texts of the same label set.
fs::path TrainTelecomMember(const std::string& name, std::size_t skip, std::size_t per_label,
                            const ngram::NgramOptions& options) {
  const fs::path out = TempDir(name);
  std::map<std::string, std::size_t> seen;
  std::vector<data::Example> chosen;
  for (const auto& example : data::ReadExamples(fs::path(FASTINTENT_TEST_DATA_ROOT) / "telecom-ru" / "train.csv")) {
    const std::size_t index = seen[example.label]++;
    if (index >= skip && index < skip + per_label) chosen.push_back(example);
  }
  ngram::TrainNgramModel(chosen, options, out);
  return out;
}

const fs::path& MemberA() {
  static const fs::path dir = TrainTelecomMember("member_a", 0, 12, ngram::NgramOptions{});
  return dir;
}

const fs::path& MemberB() {
  static const fs::path dir = [] {
    ngram::NgramOptions words_only;
    words_only.char_min_n = words_only.char_max_n = 0;
    return TrainTelecomMember("member_b", 12, 12, words_only);
  }();
  return dir;
}

// A new ensemble directory: the members copied in as m0, m1, ... and config.json with these weights and labels
// (default: the first member's labels, reversed, so that the ensemble's class ids differ from its members').
fs::path MakeEnsemble(const std::string& name, const std::vector<fs::path>& members, const std::vector<double>& weights,
                      std::vector<std::string> labels = {}) {
  const fs::path dir = TempDir(name);
  fs::create_directories(dir);
  std::vector<checkpoint::EnsembleMemberEntry> entries;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string sub = "m" + std::to_string(i);
    fs::copy(members[i], dir / sub, fs::copy_options::recursive);
    entries.push_back({sub, weights[i]});
  }
  if (labels.empty()) {
    labels = checkpoint::ReadModelDirectory(members.front()).labels;
    std::reverse(labels.begin(), labels.end());
  }
  checkpoint::WriteEnsembleConfig(dir, labels, entries);
  return dir;
}

// Every label's score as the model's Classify reports it.
std::vector<ScoreByLabel> ScoresOf(const Classifier& model, const std::vector<std::string>& texts) {
  std::vector<ScoreByLabel> out;
  for (const auto& prediction : model.Classify(texts, model.info().labels.size())) {
    ScoreByLabel scores;
    for (const auto& entry : prediction.top) scores[entry.label] = entry.score;
    out.push_back(std::move(scores));
  }
  return out;
}

// The mixture computed here, independently of the ensemble: sum of weight * member score, label by label.
std::vector<ScoreByLabel> ExpectedMixture(const std::vector<fs::path>& members, const std::vector<double>& weights) {
  std::vector<ScoreByLabel> mixture(kTexts.size());
  for (std::size_t m = 0; m < members.size(); ++m) {
    const auto scores = ScoresOf(*Classifier::Load(members[m]), kTexts);
    for (std::size_t t = 0; t < kTexts.size(); ++t) {
      for (const auto& [label, score] : scores[t]) mixture[t][label] += weights[m] * score;
    }
  }
  return mixture;
}

void ExpectScores(const std::vector<ScoreByLabel>& got, const std::vector<ScoreByLabel>& expected, double tolerance) {
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t t = 0; t < got.size(); ++t) {
    SCOPED_TRACE("text " + std::to_string(t));
    ASSERT_EQ(got[t].size(), expected[t].size());
    for (const auto& entry : expected[t]) {
      ASSERT_TRUE(got[t].count(entry.first)) << entry.first;
      EXPECT_NEAR(got[t].at(entry.first), entry.second, tolerance) << entry.first;
    }
  }
}

std::string ErrorOf(const std::function<void()>& load) {
  try {
    load();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

void ExpectContains(const std::string& message, const std::vector<std::string>& parts) {
  for (const auto& part : parts) EXPECT_NE(message.find(part), std::string::npos) << "want " << part << " in " << message;
}

TEST(EnsembleClassifier, ScoresAreTheWeightedAverageOfTheMembersScores) {
  const std::vector<fs::path> members = {MemberA(), MemberB()};
  const std::vector<double> weights = {0.7, 0.3};
  const auto ensemble = Classifier::Load(MakeEnsemble("mixture", members, weights));
  const auto expected = ExpectedMixture(members, weights);
  ExpectScores(ScoresOf(*ensemble, kTexts), expected, 1e-6);
  // The members disagree on some text, so the check above can tell a mixture from either member.
  EXPECT_NE(ScoresOf(*Classifier::Load(MemberA()), kTexts)[0], ScoresOf(*Classifier::Load(MemberB()), kTexts)[0]);

  // Logits are the log of the mixture: their softmax gives it back, in the ensemble's label order.
  const auto logits = ensemble->Logits(kTexts);
  const auto& labels = ensemble->info().labels;
  for (std::size_t t = 0; t < kTexts.size(); ++t) {
    const auto probabilities = Softmax(logits[t]);
    for (std::size_t c = 0; c < labels.size(); ++c) EXPECT_NEAR(probabilities[c], expected[t].at(labels[c]), 1e-6);
  }
}

TEST(EnsembleClassifier, LabelsAreMappedByNameWhateverTheirOrder) {
  const auto ordered = checkpoint::ReadModelDirectory(MemberA()).labels;
  auto reversed = ordered;
  std::reverse(reversed.begin(), reversed.end());
  ASSERT_NE(ordered, reversed);
  const std::vector<fs::path> members = {MemberA(), MemberB()};
  const auto in_order = Classifier::Load(MakeEnsemble("ordered", members, {0.5, 0.5}, ordered));
  const auto reverse = Classifier::Load(MakeEnsemble("reversed", members, {0.5, 0.5}, reversed));
  EXPECT_EQ(reverse->info().labels, reversed);
  ExpectScores(ScoresOf(*reverse, kTexts), ScoresOf(*in_order, kTexts), 1e-6);
  ExpectScores(ScoresOf(*reverse, kTexts), ExpectedMixture(members, {0.5, 0.5}), 1e-6);
}

TEST(EnsembleClassifier, WeightOneIsThatMemberAlone) {
  const std::vector<fs::path> members = {MemberA(), MemberB()};
  const auto only_b = Classifier::Load(MakeEnsemble("only_b", members, {0.0, 1.0}));
  const auto b = Classifier::Load(MemberB());
  ExpectScores(ScoresOf(*only_b, kTexts), ScoresOf(*b, kTexts), 1e-6);
  const auto ensemble_top = only_b->Classify(kTexts, 1);
  const auto member_top = b->Classify(kTexts, 1);
  for (std::size_t t = 0; t < kTexts.size(); ++t) EXPECT_EQ(ensemble_top[t].label, member_top[t].label) << kTexts[t];
}

TEST(EnsembleClassifier, PreparedBatchesGiveWhatClassifyGives) {
  const auto ensemble = Classifier::Load(MakeEnsemble("prepared", {MemberA(), MemberB()}, {0.6, 0.4}));
  std::vector<PreparedText> prepared;
  for (const auto& text : kTexts) prepared.push_back(ensemble->Prepare(text));
  const auto direct = ensemble->Classify(kTexts, 3);
  const auto batched = ensemble->ClassifyPrepared(prepared, 3);
  ASSERT_EQ(batched.size(), direct.size());
  for (std::size_t t = 0; t < kTexts.size(); ++t) {
    SCOPED_TRACE(kTexts[t]);
    ASSERT_EQ(batched[t].top.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(batched[t].top[k].label, direct[t].top[k].label);
      EXPECT_FLOAT_EQ(batched[t].top[k].score, direct[t].top[k].score);
    }
  }
  EXPECT_EQ(ensemble->LogitsPrepared(prepared), ensemble->Logits(kTexts));

  // A composite: one member input per member; its cost is the largest member input.
  const PreparedText one = ensemble->Prepare(kTexts[0]);
  ASSERT_EQ(one.members.size(), 2u);
  EXPECT_TRUE(one.ids.empty());
  EXPECT_EQ(one.cost(), std::max(one.members[0].ids.size(), one.members[1].ids.size()));
  EXPECT_GT(one.cost(), 0u);

  // What another model prepared is refused, not misread.
  PreparedText plain;
  plain.ids = {1, 2};
  ExpectContains(ErrorOf([&] { ensemble->ClassifyPrepared({plain}, 1); }), {"0 member inputs, expected 2"});
  EXPECT_THROW(ensemble->LogitsPrepared({plain}), InvalidInput);
  EXPECT_THROW(ensemble->PreparePair("a", "b"), InvalidInput);
}

TEST(EnsembleClassifier, ConcurrentCallsGiveTheSingleThreadedAnswers) {
  const auto ensemble = Classifier::Load(MakeEnsemble("threads", {MemberA(), MemberB()}, {0.5, 0.5}));
  const auto expected = ensemble->Logits(kTexts);
  std::vector<std::vector<std::vector<float>>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&ensemble, &got, i] {
      for (int round = 0; round < 20; ++round) {
        std::vector<PreparedText> prepared;
        for (const auto& text : kTexts) prepared.push_back(ensemble->Prepare(text));
        got[i] = ensemble->LogitsPrepared(prepared);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& logits : got) EXPECT_EQ(logits, expected);
}

TEST(EnsembleClassifier, InfoDescribesTheEnsemble) {
  const fs::path dir = MakeEnsemble("info", {MemberA(), MemberB()}, {0.5, 0.5});
  ClassifierOptions options;
  options.quantized = true;  // n-gram members have one form
  const auto ensemble = Classifier::Load(dir, options);
  const ModelInfo& info = ensemble->info();
  EXPECT_EQ(info.name, "info");
  EXPECT_EQ(info.max_length, 0u);
  EXPECT_FALSE(info.quantized);
  EXPECT_TRUE(info.input_prefix.empty());
  EXPECT_EQ(info.version.size(), 12u);
  EXPECT_FALSE(info.multi_label);

  // The version follows the weights and the members' files.
  const std::string before = info.version;
  EXPECT_EQ(Classifier::Load(dir)->info().version, before);
  const fs::path reweighted = MakeEnsemble("info_reweighted", {MemberA(), MemberB()}, {0.4, 0.6});
  EXPECT_NE(Classifier::Load(reweighted)->info().version, before);
  std::ofstream(dir / "m1" / "config.json", std::ios::app) << "\n";
  EXPECT_NE(Classifier::Load(dir)->info().version, before);

  // The ensemble's own fallback policy from its config.json.
  checkpoint::UpdateConfigJson(dir / "config.json", {{"fallback_threshold", 0.99}});
  const auto strict = Classifier::Load(dir);
  EXPECT_EQ(strict->info().fallback_threshold, 0.99);
  for (const auto& prediction : strict->Classify(kTexts, 1)) EXPECT_EQ(prediction.fallback, prediction.score < 0.99);
  EXPECT_TRUE(strict->Classify({"a"}, 1)[0].fallback);
}

// Writes config.json of an ensemble over MemberA and MemberB in m0 / m1 with `members` as "fastintent_members".
fs::path EnsembleWithMembers(const std::string& name, const nlohmann::json& members) {
  const fs::path dir = MakeEnsemble(name, {MemberA(), MemberB()}, {0.5, 0.5});
  nlohmann::json config = nlohmann::json::parse(std::ifstream(dir / "config.json"));
  if (members.is_null()) {
    config.erase(checkpoint::kEnsembleMembersKey);
  } else {
    config[checkpoint::kEnsembleMembersKey] = members;
  }
  std::ofstream(dir / "config.json") << config.dump(2);
  return dir;
}

std::string LoadError(const fs::path& dir) {
  return ErrorOf([&] { Classifier::Load(dir); });
}

TEST(EnsembleClassifier, BrokenMemberListsAreRefusedNamingFileAndField) {
  const nlohmann::json m1 = {{"path", "m1"}, {"weight", 0.5}};
  const auto member = [](const std::string& path, const nlohmann::json& weight) {
    return nlohmann::json{{"path", path}, {"weight", weight}};
  };
  ExpectContains(LoadError(EnsembleWithMembers("no_members", nullptr)),
                 {"config.json", "fastintent_members", "missing"});
  ExpectContains(LoadError(EnsembleWithMembers("zero_members", nlohmann::json::array())),
                 {"config.json", "fastintent_members", "empty"});
  ExpectContains(LoadError(EnsembleWithMembers("absolute", {member(MemberA().string(), 0.5), m1})),
                 {"config.json", "fastintent_members[0].path", "relative path"});
  ExpectContains(LoadError(EnsembleWithMembers("up", {member("../m0", 0.5), m1})),
                 {"fastintent_members[0].path", "\"../m0\""});
  ExpectContains(LoadError(EnsembleWithMembers("down_up", {member("m0/../../x", 0.5), m1})),
                 {"fastintent_members[0].path"});
  ExpectContains(LoadError(EnsembleWithMembers("negative", {member("m0", -0.5), m1})),
                 {"fastintent_members[0].weight", "-0.5", ">= 0"});
  ExpectContains(LoadError(EnsembleWithMembers("string_weight", {member("m0", "half"), m1})),
                 {"fastintent_members[0].weight", "expected a number"});
  ExpectContains(LoadError(EnsembleWithMembers("sum", {member("m0", 0.7), m1})),
                 {"fastintent_members", "sum to 1.2", "expected 1"});
  ExpectContains(LoadError(EnsembleWithMembers("not_objects", nlohmann::json::array({"m0", "m1"}))),
                 {"fastintent_members", "expected an array of objects"});
  EXPECT_THROW(Classifier::Load(EnsembleWithMembers("missing_dir", {member("m7", 0.5), m1})), IoError);
}

TEST(EnsembleClassifier, UnsupportedMembersAreRefused) {
  // Nested.
  const fs::path inner = MakeEnsemble("inner", {MemberA(), MemberB()}, {0.5, 0.5});
  const fs::path outer = MakeEnsemble("outer", {inner, MemberB()}, {0.5, 0.5},
                                      checkpoint::ReadModelDirectory(inner).labels);
  ExpectContains(LoadError(outer), {"fastintent_members[0].path", "itself an ensemble"});

  // Multi-label.
  const fs::path multi = MakeEnsemble("multi_label", {MemberA(), MemberB()}, {0.5, 0.5});
  checkpoint::UpdateConfigJson(multi / "m1" / "config.json",
                               {{"problem_type", std::string("multi_label_classification")}});
  ExpectContains(LoadError(multi), {"fastintent_members[1].path", "multi-label"});

  // Label sets that differ: a member trained without one of the labels.
  const std::vector<data::Example> examples =
      data::ReadExamples(fs::path(FASTINTENT_TEST_DATA_ROOT) / "telecom-ru" / "train.csv");
  const std::string dropped = checkpoint::ReadModelDirectory(MemberA()).labels.front();
  std::map<std::string, std::size_t> seen;
  std::vector<data::Example> fewer;
  for (const auto& example : examples) {
    if (example.label != dropped && seen[example.label]++ < 10) fewer.push_back(example);
  }
  const fs::path short_member = TempDir("fewer_labels");
  ngram::TrainNgramModel(fewer, ngram::NgramOptions{}, short_member);
  const fs::path mismatched = MakeEnsemble("mismatched", {MemberA(), short_member}, {0.5, 0.5});
  const std::string message = LoadError(mismatched);
  ExpectContains(message, {(mismatched / "m1").string(), mismatched.string(), "\"" + dropped + "\""});

  // One .onnx file cannot stand for several models.
  ClassifierOptions options;
  options.model_file = "model.onnx";
  EXPECT_THROW(Classifier::Load(MakeEnsemble("model_file", {MemberA(), MemberB()}, {0.5, 0.5}), options),
               InvalidInput);
}

// An ONNX member: the committed tiny BERT (telecom-style labels, its own order) with an n-gram model trained here
// on texts made of its label names (sorted order).
TEST(EnsembleClassifier, MixesAnOnnxMemberWithAnNgramMember) {
  const fs::path bert = testing::FixtureRoot() / "bert";
  const auto bert_labels = checkpoint::ReadModelDirectory(bert).labels;
  std::vector<data::Example> examples;
  for (const auto& label : bert_labels) {
    for (const char* suffix : {"", " please", " now", " help"}) examples.push_back({label + suffix, label});
  }
  const fs::path ngram_member = TempDir("bert_labels_ngram");
  ngram::TrainNgramModel(examples, ngram::NgramOptions{}, ngram_member);
  ASSERT_NE(checkpoint::ReadModelDirectory(ngram_member).labels, bert_labels) << "the orders must differ";

  const std::vector<fs::path> members = {bert, ngram_member};
  const std::vector<double> weights = {0.25, 0.75};
  const fs::path dir = MakeEnsemble("onnx_member", members, weights, bert_labels);
  const auto ensemble = Classifier::Load(dir);
  ExpectScores(ScoresOf(*ensemble, kTexts), ExpectedMixture(members, weights), 1e-6);
  EXPECT_EQ(ensemble->info().max_length, Classifier::Load(bert)->info().max_length);
  EXPECT_GT(ensemble->info().max_length, 0u);

  std::vector<PreparedText> prepared;
  for (const auto& text : kTexts) prepared.push_back(ensemble->Prepare(text));
  EXPECT_EQ(ensemble->LogitsPrepared(prepared), ensemble->Logits(kTexts));
  // A text over the BERT member's limit is cut by it, and the ensemble says so.
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "balance ";
  EXPECT_TRUE(ensemble->Prepare(long_text).truncated);
  EXPECT_TRUE(ensemble->Classify({long_text}, 1)[0].truncated);

  // quantized: the ONNX member runs model_quantized.onnx, the n-gram member ignores it.
  ClassifierOptions options;
  options.quantized = true;
  const auto quantized = Classifier::Load(dir, options);
  EXPECT_TRUE(quantized->info().quantized);
  ExpectScores(ScoresOf(*quantized, kTexts),
               [&] {
                 std::vector<ScoreByLabel> mixture(kTexts.size());
                 const auto a = ScoresOf(*Classifier::Load(bert, options), kTexts);
                 const auto b = ScoresOf(*Classifier::Load(ngram_member), kTexts);
                 for (std::size_t t = 0; t < kTexts.size(); ++t) {
                   for (const auto& entry : a[t]) mixture[t][entry.first] += 0.25 * entry.second;
                   for (const auto& entry : b[t]) mixture[t][entry.first] += 0.75 * entry.second;
                 }
                 return mixture;
               }(),
               1e-6);
}

}  // namespace
}  // namespace fastintent::runtime
