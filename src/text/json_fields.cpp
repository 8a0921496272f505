#include "json_fields.h"

#include <fstream>
#include <sstream>

#include "fastintent/common/error.h"

namespace fastintent::text::detail {

std::string Describe(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return std::string(value.type_name()) + " " + text;
}

nlohmann::json ReadJsonFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("cannot read " + file.string());
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(file.string() + ": not valid JSON: " + e.what());
  }
}

JsonFields::JsonFields(const nlohmann::json& object, std::filesystem::path file, std::string where)
    : object_(object), file_(std::move(file)), where_(std::move(where)) {
  if (!object_.is_object()) Fail("", Describe(object_), "an object");
}

std::string JsonFields::Where(const char* key) const {
  if (where_.empty()) return key;
  if (key[0] == '\0') return where_;
  return where_ + "." + key;
}

void JsonFields::Fail(const std::string& field, const std::string& got, const std::string& expected) const {
  const std::string name = where_.empty() ? field : (field.empty() ? where_ : where_ + "." + field);
  throw InvalidInput(file_.string() + ": field '" + name + "': got " + got + ", expected " + expected);
}

const nlohmann::json* JsonFields::Find(const char* key) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonFields::String(const char* key) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) Fail(key, "nothing", "a string");
  if (!v->is_string()) Fail(key, Describe(*v), "a string");
  return v->get<std::string>();
}

std::string JsonFields::StringOr(const char* key, const std::string& fallback) const {
  return Find(key) == nullptr ? fallback : String(key);
}

std::optional<bool> JsonFields::OptionalBool(const char* key) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) Fail(key, Describe(*v), "true, false or null");
  return v->get<bool>();
}

bool JsonFields::BoolOr(const char* key, bool fallback) const { return OptionalBool(key).value_or(fallback); }

std::optional<std::int64_t> JsonFields::OptionalInt(const char* key) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (d >= -9.2e18 && d <= 9.2e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d) {
      return static_cast<std::int64_t>(d);
    }
    if (d > 9.2e18) return INT64_MAX;  // e.g. model_max_length = 1e30 meaning "no limit"
  }
  Fail(key, Describe(*v), "an integer");
}

std::int64_t JsonFields::Int(const char* key) const {
  const auto v = OptionalInt(key);
  if (!v) Fail(key, "nothing", "an integer");
  return *v;
}

std::int64_t JsonFields::IntOr(const char* key, std::int64_t fallback) const {
  return OptionalInt(key).value_or(fallback);
}

}  // namespace fastintent::text::detail
