#pragma once

#include <string>
#include <vector>

#include "quiver/common/config.h"

namespace quiver::examples {

/// The `numbers.*` config extension: `numbers.numbers_per_task` (default 10) controls how many
/// numbers one distributed task generates, and so how many tasks a `numbers(...)` scan asks for.
/// `SET numbers.numbers_per_task = 20` changes it for the session (and reaches the workers).
class NumbersConfig final : public common::ConfigExtension {
 public:
  /// Returns "numbers".
  std::string prefix() const override { return "numbers"; }
  /// Returns the extension's single option.
  std::vector<common::ConfigEntry> entries() const override {
    return {{"numbers.numbers_per_task", common::ConfigType::kInt, "10",
             "How many numbers one distributed task of a numbers(...) scan generates."}};
  }
  /// Returns the option's current value in `options`.
  static int64_t numbers_per_task(const common::ConfigOptions& options) {
    return options.get_int("numbers.numbers_per_task");
  }
};

}  // namespace quiver::examples
