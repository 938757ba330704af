#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::common {

/// The type of a session option; `SET` checks values against it.
enum class ConfigType { kBool, kInt, kString, kBytes, kDouble };

/// One typed, namespaced session option, such as `execution.target_partitions`.
struct ConfigEntry {
  std::string key;  ///< Fully qualified: `<namespace>.<name>`.
  ConfigType type = ConfigType::kString;
  std::string default_value;  ///< In its text form, as SET would accept it.
  std::string description;
};

/// A group of options under one prefix that a user registers, such as `numbers.*` with
/// `numbers.numbers_per_task`. Extensions are copied into each session's options and travel with
/// the session to workers.
class ConfigExtension {
 public:
  virtual ~ConfigExtension() = default;
  /// Returns the namespace, e.g. "numbers".
  virtual std::string prefix() const = 0;
  /// Returns the extension's options (keys include the prefix) with their defaults.
  virtual std::vector<ConfigEntry> entries() const = 0;
};

/// Session options: typed, namespaced, validated on SET. Values are kept in their text form so
/// they can be shown by SHOW and shipped to workers unchanged.
///
/// Built-in namespaces: `execution` (target_partitions, batch_size, memory_limit), `optimizer`,
/// `explain`, `sql_parser`, and later `distributed`. A bare name (`SET memory_limit = '1GB'`)
/// resolves to the one option whose last segment matches.
///
/// Thread-safety: not synchronised; a session mutates it from one thread, and tasks get copies.
class ConfigOptions {
 public:
  /// Creates options holding every built-in entry at its default.
  ConfigOptions();

  /// Adds the entries of a user extension; fails if its prefix or a key is already taken.
  arrow::Status register_extension(const ConfigExtension& extension);

  /// Sets an option from its text form; fails with a clear message for unknown keys (with a "did
  /// you mean") and for values of the wrong type.
  arrow::Status set(std::string_view key, std::string_view value);

  /// Resets an option to its default.
  arrow::Status reset(std::string_view key);

  /// Returns the fully qualified key for `key` (which may be a bare name), or an error.
  arrow::Result<std::string> resolve_key(std::string_view key) const;

  /// Returns an option's current text value.
  arrow::Result<std::string> get(std::string_view key) const;

  /// Returns an integer (or byte-size) option; an unknown key is an internal error.
  int64_t get_int(std::string_view key) const;
  /// Returns a floating point option.
  double get_double(std::string_view key) const;
  /// Returns a boolean option.
  bool get_bool(std::string_view key) const;
  /// Returns a string option.
  std::string get_string(std::string_view key) const;

  /// Returns every entry with its current value in `default_value`'s place, sorted by key.
  std::vector<ConfigEntry> entries() const;

  /// Returns (key, value) pairs of the options that differ from their defaults.
  std::map<std::string, std::string> changed() const;

  /// Convenience accessors for the most used options.
  int target_partitions() const { return static_cast<int>(get_int("execution.target_partitions")); }
  int64_t batch_size() const { return get_int("execution.batch_size"); }
  int64_t memory_limit() const { return get_int("execution.memory_limit"); }

 private:
  struct Slot {
    ConfigEntry entry;
    std::string value;
  };
  arrow::Status add(ConfigEntry entry);
  std::map<std::string, Slot> slots_;
};

/// Parses a byte size such as "64MB", "1.5 GiB", "1024" or "0" (0 = unlimited).
arrow::Result<int64_t> parse_byte_size(std::string_view text);

/// Renders a byte count for humans ("1.5 MiB").
std::string format_bytes(int64_t bytes);

}  // namespace quiver::common
