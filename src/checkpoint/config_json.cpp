#include "fastintent/checkpoint/config_json.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fastintent/common/error.h"

namespace fastintent::checkpoint {

using nlohmann::json;

struct ConfigView::Impl {
  std::filesystem::path file;
  json root;
};

namespace {

const json& Node(const void* node) { return *static_cast<const json*>(node); }

json ParseObject(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json root;
  try {
    root = json::parse(buffer.str());
  } catch (const json::exception& error) {  // parse_error, and out_of_range for a number that overflows
    throw InvalidInput(file.string() + ": not valid JSON (malformed JSON: " + error.what() + ")");
  }
  if (!root.is_object()) {
    throw InvalidInput(file.string() + ": got a JSON " + std::string(root.type_name()) + ", expected an object");
  }
  return root;
}

}  // namespace

ConfigView::ConfigView(std::shared_ptr<const Impl> impl, const void* node, std::string path)
    : impl_(std::move(impl)), node_(node), path_(std::move(path)) {}

ConfigView ConfigView::Read(const std::filesystem::path& config_json) {
  auto impl = std::make_shared<Impl>();
  impl->file = config_json;
  impl->root = ParseObject(config_json);
  const void* root = &impl->root;
  return ConfigView(std::move(impl), root, "");
}

const std::filesystem::path& ConfigView::file() const { return impl_->file; }

std::string ConfigView::Where(std::string_view key) const {
  std::string dotted = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  return impl_->file.string() + ": field \"" + dotted + "\"";
}

namespace {

const json* Find(const json& object, std::string_view key) {
  const auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

bool ConfigView::Has(std::string_view key) const { return Find(Node(node_), key) != nullptr; }

std::optional<std::size_t> ConfigView::Count(std::string_view key, bool allow_zero) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer() || value->get<long long>() < (allow_zero ? 0 : 1)) {
    throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected " +
                       (allow_zero ? "a non-negative integer" : "a positive integer"));
  }
  return static_cast<std::size_t>(value->get<long long>());
}

std::size_t ConfigView::RequireCount(std::string_view key, bool allow_zero) const {
  const auto count = Count(key, allow_zero);
  if (!count) throw InvalidInput(Where(key) + " is missing");
  return *count;
}

std::optional<double> ConfigView::Number(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected a number");
  return value->get<double>();
}

std::optional<double> ConfigView::NumberIn(std::string_view key, double lo, double hi) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number() || !(value->get<double>() >= lo && value->get<double>() <= hi)) {
    std::ostringstream range;
    range << "[" << lo << ", " << hi << "]";
    throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected a number in " + range.str());
  }
  return value->get<double>();
}

std::optional<std::string> ConfigView::String(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected a string");
  return value->get<std::string>();
}

std::string ConfigView::StringOr(std::string_view key, const std::string& fallback) const {
  return String(key).value_or(fallback);
}

std::optional<bool> ConfigView::Bool(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected true or false");
  return value->get<bool>();
}

std::optional<std::vector<double>> ConfigView::Numbers(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  std::vector<double> numbers;
  if (value->is_array()) {
    for (const json& item : *value) {
      if (!item.is_number()) break;
      numbers.push_back(item.get<double>());
    }
  }
  if (!value->is_array() || numbers.size() != value->size()) {
    throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected an array of numbers");
  }
  return numbers;
}

std::optional<std::vector<std::string>> ConfigView::Strings(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  std::vector<std::string> strings;
  if (value->is_array()) {
    for (const json& item : *value) {
      if (!item.is_string()) break;
      strings.push_back(item.get<std::string>());
    }
  }
  if (!value->is_array() || strings.size() != value->size()) {
    throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected an array of strings");
  }
  return strings;
}

std::optional<ConfigView> ConfigView::Object(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_object()) throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected an object");
  return ConfigView(impl_, value, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

ConfigView ConfigView::RequireObject(std::string_view key) const {
  auto object = Object(key);
  if (!object) throw InvalidInput(Where(key) + " is missing");
  return *object;
}

std::optional<std::vector<ConfigView>> ConfigView::Objects(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr) return std::nullopt;
  const bool all_objects =
      value->is_array() && std::all_of(value->begin(), value->end(), [](const json& item) { return item.is_object(); });
  if (!all_objects) throw InvalidInput(Where(key) + ": got " + value->dump() + ", expected an array of objects");
  const std::string prefix = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  std::vector<ConfigView> objects;
  for (std::size_t i = 0; i < value->size(); ++i) {
    objects.push_back(ConfigView(impl_, &(*value)[i], prefix + "[" + std::to_string(i) + "]"));
  }
  return objects;
}

std::optional<std::string> ConfigView::FirstString(std::string_view key) const {
  const json* value = Find(Node(node_), key);
  if (value == nullptr || !value->is_array() || value->empty() || !value->front().is_string()) return std::nullopt;
  return value->front().get<std::string>();
}

std::vector<std::string> ConfigView::Labels() const {
  const json* id2label = Find(Node(node_), "id2label");
  if (id2label == nullptr) return {};
  if (!id2label->is_object()) {
    throw InvalidInput(Where("id2label") + ": got " + id2label->dump() +
                       ", expected an object {\"0\": \"label\", ...}");
  }
  const std::size_t count = id2label->size();
  std::vector<std::string> labels(count);
  std::vector<bool> seen(count, false);
  for (const auto& [key, value] : id2label->items()) {
    std::size_t consumed = 0;
    long long id = -1;
    try {
      id = std::stoll(key, &consumed);
    } catch (const std::exception&) {
      consumed = 0;
    }
    if (consumed == 0 || consumed != key.size() || id < 0 || static_cast<std::size_t>(id) >= count) {
      std::string missing;
      for (std::size_t i = 0; i < count; ++i) {
        if (id2label->contains(std::to_string(i))) continue;
        missing = " (class id " + std::to_string(i) + " is missing)";
        break;
      }
      throw InvalidInput(Where("id2label") + ": got key \"" + key + "\", expected the class ids 0.." +
                         std::to_string(count - 1) + missing);
    }
    if (!value.is_string()) {
      throw InvalidInput(Where("id2label." + key) + ": got " + value.dump() + ", expected a string");
    }
    seen[static_cast<std::size_t>(id)] = true;
    labels[static_cast<std::size_t>(id)] = value.get<std::string>();
  }
  if (const json* label2id = Find(Node(node_), "label2id"); label2id && label2id->is_object()) {
    for (const auto& [name, id] : label2id->items()) {
      if (!id.is_number_integer() || id.get<long long>() < 0 ||
          static_cast<std::size_t>(id.get<long long>()) >= count ||
          labels[static_cast<std::size_t>(id.get<long long>())] != name) {
        throw InvalidInput(Where("label2id") + "[\"" + name + "\"]: got " + id.dump() +
                           ", which disagrees with id2label");
      }
    }
  }
  return labels;
}

void UpdateConfigJson(const std::filesystem::path& config_json, const std::vector<ConfigUpdate>& updates) {
  json root = ParseObject(config_json);
  for (const ConfigUpdate& update : updates) {
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            root.erase(update.key);
          } else {
            root[update.key] = value;
          }
        },
        update.value);
  }
  const std::filesystem::path staged =
      config_json.parent_path() / ("." + config_json.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(staged, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError(staged.string() + ": cannot open for writing");
    out << root.dump(2) << '\n';
    out.flush();
    if (!out) throw IoError(staged.string() + ": write failed");
  }
  std::error_code error;
  std::filesystem::rename(staged, config_json, error);
  if (error) {
    std::filesystem::remove(staged, error);
    throw IoError(config_json.string() + ": cannot replace: " + error.message());
  }
}

}  // namespace fastintent::checkpoint
