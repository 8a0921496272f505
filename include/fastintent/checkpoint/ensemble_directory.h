#pragma once
// An ensemble model directory (config.json "model_type": "fastintent-ensemble"): ordinary model directories
// copied inside it as subdirectories, whose calibrated probabilities the runtime mixes with fixed weights.
//
//   config.json  {"model_type": "fastintent-ensemble", "id2label": …, "label2id": …,
//                 "fastintent_members": [{"path": "m0", "weight": 0.7}, {"path": "m1", "weight": 0.3}]}
//   m0/          a model directory (ONNX export or n-gram model)
//   m1/          another one, with the same label set (in any order)
//
// The one reader and writer of that layout, used by the runtime (EnsembleClassifier) and `fastintent ensemble`.
// Torch- and ONNX-free.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "fastintent/checkpoint/model_directory.h"

namespace fastintent::checkpoint {

inline constexpr const char* kEnsembleMembersKey = "fastintent_members";

// Weights sum to 1 within this tolerance when read (they are written normalised).
inline constexpr double kEnsembleWeightTolerance = 1e-6;

struct EnsembleMember {
  std::string path;      // as written in config.json: a relative subdirectory path
  double weight = 0;     // >= 0; the members' weights sum to 1
  ModelDirectory model;  // the member directory, read; its label set is the ensemble's (in any order)
};

// The members of `ensemble` (whose kind must be kEnsemble), each directory read and its label set checked against
// the ensemble's. Throws InvalidInput naming config.json and the field: no or an empty "fastintent_members"; a
// path that is empty, absolute or goes up ("..") or a weight that is negative, not a number, or weights that do
// not sum to 1; a member that is itself an ensemble or multi-label; a member whose label set differs from the
// ensemble's (naming both directories and a differing label). Throws IoError for a missing member directory.
std::vector<EnsembleMember> ReadEnsembleMembers(const ModelDirectory& ensemble);

// Throws InvalidInput, prefixed by `where`, when `member` cannot be an ensemble member: it is itself an ensemble or
// it is multi-label.
void CheckEnsembleMember(const ModelDirectory& member, const std::string& where);

// Member class id -> `to`'s class id, matching labels by name. Throws InvalidInput naming both directories and a
// label that one has and the other has not, when the label sets differ.
std::vector<std::size_t> MapLabels(const ModelDirectory& from, const ModelDirectory& to);

// Checks weights given by a user (each finite and >= 0, at least one, a positive sum) and returns them divided by
// their sum. `where` prefixes the error ("--weights").
std::vector<double> NormaliseEnsembleWeights(const std::vector<double>& weights, const std::string& where);

struct EnsembleMemberEntry {
  std::string path;  // relative subdirectory
  double weight = 0;
};

// Writes `dir`/config.json of an ensemble: model_type, id2label/label2id of `labels`, and the members as given
// (weights already normalised). Throws IoError when it cannot be written.
void WriteEnsembleConfig(const std::filesystem::path& dir, const std::vector<std::string>& labels,
                         const std::vector<EnsembleMemberEntry>& members);

// Writes the ensemble directory `out` (replaced atomically; left as it was on any error): each member directory
// copied inside as "<index>_<its name>", and config.json with the first member's labels and `weights` (one per
// member, normalised here), read back as the runtime reads it before it replaces anything. Throws InvalidInput for
// fewer than 2 members, a weight count that differs from the member count, bad weights, a member that
// CheckEnsembleMember refuses or label sets that differ; IoError when a file cannot be copied or written.
void WriteEnsembleDirectory(const std::filesystem::path& out, const std::vector<ModelDirectory>& members,
                            const std::vector<double>& weights);

}  // namespace fastintent::checkpoint
