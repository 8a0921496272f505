#pragma once
// config.json, read once with one set of rules. A ConfigView is a read-only, typed view of one JSON object of
// the file (the root, or a nested object such as the n-gram model's "ngram" block); every getter checks the
// type and range and names the file and the key in its error, so each area reads its own keys without parsing
// the file again or inventing its own rules. Only std types here (nlohmann-json stays in the .cpp).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fastintent::checkpoint {

class ConfigView {
 public:
  // Parses `config_json`. Throws IoError when it cannot be read, InvalidInput when it is not a JSON object
  // (malformed JSON, a number that overflows a double, another top-level type).
  static ConfigView Read(const std::filesystem::path& config_json);

  const std::filesystem::path& file() const;
  // "<file>: field \"<key>\"" (with the path of nested objects), the prefix of every error message.
  std::string Where(std::string_view key) const;

  bool Has(std::string_view key) const;  // present and not null

  // Absent or null keys give nullopt (or the fallback); a present key of the wrong type or range throws
  // InvalidInput "…: got <value>, expected …".
  std::optional<std::size_t> Count(std::string_view key, bool allow_zero = false) const;
  std::size_t RequireCount(std::string_view key, bool allow_zero = false) const;  // missing: InvalidInput
  std::optional<double> Number(std::string_view key) const;
  std::optional<double> NumberIn(std::string_view key, double lo, double hi) const;  // inclusive range
  std::optional<std::string> String(std::string_view key) const;
  std::string StringOr(std::string_view key, const std::string& fallback) const;
  std::optional<bool> Bool(std::string_view key) const;
  std::optional<std::vector<double>> Numbers(std::string_view key) const;  // a JSON array of numbers
  std::optional<std::vector<std::string>> Strings(std::string_view key) const;
  std::optional<ConfigView> Object(std::string_view key) const;
  ConfigView RequireObject(std::string_view key) const;
  // A JSON array of objects (the ensemble's "fastintent_members"), each a view whose messages name it
  // "<key>[i]".
  std::optional<std::vector<ConfigView>> Objects(std::string_view key) const;
  // The first string of a JSON array of strings ("architectures"), if any.
  std::optional<std::string> FirstString(std::string_view key) const;

  // id2label as a list indexed by class id: the keys must be exactly the ids 0..n-1, the values strings; a
  // label2id beside it must agree. Absent: an empty list.
  std::vector<std::string> Labels() const;

 private:
  struct Impl;
  ConfigView(std::shared_ptr<const Impl> impl, const void* node, std::string path);
  std::shared_ptr<const Impl> impl_;  // the parsed file, immutable and shared by nested views
  const void* node_;                  // this view's JSON object inside impl_
  std::string path_;                  // its keys from the root, dotted, for messages ("" for the root)
};

// Keys to set in an existing config.json, keeping every other key as it was written (export's fallback
// threshold, later calibration). A value of std::monostate removes the key.
using ConfigValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, std::vector<double>,
                                 std::vector<std::string>>;
struct ConfigUpdate {
  std::string key;
  ConfigValue value;
};
// Rewrites `config_json` with the updates applied (atomically: written beside, then renamed). Throws
// IoError / InvalidInput as ConfigView::Read does.
void UpdateConfigJson(const std::filesystem::path& config_json, const std::vector<ConfigUpdate>& updates);

}  // namespace fastintent::checkpoint
