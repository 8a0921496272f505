#include "http_message.h"

namespace fastintent::serve {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimBlanks(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

std::string_view HttpRequest::Header(std::string_view name, std::size_t* count) const {
  std::string_view found;
  std::size_t seen = 0;
  for (const auto& header : headers) {
    if (!EqualsIgnoringCase(header.name, name)) continue;
    if (seen++ == 0) found = header.value;
  }
  if (count != nullptr) *count = seen;
  return found;
}

}  // namespace fastintent::serve
