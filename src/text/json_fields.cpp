#include "json_fields.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "fastintent/common/error.h"
#include "serde_number.h"

namespace fastintent::text::detail {
namespace {

// Builds the same DOM as nlohmann::json::parse, except that floating-point literals are converted the way
// Hugging Face's serde_json converts them (serde_number.h).
class SerdeDomBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit SerdeDomBuilder(nlohmann::json& root) : root_(root) {}

  bool null() override { return Put(nullptr) != nullptr; }
  bool boolean(bool value) override { return Put(value) != nullptr; }
  bool number_integer(number_integer_t value) override { return Put(value) != nullptr; }
  bool number_unsigned(number_unsigned_t value) override { return Put(value) != nullptr; }
  bool number_float(number_float_t, const string_t& literal) override {
    const std::optional<double> value = ParseSerdeJsonF64(literal);
    if (!value) {
      error_ = "number " + literal + " is out of range for a double";
      return false;
    }
    return Put(*value) != nullptr;
  }
  bool string(string_t& value) override { return Put(std::move(value)) != nullptr; }
  bool binary(binary_t& value) override { return Put(nlohmann::json::binary(std::move(value))) != nullptr; }
  bool start_object(std::size_t) override {
    stack_.push_back(Put(nlohmann::json::object()));
    return true;
  }
  bool key(string_t& key) override {
    key_ = std::move(key);
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    stack_.push_back(Put(nlohmann::json::array()));
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  // Stores a value in the innermost open container (or as the root) and returns where it now lives.
  // Only the innermost container grows, so pointers to the enclosing ones stay valid.
  nlohmann::json* Put(nlohmann::json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    nlohmann::json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
      return &top.back();
    }
    nlohmann::json& slot = top[key_];
    slot = std::move(value);
    return &slot;
  }

  nlohmann::json& root_;
  std::vector<nlohmann::json*> stack_;
  std::string key_;
  std::string error_;
};

}  // namespace

std::string Describe(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return std::string(value.type_name()) + " " + text;
}

nlohmann::json ReadJsonFile(const std::filesystem::path& file, FloatRule floats) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("cannot read " + file.string());
  if (floats == FloatRule::kSerdeJson) {
    nlohmann::json root;
    SerdeDomBuilder builder(root);
    if (!nlohmann::json::sax_parse(buffer.str(), &builder)) {
      throw InvalidInput(file.string() + ": not valid JSON: " + builder.error());
    }
    return root;
  }
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
