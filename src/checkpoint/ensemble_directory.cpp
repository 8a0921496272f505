#include "fastintent/checkpoint/ensemble_directory.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "fastintent/common/atomic_directory.h"
#include "fastintent/common/error.h"

namespace fastintent::checkpoint {
namespace {

namespace fs = std::filesystem;

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

// A member path stays inside the ensemble directory: relative, not empty, no "..".
void CheckMemberPath(const std::string& path, const std::string& where) {
  const fs::path member(path);
  const bool goes_up = std::any_of(member.begin(), member.end(), [](const fs::path& part) { return part == ".."; });
  if (path.empty() || member.is_absolute() || member.has_root_name() || goes_up) {
    throw InvalidInput(where + ": got " + Quoted(path) +
                       ", expected a subdirectory of the ensemble directory (a relative path without \"..\")");
  }
}

// "<i>_<directory name>", with characters other than [A-Za-z0-9._-] replaced: readable and unique.
std::string MemberSubdirectory(std::size_t index, const fs::path& dir) {
  fs::path absolute = fs::absolute(dir).lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();
  std::string name = absolute.filename().string();
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '_' || c == '-';
    if (!plain) c = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "model";
  return std::to_string(index) + "_" + name;
}

}  // namespace

std::vector<double> NormaliseEnsembleWeights(const std::vector<double>& weights, const std::string& where) {
  double sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0) {
      throw InvalidInput(where + ": weight " + std::to_string(i) + " is " + std::to_string(weights[i]) +
                         ", expected a number >= 0");
    }
    sum += weights[i];
  }
  if (weights.empty() || sum <= 0) throw InvalidInput(where + ": the weights sum to 0, expected a positive sum");
  std::vector<double> normalised;
  normalised.reserve(weights.size());
  for (const double weight : weights) normalised.push_back(weight / sum);
  return normalised;
}

std::vector<std::size_t> MapLabels(const ModelDirectory& from, const ModelDirectory& to) {
  std::unordered_map<std::string, std::size_t> to_ids;
  for (std::size_t i = 0; i < to.labels.size(); ++i) to_ids.emplace(to.labels[i], i);
  const auto differ = [&](const std::string& label, const ModelDirectory& has, const ModelDirectory& lacks) {
    return InvalidInput("the label sets of " + from.dir.string() + " and " + to.dir.string() + " differ: label " +
                        Quoted(label) + " is in " + has.dir.string() + " but not in " + lacks.dir.string());
  };
  std::vector<std::size_t> ids;
  ids.reserve(from.labels.size());
  for (const auto& label : from.labels) {
    const auto found = to_ids.find(label);
    if (found == to_ids.end()) throw differ(label, from, to);
    ids.push_back(found->second);
  }
  // Every label of `to` must be reached; id2label has no duplicates, so equal sizes mean equal sets.
  if (from.labels.size() != to.labels.size()) {
    for (const auto& label : to.labels) {
      if (std::find(from.labels.begin(), from.labels.end(), label) == from.labels.end()) throw differ(label, to, from);
    }
  }
  return ids;
}

void CheckEnsembleMember(const ModelDirectory& member, const std::string& where) {
  if (member.kind == ModelKind::kEnsemble) {
    throw InvalidInput(where + ": " + member.dir.string() +
                       " is itself an ensemble; nested ensembles are not supported (list its members instead)");
  }
  if (member.multi_label) {
    throw InvalidInput(where + ": " + member.dir.string() +
                       " is a multi-label model; an ensemble mixes single-label probabilities");
  }
}

std::vector<EnsembleMember> ReadEnsembleMembers(const ModelDirectory& ensemble) {
  const ConfigView& config = *ensemble.config;
  const std::string where = config.Where(kEnsembleMembersKey);
  const auto entries = config.Objects(kEnsembleMembersKey);
  if (!entries || entries->empty()) {
    throw InvalidInput(where + ": " + (entries ? "empty" : "missing") +
                       "; an ensemble lists its members as [{\"path\": \"<subdirectory>\", \"weight\": w}, ...] "
                       "(made by `fastintent ensemble`)");
  }
  if (ensemble.multi_label) {
    throw InvalidInput(config.Where("problem_type") + ": an ensemble mixes single-label probabilities; got "
                                                      "multi_label_classification");
  }
  std::vector<EnsembleMember> members;
  double sum = 0;
  for (const ConfigView& entry : *entries) {
    EnsembleMember member;
    member.path = entry.String("path").value_or("");
    CheckMemberPath(member.path, entry.Where("path"));
    const auto weight = entry.Number("weight");
    if (!weight || !std::isfinite(*weight) || *weight < 0) {
      throw InvalidInput(entry.Where("weight") + ": got " + (weight ? std::to_string(*weight) : "nothing") +
                         ", expected a number >= 0");
    }
    member.weight = *weight;
    sum += *weight;
    member.model = ReadModelDirectory(ensemble.dir / member.path);
    CheckEnsembleMember(member.model, entry.Where("path"));
    MapLabels(member.model, ensemble);  // throws naming both directories when the label sets differ
    members.push_back(std::move(member));
  }
  if (std::abs(sum - 1.0) > kEnsembleWeightTolerance) {
    throw InvalidInput(where + ": the weights sum to " + std::to_string(sum) + ", expected 1 (stored normalised)");
  }
  return members;
}

void WriteEnsembleConfig(const fs::path& dir, const std::vector<std::string>& labels,
                         const std::vector<EnsembleMemberEntry>& members) {
  nlohmann::ordered_json config;
  config["model_type"] = kEnsembleModelType;
  nlohmann::ordered_json id2label = nlohmann::ordered_json::object();
  nlohmann::ordered_json label2id = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    id2label[std::to_string(i)] = labels[i];
    label2id[labels[i]] = i;
  }
  config["id2label"] = id2label;
  config["label2id"] = label2id;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& member : members) entries.push_back({{"path", member.path}, {"weight", member.weight}});
  config[kEnsembleMembersKey] = entries;
  const fs::path file = dir / "config.json";
  std::ofstream out(file, std::ios::binary);
  out << config.dump(2) << '\n';
  if (!out) throw IoError(file.string() + ": cannot write");
}

void WriteEnsembleDirectory(const fs::path& out, const std::vector<ModelDirectory>& members,
                            const std::vector<double>& weights) {
  if (members.size() < 2 || weights.size() != members.size()) {
    throw InvalidInput("ensemble " + out.string() + ": got " + std::to_string(members.size()) + " members and " +
                       std::to_string(weights.size()) + " weights, expected at least 2 members and one weight each");
  }
  for (const auto& member : members) {
    CheckEnsembleMember(member, "ensemble member");
    MapLabels(member, members.front());  // throws naming both directories when the label sets differ
  }
  const auto normalised = NormaliseEnsembleWeights(weights, "ensemble " + out.string());
  AtomicDirectory output(out);
  std::vector<EnsembleMemberEntry> entries;
  for (std::size_t m = 0; m < members.size(); ++m) {
    const std::string sub = MemberSubdirectory(m, members[m].dir);
    std::error_code error;
    fs::copy(members[m].dir, output.staging() / sub, fs::copy_options::recursive, error);
    if (error) throw IoError("cannot copy " + members[m].dir.string() + " into " + out.string() + ": " + error.message());
    entries.push_back({sub, normalised[m]});
  }
  WriteEnsembleConfig(output.staging(), members.front().labels, entries);
  // What the runtime will read, checked before the directory replaces anything.
  ReadEnsembleMembers(ReadModelDirectory(output.staging()));
  output.Commit();
}

}  // namespace fastintent::checkpoint
