// No overrides: unicode_table_dump_base links this to show raw utf8proc answers (input to probe_unicode.py generate).
#include "../../src/text/unicode_overrides.h"

namespace fastintent::text::detail {

const FlavorOverrides& HfTokenizersOverrides() {
  static const FlavorOverrides overrides{};
  return overrides;
}

const FlavorOverrides& TransformersSlowOverrides() {
  static const FlavorOverrides overrides{};
  return overrides;
}

}  // namespace fastintent::text::detail
