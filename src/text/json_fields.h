#pragma once
// Typed field access for the tokenizer loaders: every failure names the file, the field and what was found.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace fastintent::text::detail {

class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::filesystem::path file, std::string where);

  std::string String(const char* key) const;
  std::string StringOr(const char* key, const std::string& fallback) const;
  bool BoolOr(const char* key, bool fallback) const;
  std::optional<bool> OptionalBool(const char* key) const;  // absent or null -> nullopt
  std::int64_t Int(const char* key) const;
  std::int64_t IntOr(const char* key, std::int64_t fallback) const;
  std::optional<std::int64_t> OptionalInt(const char* key) const;
  const nlohmann::json* Find(const char* key) const;  // nullptr when absent or null

  [[noreturn]] void Fail(const std::string& field, const std::string& got, const std::string& expected) const;
  std::string Where(const char* key) const;

 private:
  const nlohmann::json& object_;
  std::filesystem::path file_;
  std::string where_;
};

// How floating-point literals become doubles: correctly rounded (nlohmann-json, Python's json), or as
// Hugging Face `tokenizers` reads a tokenizer.json (serde_number.h; "number out of range" is an error there).
enum class FloatRule { kCorrectlyRounded, kSerdeJson };

// Reads and parses a JSON file; IoError if unreadable, InvalidInput with the parser's position if malformed.
nlohmann::json ReadJsonFile(const std::filesystem::path& file, FloatRule floats = FloatRule::kCorrectlyRounded);

// A short description of a JSON value for error messages ("a string", "number 3", ...).
std::string Describe(const nlohmann::json& value);

}  // namespace fastintent::text::detail
