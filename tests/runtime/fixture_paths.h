#pragma once
// Where the committed runtime fixtures live (tests/fixtures/runtime, made by
// tools/fixtures/make_runtime_fixtures.py); the path is compiled in by tests/runtime/CMakeLists.txt.
#include <filesystem>

namespace fastintent::runtime::testing {

inline std::filesystem::path FixtureRoot() { return FASTINTENT_RUNTIME_FIXTURES; }

}  // namespace fastintent::runtime::testing
